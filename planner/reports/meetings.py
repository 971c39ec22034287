"""The meetings as both front ends list them: one list in one order (newest first), one
meeting's detail, and one rule for which meeting to show when none is named."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from planner.services.meetings import agenda_items, decisions_of, get_meeting, upcoming_meeting
from planner.store.models import Meeting


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting as listed (`planner meeting list`, the meetings screen)."""

    id: int
    on: date
    title: str
    kind: str
    status: str
    length_minutes: int


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One saved agenda entry; `number` is its 1-based place among all entries (the number
    `planner agenda --exclude N` and the meetings screen use)."""

    number: int
    section: str
    title: str
    detail: str
    presenter: str | None
    units: tuple[str, ...]
    task_codes: tuple[str, ...]
    minutes: int
    fixed_minutes: bool
    included: bool


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A recorded decision and the codes of the action items it created."""

    text: str
    about_code: str | None
    action_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeetingDetail:
    """A meeting with its agenda and decisions."""

    meeting: MeetingRow
    agenda: tuple[AgendaRow, ...]
    decisions: tuple[DecisionRow, ...]


def meeting_rows(*, session: Session) -> list[MeetingRow]:
    """Every meeting, newest first (by date, then the later-created first on one day)."""
    meetings = session.exec(select(Meeting).order_by(col(Meeting.on).desc(),
                                                     col(Meeting.id).desc())).all()
    return [_row(meeting) for meeting in meetings]


def meeting_to_show(rows: list[MeetingRow], *, today: date, keep: int | None,
                    session: Session) -> int | None:
    """The meeting to show when the user named none: `keep` while it is listed, else the
    next planned meeting (services.meetings.upcoming_meeting, the default of `planner
    agenda`), else the newest; None when there is no meeting."""
    if keep is not None and any(row.id == keep for row in rows):
        return keep
    upcoming = upcoming_meeting(today, session=session)
    if upcoming is not None:
        return upcoming.id
    return rows[0].id if rows else None


def meeting_detail(meeting_id: int, *, session: Session) -> MeetingDetail:
    """One meeting with its saved agenda (numbered) and its decisions with their actions."""
    meeting = get_meeting(meeting_id, session=session)
    agenda = tuple(
        AgendaRow(number, item.section, item.title, item.detail or "", item.presenter,
                  item.unit_ids, item.codes, item.minutes, item.fixed_minutes, item.included)
        for number, item in enumerate(agenda_items(meeting_id, session=session), start=1))
    decisions = tuple(DecisionRow(decision.text, decision.about_code,
                                  tuple(task.code for task in actions))
                      for decision, actions in decisions_of(meeting_id, session=session))
    return MeetingDetail(_row(meeting), agenda, decisions)


def _row(meeting: Meeting) -> MeetingRow:
    return MeetingRow(meeting.id or 0, meeting.on, meeting.title, meeting.kind, meeting.status,
                      meeting.length_minutes)
