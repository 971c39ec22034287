"""Meetings: create, build and edit the agenda, record decisions whose action items become
tracked items under the 会议交办事项 branch. Every function writes in the caller's transaction
and validates everything before writing anything; only coordinators (`by_user`) write."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from planner.core.agenda import SECTION_WEIGHTS, allocate_minutes
from planner.core.dates import parse_clock
from planner.core.errors import PlannerError
from planner.core.text import (
    DECISION,
    ENTRY_DETAIL,
    ENTRY_TITLE,
    MEETING_PLACE,
    MEETING_TITLE,
    TITLE,
    clean_optional,
    clean_text,
    text_language,
)
from planner.i18n import label
from planner.services import edits
from planner.services.access import require_editor
from planner.services.agenda import ProposedEntry, propose_agenda
from planner.services.changes import bump_revision
from planner.store.dbapi import Db, split_code
from planner.store.models import (
    ATTENDANCE_ROLES,
    AgendaItem,
    Decision,
    Meeting,
    MeetingUnit,
    Task,
    TaskUnit,
    Unit,
    encode_list,
)
from planner.store.queries import load_plan, session_plan

MEETING_KINDS = ("joint", "office")
BRANCH_CODE = "M"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """An action item decided at a meeting: it becomes a tracked item."""

    title: str
    lead: str | None
    due: date | None
    support: tuple[str, ...] = ()


@dataclass(slots=True)
class DecisionResult:
    """What recording a decision created."""

    decision_id: int
    action_codes: list[str] = field(default_factory=list)



def get_meeting(meeting_id: int, *, session: Session) -> Meeting:
    """The meeting, or a PlannerError naming its id."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise PlannerError("meeting_unknown", where=f"meeting {meeting_id}", id=meeting_id)
    return meeting


def upcoming_meeting(today: date, *, session: Session) -> Meeting | None:
    """The earliest planned meeting from today on (the first created on one day), if any."""
    return session.exec(select(Meeting).where(Meeting.status == "planned",
                                              Meeting.on >= today)
                        .order_by(col(Meeting.on), col(Meeting.id))).first()


def next_planned_meeting(today: date, *, session: Session) -> Meeting:
    """`upcoming_meeting`, which must exist (the default of `planner agenda`)."""
    meeting = upcoming_meeting(today, session=session)
    if meeting is None:
        raise PlannerError("meeting_none_planned")
    return meeting


def _known_units(unit_ids: list[str], *, session: Session) -> None:
    known = set(session.exec(select(Unit.id)).all())
    for unit_id in unit_ids:
        if unit_id not in known:
            raise PlannerError("record_unknown_unit", unit=unit_id)


def attendance_roles(*, attend: list[str] | None = None, sit_in: list[str] | None = None,
                     absent: list[str] | None = None) -> dict[str, str]:
    """Unit id → attendance role (models.ATTENDANCE_ROLES) from the three lists, in their
    order; a unit named in two of them is refused."""
    roles: dict[str, str] = {}
    for role, units in zip(ATTENDANCE_ROLES, (attend or [], sit_in or [], absent or []),
                           strict=True):
        for unit_id in units:
            if roles.get(unit_id, role) != role:
                raise PlannerError("meeting_unit_two_roles", unit=unit_id)
            roles[unit_id] = role
    return roles


def create_meeting(*, session: Session, on: date, title: str, today: date, at: datetime,
                   kind: str = "joint", length_minutes: int = 120,
                   attendees: list[str] | None = None, by_user: str | None = None,
                   place: str | None = None, sit_in: list[str] | None = None,
                   absent: list[str] | None = None, start_time: str | None = None) -> int:
    """A planned meeting; attendees (出席) default to every department and league/city;
    units in `sit_in` 列席 and those in `absent` 请假 (asked, excused); `start_time` as
    typed (9:30), kept as `HH:MM`."""
    require_editor(session, by_user)
    title = clean_text(title, MEETING_TITLE)
    place = clean_optional(place, MEETING_PLACE)
    clock = None if start_time is None else parse_clock(start_time)
    if not title:
        raise PlannerError("meeting_title_needed")
    if on < today:
        raise PlannerError("meeting_past", on=on, today=today)
    if kind not in MEETING_KINDS:
        raise PlannerError("meeting_kind_invalid", kinds=MEETING_KINDS)
    if not 15 <= length_minutes <= 600:
        raise PlannerError("meeting_length_range")
    others = attendance_roles(sit_in=sit_in, absent=absent)
    if attendees is None:
        attendees = [unit for unit in session.exec(
            select(Unit.id).where(Unit.kind != "external")
            .order_by(col(Unit.position), Unit.id)).all() if unit not in others]
    roles = attendance_roles(attend=attendees, sit_in=sit_in, absent=absent)
    _known_units(list(roles), session=session)
    meeting = Meeting(on=on, title=title, kind=kind, length_minutes=length_minutes,
                      created_at=at, place=place, start_time=clock)
    session.add(meeting)
    session.flush()
    for unit_id, role in roles.items():
        session.add(MeetingUnit(meeting_id=meeting.id or 0, unit_id=unit_id, role=role))
    bump_revision(session=session, plan_write=False)
    session.flush()
    return meeting.id or 0


