"""Engine and sessions: a SQLite file by default, any SQLAlchemy URL by `--db`/PLANNER_DB."""

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from planner.store import models  # noqa: F401  (registers the tables)

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "planner_write"
CHUNK = 2_000  # rows or ids per statement: well under SQLite's and PostgreSQL's limits
T = TypeVar("T")
PG_WRITE_LOCK = 0x706C616E  # "plan": the advisory lock key of PostgreSQL writers


def default_db_path() -> Path:
    """The per-user database file: $XDG_DATA_HOME/planner/planner.db."""
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "planner" / "planner.db"


def resolve_url(db: str | None) -> str:
    """A SQLAlchemy URL from `--db` (URL or file path), else PLANNER_DB, else the default."""
    value = db or os.environ.get("PLANNER_DB") or str(default_db_path())
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # SQLAlchemy's begin event issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    """Writers take the write lock up front, so a read-then-write never fails half-way."""
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def create_schema(engine: Engine) -> str | None:
    """Make the database current: create it at the newest schema, or upgrade an older SQLite
    file after a backup (returns the backup's path); see store/migrate.py."""
    from planner.store.migrate import ensure_current

    return ensure_current(engine)


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error.

    With `write=True` the transaction starts as a writer (SQLite: BEGIN IMMEDIATE;
    PostgreSQL: an advisory transaction lock), so concurrent writers queue (on SQLite up to
    the busy timeout) instead of failing mid-transaction.
    """
    with Session(engine) as session:
        if write:
            connection = session.connection(execution_options={WRITE_OPTION: True})
            if connection.dialect.name == "postgresql":
                # No BEGIN IMMEDIATE there: writers queue on one transaction-level advisory
                # lock, so a read-then-write (next free code, sibling positions) starts after
                # the previous writer's commit, as on SQLite.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def sqlite_file(engine: Engine) -> Path | None:
    """The SQLite file behind `engine`; None for another backend or an in-memory database."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`, for IN (...) lists and bulk inserts: bound
    parameters per statement are limited on both backends."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
