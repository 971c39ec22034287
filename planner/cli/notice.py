"""`planner notice`: issue 督办通知单 or 催办通知单, a page per unit, as .docx or .pdf."""

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from planner.cli.arguments import OFFICE_FORMATS, Commands, add_command, split_list
from planner.cli.context import Context
from planner.core.errors import PlannerError
from planner.i18n import label

#: Settings read from the environment when the option is not given.
OFFICE_ENV = "PLANNER_OFFICE"
CONTACT_ENV = "PLANNER_NOTICE_CONTACT"


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `notice`."""
    sub = add_command(commands, common, "notice", cmd_notice, label("cli_help_notice", lang))
    sub.add_argument("--unit", action="append", default=[],
                     help="unit id (repeatable, or U1,U2); all: every unit with items due")
    sub.add_argument("--kind", default="supervise", help=label("cli_help_notice_kind", lang))
    sub.add_argument("--items", action="append", default=[],
                     help="item codes (C1,C2; default: the unit's open items overdue, "
                     "lagging or due soon)")
    sub.add_argument("--format", choices=OFFICE_FORMATS,
                     help="docx (default) or pdf; else from the -o file's extension")
    sub.add_argument("-o", "--output",
                     help="the file to write (default: named by the numbers, in this folder)")
    sub.add_argument("--feedback-days", type=int, default=None,
                     help="working days the units have to answer (default 5)")
    sub.add_argument("--feedback-form", help="the form of the answer (default: a written "
                     "report with the unit's seal)")
    sub.add_argument("--contact", help=f"the contact line (default: env {CONTACT_ENV})")
    sub.add_argument("--office", help=f"the issuing office (default: env {OFFICE_ENV})")
    sub.add_argument("--dry-run", action="store_true",
                     help="show what would be issued; take no number, write nothing")


def _format(args: argparse.Namespace) -> str:
    """--format, else the -o file's extension when it is docx or pdf, else docx."""
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lstrip(".").lower() if args.output else ""
    if suffix and suffix not in OFFICE_FORMATS:
        raise PlannerError("cli_notice_formats", suffix=suffix)
    return suffix or "docx"


def cmd_notice(ctx: Context, args: argparse.Namespace) -> int:
    """Issue the notices (or show them, --dry-run) and say their numbers and file."""
    from planner.core.notice import DEFAULT_FEEDBACK_DAYS, parse_kind
    from planner.reports.notice import (
        NoticeOptions,
        issue_notice_file,
        preview_notices,
    )
    fmt = _format(args)
    options = NoticeOptions(
        kind=parse_kind(args.kind), units=split_list(args.unit, "--unit"),
        codes=split_list(args.items, "--items"),
        feedback_days=DEFAULT_FEEDBACK_DAYS if args.feedback_days is None
        else args.feedback_days,
        feedback_form=args.feedback_form or None,
        contact=args.contact or os.environ.get(CONTACT_ENV, "").strip() or None,
        office=args.office or os.environ.get(OFFICE_ENV, "").strip() or None)
    if args.dry_run:
        with ctx.transaction() as db:
            sys.stdout.write(preview_notices(db, options, today=ctx.today, lang=ctx.lang))
        return 0
    from planner.reports.officedoc import Fonts, libreoffice  # python-docx: only to write

    if fmt == "pdf" and libreoffice() is None:
        raise PlannerError("office_no_libreoffice")
    options = replace(options, fonts=Fonts.from_environment(os.environ))
    outcome = issue_notice_file(lambda: ctx.transaction(write=True), options, today=ctx.today,
                                at=ctx.now, by_user=ctx.user, fmt=fmt,
                                output=Path(args.output) if args.output else None,
                                folder=Path.cwd(), lang=ctx.lang)
    ctx.say("cli_notice_written", n=len(outcome.notices),
            numbers=[notice.number for notice in outcome.notices], path=outcome.path)
    return 0
