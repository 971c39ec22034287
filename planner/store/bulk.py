"""Bulk writes of a plan import: row tuples, pre-converted, through the driver's executemany.

Core's executemany spends most of its time building and type-processing one parameter dict
per row (at 100,000 items, more than the driver spends writing them). Here the caller builds
one tuple per row in the column order of its `RowShape`, converting each value that needs it
with the shape's converter for that column: the column's own bind processor on the
connection's dialect, run once per distinct value (a plan repeats its dates, flags and
timestamps), so SQLite stores exactly what SQLAlchemy would (ISO dates, its datetime format,
0/1). The tuples go to the driver's executemany (sqlite3's, or psycopg's pipelined one) in
one call. The cyclic garbage collector pauses meanwhile (100,000s of small tuples, no cycles
among them), here rather than in every caller.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table
from sqlmodel import Session

from planner.core.model import collector_paused
from planner.store.models import Task, TaskUnit
from planner.store.sqlite_new import (
    TASK_COLUMNS,
    TASK_UNIT_COLUMNS,
    Run,
    indexes_after,
    large_cache,
    once_per_value,
)

TASK_TABLE: Table = Task.__table__  # type: ignore[attr-defined]  # a table model's __table__ is set at runtime
TASK_UNIT_TABLE: Table = TaskUnit.__table__  # type: ignore[attr-defined]  # as above


class RowShape:
    """The columns of one table's bulk rows, in order, and how to convert their values."""

    def __init__(self, session: Session, table: Table, columns: Sequence[str]) -> None:
        self.session, self.table, self.columns = session, table, tuple(columns)
        self.connection: Connection = session.connection()

    def converter(self, name: str) -> Callable[[Any], Any]:
        """Column `name`'s value as the driver takes it: the dialect's bind conversion, run
        once per distinct value; the value itself where the dialect converts nothing."""
        dialect = self.connection.dialect
        process = self.table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            return _same
        return once_per_value(process)

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """INSERT every row (a tuple in `columns` order, converted) in one executemany."""
        if not rows:
            return
        connection = self.connection
        quote = connection.dialect.identifier_preparer.quote
        marks = ", ".join([_placeholder(connection)] * len(self.columns))
        sql = (f"INSERT INTO {quote(self.table.name)} "
               f"({', '.join(quote(name) for name in self.columns)}) VALUES ({marks})")
        with collector_paused(), self._indexes_after(len(rows)):
            connection.exec_driver_sql(sql, rows)  # one executemany

    @contextmanager
    def _indexes_after(self, row_count: int) -> Iterator[None]:
        """On SQLite, within a transaction: `sqlite_new.indexes_after` (an empty table's
        indexes made after its rows). Elsewhere nothing changes."""
        connection = self.connection
        if connection.dialect.name != "sqlite" or not connection.in_transaction():
            yield
            return
        with indexes_after(_runner(connection), self.table.name, row_count):
            yield


def _same(value: Any) -> Any:
    return value


def task_rows(session: Session) -> RowShape:
    """The shape of new tasks' rows (TASK_COLUMNS)."""
    return RowShape(session, TASK_TABLE, TASK_COLUMNS)


def task_unit_rows(session: Session) -> RowShape:
    """The shape of lead/support rows (TASK_UNIT_COLUMNS)."""
    return RowShape(session, TASK_UNIT_TABLE, TASK_UNIT_COLUMNS)


@contextmanager
def bulk_writing(session: Session) -> Iterator[None]:
    """On SQLite, a page cache large enough for a big import's indexes while the block
    runs, the connection's own size restored after (whatever happens: a pooled connection
    keeps its settings); nothing to do on PostgreSQL. Durability and atomicity are those of
    every transaction: no journal or synchronous setting is touched."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    with large_cache(_runner(connection)):
        yield


def _runner(connection: Connection) -> Run:
    """A `sqlite_new.Run` on the session's connection (SQLAlchemy's errors and events)."""

    def run(sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        result = connection.exec_driver_sql(sql, tuple(params) if params else None)
        return [tuple(row) for row in result] if result.returns_rows else []

    return run


def _placeholder(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


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