def set_attendance(*, session: Session, meeting_id: int, roles: dict[str, str],
                   place: str | None = None, by_user: str | None = None,
                   start_time: str | None = None) -> None:
    """Set the place and start time (when given) and the attendance role of the units in
    `roles` (from `attendance_roles`), attaching those not asked yet; others keep theirs."""
    require_editor(session, by_user)
    meeting = get_meeting(meeting_id, session=session)
    cleaned = clean_optional(place, MEETING_PLACE)
    clock = None if start_time is None else parse_clock(start_time)
    _known_units(list(roles), session=session)
    if cleaned is not None:
        meeting.place = cleaned
    if clock is not None:
        meeting.start_time = clock
    session.add(meeting)
    for unit_id, role in roles.items():
        attached = session.get(MeetingUnit, (meeting_id, unit_id))
        if attached is None:
            session.add(MeetingUnit(meeting_id=meeting_id, unit_id=unit_id, role=role))
        else:
            attached.role = role
            session.add(attached)
    bump_revision(session=session, plan_write=False)
    session.flush()


def mark_held(*, session: Session, meeting_id: int, by_user: str | None = None) -> None:
    """The meeting took place."""
    require_editor(session, by_user)
    meeting = get_meeting(meeting_id, session=session)
    if meeting.status != "held":
        meeting.status = "held"
        session.add(meeting)
        bump_revision(session=session, plan_write=False)
        session.flush()


def agenda_items(meeting_id: int, *, session: Session) -> list[AgendaItem]:
    """The saved agenda in order."""
    return list(session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                             .order_by(col(AgendaItem.position), col(AgendaItem.id))).all())


def _entry_key(section: str, title: str, task_codes: str) -> tuple[str, str]:
    return section, task_codes or title


def build_agenda(*, session: Session, meeting_id: int, today: date, lang: str = "zh",
                 refresh: bool = False, by_user: str | None = None) -> list[AgendaItem]:
    """Save the proposal as the meeting's agenda (first time, or again with `refresh`).

    A refresh keeps hand-added entries, exclusions and fixed times of entries that are
    proposed again, and drops proposed entries that no longer apply.
    """
    meeting = get_meeting(meeting_id, session=session)
    saved = agenda_items(meeting_id, session=session)
    if saved and not refresh:
        return saved
    require_editor(session, by_user)
    if meeting.status == "held":
        raise PlannerError("meeting_held_no_agenda")
    proposal = propose_agenda(session=session, meeting=meeting, today=today, lang=lang)
    previous = {_entry_key(i.section, i.title, i.task_codes): i for i in saved}
    free = [i for i in saved if i.section == "free"]
    session.execute(delete(AgendaItem).where(col(AgendaItem.meeting_id) == meeting_id))
    for position, entry in enumerate(proposal):
        old = previous.get(_entry_key(entry.section, entry.title, encode_list(entry.task_codes)))
        session.add(_new_item(meeting_id, position, entry, old))
    for offset, item in enumerate(free, start=len(proposal)):
        session.add(AgendaItem(meeting_id=meeting_id, position=offset, section="free",
                               title=item.title, detail=item.detail, presenter=item.presenter,
                               units=item.units, minutes=item.minutes,
                               fixed_minutes=item.fixed_minutes, included=item.included))
    session.flush()
    return _reallocate(meeting, session=session)


def _new_item(meeting_id: int, position: int, entry: ProposedEntry,
              old: AgendaItem | None) -> AgendaItem:
    return AgendaItem(meeting_id=meeting_id, position=position, section=entry.section,
                      title=entry.title, detail=entry.detail, presenter=entry.presenter,
                      units=encode_list(entry.units), task_codes=encode_list(entry.task_codes),
                      minutes=old.minutes if old and old.fixed_minutes else 0,
                      fixed_minutes=bool(old and old.fixed_minutes),
                      included=old.included if old else True)


