"""Agenda and minutes of a meeting as sections, laid out like the weekly report."""

from sqlmodel import Session, select

from planner.i18n import LABELS, label, list_separator
from planner.reports.sections import Cell, Section
from planner.services.meetings import agenda_items, decisions_of, get_meeting
from planner.store.models import MeetingUnit
from planner.store.queries import load_units, task_units


def _named(prefix: str, value: str, lang: str) -> str:
    """The catalogue's name for a section or meeting kind (`prefix` + `value`), else `value`."""
    key = prefix + value
    return label(key, lang) if key in LABELS else value


def meeting_header(meeting_id: int, *, session: Session, lang: str,
                   what: str | None) -> list[str]:
    """Title block of an agenda or minutes (`what`: the catalogue key naming which)."""
    meeting = get_meeting(meeting_id, session=session)
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    attending = set(session.exec(select(MeetingUnit.unit_id).where(
        MeetingUnit.meeting_id == meeting_id)).all())
    attendees = [unit for unit in names if unit in attending]
    return [
        f"{meeting.title} {label(what, lang) if what else ''}".rstrip(),
        label("print_meeting_line", lang, on=meeting.on,
              kind=_named("print_kind_", meeting.kind, lang), minutes=meeting.length_minutes),
        label("print_attending", lang, n=len(attendees),
              units=[names.get(u, u) for u in attendees]),
    ]


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
    return header, sections
