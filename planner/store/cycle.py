"""The supervision cycle's events (`cycleevent`) on the DB-API: add one, answer a request,
read an item's events, and the coordinators' inbox (pending 签收, returned items, open
requests), oldest first."""

from dataclasses import dataclass
from datetime import date, datetime

from planner.core.cycle import CycleState, EventKind, RequestState, fold_state
from planner.core.status import OPEN_STATUSES, Status
from planner.store.dbapi import Db, day, moment, plan_scope, use_plan

_COLUMNS = ("e.id, e.task_id, t.code, e.kind, e.at, e.by_user, e.by_unit, e.unit_id, "
            "e.reason, e.new_due, e.request_id, e.state")
#: The steps that say who holds an item (交办, 签收, 退办): its last one is where it stands.
_HOLDING = (EventKind.ASSIGN.value, EventKind.ACK.value, EventKind.RETURN.value)


@dataclass(frozen=True, slots=True)
class CycleEvent:
    """One recorded step, with the code of its item."""

    id: int
    task_id: int
    code: str
    kind: EventKind
    at: datetime
    by_user: str | None
    by_unit: str | None
    unit_id: str | None
    reason: str | None
    new_due: date | None
    request_id: int | None
    state: RequestState | None


def _event(row: tuple[object, ...]) -> CycleEvent:
    (event_id, task_id, code, kind, at, by_user, by_unit, unit_id, reason, new_due,
     request_id, state) = row
    return CycleEvent(event_id, task_id, code, EventKind(kind), moment(at),  # type: ignore[arg-type]  # NOT NULL columns of known types
                      by_user, by_unit, unit_id, reason, day(new_due),  # type: ignore[arg-type]  # nullable text and date columns
                      request_id, None if state is None else RequestState(state))  # type: ignore[arg-type]  # an integer column


@dataclass(frozen=True, slots=True)
class CycleSettings:
    """The plan's cycle settings."""

    acknowledge_days: int = 3
    review: bool = False


def read_cycle_settings(db: Db) -> CycleSettings:
    """The 签收 window (working days) and whether 办结 is reviewed; the defaults without a
    plan."""
    row = db.one("SELECT acknowledge_days, review FROM plan WHERE id = ?", (plan_scope(db),))
    return CycleSettings() if row is None else CycleSettings(int(row[0]), bool(row[1]))


def insert_event(db: Db, *, task_id: int, kind: EventKind, at: datetime,
                 by_user: str | None, by_unit: str | None, unit_id: str | None,
                 reason: str | None = None, new_due: date | None = None,
                 request_id: int | None = None, state: RequestState | None = None) -> int:
    """Append one step; its id."""
    row = db.one("INSERT INTO cycleevent (task_id, kind, at, by_user, by_unit, unit_id, "
                 "reason, new_due, request_id, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "RETURNING id",
                 (task_id, kind.value, db.value(at), by_user, by_unit, unit_id, reason,
                  db.value(new_due), request_id, None if state is None else state.value))
    assert row is not None  # INSERT … RETURNING gives its row
    return int(row[0])


def settle_request(db: Db, request_id: int, state: RequestState) -> bool:
    """Move a pending request to `state`; False when it was no longer pending (answered
    meanwhile by someone else)."""
    return db.execute("UPDATE cycleevent SET state = ? WHERE id = ? AND state = ?",
                      (state.value, request_id, RequestState.PENDING.value)) == 1


def read_event(db: Db, event_id: int) -> CycleEvent | None:
    """The step with `event_id`, or None."""
    row = db.one(f"SELECT {_COLUMNS} FROM cycleevent AS e JOIN task AS t ON t.id = e.task_id "
                 "WHERE e.id = ?", (event_id,))
    return None if row is None else _event(row)


def read_events(db: Db, task_id: int) -> list[CycleEvent]:
    """An item's steps, oldest first."""
    return [_event(row) for row in db.rows(
        f"SELECT {_COLUMNS} FROM cycleevent AS e JOIN task AS t ON t.id = e.task_id "
        "WHERE e.task_id = ? ORDER BY e.id", (task_id,))]


def cycle_state(events: list[CycleEvent], status: str) -> CycleState:
    """Where an item with these steps (oldest first) and this status stands."""
    return fold_state((event.kind for event in events),
                      item_open=Status(status) in OPEN_STATUSES)


def pending_request(events: list[CycleEvent], kind: EventKind) -> CycleEvent | None:
    """The item's pending request of `kind`, if any."""
    return next((event for event in reversed(events)
                 if event.kind == kind and event.state == RequestState.PENDING), None)


def last_holding(events: list[CycleEvent]) -> CycleEvent | None:
    """The item's last 交办, 签收 or 退办, if any."""
    return next((event for event in reversed(events) if event.kind.value in _HOLDING), None)


def read_inbox(db: Db) -> list[CycleEvent]:
    """What waits for the coordinators, oldest first: open requests (延期申请, 办结申请),
    assignments not yet acknowledged (待签收) and returns not yet reassigned (退办) — the
    last 交办/签收/退办 of each item that is a 交办 or a 退办. Archived items are left out.
    Two set queries (the pending requests through their index, the last holding steps in
    one pass), not a subquery per row."""
    holding = ", ".join("?" * len(_HOLDING))
    rows = db.rows(
        f"SELECT {_COLUMNS} FROM cycleevent AS e JOIN task AS t ON t.id = e.task_id "
        "WHERE NOT t.archived AND e.state = ? UNION ALL "
        f"SELECT {_COLUMNS} FROM (SELECT task_id, max(id) AS id FROM cycleevent "
        f"WHERE kind IN ({holding}) GROUP BY task_id) AS last "
        "JOIN cycleevent AS e ON e.id = last.id JOIN task AS t ON t.id = e.task_id "
        "WHERE NOT t.archived AND e.kind IN (?, ?)",
        (RequestState.PENDING.value, *_HOLDING, EventKind.ASSIGN.value,
         EventKind.RETURN.value))
    events = [_event(row) for row in rows]
    return sorted(events, key=lambda event: (event.at, event.id))


def use_plan_of_task(db: Db, task_id: int) -> None:
    """Make the transaction work on the plan the item `task_id` belongs to."""
    row = db.one("SELECT plan_id FROM task WHERE id = ?", (task_id,))
    if row is not None:
        use_plan(db, int(row[0]))
