"""Reads: the whole tree in a fixed handful of set queries, never one query per node."""

from datetime import date

from sqlmodel import Session, col, select

from planner.core.errors import PlannerError
from planner.core.indicators import IndicatorSnapshot
from planner.core.model import PlanSettings, PlanTree
from planner.store.dbapi import (
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
    Plan,
    Task,
    TaskUnit,
    Unit,
)
from planner.store.report_reads import (
    DueChangeRow,
    UpdateRow,
    local_midnight,
    read_due_changes,
    read_updates_since,
)

__all__ = ["DueChangeRow", "UpdateRow", "local_midnight"]  # re-exported: read where they were


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


def updates_since(since: date, *, session: Session, until: date | None = None) -> list[UpdateRow]:
    """Progress updates from local midnight of `since` (to the end of `until`), oldest first
    (store.report_reads, on the session's connection)."""
    return read_updates_since(Db.of_session(session), since, until)


def due_changes_between(start: date, end: date | None = None, *,
                        session: Session) -> list[DueChangeRow]:
    """Deadline moves recorded from `start` to `end` (local dates; open-ended without `end`),
    each with the number of times its item had moved by `end` (store.report_reads)."""
    return read_due_changes(Db.of_session(session), start, end)
