"""Items: `tree`, `show`, `update`, `reading`, `indicators`, `flag`, `unflag`."""

import argparse
import os
import sys
from typing import TYPE_CHECKING

from planner.cli.arguments import Commands, add_command, split_list
from planner.cli.context import Context
from planner.core.dates import parse_due, parse_start
from planner.core.errors import PlannerError
from planner.core.rollup import Colour
from planner.core.status import parse_status
from planner.core.text import number_text
from planner.i18n import label

if TYPE_CHECKING:
    from planner.reports.tree import PlanView


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add the commands that read or change items."""
    sub = add_command(commands, common, "tree", cmd_tree, label("cli_help_tree", lang))
    sub.add_argument("code", nargs="?", help="show only this subtree")
    sub.add_argument("--depth", type=int, help="levels to show")
    sub.add_argument("--unit", help="items this unit leads or supports (ancestors kept)")
    sub.add_argument("--warn", help=label("cli_help_tree_warn", lang))
    add_command(commands, common, "show", cmd_show,
                label("cli_help_show", lang)).add_argument("code")
    sub = add_command(commands, common, "update", cmd_update, label("cli_help_update", lang))
    sub.add_argument("code")
    sub.add_argument("--status", help=label("cli_help_update_status", lang))
    sub.add_argument("--progress", type=float, help="0–100")
    sub.add_argument("--note", help=label("cli_help_update_note", lang))
    sub.add_argument("--by", help=label("cli_help_update_by", lang))
    sub.add_argument("--due", help=label("cli_help_update_due", lang))
    sub.add_argument("--reason", help=label("cli_help_update_reason", lang))
    sub = add_command(commands, common, "reading", cmd_reading,
                      label("cli_help_reading", lang))
    sub.add_argument("code")
    sub.add_argument("value", type=float)
    sub.add_argument("--date", help="date of the reading (default: today)")
    sub.add_argument("--source", help=label("cli_help_reading_source", lang))
    add_command(commands, common, "indicators", cmd_indicators, label("cli_help_indicators", lang))
    sub = add_command(commands, common, "flag", cmd_flag, label("cli_help_flag", lang))
    sub.add_argument("code")
    sub.add_argument("--reason", required=True)
    add_command(commands, common, "unflag", cmd_unflag,
                label("cli_help_unflag", lang)).add_argument("code")


def _colour(name: str) -> Colour:
    """The warning colour called `name` (red or 红, …)."""
    names = {c.value: c for c in Colour} | {c.label("zh"): c for c in Colour}
    if name not in names:
        raise PlannerError("cli_unknown_colour", name=name)
    return names[name]


def cmd_tree(ctx: Context, args: argparse.Namespace) -> int:
    """Print the tree with rollups, optionally a subtree, a unit's items or some colours."""
    from planner.core.outline import Criteria
    from planner.reports.tree import render_tree
    from planner.store.dbapi import PLAN_SEPARATOR

    if args.code and PLAN_SEPARATOR in args.code:  # `PLAN:CODE`: that plan's subtree
        ctx.plan, args.code = args.code.split(PLAN_SEPARATOR, 1)
    # Only an unfiltered tree cut at a depth reads just its rows (a filter looks at them all).
    cut = args.depth is not None and args.depth >= 1 and not (args.unit or args.warn)
    view = _tree_view(ctx, args.code, args.depth if cut else None)
    tree, rollup, unit_names = view.tree, view.rollup, view.unit_names
    if args.code and args.code not in tree.by_code:
        raise PlannerError("cli_no_item", code=args.code, where=args.code)
    if args.unit and args.unit not in unit_names:
        raise PlannerError("cli_unknown_unit", unit=args.unit)
    if args.depth is not None and args.depth < 1:
        raise PlannerError("cli_bad_depth")
    criteria = Criteria(unit=args.unit, colours=frozenset(split_list(args.warn, "--warn",
                                                                     _colour)))
    ansi = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(render_tree(tree, rollup, unit_names, lang=ctx.lang, today=ctx.today,
                                 criteria=criteria, root_code=args.code, max_depth=args.depth,
                                 ansi=ansi))
    return 0


