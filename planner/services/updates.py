"""Recording progress, moving deadlines and indicator readings: every write in one transaction."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from planner.core.errors import ConflictError, PlannerError
from planner.core.status import Status, check_transition, require_leaf, settled_progress
from planner.core.text import (
    DUE_REASON,
    NOTE,
    READING_SOURCE,
    check_measure,
    clean_optional,
    clean_text,
    number_text,
)
from planner.i18n import Msg, msg
from planner.services.access import (
    actor_for,
    require_can_report,
    require_can_update,
    require_plan_editor,
)
from planner.services.changes import bump_revision
from planner.store.dbapi import Db, TaskState, as_db, read_task_state
from planner.store.rollup_cache import patch_path

if TYPE_CHECKING:  # the ORM is loaded by the functions that take ORM rows, not by updates
    from sqlmodel import Session

    from planner.store.models import ProgressUpdate, Task


@dataclass(slots=True)
class UpdateResult:
    """The item's state after an accepted update."""

    code: str
    status: Status
    progress: float
    version: int


def _require_leaf(task: TaskState, *, db: Db) -> None:
    has_children = db.one("SELECT 1 FROM task WHERE parent_id = ? AND NOT archived LIMIT 1",
                          (task.id,)) is not None
    require_leaf(task.code, has_children=has_children)
    if task.archived:
        raise PlannerError("record_item_archived", where=task.code)


def require_unit(unit_id: str | None, *, session: "Session | Db") -> None:
    if unit_id is not None and as_db(session).one("SELECT 1 FROM unit WHERE id = ?",
                                                  (unit_id,)) is None:
        raise PlannerError("record_unknown_unit", unit=unit_id)


def status_name(status: Status) -> Msg:
    """A status's name as a message parameter, shown in the reader's language."""
    return msg(f"status_{status.value}")


def _bump_version(db: Db, task_id: int, code: str, version: int,
                  expected_version: int | None, values: dict[str, object], *,
                  what: Msg) -> int:
    """Write `values` only if nobody changed the item since `expected_version` (else the
    `version` it was read at) — the refusal names the item as it is now (`what`: the action
    it asks to do again, e.g. msg("record_what_update"))."""
    check_version = version if expected_version is None else expected_version
    columns = "".join(f"{name} = ?, " for name in values)
    changed = db.execute(f"UPDATE task SET {columns}version = version + 1 "
                         "WHERE id = ? AND version = ?",
                         [*map(db.value, values.values()), task_id, check_version])
    if changed != 1:
        now = read_task_state(db, code)
        raise ConflictError("record_conflict", where=code, code=code, old=check_version,
                            new=now.version, status=status_name(Status(now.status)),
                            progress=now.progress, what=what)
    return check_version + 1


def bump_version(task: "Task", expected_version: int | None, values: dict[str, object], *,
                 session: "Session", what: Msg) -> int:
    """`_bump_version` for an ORM row in `session` (the edits): the same guarded UPDATE on
    the session's connection."""
    from planner.store.models import saved_id

    return _bump_version(Db.of_session(session), saved_id(task), task.code, task.version,
                         expected_version, values, what=what)


def next_state(code: str, old_status: Status, old_progress: float, status: Status | None,
               progress: float | None, *, has_children: bool) -> tuple[Status, float]:
    """The status and progress an update leaves on an item, by the rules every way of
    recording one shares (planner update, the TUI, the ledger, a plan file's merge): progress
    within 0–100, an allowed transition, done and closed at 100, and no change on an item with
    children (its state is rolled up). Errors name the item by `code`."""
    new_status = old_status if status is None else status
    if progress is not None and not 0 <= progress <= 100:
        raise PlannerError("record_progress_range", where=code, value=number_text(progress))
    check_transition(old_status, new_status, code=code)
    new_progress = settled_progress(new_status, progress, current=old_progress, code=code)
    if new_status != old_status or new_progress != old_progress:
        require_leaf(code, has_children=has_children, where=code)
    return new_status, new_progress


def history_entry(task: "Task", at: datetime, new_status: Status, new_progress: float, *,
                  note: str | None, by_unit: str | None, by_user: str | None) -> "ProgressUpdate":
    """The history row of an update to `task` (before the task takes the new values)."""
    from planner.store.models import ProgressUpdate, saved_id

    return ProgressUpdate(task_id=saved_id(task), at=at, by_unit=by_unit, by_user=by_user,
                          old_status=task.status, new_status=new_status.value,
                          old_progress=task.progress, new_progress=new_progress, note=note)


