"""A meeting's papers — 会议通知 (notice), 议程 (agenda) and 会议纪要 (minutes) — as header
lines and sections for the text layouts, and as official documents (GB/T 9704, through
reports/officedoc.py) for .docx and PDF.

The minutes end, as GB/T 9704's 纪要 does, with the 出席, 列席 and 请假 lines: the label in
黑体, then the units in 仿宋."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from planner.core.dates import clock_text
from planner.core.textwidth import cell_width
from planner.i18n import LABELS, label, list_separator
from planner.reports.sections import Cell, Section
from planner.services.meetings import agenda_items, decisions_of, get_meeting
from planner.store.models import ATTENDANCE_ROLES, Meeting, MeetingUnit
from planner.store.queries import load_units, task_units

if TYPE_CHECKING:
    from planner.reports.officedoc import Fonts, OfficeDocument


def _named(prefix: str, value: str, lang: str) -> str:
    """The catalogue's name for a section or meeting kind (`prefix` + `value`), else `value`."""
    key = prefix + value
    return label(key, lang) if key in LABELS else value


@dataclass(frozen=True, slots=True)
class Attendance:
    """The names of a meeting's units by attendance role (models.ATTENDANCE_ROLES), each in
    the units' file order."""

    by_role: dict[str, list[str]]

    @property
    def present(self) -> list[str]:
        """The units at the meeting: attending, then sitting in."""
        return [*self.by_role["attend"], *self.by_role["sit-in"]]


def attendance(meeting_id: int, *, session: Session) -> Attendance:
    """Who attends (出席), sits in (列席) and is excused (请假)."""
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    role_of = dict(session.exec(select(MeetingUnit.unit_id, MeetingUnit.role).where(
        MeetingUnit.meeting_id == meeting_id)).all())
    by_role: dict[str, list[str]] = {role: [] for role in ATTENDANCE_ROLES}
    for unit_id in [*names, *sorted(set(role_of) - set(names))]:
        if unit_id in role_of:
            by_role.setdefault(role_of[unit_id], []).append(names.get(unit_id, unit_id))
    return Attendance(by_role)


def attendance_lines(present: Attendance, lang: str) -> list[tuple[str, str]]:
    """(label, units) of the 出席, 列席 and 请假 lines: 出席 always, the others when any."""
    return [(label(f"print_role_{role}", lang), list_separator(lang).join(units) or "—")
            for role, units in present.by_role.items()
            if role in ATTENDANCE_ROLES and (units or role == "attend")]


def minutes_title(title: str, lang: str) -> str:
    """The 纪要's title: 第一次联席会议 → 第一次联席会议纪要, 季度调度 → 季度调度会议纪要."""
    if lang != "en" and not title.endswith(("会", "会议")):
        return label("print_minutes_title_meeting", lang, title=title)
    return label("print_minutes_title", lang, title=title)


def _meeting_line(meeting: Meeting, lang: str) -> list[str]:
    """Date, kind and length, and the place when it is known."""
    lines = [label("print_meeting_line", lang, on=meeting.on,
                   kind=_named("print_kind_", meeting.kind, lang),
                   minutes=meeting.length_minutes)]
    if meeting.place:
        lines.append(label("print_place", lang, place=meeting.place))
    return lines


def meeting_header(meeting_id: int, *, session: Session, lang: str,
                   what: str | None) -> list[str]:
    """Title block of an agenda or minutes (`what`: the catalogue key naming which): the
    minutes' title ends in 纪要, and their attendance comes as their last section
    (`attendance_section`) instead of the units line."""
    meeting = get_meeting(meeting_id, session=session)
    if what == "print_minutes":
        return [minutes_title(meeting.title, lang), *_meeting_line(meeting, lang)]
    present = attendance(meeting_id, session=session).present
    return [
        f"{meeting.title} {label(what, lang) if what else ''}".rstrip(),
        *_meeting_line(meeting, lang),
        label("print_attending", lang, n=len(present), units=present),
    ]


