"""Reads: the whole tree in a fixed handful of set queries, never one query per node."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ClauseElement, and_, func
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from planner.core.errors import PlannerError
from planner.core.indicators import IndicatorSnapshot, Reading
from planner.core.model import PlanSettings, PlanTree, TaskNode, building_snapshot
from planner.core.status import Status
from planner.store.models import (
    DueChange,
    Indicator,
    IndicatorReading,
    IndicatorTarget,
    Plan,
    ProgressUpdate,
    Task,
    TaskUnit,
    Unit,
)


def load_settings(*, session: Session) -> PlanSettings:
    """The plan's settings; a clear error when the database holds no plan yet."""
    plan = session.exec(select(Plan)).first()
    if plan is None:
        raise PlannerError("db_no_plan")
    return PlanSettings(plan.title, plan.start, plan.end, plan.report_cycle, plan.rollup,
                        plan.tolerance, plan.due_soon_days, plan.source)


def plan_revision(*, session: Session) -> int:
    """The plan's change counter (0 when there is no plan yet)."""
    return session.execute(select(Plan.revision)).scalar() or 0


def load_units(*, session: Session) -> dict[str, Unit]:
    """Units by id in their file order."""
    units = session.exec(select(Unit).order_by(col(Unit.position), Unit.id)).all()
    return {unit.id: unit for unit in units}


STATUS_BY_VALUE = {status.value: status for status in Status}


@lru_cache(maxsize=65536)
def _day(value: date | str | None) -> date | None:
    """A date from a raw driver value (PostgreSQL gives dates, SQLite ISO text); cached, since
    a plan's items share a few thousand distinct dates."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _raw_rows(session: Session, query: ClauseElement) -> Sequence[tuple[Any, ...]]:
    """Plain tuples of a Core select straight from the driver's cursor (the 100k hot path)."""
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled))
        return cursor.fetchall()
    finally:
        cursor.close()


def load_tree(*, session: Session, include_archived: bool = False) -> PlanTree:
    """The whole plan as a snapshot: tasks, their units, last reports and postponements.

    A fixed handful of set queries whatever the size of the plan; raw driver rows, since
    building 100,000 nodes is the path the TUI opens on. The garbage collector pauses while
    the snapshot is built and then freezes it (core.model.building_snapshot), here rather than
    in every caller.
    """
    with building_snapshot():
        settings = load_settings(session=session)
        lead = aliased(TaskUnit)
        query = core_select(*map(col, (
            Task.id, Task.code, Task.title, Task.parent_id, Task.position, Task.start, Task.due,
            Task.status, Task.progress, Task.weight, Task.rollup_rule, Task.original_due,
            Task.needs_coordination, Task.coordination_reason, Task.version, lead.unit_id,
        ))).outerjoin(
            lead, and_(col(lead.task_id) == Task.id, col(lead.role) == "lead"))
        if not include_archived:
            query = query.where(col(Task.archived) == False)  # noqa: E712
        status_of, day = STATUS_BY_VALUE, _day
        nodes = [
            TaskNode(task_id, code, title, parent_id, position, day(start), day(due),  # type: ignore[arg-type]  # start and due are NOT NULL, so _day gives a date
                     status_of[status], progress, weight, lead_unit, (), rollup_rule,
                     day(original_due), 0, bool(needs_coordination), coordination_reason, None,
                     version)
            for (task_id, code, title, parent_id, position, start, due, status, progress, weight,
                 rollup_rule, original_due, needs_coordination, coordination_reason, version,
                 lead_unit) in _raw_rows(session, query)
        ]
        by_id = {node.id: node for node in nodes}
        support: dict[int, list[str]] = defaultdict(list)
        for task_id, unit_id in _raw_rows(session, select(TaskUnit.task_id, TaskUnit.unit_id)
                                          .where(TaskUnit.role == "support")
                                          .order_by(col(TaskUnit.position))):
            support[task_id].append(unit_id)
        for task_id, units in support.items():
            if task_id in by_id:
                by_id[task_id].support = tuple(units)
        for task_id, last_at in session.execute(
            select(ProgressUpdate.task_id, func.max(ProgressUpdate.at))
            .group_by(col(ProgressUpdate.task_id))
        ):
            if task_id in by_id:
                by_id[task_id].last_report = _as_date(last_at)
        for task_id, moved_later in session.execute(
            select(DueChange.task_id, func.count()).where(DueChange.new_due > DueChange.old_due)
            .group_by(col(DueChange.task_id))
        ):
            if task_id in by_id:
                by_id[task_id].postponements = moved_later
        return PlanTree.build(settings, nodes)