def _reallocate(meeting: Meeting, *, session: Session) -> list[AgendaItem]:
    """Share the meeting's length among included entries; renumber positions."""
    items = agenda_items(meeting.id or 0, session=session)
    included = [i for i in items if i.included]
    fixed_total = sum(i.minutes for i in included if i.fixed_minutes)
    if fixed_total > meeting.length_minutes:
        raise PlannerError("agenda_fixed_too_long", fixed=fixed_total,
                           length=meeting.length_minutes)
    minutes = allocate_minutes([SECTION_WEIGHTS.get(i.section, 1.0) for i in included],
                               meeting.length_minutes,
                               [i.minutes if i.fixed_minutes else None for i in included])
    for item, share in zip(included, minutes, strict=True):
        item.minutes = share
    for position, item in enumerate(items):
        item.position = position
        if not item.included:
            item.minutes = 0
        session.add(item)
    bump_revision(session=session, plan_write=False)
    session.flush()
    return items


def _item_at(meeting_id: int, number: int, *, session: Session) -> AgendaItem:
    items = agenda_items(meeting_id, session=session)
    if not items:
        raise PlannerError("agenda_missing")
    if not 1 <= number <= len(items):
        raise PlannerError("agenda_entry_range", last=len(items))
    return items[number - 1]


def _editable(meeting_id: int, *, session: Session) -> Meeting:
    meeting = get_meeting(meeting_id, session=session)
    if meeting.status == "held":
        raise PlannerError("meeting_held_agenda_final")
    return meeting


def set_included(*, session: Session, meeting_id: int, number: int, included: bool,
                 by_user: str | None = None) -> None:
    """Include or exclude agenda entry `number` (1-based)."""
    require_editor(session, by_user)
    meeting = _editable(meeting_id, session=session)
    item = _item_at(meeting_id, number, session=session)
    item.included = included
    session.add(item)
    session.flush()
    _reallocate(meeting, session=session)


def move_entry(*, session: Session, meeting_id: int, number: int, to: int,
               by_user: str | None = None) -> None:
    """Move entry `number` to position `to` (both 1-based)."""
    require_editor(session, by_user)
    meeting = _editable(meeting_id, session=session)
    item = _item_at(meeting_id, number, session=session)
    items = agenda_items(meeting_id, session=session)
    if not 1 <= to <= len(items):
        raise PlannerError("agenda_position_range", last=len(items))
    items.remove(item)
    items.insert(to - 1, item)
    for position, each in enumerate(items):
        each.position = position
        session.add(each)
    session.flush()
    _reallocate(meeting, session=session)


def add_entry(*, session: Session, meeting_id: int, title: str, minutes: int | None = None,
              presenter: str | None = None, detail: str | None = None,
              by_user: str | None = None) -> int:
    """Add a free-text entry at the end; returns its number."""
    require_editor(session, by_user)
    meeting = _editable(meeting_id, session=session)
    title = clean_text(title, ENTRY_TITLE)
    detail = clean_optional(detail, ENTRY_DETAIL)
    if not title:
        raise PlannerError("entry_title_needed")
    if presenter:
        _known_units([presenter], session=session)
    if minutes is not None and not 1 <= minutes <= meeting.length_minutes:
        raise PlannerError("agenda_minutes_range", length=meeting.length_minutes)
    items = agenda_items(meeting_id, session=session)
    session.add(AgendaItem(meeting_id=meeting_id, position=len(items), section="free",
                           title=title, detail=detail, presenter=presenter,
                           units=presenter or "", minutes=minutes or 0,
                           fixed_minutes=minutes is not None))
    session.flush()
    _reallocate(meeting, session=session)
    return len(items) + 1


def _coordinator(*, session: Session) -> str:
    """The lead of the plan's first work area (the office that owns the plan)."""
    first_area = session.exec(select(Task.id).where(Task.parent_id == None,  # noqa: E711
                                                    Task.plan_id == session_plan(session))
                              .order_by(col(Task.position), Task.code)).first()
    lead = session.exec(select(TaskUnit.unit_id).where(
        TaskUnit.task_id == first_area, TaskUnit.role == "lead")).first()
    return lead or session.exec(select(Unit.id).order_by(col(Unit.position))).first() or ""


