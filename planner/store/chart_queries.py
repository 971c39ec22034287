"""The recorded history a progress chart replays (core/charts.py): the progress updates and
deadline moves of a set of items, oldest first, each on its local day."""

from collections.abc import Sequence
from typing import Any

from planner.core.charts import DueChange, ProgressChange
from planner.store.dbapi import STATUS_BY_VALUE, Db, day, local_date

#: Item ids per query (SQLite allows a limited number of bound parameters).
CHUNK = 500


def read_changes(db: Db, task_ids: Sequence[int]
                 ) -> tuple[list[ProgressChange], list[DueChange]]:
    """The progress updates and deadline moves of the items `task_ids`, each list oldest
    first (by time recorded, then by id)."""
    updates: list[tuple[Any, int, ProgressChange]] = []
    moves: list[tuple[Any, int, DueChange]] = []
    status_of = STATUS_BY_VALUE
    ids = list(task_ids)
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first:first + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row_id, task_id, at, old_status, new_status, old_progress, new_progress in db.rows(
                "SELECT id, task_id, at, old_status, new_status, old_progress, new_progress "
                f"FROM progressupdate WHERE task_id IN ({marks})", chunk):
            updates.append((at, row_id, ProgressChange(
                task_id, local_date(at), status_of[old_status], status_of[new_status],
                old_progress, new_progress)))
        for row_id, task_id, at, old_due, new_due in db.rows(
                "SELECT id, task_id, at, old_due, new_due FROM duechange "
                f"WHERE task_id IN ({marks})", chunk):
            moves.append((at, row_id, DueChange(task_id, local_date(at), day(old_due),  # type: ignore[arg-type]  # NOT NULL columns
                                                     day(new_due))))  # type: ignore[arg-type]  # NOT NULL column
    updates.sort(key=lambda row: (row[0], row[1]))  # one backend: all text, or all times
    moves.sort(key=lambda row: (row[0], row[1]))
    return [change for _, _, change in updates], [move for _, _, move in moves]
