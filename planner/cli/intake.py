"""`planner intake FILE`: a plan document (.docx, .xlsx, .txt, .md) turned into a plan file."""

import argparse
import sys
from pathlib import Path

from planner.cli.arguments import Commands, add_command
from planner.cli.context import Context
from planner.core.errors import PlannerError
from planner.i18n import label


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `intake`."""
    sub = add_command(commands, common, "intake", cmd_intake, label("cli_help_intake", lang))
    sub.add_argument("file", help=".docx, .xlsx, .txt or .md")
    sub.add_argument("-o", "--output", default=None,
                     help="plan file to write (default: FILE's name with .yaml beside it; "
                     "- for standard output)")
    sub.add_argument("--plan-id", default=None, help="the new plan's id")
    sub.add_argument("--parent", default=None, help="the id of the plan it carries out")
    sub.add_argument("--year", type=int, default=None,
                     help="the plan's year when the title names none")
    sub.add_argument("--new-units", action="store_true",
                     help="create units for names the registry does not know")
    sub.add_argument("--map", default=None,
                     help="YAML file mapping written names to unit ids")


def cmd_intake(ctx: Context, args: argparse.Namespace) -> int:
    """Read the document, print what was understood, write the plan file; exit 2 (writing
    nothing) while a unit name is unresolved."""
    from planner.services.intake import (
        IntakeRequest,
        bundled_registry,
        intake_document,
        merged_registry,
        plan_file_text,
        summary_lines,
        write_plan_file,
    )
    from planner.store.dbapi import sqlite_path

    source = Path(args.file)
    request = IntakeRequest(source, year=args.year, plan_id=args.plan_id, parent=args.parent,
                            map_path=Path(args.map) if args.map else None,
                            new_units=args.new_units)
    registry = bundled_registry()
    database_file = sqlite_path(ctx.url)
    if database_file is None or Path(database_file).exists():  # the office's own registry
        from planner.services.unit_registry import registry_from_database

        with ctx.session() as session:
            registry = merged_registry(registry_from_database(session), registry)
    plan = intake_document(request, registry)
    to_stdout = args.output == "-"
    for line in summary_lines(plan):
        print(line.render(ctx.lang), file=sys.stderr if to_stdout else sys.stdout)
    if plan.unresolved:
        raise PlannerError("intake_unresolved", count=len(plan.unresolved))
    text = plan_file_text(plan, registry, plan_id=args.plan_id, parent=args.parent,
                          source=source.name)
    if to_stdout:
        sys.stdout.write(text)
        return 0
    output = Path(args.output) if args.output else source.with_suffix(".yaml")
    write_plan_file(output, text)
    ctx.say("cli_intake_written", file=output, items=len(plan.items()))
    return 0