def _branch(meeting: Meeting, *, session: Session, at: datetime, by_user: str | None,
            last_due: date) -> str:
    """The 会议交办事项 branch and this meeting's node under it, created on first use; the
    meeting's node spans from the meeting to its last action (a meeting may come after the
    plan period)."""
    plan = load_plan(session=session)
    lead = _coordinator(session=session)
    if session.exec(select(Task.id).where(Task.code == BRANCH_CODE,
                                          Task.plan_id == plan.id)).first() is None:
        title = label("meeting_branch_title", text_language(plan.title))
        edits.add_task(session=session, title=title, lead=lead, at=at,
                       code=BRANCH_CODE, start=plan.start, due=plan.end, by_user=by_user)
    code = f"{BRANCH_CODE}.{meeting.id}"
    if session.exec(select(Task.id).where(Task.code == code,
                                          Task.plan_id == plan.id)).first() is None:
        edits.add_task(session=session, title=f"{meeting.on} {meeting.title}", lead=lead,
                       at=at, parent_code=BRANCH_CODE, code=code, start=meeting.on,
                       due=max(plan.end, meeting.on, last_due), by_user=by_user)
    return code


def record_decision(*, session: Session, meeting_id: int, text: str, at: datetime,
                    about_code: str | None = None, agenda_number: int | None = None,
                    actions: list[ActionSpec] | None = None,
                    by_user: str | None = None) -> DecisionResult:
    """Record a decision; each action item becomes an item under 会议交办事项 › this meeting.

    Everything is checked before anything is written: a decision with an action item that
    has no due date or an unknown unit saves nothing.
    """
    require_editor(session, by_user)
    meeting = get_meeting(meeting_id, session=session)
    text = clean_text(text, DECISION)
    if not text:
        raise PlannerError("decision_text_needed")
    if about_code is not None and not _item_exists(about_code, session=session):
        raise PlannerError("decision_unknown_item", where=about_code, code=about_code)
    agenda_item_id = None
    if agenda_number is not None:
        agenda_item_id = _item_at(meeting_id, agenda_number, session=session).id
    actions = actions or []
    for number, action in enumerate(actions, start=1):
        where = f"action {number}"
        if not clean_text(action.title, TITLE, where=where):
            raise PlannerError("decision_action_title_needed", where=where)
        if not action.lead:
            raise PlannerError("decision_action_lead_needed", where=where)
        if action.due is None:
            raise PlannerError("decision_action_due_needed", where=where)
        if action.due < meeting.on:
            raise PlannerError("action_due_early", where=where, due=action.due, on=meeting.on)
        _known_units([action.lead, *action.support], session=session)
    decision = Decision(meeting_id=meeting_id, agenda_item_id=agenda_item_id,
                        about_code=about_code, text=text, created_at=at)
    session.add(decision)
    session.flush()
    result = DecisionResult(decision.id or 0)
    if actions:
        plan_title = load_plan(session=session).title
        parent = _branch(meeting, session=session, at=at, by_user=by_user,
                         last_due=max(a.due for a in actions if a.due))
        for action in actions:
            code = edits.add_task(session=session, title=action.title.strip(),
                                  lead=action.lead or "", at=at, parent_code=parent,
                                  support=action.support, start=meeting.on, due=action.due,
                                  description=label("meeting_action_description",
                                                    text_language(plan_title), on=meeting.on,
                                                    title=meeting.title, text=text),
                                  by_user=by_user)
            session.execute(update(Task).where(col(Task.code) == code,
                                               col(Task.plan_id) == session_plan(session))
                            .values(decision_id=decision.id))
            result.action_codes.append(code)
    meeting.status = "held"
    session.add(meeting)
    bump_revision(session=session, plan_write=bool(actions))
    session.flush()
    return result


def _item_exists(code: str, *, session: Session) -> bool:
    """Whether `code` (`PLAN:CODE` for another plan's) names an item."""
    plan_id, item_code = split_code(Db.of_session(session), code)
    return session.exec(select(Task.id).where(Task.plan_id == plan_id,
                                              Task.code == item_code)).first() is not None


def decisions_of(meeting_id: int, *, session: Session) -> list[tuple[Decision, list[Task]]]:
    """A meeting's decisions with their action items, in order."""
    decisions = session.exec(select(Decision).where(Decision.meeting_id == meeting_id)
                             .order_by(col(Decision.id))).all()
    actions: dict[int, list[Task]] = {decision.id or 0: [] for decision in decisions}
    for task in session.exec(select(Task).where(col(Task.decision_id).in_(actions))
                             .order_by(col(Task.position))):
        actions[task.decision_id or 0].append(task)
    return [(decision, actions[decision.id or 0]) for decision in decisions]