def attendance_section(meeting_id: int, *, session: Session, lang: str) -> Section:
    """The minutes' 出席, 列席 and 请假 lines as a section of the text layouts."""
    return Section("attendance", label("print_attendance", lang), paragraphs=[
        text + units for text, units in attendance_lines(
            attendance(meeting_id, session=session), lang)])


def agenda_sections(meeting_id: int, *, session: Session, lang: str) -> list[Section]:
    """The agenda table — every entry under the number the edit options use, excluded ones
    marked ✗ — then one section with the included entries' details."""
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    items = agenda_items(meeting_id, session=session)
    table = Section("agenda", label("print_agenda_title", lang), columns=[
        label(key, lang) for key in ("print_col_no", "print_col_section", "print_col_topic",
                                     "print_col_presenter", "print_col_units",
                                     "print_col_items", "print_col_minutes")],
        empty=label("print_no_entries", lang))
    details = Section("details", label("print_details", lang))
    for number, item in enumerate(items, start=1):
        table.rows.append([
            Cell(str(number) if item.included else f"✗{number}", numeric=True),
            Cell(_named("print_section_", item.section, lang)),
            Cell(item.title), Cell(names.get(item.presenter or "", item.presenter or "")),
            Cell(list_separator(lang).join(names.get(u, u) for u in item.unit_ids)),
            Cell(list_separator(lang).join(item.codes)),
            Cell(str(item.minutes) if item.included else "—", numeric=True)])
        if item.included and item.detail:
            details.paragraphs += [f"{number}. {item.title}", *item.detail.splitlines()]
    total = sum(i.minutes for i in items if i.included)
    excluded = sum(1 for i in items if not i.included)
    summary = label("print_total", lang, n=total)
    if excluded:
        summary += label("print_excluded", lang, k=excluded)
    table.paragraphs.append(summary)
    return [table, details] if details.paragraphs else [table]


def minutes_sections(meeting_id: int, *, session: Session, lang: str) -> list[Section]:
    """The decisions and the action items they created (code, title, lead, due)."""
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    section = Section("decisions", label("print_decisions", lang),
                      columns=[label(key, lang) for key in ("print_col_no", "print_col_decision",
                                                            "print_col_about",
                                                            "print_col_actions")],
                      empty=label("print_no_decisions", lang))
    for number, (decision, actions) in enumerate(decisions_of(meeting_id, session=session),
                                                 start=1):
        lines = []
        for task in actions:
            lead, _ = task_units(task.id or 0, session=session)
            lines.append(label("print_action", lang, code=task.code, title=task.title,
                               lead=names.get(lead or "", lead or ""), due=task.due))
        section.rows.append([Cell(str(number), numeric=True), Cell(decision.text),
                             Cell(decision.about_code or ""),
                             Cell(label("print_action_separator", lang).join(lines))])
    return [section]


PARTS: dict[str, str | None] = {"agenda": "print_agenda", "minutes": "print_minutes", "all": None}
"""The catalogue key naming each part in the title (both parts: none)."""


def meeting_document(meeting_id: int, *, session: Session, lang: str,
                     part: str) -> tuple[list[str], list[Section]]:
    """Header and sections of a meeting's agenda, minutes, or both ("all")."""
    header = meeting_header(meeting_id, session=session, lang=lang, what=PARTS[part])
    sections: list[Section] = []
    if part in ("agenda", "all"):
        sections += agenda_sections(meeting_id, session=session, lang=lang)
    if part in ("minutes", "all"):
        sections += minutes_sections(meeting_id, session=session, lang=lang)
    if part == "minutes":
        sections.append(attendance_section(meeting_id, session=session, lang=lang))
    return header, sections


def meeting_office(meeting_id: int, *, session: Session, lang: str, part: str,
                   fonts: "Fonts | None" = None) -> "OfficeDocument":
    """The agenda or minutes as an official document: the same header and sections; the
    minutes' attendance as GB/T 9704's 纪要 lines after a blank line — 出席：/列席：/请假：
    in 黑体 (the first-level heading's font) indented two characters, the units in 仿宋, a
    long list wrapping under its first unit, not under the label."""
    from planner.reports.document import office_document
    from planner.reports.officedoc import Span

    header, sections = meeting_document(meeting_id, session=session, lang=lang, part=part)
    if part != "minutes":
        return office_document(header, sections, fonts)
    doc = office_document(header, [s for s in sections if s.key != "attendance"], fonts)
    doc.blank_line()
    for text, units in attendance_lines(attendance(meeting_id, session=session), lang):
        doc.paragraph([Span(text, role="heading1"), Span(units)], hang=cell_width(text) / 2)
    return doc