def record_update(*, session: "Session | Db", code: str, at: datetime,
                  status: Status | None = None, progress: float | None = None,
                  note: str | None = None, by_unit: str | None = None,
                  by_user: str | None = None, expected_version: int | None = None) -> UpdateResult:
    """Append a progress report to the history and apply it to the item, atomically.

    A status change must be an allowed transition; marking an item done without a progress
    figure sets it to 100. A note alone still counts as the unit's report for the cycle.
    With `expected_version`, a save over someone else's change raises ConflictError.
    A unit's user reports only on its unit's items, as that unit, and never closes one;
    the history records the acting user (services/access.py). Written on the DB-API (an
    ORM session's rows are reloaded afterwards), so `planner update` loads no ORM.
    """
    db = as_db(session)
    task = read_task_state(db, code)
    actor = actor_for(db, by_user)
    by_unit = require_can_update(db, actor, task, closing=status == Status.CLOSED,
                                 by_unit=by_unit)
    _require_leaf(task, db=db)
    require_unit(by_unit, session=db)
    old_status = Status(task.status)
    new_status, new_progress = next_state(code, old_status, task.progress, status, progress,
                                          has_children=False)  # a leaf: checked above
    note = clean_optional(note, NOTE, where=code)
    if new_status == old_status and new_progress == task.progress and note is None:
        raise PlannerError("record_nothing_to_record", where=code)
    version = _bump_version(db, task.id, task.code, task.version, expected_version,
                            {"status": new_status.value, "progress": new_progress,
                             "updated_at": at}, what=msg("record_what_update"))
    db.execute("INSERT INTO progressupdate (task_id, at, by_unit, by_user, old_status, "
               "new_status, old_progress, new_progress, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (task.id, db.value(at), by_unit, actor.name, task.status, new_status.value,
                task.progress, new_progress, note))
    bump_revision(session=db)
    patch_path(db, task.id)  # the stored rollups follow, if current before
    db.wrote()
    return UpdateResult(code, new_status, new_progress, version)


def change_due(*, session: "Session | Db", code: str, new_due: date, reason: str, at: datetime,
               by_user: str | None = None, expected_version: int | None = None) -> int:
    """Move an item's deadline, keeping the original and recording the reason (coordinators
    only: a deadline is part of the plan)."""
    db = as_db(session)
    task = read_task_state(db, code)
    actor = actor_for(db, by_user)
    require_plan_editor(db, actor)
    reason = clean_text(reason or "", DUE_REASON, where=code)
    if not reason:
        raise PlannerError("due_reason_needed", where=code)
    if new_due < task.start:
        raise PlannerError("due_before_start", where=code, due=new_due, start=task.start)
    if new_due == task.due:
        raise PlannerError("due_unchanged", where=code, due=new_due)
    version = _bump_version(db, task.id, task.code, task.version, expected_version,
                            {"due": new_due, "updated_at": at},
                            what=msg("record_what_change_due"))
    db.execute("INSERT INTO duechange (task_id, at, old_due, new_due, reason, by_user) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               (task.id, db.value(at), db.value(task.due), db.value(new_due), reason,
                actor.name))
    bump_revision(session=db)
    patch_path(db, task.id)
    db.wrote()
    return version


def record_reading(*, session: "Session", code: str, value: float, on: date, at: datetime,
                   source: str | None = None, by_user: str | None = None) -> None:
    """Add a dated reading to an indicator (a unit's user: of its own items' indicators)."""
    from sqlmodel import select

    from planner.store.dbapi import split_code
    from planner.store.models import Indicator, IndicatorReading, saved_id

    plan_id, indicator_code = split_code(as_db(session), code)
    indicator = session.exec(select(Indicator).where(Indicator.plan_id == plan_id,
                                                     Indicator.code == indicator_code)).first()
    if indicator is None:
        raise PlannerError("reading_unknown_indicator", where=code, code=code)
    actor = actor_for(session, by_user)
    require_can_report(session, actor, indicator.task_id, code=code)
    check_measure(value, msg("field_reading"), where=code)
    session.add(IndicatorReading(indicator_id=saved_id(indicator), on=on, value=value,
                                 source=clean_optional(source, READING_SOURCE, where=code),
                                 recorded_at=at,
                                 by_user=actor.name))
    bump_revision(session=session)
    session.flush()
