"""Engine and sessions: a SQLite file by default, any SQLAlchemy URL by `--db`/PLANNER_DB."""

import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

from planner.core.errors import PlannerError
from planner.store.dbapi import busy_timeout_ms  # the SQLAlchemy-free path's, shared

if TYPE_CHECKING:  # SQLAlchemy is imported by the functions that use it: `planner show` on a
    # SQLite file never does (store/dbapi.py)
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

PG_CONNECT_TIMEOUT_S = 10  # an unreachable PostgreSQL server fails after this, not minutes
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


#: user:password@ in a URL that SQLAlchemy cannot parse (the password is hidden all the same).
PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)([^@\s]*)@")


def url_password(url: str) -> str | None:
    """The password in `url`, also when the URL is malformed; None when it has none."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = make_url(url).password
        return None if password is None else str(password)
    except (ArgumentError, ValueError):
        found = PASSWORD_IN_URL.search(url)
        return found.group(2) if found else None


def display_url(url: str) -> str:
    """`url` as it may be shown to anyone: the password, if any, replaced by ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # malformed: mask what looks like user:password@
        return PASSWORD_IN_URL.sub(r"\1***@", url)


def hide_password(text: str, url: str) -> str:
    """`text` with the password of `url` (as given or URL-encoded) replaced by ***."""
    if "@" not in url:  # no user:password@ (a SQLite path): SQLAlchemy need not be loaded
        return text
    password = url_password(url)
    if password:
        for secret in {password, quote(password, safe="")}:
            text = text.replace(secret, "***")
    return text


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's begin event issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: "Connection") -> None:
    """Writers take the write lock up front, so a read-then-write never fails half-way."""
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> "Engine":
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout on every connection,
    PostgreSQL a connect timeout. A URL naming a database whose driver is not installed is
    refused with one line."""
    from sqlalchemy import event
    from sqlalchemy.engine import make_url
    from sqlmodel import create_engine

    from planner.store import models  # noqa: F401  (registers the tables)

    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms() / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    parsed = make_url(url)
    connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S} \
        if parsed.get_backend_name() == "postgresql" else {}
    try:
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except ImportError as exc:
        raise PlannerError("db_no_driver", driver=parsed.drivername, module=exc.name) from None


def create_schema(engine: "Engine", *, now: datetime | None = None) -> str | None:
    """Make the database current: create it at the newest schema, or upgrade an older SQLite
    file after a backup stamped `now` (returns the backup's path); see store/migrate.py."""
    from planner.store.migrate import ensure_current

    return ensure_current(engine, now=now)


@contextmanager
def session_scope(engine: "Engine", *, write: bool = False) -> Iterator["Session"]:
    """A session whose transaction commits on success and rolls back on any error.

    With `write=True` the transaction starts as a writer (SQLite: BEGIN IMMEDIATE;
    PostgreSQL: an advisory transaction lock), so concurrent writers queue (on SQLite up to
    the busy timeout) instead of failing mid-transaction.
    """
    from sqlmodel import Session

    with Session(engine) as session:
        if write:
            connection = session.connection(execution_options={WRITE_OPTION: True})
            if connection.dialect.name == "postgresql":
                # No BEGIN IMMEDIATE there: writers queue on one transaction-level advisory
                # lock, so a read-then-write (next free code, sibling positions) starts after
                # the previous writer's commit, as on SQLite; like there, for a bounded time.
                connection.exec_driver_sql(  # 0 would mean "forever" there
                    f"SET LOCAL lock_timeout = {max(busy_timeout_ms(), 1)}")
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
                connection.exec_driver_sql("SET LOCAL lock_timeout = DEFAULT")
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`, for IN (...) lists and bulk inserts: bound
    parameters per statement are limited on both backends."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
