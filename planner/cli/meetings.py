"""Joint meetings: `meeting new|list|show|held|decide|minutes|attendance|notice` and
`agenda`."""

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.arguments import (
    REPORT_FORMATS,
    Commands,
    add_command,
    add_group,
    report_format,
    split_list,
)
from planner.cli.context import Context
from planner.core.dates import parse_start
from planner.core.errors import PlannerError
from planner.i18n import LABELS, label

if TYPE_CHECKING:
    from sqlmodel import Session

    from planner.reports.officedoc import Fonts, OfficeDocument
    from planner.reports.sections import Section

MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL (bigint) can store
MEETING_HELP = "meeting id (default: next planned)"


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `meeting` with its actions, and `agenda`."""
    meeting = add_group(commands, common, "meeting", label("cli_help_meeting", lang),
                        dest="meeting_action")
    sub = add_command(meeting, common, "new", cmd_meeting_new, label("cli_help_meeting_new", lang))
    sub.add_argument("--date", required=True)
    sub.add_argument("--title", required=True)
    sub.add_argument("--kind", choices=("joint", "office"), default="joint")
    sub.add_argument("--minutes", type=int, default=120, help="meeting length (default 120)")
    sub.add_argument("--units", help="attending unit ids, comma-separated "
                                     "(default: all but those sitting in or excused)")
    _attendance_options(sub)
    add_command(meeting, common, "list", cmd_meeting_list, "list meetings")
    add_command(meeting, common, "show", cmd_meeting_show,
                "a meeting with agenda and decisions").add_argument(
        "meeting", nargs="?", help=MEETING_HELP)
    add_command(meeting, common, "held", cmd_meeting_held, "mark as held").add_argument(
        "meeting", nargs="?", help=MEETING_HELP)
    _register_decide(meeting, common, lang)
    sub = add_command(meeting, common, "minutes", cmd_meeting_minutes,
                      label("cli_help_meeting_minutes", lang))
    sub.add_argument("meeting", nargs="?", help=MEETING_HELP)
    sub.add_argument("--format", choices=("txt", "md", "html", "docx", "pdf"))
    sub.add_argument("-o", "--output")
    sub = add_command(meeting, common, "attendance", cmd_meeting_attendance,
                      label("cli_help_meeting_attendance", lang))
    sub.add_argument("meeting", help="meeting id")
    sub.add_argument("--attend", help="unit ids attending, comma-separated")
    _attendance_options(sub)
    sub = add_command(meeting, common, "notice", cmd_meeting_notice,
                      label("cli_help_meeting_notice", lang))
    sub.add_argument("meeting", nargs="?", help=MEETING_HELP)
    sub.add_argument("--format", choices=("txt", "md", "html", "docx", "pdf"))
    sub.add_argument("-o", "--output")
    _register_agenda(commands, common, lang)


def _attendance_options(sub: argparse.ArgumentParser) -> None:
    """--place, --time, --sit-in and --absent, shared by `meeting new` and `meeting
    attendance`."""
    sub.add_argument("--place", help="where the meeting is held")
    sub.add_argument("--time", dest="start_time", help="when it starts, e.g. 9:30 or 14:30")
    sub.add_argument("--sit-in", dest="sit_in",
                     help="unit ids sitting in, comma-separated")
    sub.add_argument("--absent", help="unit ids excused (absent), comma-separated")


def _register_decide(meeting: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `meeting decide`: a decision with its action items."""
    sub = add_command(meeting, common, "decide", cmd_meeting_decide,
                      label("cli_help_decide", lang))
    sub.add_argument("meeting", help="meeting id")
    sub.add_argument("--text", required=True, help="the decision")
    sub.add_argument("--about", help="the item code the decision is about")
    sub.add_argument("--item", type=int, help="the agenda entry number it answers")
    sub.add_argument("--action", action="append", help="an action item title (repeatable)")
    sub.add_argument("--lead", action="append", help="lead unit of the preceding --action")
    sub.add_argument("--due", action="append", help="due date of the preceding --action")
    sub.add_argument("--support", action="append", help="supporting units U1,U2 of it")