# --- 会议通知 -----------------------------------------------------------------------------


@dataclass(slots=True)
class MeetingNotice:
    """What a 会议通知 says: title, addressees, the opening sentence, then its parts (time,
    place, units, agenda, requirements) each as a heading and its lines, and the date."""

    title: str
    to: str
    opening: str
    parts: list[tuple[str, list[str]]]
    issued: date


def _weekday(day: date, lang: str) -> str:
    return label(f"weekday_{day.weekday()}", lang)


def _when(meeting: Meeting, day: str, lang: str) -> str:
    """The notice's 会议时间: date, weekday, start time when set, length."""
    weekday = _weekday(meeting.on, lang)
    if meeting.start_time is None:
        return label("notice_time_text", lang, day=day, weekday=weekday,
                     minutes=meeting.length_minutes)
    return label("notice_time_clock_text", lang, day=day, weekday=weekday,
                 clock=clock_text(meeting.start_time, lang), minutes=meeting.length_minutes)


def build_notice(meeting_id: int, *, session: Session, lang: str, today: date) -> MeetingNotice:
    """The notice of a meeting: when (date, weekday, length), where (or to be announced),
    who (出席 and 列席 units; excused units are not summoned), the included agenda entries in
    order (or to follow), and what is asked of the units; dated `today`."""
    from planner.reports.officedoc import chinese_date

    meeting = get_meeting(meeting_id, session=session)
    day = meeting.on.isoformat() if lang == "en" else chinese_date(meeting.on)
    present = attendance(meeting_id, session=session)
    units = [text + names for text, names in attendance_lines(present, lang)
             if text != label("print_role_absent", lang)]
    entries = [item.title for item in agenda_items(meeting_id, session=session) if item.included]
    agenda = ([f"{number}. {title}" for number, title in enumerate(entries, start=1)]
              or [label("notice_agenda_unset", lang)])
    return MeetingNotice(
        title=label("notice_title", lang, title=meeting.title),
        to=label("notice_to", lang),
        opening=label("notice_opening", lang, day=day, title=meeting.title),
        parts=[
            (label("notice_time", lang), [_when(meeting, day, lang)]),
            (label("notice_place", lang), [meeting.place or label("notice_place_unset", lang)]),
            (label("notice_units", lang), units),
            (label("notice_agenda", lang), agenda),
            (label("notice_requirements", lang), [label("notice_requirement", lang)]),
        ],
        issued=today)


def notice_sections(notice: MeetingNotice, lang: str) -> tuple[list[str], list[Section]]:
    """The notice for the text layouts: title, addressees and opening as the header, one
    numbered section per part, the date last."""
    from planner.reports.officedoc import chinese_date, heading_number

    sections = [Section(f"part-{index}", (f"{index}. " if lang == "en"
                                          else heading_number(1, index)) + heading,
                        paragraphs=list(lines))
                for index, (heading, lines) in enumerate(notice.parts, start=1)]
    sections[-1].notes.append(notice.issued.isoformat() if lang == "en"
                              else chinese_date(notice.issued))
    return [notice.title, notice.to, notice.opening], sections


def notice_office(notice: MeetingNotice, fonts: "Fonts | None" = None) -> "OfficeDocument":
    """The notice in the official layout: title, 主送 flush left, the opening, the parts as
    一、 headings (黑体) with their lines, and the 成文日期 at the right."""
    from planner.reports.officedoc import OfficeDocument

    doc = OfficeDocument(fonts)
    doc.title(notice.title)
    doc.paragraph(notice.to, indent=False)
    doc.paragraph(notice.opening)
    for heading, lines in notice.parts:
        doc.heading(1, heading)
        for line in lines:
            doc.paragraph(line)
    doc.signature(None, notice.issued)
    return doc
