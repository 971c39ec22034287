"""Bulk writes of a plan import: Core executemany on the session's connection.

The ORM's bulk path spends most of its time collecting per-row commands; Core sends the
same rows in one executemany. The cyclic garbage collector pauses meanwhile (100,000s of
small parameter dicts, no cycles among them), here rather than in every caller.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session

from planner.core.model import collector_paused
from planner.store.models import Task, TaskUnit


def insert_tasks(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new tasks (column values by name, every row with the same keys)."""
    if rows:
        with collector_paused():
            session.connection().execute(Task.__table__.insert(), rows)  # type: ignore[attr-defined]  # a table model's __table__ is set at runtime


def insert_task_units(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert lead/support rows (task_id, unit_id, role, position)."""
    if rows:
        with collector_paused():
            session.connection().execute(TaskUnit.__table__.insert(), rows)  # type: ignore[attr-defined]  # as above


def set_parents(session: Session, parent_by_task: Sequence[tuple[int, int | None]]) -> None:
    """Point each (task id, parent id) pair's task at its parent."""
    if not parent_by_task:
        return
    table = Task.__table__  # type: ignore[attr-defined]  # a table model's __table__ is set at runtime
    statement = (update(table).where(table.c.id == bindparam("task_id"))
                 .values(parent_id=bindparam("new_parent_id")))
    with collector_paused():
        session.connection().execute(statement, [
            {"task_id": task_id, "new_parent_id": parent_id}
            for task_id, parent_id in parent_by_task])
