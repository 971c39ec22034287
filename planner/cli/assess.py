"""The unit assessment: `assess`."""

import argparse
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.arguments import Commands, add_command
from planner.cli.context import Context
from planner.core.dates import parse_due, parse_start
from planner.core.errors import PlannerError
from planner.i18n import label

if TYPE_CHECKING:
    from planner.core.assessment import Rules

FORMATS = ("txt", "md", "json", "xlsx", "docx", "pdf")


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `assess`."""
    sub = add_command(commands, common, "assess", cmd_assess, label("cli_help_assess", lang))
    sub.add_argument("--from", dest="start",
                     help="first day of the period, or a period's name: 2025, 2025-Q1, "
                     "2025-H1 (default: 1 January of the period's end year)")
    sub.add_argument("--to", dest="end",
                     help="last day of the period, or a period's name (default: today; a "
                     "period reaching past today ends today)")
    sub.add_argument("--rules", help="assessment rule file (default: the bundled rules)")
    sub.add_argument("--unit", help="show only this unit (ranked among all)")
    sub.add_argument("--format", choices=FORMATS, help="default: from -o, else txt")
    sub.add_argument("-o", "--output", help="write to this file instead of standard output")


def _period(ctx: Context, args: argparse.Namespace) -> tuple[date, date]:
    """--from and --to as days: a period's name counts from its first day (--from) or to its
    last (--to)."""
    end = parse_due(args.end, today=ctx.today) if args.end else ctx.today
    start = parse_start(args.start, today=ctx.today) if args.start else date(end.year, 1, 1)
    return start, end


def _format(args: argparse.Namespace) -> str:
    """--format, else the extension of the -o file, else txt."""
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lstrip(".").lower() if args.output else ""
    return {"markdown": "md", "text": "txt"}.get(suffix, suffix) \
        if suffix in (*FORMATS, "markdown", "text") else "txt"


def cmd_assess(ctx: Context, args: argparse.Namespace) -> int:
    """Score each unit over a period: ranking and every point explained."""
    from planner.reports.document import check_folder
    from planner.services.assessment_rules import load_rules

    fmt = _format(args)
    if fmt == "xlsx" and not args.output:
        raise PlannerError("cli_xlsx_needs_output")
    if fmt in ("docx", "pdf"):
        from planner.reports.officedoc import libreoffice

        if not args.output:
            raise PlannerError("cli_format_needs_output", fmt=fmt)
        if fmt == "pdf" and libreoffice() is None:
            raise PlannerError("office_no_libreoffice")
    if args.output:
        check_folder(Path(args.output))
    start, end = _period(ctx, args)
    rules = load_rules(Path(args.rules) if args.rules else None)
    with paused_collector():
        return _assess(ctx, args, fmt, start, end, rules)


@contextmanager
def paused_collector() -> Iterator[None]:
    """The cyclic garbage collector off while a year's assessment is read, scored and laid
    out: it makes millions of small objects that form no cycles (rows, lines, cells), and
    each full collection would walk them all again (a quarter of the run time at 500,000
    events). Reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _assess(ctx: Context, args: argparse.Namespace, fmt: str, start: date, end: date,
            rules: "Rules") -> int:
    """Build the assessment and write it in `fmt`."""
    from planner.reports.assessment import build_assessment, write_assessment
    from planner.services.assessment_rules import DEFAULT_RULES

    with ctx.transaction() as db:
        report = build_assessment(db, start=start, end=end, today=ctx.today, rules=rules,
                                  rules_name=args.rules or DEFAULT_RULES, unit_id=args.unit)
    fonts = None
    if fmt in ("docx", "pdf"):
        from planner.reports.officedoc import Fonts

        fonts = Fonts.from_environment(os.environ)
    content = write_assessment(report, fmt=fmt, lang=ctx.lang,
                               output=Path(args.output) if args.output else None, fonts=fonts)
    if args.output:
        ctx.say("assess_written", path=args.output)
    else:
        sys.stdout.write(content or "")
    return 0
