"""Bulk writes of a plan import: pre-converted rows through the driver's own executemany.

Core's executemany spends most of its time building and type-processing one parameter dict
per row (at 100,000 items, more than the driver spends writing them). Here each column's
value is converted once per distinct value with the dialect's own bind processor (so SQLite
stores exactly what SQLAlchemy would: ISO dates, its datetime format, 0/1), and the tuples go
to the driver's executemany (sqlite3's, or psycopg's pipelined one) in one call. The cyclic
garbage collector pauses meanwhile (100,000s of small tuples, no cycles among them), here
rather than in every caller.
"""

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table
from sqlmodel import Session

from planner.store.models import Task, TaskUnit

TASK_TABLE: Table = Task.__table__  # type: ignore[attr-defined]  # a table model's __table__ is set at runtime
TASK_UNIT_TABLE: Table = TaskUnit.__table__  # type: ignore[attr-defined]  # as above


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _converter(connection: Connection, table: Table, name: str) -> Callable[[Any], Any]:
    """The column's bind conversion on this connection's dialect, memoised by value (a plan
    repeats its dates, flags and timestamps), or the identity when the driver takes the
    value as it is."""
    dialect = connection.dialect
    process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return lambda value: value
    converted: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return converted[value]
        except KeyError:
            result = converted[value] = process(value)
            return result
        except TypeError:  # unhashable: convert every time
            return process(value)

    return convert


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
    columns = [(name, _converter(connection, table, name)) for name in names]
    with _collector_paused():
        values = [tuple([convert(row[name]) for name, convert in columns]) for row in rows]
        connection.exec_driver_sql(sql, values)  # a list of tuples: one executemany


def insert_tasks(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert new tasks (column values by name, every row with the same keys)."""
    _insert(session, TASK_TABLE, rows)


def insert_task_units(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert lead/support rows (task_id, unit_id, role, position)."""
    _insert(session, TASK_UNIT_TABLE, rows)


def set_parents(session: Session, parent_by_task: Sequence[tuple[int, int | None]]) -> None:
    """Point each (task id, parent id) pair's task at its parent."""
    if not parent_by_task:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    mark = _placeholder(connection)
    sql = (f"UPDATE {quote(TASK_TABLE.name)} SET {quote('parent_id')} = {mark} "
           f"WHERE {quote('id')} = {mark}")
    with _collector_paused():
        connection.exec_driver_sql(sql, [(parent_id, task_id)
                                         for task_id, parent_id in parent_by_task])
