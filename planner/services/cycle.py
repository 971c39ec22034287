"""The supervision cycle (督办): each step one function, one transaction, checked against the
item's state (core/cycle.py) before anything is written.

A unit's steps — 签收 (`acknowledge`), 退办 (`return_item`), 延期申请 (`request_extension`)
and 办结申请 (a unit's report of 已完成 where the plan reviews 办结, `services.updates`) — are
taken by the item's lead unit: a unit's user as its own unit, a coordinator naming the unit
(`by_unit`). The coordinators' steps — 交办 (`assign`), 催办 (`urge`) and the answers
(`approve`, `reject`) — need a coordinator. An approved extension moves the deadline through
`updates.change_due` (so it is counted as a postponement); an accepted 办结 closes the item
(已销号) and a sent-back one reopens it (推进中) through `updates.record_update`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from planner.core.cycle import (
    ANSWERS,
    REQUEST_KINDS,
    CycleState,
    EventKind,
    RequestState,
    next_cycle_state,
)
from planner.core.errors import PlannerError
from planner.core.status import Status
from planner.core.text import DUE_REASON, NOTE, clean_optional, clean_text
from planner.i18n import msg
from planner.services.access import Actor, actor_for, require_plan_editor
from planner.services.changes import bump_revision, require_open_plan
from planner.services.updates import change_due, record_update, require_unit
from planner.store.cycle import (
    CycleEvent,
    cycle_state,
    insert_event,
    last_holding,
    read_event,
    read_events,
    settle_request,
    use_plan_of_task,
)
from planner.store.dbapi import Db, TaskState, as_db, read_task_state

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True, slots=True)
class StepResult:
    """A recorded step: its id, the item and where the item stands now."""

    event_id: int
    code: str
    kind: EventKind
    state: CycleState


@dataclass(slots=True)
class _Item:
    task: TaskState
    events: list[CycleEvent]
    state: CycleState
    lead: str | None


def _item(db: Db, code: str) -> _Item:
    task = read_task_state(db, code)
    require_open_plan(session=db)  # before the cycle's own checks: the plan is the reason
    if task.archived:
        raise PlannerError("record_item_archived", where=task.code)
    events = read_events(db, task.id)
    lead = db.one("SELECT unit_id FROM taskunit WHERE task_id = ? AND role = 'lead'",
                  (task.id,))
    return _Item(task, events, cycle_state(events, task.status),
                 None if lead is None else str(lead[0]))


def _reason(kind: EventKind, reason: str | None, *, code: str) -> str:
    cleaned = clean_optional(reason, NOTE, where=code)
    if cleaned is None:
        raise PlannerError("cycle_reason_needed", where=code, step=msg(f"cycle_kind_{kind}"))
    return cleaned


def acting_unit(db: Db, actor: Actor, item: _Item, kind: EventKind,
                by_unit: str | None) -> str:
    """The unit taking a unit's step on `item`: a unit's user's own unit (another is
    refused), the unit a coordinator names; it must lead the item."""
    code = item.task.code
    if not actor.coordinator:
        if not actor.known:
            raise PlannerError("access_unknown_user", user=actor.label())
        if by_unit is not None and by_unit != actor.unit_id:
            raise PlannerError("access_other_unit", where=code, user=actor.label(),
                               unit=actor.unit_id, by_unit=by_unit)
        by_unit = actor.unit_id
    if by_unit is None:
        raise PlannerError("cycle_unit_needed", where=code, step=msg(f"cycle_kind_{kind}"))
    require_unit(by_unit, session=db)
    if by_unit != item.lead:
        raise PlannerError("cycle_not_lead", where=code, unit=by_unit, lead=item.lead or "—",
                           step=msg(f"cycle_kind_{kind}"))
    return by_unit


def _unit_step(session: "Session | Db", code: str, kind: EventKind, at: datetime, *,
               by_unit: str | None, by_user: str | None, reason: str | None = None,
               new_due: date | None = None) -> StepResult:
    db = as_db(session)
    item = _item(db, code)
    actor = actor_for(db, by_user)
    unit = acting_unit(db, actor, item, kind, by_unit)
    state = next_cycle_state(item.state, kind, code=item.task.code)
    holding = last_holding(item.events)
    answered = holding.id if kind in (EventKind.ACK, EventKind.RETURN) and holding else None
    bump_revision(session=db)  # a closed plan refuses it; open screens notice it
    event_id = insert_event(db, task_id=item.task.id, kind=kind, at=at, by_user=actor.name,
                            by_unit=unit, unit_id=unit, reason=reason, new_due=new_due,
                            request_id=answered,
                            state=RequestState.PENDING if kind in REQUEST_KINDS else None)
    db.wrote()
    return StepResult(event_id, item.task.code, kind, state)


def acknowledge(*, session: "Session | Db", code: str, at: datetime,
                by_unit: str | None = None, by_user: str | None = None) -> StepResult:
    """签收: the lead unit acknowledges an item assigned to it."""
    return _unit_step(session, code, EventKind.ACK, at, by_unit=by_unit, by_user=by_user)


def return_item(*, session: "Session | Db", code: str, reason: str | None, at: datetime,
                by_unit: str | None = None, by_user: str | None = None) -> StepResult:
    """退办: the lead unit sends an item back (not theirs), with the reason; the item goes
    to the coordinators' inbox for reassignment."""
    why = _reason(EventKind.RETURN, reason, code=code)
    return _unit_step(session, code, EventKind.RETURN, at, by_unit=by_unit, by_user=by_user,
                      reason=why)


