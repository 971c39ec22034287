"""Reads for the ledger (台账): each item's latest progress note, archived items' state, and
the plan's identity.

Set queries only (one per call, whatever the size of the plan); a window function keeps them
portable between SQLite (3.25+) and PostgreSQL.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from planner.core.errors import PlannerError
from planner.core.status import Status
from planner.store.models import Plan, ProgressUpdate, Task
from planner.store.queries import session_plan


@dataclass(frozen=True, slots=True)
class LatestNote:
    """The most recent non-empty note on an item and when it was recorded."""

    note: str
    at: datetime


def latest_notes(*, session: Session, before: datetime | None = None) -> dict[int, LatestNote]:
    """Task id → its latest non-empty progress note (latest by time, then by entry order),
    among the notes recorded before `before` when given."""
    ranked = (
        select(ProgressUpdate.task_id, ProgressUpdate.note, ProgressUpdate.at,
               func.row_number().over(
                   partition_by=col(ProgressUpdate.task_id),
                   order_by=(col(ProgressUpdate.at).desc(), col(ProgressUpdate.id).desc()),
               ).label("rank"))
        .where(col(ProgressUpdate.task_id).in_(
                   select(Task.id).where(Task.plan_id == session_plan(session))),
               col(ProgressUpdate.note).is_not(None), func.trim(ProgressUpdate.note) != "",
               *([ProgressUpdate.at < before] if before is not None else []))
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.task_id, ranked.c.note, ranked.c.at).where(ranked.c.rank == 1))
    return {task_id: LatestNote(note, at) for task_id, note, at in rows}


@dataclass(frozen=True, slots=True)
class ArchivedItem:
    """The stored state of an archived item (the tree snapshot leaves these out)."""

    id: int
    code: str
    status: Status
    progress: float


def archived_items(*, session: Session) -> dict[str, ArchivedItem]:
    """Archived items by code."""
    rows = session.execute(
        select(Task.id, Task.code, Task.status, Task.progress)
        .where(Task.archived == True, Task.plan_id == session_plan(session))  # noqa: E712
    )
    return {code: ArchivedItem(task_id, code, Status(status), progress)
            for task_id, code, status, progress in rows}


def plan_uid(*, session: Session) -> str:
    """The plan's identity (plan.uid): written into an exported ledger, checked on import."""
    uid = session.execute(select(Plan.uid).where(Plan.id == session_plan(session))).scalar()
    if uid is None:
        raise PlannerError("db_no_plan")
    return str(uid)
