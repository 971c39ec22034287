"""The 督办 cycle: the unit's steps `ack`, `return`, `extend`; the coordinators' `assign`,
`urge`, `inbox`, `approve`, `reject` (a unit's 办结申请 is `planner update --status done`)."""

import argparse
import sys
from typing import TYPE_CHECKING

from planner.cli.arguments import Commands, add_command
from planner.cli.context import Context
from planner.core.dates import parse_due
from planner.i18n import label, msg

if TYPE_CHECKING:
    from planner.services.cycle import StepResult


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add the cycle's commands."""
    sub = add_command(commands, common, "ack", cmd_ack, label("cli_help_ack", lang))
    sub.add_argument("code")
    sub.add_argument("--by", help=label("cli_help_cycle_by", lang))
    sub = add_command(commands, common, "return", cmd_return, label("cli_help_return", lang))
    sub.add_argument("code")
    sub.add_argument("--reason", required=True)
    sub.add_argument("--by", help=label("cli_help_cycle_by", lang))
    sub = add_command(commands, common, "extend", cmd_extend, label("cli_help_extend", lang))
    sub.add_argument("code")
    sub.add_argument("--to", required=True, dest="new_due",
                     help=label("cli_help_extend_to", lang))
    sub.add_argument("--reason", required=True)
    sub.add_argument("--by", help=label("cli_help_cycle_by", lang))
    sub = add_command(commands, common, "assign", cmd_assign, label("cli_help_assign", lang))
    sub.add_argument("code")
    sub.add_argument("--to", required=True, dest="unit", help=label("cli_help_assign_to", lang))
    sub = add_command(commands, common, "urge", cmd_urge, label("cli_help_urge", lang))
    sub.add_argument("code")
    sub.add_argument("--note")
    add_command(commands, common, "inbox", cmd_inbox, label("cli_help_inbox", lang))
    sub = add_command(commands, common, "approve", cmd_approve, label("cli_help_approve", lang))
    sub.add_argument("id", type=_request_id)
    sub.add_argument("--reason")
    sub = add_command(commands, common, "reject", cmd_reject, label("cli_help_reject", lang))
    sub.add_argument("id", type=_request_id)
    sub.add_argument("--reason", required=True)


def _request_id(text: str) -> int:
    """A request's id as `planner inbox` shows it (#12 or 12)."""
    try:
        return int(text.strip().lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a request id: {text!r}") from None


def _said(ctx: Context, result: "StepResult") -> int:
    key = "cli_cycle_requested" if result.kind.value.endswith("_request") else "cli_cycle_recorded"
    ctx.say(key, code=result.code, step=msg(f"cycle_kind_{result.kind}"), id=result.event_id,
            state=msg(f"cycle_state_{result.state}"))
    return 0


def cmd_ack(ctx: Context, args: argparse.Namespace) -> int:
    """签收: the lead unit acknowledges an item assigned to it."""
    from planner.services.cycle import acknowledge

    with ctx.transaction(write=True) as db:
        result = acknowledge(session=db, code=args.code, at=ctx.now, by_unit=args.by,
                             by_user=ctx.user)
    return _said(ctx, result)


def cmd_return(ctx: Context, args: argparse.Namespace) -> int:
    """退办: the lead unit sends an item back, with the reason."""
    from planner.services.cycle import return_item

    with ctx.transaction(write=True) as db:
        result = return_item(session=db, code=args.code, reason=args.reason, at=ctx.now,
                             by_unit=args.by, by_user=ctx.user)
    return _said(ctx, result)


def cmd_extend(ctx: Context, args: argparse.Namespace) -> int:
    """延期申请: the lead unit asks for a later due date, with the reason."""
    from planner.services.cycle import request_extension

    new_due = parse_due(args.new_due, today=ctx.today)
    with ctx.transaction(write=True) as db:
        result = request_extension(session=db, code=args.code, new_due=new_due,
                                   reason=args.reason, at=ctx.now, by_unit=args.by,
                                   by_user=ctx.user)
    return _said(ctx, result)


def cmd_assign(ctx: Context, args: argparse.Namespace) -> int:
    """交办: a coordinator gives an item to a lead unit (a returned one again)."""
    from planner.services.cycle import assign

    with ctx.session(write=True) as session:
        result = assign(session=session, code=args.code, unit=args.unit, at=ctx.now,
                        by_user=ctx.user)
    return _said(ctx, result)


def cmd_urge(ctx: Context, args: argparse.Namespace) -> int:
    """催办: a coordinator records a reminder to the item's lead unit."""
    from planner.services.cycle import urge

    with ctx.transaction(write=True) as db:
        result = urge(session=db, code=args.code, at=ctx.now, note=args.note, by_user=ctx.user)
    return _said(ctx, result)


def cmd_inbox(ctx: Context, args: argparse.Namespace) -> int:
    """What waits for the coordinators, oldest first, with the ids approve/reject take."""
    from planner.reports.inbox import inbox, render_inbox

    with ctx.transaction() as db:
        entries = inbox(db)
    sys.stdout.write(render_inbox(entries, lang=ctx.lang, today=ctx.today))
    return 0


def cmd_approve(ctx: Context, args: argparse.Namespace) -> int:
    """Approve a request: an extension moves the deadline; a 办结 closes the item (销号)."""
    from planner.services.cycle import approve

    with ctx.transaction(write=True) as db:
        result = approve(session=db, request_id=args.id, at=ctx.now, reason=args.reason,
                         by_user=ctx.user)
    return _said(ctx, result)


def cmd_reject(ctx: Context, args: argparse.Namespace) -> int:
    """Reject a request with a reason: an extension leaves the date; a 办结 is sent back."""
    from planner.services.cycle import reject

    with ctx.transaction(write=True) as db:
        result = reject(session=db, request_id=args.id, reason=args.reason, at=ctx.now,
                        by_user=ctx.user)
    return _said(ctx, result)
