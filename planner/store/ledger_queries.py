"""Reads for the ledger (台账): each item's latest progress note, archived items' state, and
the plan's identity.

Set queries only (one per call, whatever the size of the plan); a window function keeps them
portable between SQLite (3.25+) and PostgreSQL.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from planner.core.status import Status
from planner.store.dbapi import Db
from planner.store.models import Task
from planner.store.queries import session_plan
from planner.store.report_reads import LatestNote, read_latest_notes, read_plan_uid

__all__ = ["LatestNote"]  # re-exported: read where it was


def latest_notes(*, session: Session, before: datetime | None = None) -> dict[int, LatestNote]:
    """Task id → its latest non-empty progress note (latest by time, then by entry order),
    among the notes recorded before `before` when given (store.report_reads)."""
    return read_latest_notes(Db.of_session(session), before)


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
    return read_plan_uid(Db.of_session(session))
