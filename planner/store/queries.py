"""Reads: the whole tree in a fixed handful of set queries, never one query per node."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from planner.core.errors import PlannerError
from planner.core.indicators import IndicatorSnapshot
from planner.core.model import PlanSettings, PlanTree
from planner.core.status import Status
from planner.store.dbapi import (
    STATUS_BY_VALUE,
    Db,
    HistoryEntry,
    plan_scope,
    read_history,
    read_indicators,
    read_revision,
    read_settings,
    read_tree,
    split_code,
)
from planner.store.models import (
    DueChange,
    Plan,
    ProgressUpdate,
    Task,
    TaskUnit,
    Unit,
)


def session_plan(session: Session) -> int:
    """The database id of the plan the session works on (store.dbapi.plan_scope)."""
    return plan_scope(Db.of_session(session))


def load_plan(*, session: Session) -> Plan:
    """The plan row the session works on."""
    plan = session.get(Plan, session_plan(session))
    if plan is None:
        raise PlannerError("db_no_plan")
    return plan


def load_settings(*, session: Session) -> PlanSettings:
    """The plan's settings; a clear error when the database holds no plan yet."""
    return read_settings(Db.of_session(session))


def plan_revision(*, session: Session) -> int:
    """The plan's change counter (0 when there is no plan yet)."""
    return read_revision(Db.of_session(session))


def load_units(*, session: Session) -> dict[str, Unit]:
    """Units by id in their file order."""
    units = session.exec(select(Unit).order_by(col(Unit.position), Unit.id)).all()
    return {unit.id: unit for unit in units}



def load_tree(*, session: Session, include_archived: bool = False) -> PlanTree:
    """The whole plan as a snapshot: tasks, their units, last reports and postponements, in a
    fixed handful of set queries on the session's driver connection (store/dbapi.py, the
    same reads `planner show` and `tree` make without the ORM)."""
    return read_tree(Db.of_session(session), include_archived=include_archived)


def load_indicators(*, session: Session,
                    task_code: str | None = None) -> list[IndicatorSnapshot]:
    """Indicators (all, or those of one item) with year targets and readings, oldest first."""
    return read_indicators(Db.of_session(session), task_code=task_code)


def task_history(task_id: int, *, session: Session) -> list[HistoryEntry]:
    """Progress updates and deadline moves of one item, oldest first."""
    return read_history(Db.of_session(session), task_id)


def get_task(code: str, *, session: Session) -> Task:
    """The task row with `code` (`PLAN:CODE` for another plan's), or a PlannerError naming
    the code."""
    plan_id, item_code = split_code(Db.of_session(session), code)
    task = session.exec(select(Task).where(Task.plan_id == plan_id,
                                           Task.code == item_code)).first()
    if task is None:
        raise PlannerError("db_no_item", code=code, where=code)
    return task


def task_units(task_id: int, *, session: Session) -> tuple[str | None, list[str]]:
    """(lead unit id, supporting unit ids) of one task."""
    rows = session.execute(
        select(TaskUnit.unit_id, TaskUnit.role).where(TaskUnit.task_id == task_id)
        .order_by(col(TaskUnit.position))
    ).all()
    lead = next((unit for unit, role in rows if role == "lead"), None)
    return lead, [unit for unit, role in rows if role != "lead"]


@dataclass(slots=True)
class UpdateRow:
    """A progress update with the item's code, for reports."""

    task_id: int
    code: str
    title: str
    at: datetime
    by_unit: str | None
    by_user: str | None
    old_status: Status
    new_status: Status
    old_progress: float
    new_progress: float
    note: str | None


@dataclass(slots=True)
class DueChangeRow:
    """A deadline move with the item's code and how often that item has moved in all."""

    task_id: int
    code: str
    title: str
    at: datetime
    old_due: date
    new_due: date
    reason: str
    times_moved: int


def local_midnight(day: date) -> datetime:
    """The start of `day` in local time, as an aware datetime (history is stored in UTC)."""
    return datetime.combine(day, datetime.min.time()).astimezone()


def updates_since(since: date, *, session: Session, until: date | None = None) -> list[UpdateRow]:
    """Progress updates from local midnight of `since` (to the end of `until`), oldest first."""
    # Columns, not ORM objects: a week of a large plan is thousands of rows.
    query = (core_select(*map(col, (
                ProgressUpdate.task_id, Task.code, Task.title, ProgressUpdate.at,
                ProgressUpdate.by_unit, ProgressUpdate.by_user, ProgressUpdate.old_status,
                ProgressUpdate.new_status, ProgressUpdate.old_progress,
                ProgressUpdate.new_progress, ProgressUpdate.note)))
             .join(Task, col(Task.id) == ProgressUpdate.task_id)
             .where(col(Task.plan_id) == session_plan(session))
             .where(col(ProgressUpdate.at) >= local_midnight(since))
             .order_by(col(ProgressUpdate.at), col(ProgressUpdate.id)))
    if until is not None:
        query = query.where(col(ProgressUpdate.at) < local_midnight(until + timedelta(days=1)))
    status_of = STATUS_BY_VALUE
    return [
        UpdateRow(task_id, code, title, at, by_unit, by_user, status_of[old_status],
                  status_of[new_status], old_progress, new_progress, note)
        for (task_id, code, title, at, by_unit, by_user, old_status, new_status, old_progress,
             new_progress, note) in session.execute(query).all()
    ]


def due_changes_between(start: date, end: date | None = None, *,
                        session: Session) -> list[DueChangeRow]:
    """Deadline moves recorded from `start` to `end` (local dates; open-ended without `end`),
    each with the number of times its item had moved by `end`."""
    plan_id = session_plan(session)
    totals_query = (select(DueChange.task_id, func.count())
                    .join(Task, col(Task.id) == DueChange.task_id)
                    .where(Task.plan_id == plan_id).group_by(col(DueChange.task_id)))
    query = (select(DueChange, Task.code, Task.title).join(Task, col(Task.id) == DueChange.task_id)
             .where(Task.plan_id == plan_id)
             .where(DueChange.at >= local_midnight(start))
             .order_by(col(DueChange.at), col(DueChange.id)))
    if end is not None:
        until = local_midnight(end + timedelta(days=1))
        totals_query = totals_query.where(DueChange.at < until)
        query = query.where(DueChange.at < until)
    totals = dict(session.execute(totals_query).all())
    return [
        DueChangeRow(c.task_id, code, title, c.at, c.old_due, c.new_due, c.reason,
                     totals.get(c.task_id, 0))
        for c, code, title in session.execute(query).all()
    ]

