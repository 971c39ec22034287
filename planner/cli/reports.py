"""Reports: `report weekly`, `report undecomposed`, `report evaluation`, `report bulletin`."""

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.arguments import (
    OFFICE_FORMATS,
    REPORT_FORMATS,
    Commands,
    add_command,
    add_group,
    report_format,
)
from planner.cli.context import Context
from planner.core.dates import parse_start
from planner.core.errors import PlannerError
from planner.i18n import label

if TYPE_CHECKING:
    from planner.reports.officedoc import Fonts

WEEKLY_FORMATS = (*REPORT_FORMATS, *OFFICE_FORMATS)


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `report` and its reports."""
    report = add_group(commands, common, "report", label("cli_help_report", lang), dest="report",
                       metavar="REPORT")
    sub = add_command(report, common, "weekly", cmd_report_weekly,
                      label("cli_help_weekly", lang))
    sub.add_argument("--week", help="ISO week, e.g. 2021-W17 (default: this week)")
    sub.add_argument("--date", help="any day of the week to report")
    sub.add_argument("--unit", help="only the items this unit leads or supports")
    sub.add_argument("--format", choices=WEEKLY_FORMATS, help="default: from -o, else txt")
    sub.add_argument("-o", "--output", help="write to this file instead of standard output")
    sub = add_command(report, common, "undecomposed", cmd_report_undecomposed,
                      label("cli_help_undecomposed", lang))
    sub.add_argument("--format", choices=("txt", "md", "html"), default="txt")
    sub = add_command(report, common, "evaluation", cmd_report_evaluation,
                      label("cli_help_evaluation", lang))
    sub.add_argument("--format", choices=WEEKLY_FORMATS, help="default: from -o, else txt")
    sub.add_argument("-o", "--output", help="write to this file instead of standard output")
    _register_bulletin(report, common, lang)


BULLETIN_FORMATS = ("txt", "md", "html", *OFFICE_FORMATS)


def _register_bulletin(report: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `report bulletin`."""
    sub = add_command(report, common, "bulletin", cmd_report_bulletin,
                      label("cli_help_bulletin", lang))
    sub.add_argument("--from", dest="start",
                     help="first day of the period, or a period's name: 2025, 2025-Q1, "
                     "2025-H1 (default: 1 January of the period's end year)")
    sub.add_argument("--to", dest="end",
                     help="last day of the period, or a period's name (default: today)")
    sub.add_argument("--rules", help="assessment rule file for the ranking and the red and "
                     "yellow lists (default: the bundled rules)")
    sub.add_argument("--number", help="the bulletin's serial number, e.g. 3; shown with "
                     "--prefix and the year of --date")
    sub.add_argument("--prefix", default="督查",
                     help="the issuer's prefix of the number (default: the supervision one)")
    sub.add_argument("--office", help="the issuing office in the red header and signature "
                     "(default: $PLANNER_OFFICE, else the supervision office)")
    sub.add_argument("--addressee", help="the units addressed (default: all member units)")
    sub.add_argument("--date", help="the date it is issued (default: today)")
    sub.add_argument("--format", choices=BULLETIN_FORMATS, help="default: from -o, else txt")
    sub.add_argument("-o", "--output", help="write to this file instead of standard output")


def _report_week(ctx: Context, args: argparse.Namespace) -> date:
    """Monday of the week asked for: --week 2021-W17, --date D, or the week of today."""
    from planner.core.dates import parse_iso_week, week_span

    if args.week and args.date:
        raise PlannerError("cli_week_or_date")
    if args.week:
        return parse_iso_week(args.week)[0]
    day = parse_start(args.date, today=ctx.today) if args.date else ctx.today
    return week_span(day)[0]


ALL_PLANS = "all"
"""`--plan all`: the weekly report of every open plan, one after the other."""


def _weekly_of_all_plans(ctx: Context, args: argparse.Namespace, fmt: str,
                         week_start: date) -> int:
    """The weekly report of each open plan, oldest first: txt and md one after the other
    (to standard output or the -o file); html and xlsx one file per plan, named after the -o
    file with the plan's id appended (`weekly-sw14.html`)."""
    from planner.reports.document import write_text_file
    from planner.reports.weekly_output import write_weekly
    from planner.store.dbapi import Db, use_plan

    if fmt in ("html", "xlsx") and not args.output:
        raise PlannerError("cli_all_plans_needs_output", format=fmt)
    output = Path(args.output) if args.output else None
    parts: list[str] = []
    with ctx.session() as session:
        db = Db.of_session(session)
        open_plans = db.rows("SELECT id, code FROM plan WHERE state = 'open' ORDER BY id")
        if not open_plans:
            raise PlannerError("cli_no_open_plan")
        for plan_id, code in open_plans:
            use_plan(db, plan_id)
            if args.unit:
                from planner.store.queries import load_units

                if args.unit not in load_units(session=session):
                    raise PlannerError("cli_unknown_unit", unit=args.unit)
            own_file = (output.with_name(f"{output.stem}-{code}{output.suffix}")
                        if output is not None and fmt in ("html", "xlsx") else None)
            content = write_weekly(session=session, today=ctx.today, week_start=week_start,
                                   unit_id=args.unit, fmt=fmt, lang=ctx.lang, output=own_file)
            if own_file is not None:
                ctx.say("report_written", path=str(own_file))
            else:
                parts.append(content or "")
    if parts:
        text = ("\n" + ("---" if fmt == "md" else "=" * 40) + "\n\n").join(parts)
        if output is not None:
            write_text_file(output, text)
            ctx.say("report_written", path=args.output)
        else:
            sys.stdout.write(text)
    return 0


