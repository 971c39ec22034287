"""The item ledger (台账): `ledger export`, `ledger import`."""

import argparse
from pathlib import Path

from planner.cli.arguments import Commands, add_command, add_group
from planner.cli.context import Context
from planner.i18n import label


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `ledger` and its actions."""
    ledger = add_group(commands, common, "ledger", label("cli_help_ledger", lang), dest="ledger")
    add_command(ledger, common, "export", cmd_ledger_export,
                "write the ledger as xlsx").add_argument("file")
    sub = add_command(ledger, common, "import", cmd_ledger_import,
                      "read back a filled-in ledger (dry run unless --apply)")
    sub.add_argument("file")
    sub.add_argument("--by", help="the unit that filled it in (recorded in history)")
    sub.add_argument("--apply", action="store_true", help="record the changes")


def cmd_ledger_export(ctx: Context, args: argparse.Namespace) -> int:
    """Write the item ledger (台账) as an xlsx workbook."""
    from planner.reports.document import check_folder
    from planner.reports.ledger import build_ledger
    from planner.reports.xlsx import write_ledger_xlsx

    check_folder(Path(args.file))
    with ctx.session() as session:
        ledger = build_ledger(session=session, today=ctx.today)
    write_ledger_xlsx(ledger, Path(args.file), lang=ctx.lang)
    ctx.say("cli_ledger_written", file=args.file, n=len(ledger.rows))
    return 0


def cmd_ledger_import(ctx: Context, args: argparse.Namespace) -> int:
    """Read back a ledger a unit filled in; show the changes, apply them with --apply."""
    from planner.services.ledger import apply_ledger, plan_ledger_changes, read_ledger

    ledger = read_ledger(Path(args.file))
    with ctx.session(write=True) as session:
        changes = plan_ledger_changes(ledger, session=session, by_unit=args.by,
                                      today=ctx.today)
        for change in changes:
            print(change.describe(ctx.lang))
        if args.apply:
            apply_ledger(changes, session=session, by_unit=args.by, by_user=ctx.user,
                         at=ctx.now)
    if args.apply:
        ctx.say("cli_ledger_applied", n=len(changes), unit=args.by or "—")
    else:
        ctx.say("cli_ledger_dry_run", n=len(changes))
    return 0