def request_extension(*, session: "Session | Db", code: str, new_due: date,
                      reason: str | None, at: datetime, by_unit: str | None = None,
                      by_user: str | None = None) -> StepResult:
    """延期申请: the lead unit asks for a later due date, with the reason; the date moves
    only when a coordinator approves."""
    db = as_db(session)
    task = read_task_state(db, code)
    why = clean_text(reason or "", DUE_REASON, where=task.code)
    if not why:
        raise PlannerError("cycle_reason_needed", where=task.code,
                           step=msg("cycle_kind_extend_request"))
    if new_due <= task.due:
        raise PlannerError("cycle_due_not_later", where=task.code, due=new_due,
                           current=task.due)
    return _unit_step(db, code, EventKind.EXTEND_REQUEST, at, by_unit=by_unit,
                      by_user=by_user, reason=why, new_due=new_due)


def assign(*, session: "Session", code: str, unit: str, at: datetime,
           by_user: str | None = None) -> StepResult:
    """交办: a coordinator gives an item to `unit` as its lead (reassigning a returned one),
    which opens the 签收 window. The lead changes through the plan's edit path."""
    from planner.services.edits import edit_task

    db = as_db(session)
    actor = actor_for(db, by_user)
    require_plan_editor(db, actor)
    item = _item(db, code)
    require_unit(unit, session=db)
    state = next_cycle_state(item.state, EventKind.ASSIGN, code=item.task.code)
    returned = item.events[-1].id if item.state == CycleState.RETURNED else None
    if unit != item.lead:
        edit_task(session=session, code=item.task.code, at=at, lead=unit, by_user=by_user)
        db = as_db(session)
    bump_revision(session=db)  # a closed plan refuses it; open screens notice it
    event_id = insert_event(db, task_id=item.task.id, kind=EventKind.ASSIGN, at=at,
                            by_user=actor.name, by_unit=None, unit_id=unit,
                            request_id=returned)
    db.wrote()
    return StepResult(event_id, item.task.code, EventKind.ASSIGN, state)


def urge(*, session: "Session | Db", code: str, at: datetime, note: str | None = None,
         by_user: str | None = None) -> StepResult:
    """催办: a coordinator records a reminder sent to the item's lead unit."""
    db = as_db(session)
    actor = actor_for(db, by_user)
    require_plan_editor(db, actor)
    item = _item(db, code)
    state = next_cycle_state(item.state, EventKind.URGE, code=item.task.code)
    bump_revision(session=db)  # a closed plan refuses it; open screens notice it
    event_id = insert_event(db, task_id=item.task.id, kind=EventKind.URGE, at=at,
                            by_user=actor.name, by_unit=None, unit_id=item.lead,
                            reason=clean_optional(note, NOTE, where=item.task.code))
    db.wrote()
    return StepResult(event_id, item.task.code, EventKind.URGE, state)


def _open_request(db: Db, request_id: int) -> CycleEvent:
    request = read_event(db, request_id)
    if request is None:
        raise PlannerError("cycle_no_request", id=request_id)
    kind = msg(f"cycle_kind_{request.kind}")
    if request.kind not in REQUEST_KINDS:
        raise PlannerError("cycle_not_a_request", where=request.code, id=request_id, kind=kind)
    if request.state != RequestState.PENDING:
        raise PlannerError("cycle_request_answered", where=request.code, id=request_id,
                           kind=kind, state=msg(f"cycle_request_{request.state}"))
    use_plan_of_task(db, request.task_id)  # its code is read in the request's own plan
    return request


def _answer(session: "Session | Db", request_id: int, approve: bool, at: datetime, *,
            reason: str | None, by_user: str | None) -> StepResult:
    db = as_db(session)
    actor = actor_for(db, by_user)
    require_plan_editor(db, actor)
    request = _open_request(db, request_id)
    code = request.code
    if request.kind == EventKind.EXTEND_REQUEST:
        kind = EventKind.EXTEND_APPROVE if approve else EventKind.EXTEND_REJECT
        why = clean_optional(reason, NOTE, where=code)
        if not approve and why is None:
            raise PlannerError("cycle_answer_needs_reason", where=code)
        item = _item(db, code)
        state = next_cycle_state(item.state, kind, code=code)
        if approve:
            assert request.new_due is not None  # an extension request always asks a date
            change_due(session=db, code=code, new_due=request.new_due,
                       reason=request.reason or "", at=at, by_user=by_user)
        bump_revision(session=db)  # a closed plan refuses it; open screens notice it
        event_id = insert_event(db, task_id=request.task_id, kind=kind, at=at,
                                by_user=actor.name, by_unit=None, unit_id=request.unit_id,
                                reason=why, new_due=request.new_due if approve else None,
                                request_id=request.id)
        settle_request(db, request.id, ANSWERS[kind][1])
        db.wrote()
        return StepResult(event_id, code, kind, state)
    status = Status.CLOSED if approve else Status.IN_PROGRESS
    if not approve and clean_optional(reason, NOTE, where=code) is None:
        raise PlannerError("cycle_answer_needs_reason", where=code)
    record_update(session=db, code=code, at=at, status=status, note=reason, by_user=by_user)
    events = read_events(db, request.task_id)  # the answer is written by record_update
    return StepResult(events[-1].id, code, events[-1].kind, cycle_state(events, status.value))


def approve(*, session: "Session | Db", request_id: int, at: datetime,
            reason: str | None = None, by_user: str | None = None) -> StepResult:
    """A coordinator approves a request: an extension moves the deadline (counted as a
    postponement), a 办结 is accepted and the item closed (销号)."""
    return _answer(session, request_id, True, at, reason=reason, by_user=by_user)


def reject(*, session: "Session | Db", request_id: int, reason: str | None, at: datetime,
           by_user: str | None = None) -> StepResult:
    """A coordinator rejects a request with a reason: an extension leaves the date, a 办结
    is sent back and the item reopened (推进中)."""
    return _answer(session, request_id, False, at, reason=reason, by_user=by_user)
