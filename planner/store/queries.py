"""Reads: the whole tree in a fixed handful of set queries, never one query per node."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from planner.core.errors import PlannerError
from planner.core.indicators import IndicatorSnapshot, Reading
from planner.core.model import PlanSettings, PlanTree, TaskNode
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
        raise PlannerError("数据库中还没有计划，请先运行 planner init 或 planner import FILE",
                           "the database holds no plan yet: run `planner init` or "
                           "`planner import FILE` first")
    return PlanSettings(plan.title, plan.start, plan.end, plan.report_cycle, plan.rollup,
                        plan.tolerance, plan.due_soon_days, plan.source)


def plan_revision(*, session: Session) -> int:
    """The plan's change counter (0 when there is no plan yet)."""
    return session.execute(select(Plan.revision)).scalar() or 0


def load_units(*, session: Session) -> dict[str, Unit]:
    """Units by id in their file order."""
    units = session.exec(select(Unit).order_by(Unit.position, Unit.id)).all()
    return {unit.id: unit for unit in units}


def load_tree(*, session: Session, include_archived: bool = False) -> PlanTree:
    """The whole plan as a snapshot: tasks, their units, last reports and postponements."""
    settings = load_settings(session=session)
    columns = (Task.id, Task.code, Task.title, Task.parent_id, Task.position, Task.start,
               Task.due, Task.status, Task.progress, Task.weight, Task.rollup_rule,
               Task.original_due, Task.needs_coordination, Task.coordination_reason,
               Task.version)
    query = select(*columns)
    if not include_archived:
        query = query.where(Task.archived == False)  # noqa: E712
    nodes = [
        TaskNode(id=row[0], code=row[1], title=row[2], parent_id=row[3], position=row[4],
                 start=row[5], due=row[6], status=Status(row[7]), progress=row[8],
                 weight=row[9], rollup_rule=row[10], original_due=row[11],
                 needs_coordination=row[12], coordination_reason=row[13], version=row[14])
        for row in session.execute(query)
    ]
    by_id = {node.id: node for node in nodes}
    support: dict[int, list[str]] = defaultdict(list)
    for task_id, unit_id, role in session.execute(
        select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role).order_by(TaskUnit.position)
    ):
        node = by_id.get(task_id)
        if node is None:
            continue
        if role == "lead":
            node.lead = unit_id
        else:
            support[task_id].append(unit_id)
    for task_id, units in support.items():
        by_id[task_id].support = tuple(units)
    for task_id, last_at in session.execute(
        select(ProgressUpdate.task_id, func.max(ProgressUpdate.at)).group_by(ProgressUpdate.task_id)
    ):
        if task_id in by_id:
            by_id[task_id].last_report = _as_date(last_at)
    for task_id, moved_later in session.execute(
        select(DueChange.task_id, func.count()).where(DueChange.new_due > DueChange.old_due)
        .group_by(DueChange.task_id)
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


def load_indicators(*, session: Session) -> list[IndicatorSnapshot]:
    """All indicators with their year targets and readings, oldest reading first."""
    task_codes = dict(session.execute(select(Task.id, Task.code)).all())
    indicators = session.exec(select(Indicator).order_by(Indicator.position, Indicator.code)).all()
    targets: dict[int, dict[int, float]] = defaultdict(dict)
    for target in session.exec(select(IndicatorTarget)):
        targets[target.indicator_id][target.year] = target.value
    readings: dict[int, list[Reading]] = defaultdict(list)
    for reading in session.exec(
        select(IndicatorReading).order_by(IndicatorReading.on, IndicatorReading.id)
    ):
        readings[reading.indicator_id].append(Reading(reading.on, reading.value, reading.source))
    return [
        IndicatorSnapshot(
            code=ind.code, name=ind.name, unit=ind.measure, baseline=ind.baseline,
            target=ind.target, direction=ind.direction,
            task_code=task_codes.get(ind.task_id) if ind.task_id else None,
            year_targets=targets[ind.id], readings=readings[ind.id], note=ind.note,
        )
        for ind in indicators
    ]


@dataclass(slots=True)
class HistoryEntry:
    """One line of an item's history: a progress update or a deadline move."""

    at: datetime
    by: str | None
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
        HistoryEntry(u.at, u.by_unit or u.by_user, u.old_status, u.new_status, u.old_progress,
                     u.new_progress, u.note)
        for u in session.exec(select(ProgressUpdate).where(ProgressUpdate.task_id == task_id))
    ]
    entries += [
        HistoryEntry(c.at, c.by_user, note=c.reason, old_due=c.old_due, new_due=c.new_due)
        for c in session.exec(select(DueChange).where(DueChange.task_id == task_id))
    ]
    return sorted(entries, key=lambda e: e.at)


def get_task(code: str, *, session: Session) -> Task:
    """The task row with `code`, or a PlannerError naming the code."""
    task = session.exec(select(Task).where(Task.code == code)).first()
    if task is None:
        raise PlannerError(f"没有编码为 {code} 的事项", f"no item with code {code}", where=code)
    return task


def task_units(task_id: int, *, session: Session) -> tuple[str | None, list[str]]:
    """(lead unit id, supporting unit ids) of one task."""
    rows = session.execute(
        select(TaskUnit.unit_id, TaskUnit.role).where(TaskUnit.task_id == task_id)
        .order_by(TaskUnit.position)
    ).all()
    lead = next((unit for unit, role in rows if role == "lead"), None)
    return lead, [unit for unit, role in rows if role != "lead"]