def _tree_view(ctx: Context, code: str | None, depth: int | None) -> "PlanView":
    """What `tree` shows: with a depth, the rows on show and their stored rollup figures,
    storing them first (in a writer's transaction, rechecked there) when they are not
    current and this user may; otherwise the plan (or CODE's branch) rolled up afresh."""
    from planner.reports.tree import plan_view, shown_view, view_of
    from planner.services.rollups import refresh_rollups
    from planner.store.rollup_cache import may_store

    with ctx.transaction() as db:
        if depth is None or not may_store(db):
            return plan_view(db, today=ctx.today, branch=code)
        view = shown_view(db, today=ctx.today, root=code, depth=depth)
    if view is not None:
        return view
    with ctx.transaction(write=True) as db:
        view = shown_view(db, today=ctx.today, root=code, depth=depth)
        return view or view_of(db, refresh_rollups(db, today=ctx.today))


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Print one item with its owners, dates, rollup explanation, indicators and history
    (only the item, its ancestors and its subtree are read, whatever the plan's size)."""
    from planner.reports.item import show_item

    with ctx.transaction() as db:
        text = show_item(args.code, db, lang=ctx.lang, today=ctx.today)
    sys.stdout.write(text)
    return 0


def cmd_update(ctx: Context, args: argparse.Namespace) -> int:
    """Record a unit's report on an item, and/or move its deadline with a reason."""
    from planner.services.updates import change_due, record_update

    if args.reason and not args.due:
        raise PlannerError("cli_reason_needs_due")
    reports = any(v is not None for v in (args.status, args.progress, args.note))
    if not reports and not args.due:
        raise PlannerError("cli_update_nothing", where=args.code)
    status = parse_status(args.status) if args.status else None
    with ctx.transaction(write=True) as db:
        if args.due:
            new_due = parse_due(args.due, today=ctx.today)
            change_due(session=db, code=args.code, new_due=new_due, reason=args.reason or "",
                       at=ctx.now, by_user=ctx.user)
            ctx.say("cli_due_moved", code=args.code, due=new_due)
        if reports:
            result = record_update(session=db, code=args.code, at=ctx.now, status=status,
                                   progress=args.progress, note=args.note, by_unit=args.by,
                                   by_user=ctx.user)
            ctx.say("cli_update_recorded", code=result.code,
                    status=result.status.label(ctx.lang), progress=f"{result.progress:g}")
    return 0


def cmd_reading(ctx: Context, args: argparse.Namespace) -> int:
    """Record a dated reading of an indicator."""
    from planner.services.updates import record_reading

    on = parse_start(args.date, today=ctx.today) if args.date else ctx.today
    with ctx.session(write=True) as session:
        record_reading(session=session, code=args.code, value=args.value, on=on, at=ctx.now,
                       source=args.source, by_user=ctx.user)
    ctx.say("cli_reading_recorded", code=args.code, value=number_text(args.value), on=on)
    return 0


def cmd_indicators(ctx: Context, args: argparse.Namespace) -> int:
    """List indicators with baseline, target, latest reading and share of the way."""
    from planner.reports.item import indicator_line
    from planner.store.queries import load_indicators

    with ctx.session() as session:
        indicators = load_indicators(session=session)
    for indicator in indicators:
        task = f"  [{indicator.task_code}]" if indicator.task_code else ""
        print(indicator_line(indicator, ctx.lang) + task)
    return 0


def cmd_flag(ctx: Context, args: argparse.Namespace) -> int:
    """Flag an item as needing coordination at the joint meeting."""
    from planner.services.edits import set_coordination

    with ctx.session(write=True) as session:
        set_coordination(session=session, code=args.code, reason=args.reason, at=ctx.now,
                         by_user=ctx.user)
    ctx.say("cli_flagged", code=args.code)
    return 0


def cmd_unflag(ctx: Context, args: argparse.Namespace) -> int:
    """Clear the needs-coordination flag."""
    from planner.services.edits import set_coordination

    with ctx.session(write=True) as session:
        set_coordination(session=session, code=args.code, reason=None, at=ctx.now,
                         by_user=ctx.user)
    ctx.say("cli_unflagged", code=args.code)
    return 0