def _register_agenda(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `agenda`: propose, edit and print a meeting's agenda."""
    sub = add_command(commands, common, "agenda", cmd_agenda,
                      label("cli_help_agenda", lang))
    sub.add_argument("meeting", nargs="?", help=MEETING_HELP)
    sub.add_argument("--format", choices=("txt", "md", "html", "docx", "pdf"))
    sub.add_argument("-o", "--output")
    sub.add_argument("--refresh", action="store_true",
                     help="propose again (keeps added entries and exclusions)")
    sub.add_argument("--exclude", action="append", help="leave out entry N (or N,M,…)")
    sub.add_argument("--include", action="append", help="put entry N (or N,M,…) back")
    sub.add_argument("--move", type=int, help="move entry N ...")
    sub.add_argument("--to", type=int, help="... to position M")
    sub.add_argument("--add", help="add a free-text entry")
    sub.add_argument("--minutes", type=int, help="fixed minutes for the added entry")
    sub.add_argument("--presenter", help="presenting unit of the added entry")


def _meeting_id(ctx: Context, value: str | None, session: "Session") -> int:
    """A meeting id from the command line, or the next planned meeting."""
    from planner.services.meetings import get_meeting, next_planned_meeting

    if value is None:
        return next_planned_meeting(ctx.today, session=session).id or 0
    if not (value.isascii() and value.isdigit()):
        raise PlannerError("cli_meeting_id_number", value=value)
    if int(value) > MAX_ID:  # no database holds it, and SQLite cannot even compare it
        raise PlannerError("cli_no_meeting", value=value, where=f"meeting {value}")
    return get_meeting(int(value), session=session).id or 0


OfficeLayout = Callable[["Fonts"], "OfficeDocument"]
"""A paper's own official layout, given the fonts (else: the header and sections laid out
by reports/document.office_document)."""


def _print_document(ctx: Context, args: argparse.Namespace, header: list[str],
                    sections: list["Section"], office: OfficeLayout | None = None) -> None:
    """Lay out header and sections as txt, md or html (to -o FILE or standard output), or as
    docx or pdf in the official layout (to -o FILE)."""
    from planner.reports.document import (
        OFFICE_FORMATS,
        TEXT_FORMATS,
        render_document,
        write_office_document,
        write_text_file,
    )

    fmt = report_format(args, (*REPORT_FORMATS, *OFFICE_FORMATS))  # -o x.xlsx: refused
    if fmt not in (*TEXT_FORMATS, *OFFICE_FORMATS):
        raise PlannerError("cli_document_formats")
    if fmt in OFFICE_FORMATS:
        from planner.reports.officedoc import Fonts, libreoffice

        if not args.output:
            raise PlannerError("cli_format_needs_output", fmt=fmt)
        if fmt == "pdf" and libreoffice() is None:
            raise PlannerError("office_no_libreoffice")
        fonts = Fonts.from_environment(os.environ)
        if office is not None:
            from planner.reports.officedoc import write_office

            write_office(office(fonts), Path(args.output), fmt)
        else:
            write_office_document(header, sections, fmt=fmt, path=Path(args.output),
                                  fonts=fonts)
        ctx.say("cli_written", file=args.output)
        return
    content = render_document(header, sections, fmt=fmt, lang=ctx.lang)
    if args.output:
        write_text_file(Path(args.output), content)
        ctx.say("cli_written", file=args.output)
    else:
        sys.stdout.write(content)


def cmd_meeting_new(ctx: Context, args: argparse.Namespace) -> int:
    """Plan a meeting."""
    from planner.services.meetings import create_meeting

    on = parse_start(args.date, today=ctx.today)
    units = list(split_list(args.units, "--units")) or None
    with ctx.session(write=True) as session:
        meeting_id = create_meeting(session=session, on=on, title=args.title, today=ctx.today,
                                    at=ctx.now, kind=args.kind, length_minutes=args.minutes,
                                    attendees=units, by_user=ctx.user, place=args.place,
                                    start_time=args.start_time,
                                    sit_in=list(split_list(args.sit_in, "--sit-in")),
                                    absent=list(split_list(args.absent, "--absent")))
    ctx.say("meeting_created", id=meeting_id, on=on, title=args.title)
    return 0


def _known_label(key: str, value: str, lang: str) -> str:
    """The catalogue label `key`, or `value` itself when the catalogue has no such key."""
    return label(key, lang) if key in LABELS else value


def cmd_meeting_list(ctx: Context, args: argparse.Namespace) -> int:
    """List meetings, newest first (the order of the TUI's meetings screen)."""
    from planner.core.text import terminal_text
    from planner.core.textwidth import fit
    from planner.reports.meetings import meeting_rows

    with ctx.session() as session:
        rows = meeting_rows(session=session)
    for row in rows:
        state = _known_label(f"meeting_{row.status}", row.status, ctx.lang)
        kind = _known_label(f"kind_{row.kind}", row.kind, ctx.lang)
        print(f"{row.id:>4}  {row.on}  {fit(state, 8)}  {fit(kind, 8)}  "
              f"{terminal_text(row.title)}")
    return 0


def cmd_meeting_show(ctx: Context, args: argparse.Namespace) -> int:
    """A meeting: its header, saved agenda and decisions."""
    from planner.reports.document import render_document
    from planner.reports.meeting_print import meeting_document

    with ctx.session() as session:
        header, sections = meeting_document(_meeting_id(ctx, args.meeting, session),
                                            session=session, lang=ctx.lang, part="all")
    sys.stdout.write(render_document(header, sections, fmt="txt", lang=ctx.lang))
    return 0


def cmd_meeting_held(ctx: Context, args: argparse.Namespace) -> int:
    """Mark a meeting as held."""
    from planner.services.meetings import mark_held

    with ctx.session(write=True) as session:
        mark_held(session=session, meeting_id=_meeting_id(ctx, args.meeting, session),
                  by_user=ctx.user)
    ctx.say("cli_marked_held")
    return 0


def cmd_meeting_decide(ctx: Context, args: argparse.Namespace) -> int:
    """Record a decision with its action items (each becomes a tracked item)."""
    from planner.core.dates import parse_due
    from planner.services.meetings import ActionSpec, record_decision

    titles, leads, dues, supports = (args.action or [], args.lead or [], args.due or [],
                                     args.support or [])
    if len(leads) > len(titles) or len(dues) > len(titles) or len(supports) > len(titles):
        raise PlannerError("cli_actions_follow")
    actions = []
    for index, title in enumerate(titles):
        due = parse_due(dues[index], today=ctx.today) if index < len(dues) else None
        support = split_list(supports[index], "--support") if index < len(supports) else ()
        actions.append(ActionSpec(title, leads[index] if index < len(leads) else None, due,
                                  support))
    with ctx.session(write=True) as session:
        result = record_decision(session=session, meeting_id=_meeting_id(ctx, args.meeting,
                                                                          session),
                                 text=args.text, at=ctx.now, about_code=args.about,
                                 agenda_number=args.item, actions=actions, by_user=ctx.user)
    ctx.say("cli_decision_recorded", id=result.decision_id,
            codes=list(result.action_codes) or "—")
    return 0


def cmd_meeting_minutes(ctx: Context, args: argparse.Namespace) -> int:
    """Print a meeting's minutes (纪要): decisions and action items, then who attended, sat
    in and was excused."""
    from planner.reports.meeting_print import meeting_document, meeting_office

    with ctx.session() as session:
        meeting_id = _meeting_id(ctx, args.meeting, session)
        header, sections = meeting_document(meeting_id, session=session, lang=ctx.lang,
                                            part="minutes")
        _print_document(ctx, args, header, sections, lambda fonts: meeting_office(
            meeting_id, session=session, lang=ctx.lang, part="minutes", fonts=fonts))
    return 0


def cmd_meeting_attendance(ctx: Context, args: argparse.Namespace) -> int:
    """Set a meeting's place and who attends (出席), sits in (列席) or is excused (请假)."""
    from planner.services.meetings import attendance_roles, set_attendance

    roles = attendance_roles(attend=list(split_list(args.attend, "--attend")),
                             sit_in=list(split_list(args.sit_in, "--sit-in")),
                             absent=list(split_list(args.absent, "--absent")))
    if not roles and args.place is None and args.start_time is None:
        raise PlannerError("cli_attendance_nothing")
    with ctx.session(write=True) as session:
        set_attendance(session=session, meeting_id=_meeting_id(ctx, args.meeting, session),
                       roles=roles, place=args.place, by_user=ctx.user,
                       start_time=args.start_time)
    ctx.say("cli_attendance_set")
    return 0


def cmd_meeting_notice(ctx: Context, args: argparse.Namespace) -> int:
    """Print a meeting's notice (会议通知): time, place, units, agenda, requirements."""
    from planner.reports.meeting_print import build_notice, notice_office, notice_sections

    with ctx.session() as session:
        notice = build_notice(_meeting_id(ctx, args.meeting, session), session=session,
                              lang=ctx.lang, today=ctx.today)
    header, sections = notice_sections(notice, ctx.lang)
    _print_document(ctx, args, header, sections, lambda fonts: notice_office(notice, fonts))
    return 0


def cmd_agenda(ctx: Context, args: argparse.Namespace) -> int:
    """Propose (first time or --refresh), edit and print a meeting's agenda."""
    from planner.reports.meeting_print import meeting_document
    from planner.services import meetings

    if (args.move is None) != (args.to is None):
        raise PlannerError("cli_move_to")
    changes = [(number, False) for number in split_list(args.exclude, "--exclude", int)] + \
        [(number, True) for number in split_list(args.include, "--include", int)]
    with ctx.session(write=True) as session:
        meeting_id = _meeting_id(ctx, args.meeting, session)
        meetings.build_agenda(session=session, meeting_id=meeting_id, today=ctx.today,
                              lang=ctx.lang, refresh=args.refresh, by_user=ctx.user)
        for number, included in changes:
            meetings.set_included(session=session, meeting_id=meeting_id, number=number,
                                  included=included, by_user=ctx.user)
        if args.move is not None:
            meetings.move_entry(session=session, meeting_id=meeting_id, number=args.move,
                                to=args.to, by_user=ctx.user)
        if args.add:
            meetings.add_entry(session=session, meeting_id=meeting_id, title=args.add,
                               minutes=args.minutes, presenter=args.presenter,
                               by_user=ctx.user)
        header, sections = meeting_document(meeting_id, session=session, lang=ctx.lang,
                                            part="agenda")
    _print_document(ctx, args, header, sections)
    return 0
