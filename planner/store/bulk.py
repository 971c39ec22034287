"""Bulk writes of a plan import: pre-converted rows through the driver's own executemany.

Core's executemany spends most of its time building and type-processing one parameter dict
per row (at 100,000 items, more than the driver spends writing them). Here the rows are
taken column by column, each distinct value converted once by the column's own bind
processor on the connection's dialect (so SQLite stores exactly what SQLAlchemy would: ISO
dates, its datetime format, 0/1), and the tuples go to the driver's executemany (sqlite3's,
or psycopg's pipelined one) in one call. The cyclic garbage collector pauses meanwhile
(100,000s of small tuples, no cycles among them), here rather than in every caller.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlmodel import Session

from planner.core.model import collector_paused
from planner.store.models import Task, TaskUnit

TASK_TABLE: Table = Task.__table__  # type: ignore[attr-defined]  # a table model's __table__ is set at runtime
TASK_UNIT_TABLE: Table = TaskUnit.__table__  # type: ignore[attr-defined]  # as above


def _column(connection: Connection, table: Table, name: str,
            rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Column `name` of `rows` as the driver takes it: the dialect's own bind conversion,
    run once per distinct value (a plan repeats its dates, flags and timestamps)."""
    values = [row[name] for row in rows]
    dialect = connection.dialect
    process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return values
    converted = {value: process(value) for value in set(values)}
    return [converted[value] for value in values]


def _placeholder(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT every row (all with the keys of the first) in one driver executemany."""
    if not rows:
        return
    connection = session.connection()
    names = list(rows[0])
    quote = connection.dialect.identifier_preparer.quote
    marks = ", ".join([_placeholder(connection)] * len(names))
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
           f"VALUES ({marks})")
    with collector_paused():
        columns = [_column(connection, table, name, rows) for name in names]
        connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))  # one executemany


def insert_tasks(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new tasks (column values by name, every row with the same keys)."""
    _insert(session, TASK_TABLE, rows)


def insert_task_units(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert lead/support rows (task_id, unit_id, role, position)."""
    _insert(session, TASK_UNIT_TABLE, rows)


def new_task_ids(session: Session, count: int) -> list[int]:
    """Ids for `count` new tasks, in order, as the database would give them one insert at a
    time (so an import can write each task's parent id with the task): on SQLite the next
    after the largest (the caller holds the write lock), on PostgreSQL the id sequence's."""
    if count == 0:
        return []
    connection = session.connection()
    table = connection.dialect.identifier_preparer.quote(TASK_TABLE.name)
    if connection.dialect.name == "sqlite":
        top = connection.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar() or 0
        return list(range(top + 1, top + 1 + count))
    rows = connection.exec_driver_sql(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        (TASK_TABLE.name, count))
    return sorted(row[0] for row in rows)


def set_parents(session: Session, parent_by_task: Sequence[tuple[int, int | None]]) -> None:
    """Point each (task id, parent id) pair's task at its parent."""
    if not parent_by_task:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    mark = _placeholder(connection)
    sql = (f"UPDATE {quote(TASK_TABLE.name)} SET {quote('parent_id')} = {mark} "
           f"WHERE {quote('id')} = {mark}")
    with collector_paused():
        connection.exec_driver_sql(sql, [(parent_id, task_id)
                                         for task_id, parent_id in parent_by_task])