def cmd_report_weekly(ctx: Context, args: argparse.Namespace) -> int:
    """Write the weekly progress report (周报) in txt, md, html, xlsx, docx or pdf."""
    from planner.reports.document import check_folder
    from planner.reports.weekly_output import write_weekly
    from planner.store.dbapi import read_unit_names

    fmt = report_format(args, WEEKLY_FORMATS)
    if fmt == "xlsx" and not args.output:
        raise PlannerError("cli_xlsx_needs_output")
    if fmt in OFFICE_FORMATS and not args.output:
        raise PlannerError("cli_format_needs_output", fmt=fmt)
    if fmt == "pdf":
        from planner.reports.officedoc import libreoffice

        if libreoffice() is None:
            raise PlannerError("office_no_libreoffice")
    if args.output:
        check_folder(Path(args.output))
    week_start = _report_week(ctx, args)
    if ctx.plan == ALL_PLANS:
        return _weekly_of_all_plans(ctx, args, fmt, week_start)
    fonts = None
    if fmt in OFFICE_FORMATS:  # python-docx is imported only for the office formats
        from planner.reports.officedoc import Fonts

        fonts = Fonts.from_environment(os.environ)
    with ctx.transaction() as db:  # a SQLite file at the current schema: sqlite3 alone
        if args.unit and args.unit not in read_unit_names(db):
            raise PlannerError("cli_unknown_unit", unit=args.unit)
        content = write_weekly(session=db, today=ctx.today, week_start=week_start,
                               unit_id=args.unit, fmt=fmt, lang=ctx.lang,
                               output=Path(args.output) if args.output else None,
                               fonts=fonts)
    if args.output:
        ctx.say("report_written", path=args.output)
    else:
        sys.stdout.write(content or "")
    return 0


def cmd_report_evaluation(ctx: Context, args: argparse.Namespace) -> int:
    """Write the plan evaluation (中期评估 before the plan's end, 总结评估 after)."""
    from planner.reports.document import check_folder
    from planner.reports.evaluation_output import write_evaluation

    fmt = report_format(args, WEEKLY_FORMATS)
    if fmt == "xlsx" and not args.output:
        raise PlannerError("cli_xlsx_needs_output")
    _office_output(fmt, args.output)
    if args.output:
        check_folder(Path(args.output))
    with ctx.session() as session:
        content = write_evaluation(session=session, today=ctx.today, fmt=fmt, lang=ctx.lang,
                                   output=Path(args.output) if args.output else None,
                                   fonts=_office_fonts(fmt))
    if args.output:
        ctx.say("eval_written", path=args.output)
    else:
        sys.stdout.write(content or "")
    return 0


def cmd_report_undecomposed(ctx: Context, args: argparse.Namespace) -> int:
    """List the plan's unfinished items that no open annual plan carries out this year."""
    from planner.reports.undecomposed import write_undecomposed

    with ctx.transaction() as db:
        sys.stdout.write(write_undecomposed(db, today=ctx.today, fmt=args.format,
                                            lang=ctx.lang))
    return 0


def _office_output(fmt: str, output: str | None) -> None:
    """Refuse an office format without -o, and PDF without LibreOffice, before any work."""
    if fmt in OFFICE_FORMATS and not output:
        raise PlannerError("cli_format_needs_output", fmt=fmt)
    if fmt == "pdf":
        from planner.reports.officedoc import libreoffice

        if libreoffice() is None:
            raise PlannerError("office_no_libreoffice")


def _office_fonts(fmt: str) -> "Fonts | None":
    """The office fonts (from the environment) for docx and pdf; None for the text formats,
    which do not load the document layer."""
    if fmt not in OFFICE_FORMATS:
        return None
    from planner.reports.officedoc import Fonts

    return Fonts.from_environment(os.environ)


def cmd_report_bulletin(ctx: Context, args: argparse.Namespace) -> int:
    """Write the period's 督查通报 in txt, md, html, docx or pdf."""
    from planner.core.dates import parse_due
    from planner.reports.bulletin import build_bulletin, issued_number, write_bulletin
    from planner.reports.document import check_folder
    from planner.reports.officedoc import Fonts
    from planner.services.assessment_rules import DEFAULT_RULES, load_rules

    fmt = report_format(args, BULLETIN_FORMATS)
    _office_output(fmt, args.output)
    if args.output:
        check_folder(Path(args.output))
    end = parse_due(args.end, today=ctx.today) if args.end else ctx.today
    start = parse_start(args.start, today=ctx.today) if args.start else date(end.year, 1, 1)
    issued = parse_start(args.date, today=ctx.today) if args.date else ctx.today
    number = args.number.strip() if args.number else ""
    prefix = args.prefix.strip()
    office = (args.office or os.environ.get("PLANNER_OFFICE", "")).strip() \
        or label("bulletin_default_office", ctx.lang)
    rules = load_rules(Path(args.rules) if args.rules else None)
    with ctx.transaction() as db:
        bulletin = build_bulletin(
            db, start=start, end=end, today=ctx.today, rules=rules,
            rules_name=Path(args.rules).name if args.rules else DEFAULT_RULES, lang=ctx.lang,
            office=office,
            number=issued_number(prefix, issued.year, number) if number else None,
            day=issued, addressee=(args.addressee or "").strip() or None)
    content = write_bulletin(bulletin, fmt=fmt, lang=ctx.lang,
                             output=Path(args.output) if args.output else None,
                             fonts=Fonts.from_environment(os.environ))
    if args.output:
        ctx.say("bulletin_written", path=args.output)
    else:
        sys.stdout.write(content or "")
    return 0