def _as_date(value: datetime | str) -> date:
    """The local date of a stored UTC timestamp, as the driver returns it from an aggregate
    (a datetime from PostgreSQL, text from SQLite)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().date()


def load_indicators(*, session: Session,
                    task_code: str | None = None) -> list[IndicatorSnapshot]:
    """Indicators (all, or those of one item) with year targets and readings, oldest first."""
    query = (select(Indicator, Task.code).outerjoin(Task, col(Task.id) == Indicator.task_id)
             .order_by(col(Indicator.position), Indicator.code))
    if task_code is not None:
        query = query.where(Task.code == task_code)
    rows = session.execute(query).all()
    ids = [indicator.id for indicator, _ in rows]
    targets: dict[int, dict[int, float]] = defaultdict(dict)
    for target in session.exec(
        select(IndicatorTarget).where(col(IndicatorTarget.indicator_id).in_(ids))
    ):
        targets[target.indicator_id][target.year] = target.value
    readings: dict[int, list[Reading]] = defaultdict(list)
    for reading in session.exec(
        select(IndicatorReading).where(col(IndicatorReading.indicator_id).in_(ids))
        .order_by(col(IndicatorReading.on), col(IndicatorReading.id))
    ):
        readings[reading.indicator_id].append(Reading(reading.on, reading.value, reading.source))
    return [
        IndicatorSnapshot(
            code=ind.code, name=ind.name, unit=ind.measure, baseline=ind.baseline,
            target=ind.target, direction=ind.direction, task_code=code,
            year_targets=targets[ind.id], readings=readings[ind.id], note=ind.note,
        )
        for ind, code in rows
    ]


@dataclass(slots=True)
class HistoryEntry:
    """One line of an item's history: a progress update or a deadline move."""

    at: datetime
    unit: str | None
    user: str | None
    old_status: str | None = None
    new_status: str | None = None
    old_progress: float | None = None
    new_progress: float | None = None
    note: str | None = None
    old_due: date | None = None
    new_due: date | None = None


def task_history(task_id: int, *, session: Session) -> list[HistoryEntry]:
    """Progress updates and deadline moves of one item, oldest first."""
    entries = [
        HistoryEntry(u.at, u.by_unit, u.by_user, u.old_status, u.new_status, u.old_progress,
                     u.new_progress, u.note)
        for u in session.exec(select(ProgressUpdate).where(ProgressUpdate.task_id == task_id)
                              .order_by(col(ProgressUpdate.id)))
    ]
    entries += [
        HistoryEntry(c.at, None, c.by_user, note=c.reason, old_due=c.old_due,
                     new_due=c.new_due)
        for c in session.exec(select(DueChange).where(DueChange.task_id == task_id)
                              .order_by(col(DueChange.id)))
    ]
    return sorted(entries, key=lambda e: e.at)


def get_task(code: str, *, session: Session) -> Task:
    """The task row with `code`, or a PlannerError naming the code."""
    task = session.exec(select(Task).where(Task.code == code)).first()
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
    totals_query = select(DueChange.task_id, func.count()).group_by(col(DueChange.task_id))
    query = (select(DueChange, Task.code, Task.title).join(Task, col(Task.id) == DueChange.task_id)
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

