"""Reads for the plan evaluation: when each item was reported done, and every deadline move.

Set queries only (one per call, whatever the size of the plan), on the session's plan.
"""

from datetime import datetime

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from planner.core.status import DONE_STATUSES
from planner.store.models import DueChange, ProgressUpdate, Task
from planner.store.queries import session_plan
from planner.store.report_reads import DueMoveRow

_DONE = [status.value for status in DONE_STATUSES]


def completion_times(*, session: Session, before: datetime) -> dict[int, datetime]:
    """Task id → when it was last reported done (moved into done or closed from another
    status), among updates recorded before `before`."""
    rows = session.execute(
        select(ProgressUpdate.task_id, ProgressUpdate.at)
        .join(Task, col(Task.id) == ProgressUpdate.task_id)
        .where(col(Task.plan_id) == session_plan(session),
               col(ProgressUpdate.new_status).in_(_DONE),
               col(ProgressUpdate.old_status).not_in(_DONE),
               col(ProgressUpdate.at) < before)
        .order_by(col(ProgressUpdate.at), col(ProgressUpdate.id)))
    return {task_id: at for task_id, at in rows}


def due_moves_before(*, session: Session, before: datetime) -> list[DueMoveRow]:
    """Every deadline move recorded before `before`, oldest first."""
    rows = session.execute(
        core_select(*map(col, (DueChange.task_id, Task.code, Task.title, DueChange.at,
                               DueChange.old_due, DueChange.new_due, DueChange.reason)))
        .join(Task, col(Task.id) == DueChange.task_id)
        .where(col(Task.plan_id) == session_plan(session), col(DueChange.at) < before)
        .order_by(col(DueChange.at), col(DueChange.id)))
    return [DueMoveRow(*row) for row in rows]
