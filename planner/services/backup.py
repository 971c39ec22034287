"""Backup and restore of the whole database: the plan, its units, items and full history.

Two formats, told apart on restore by their first bytes, not by their names:

- a SQLite database file, made with SQLite's online backup API (a consistent copy while
  others keep writing), the natural backup of a SQLite store;
- a portable JSON dump (optionally gzipped): every table of the schema in dependency order,
  its columns and its rows, dates and times in ISO 8601, with a format version; the
  natural backup of a PostgreSQL store, and readable by either backend.

`backup FILE` writes JSON when FILE ends in .json or .json.gz, a SQLite file when it ends in
.db, .sqlite or .sqlite3, and otherwise the store's natural format; never over the live
database or its -wal/-shm/-journal files.

A backup is input and is trusted no more than a plan file. `restore FILE` copies rows, never
schema objects: the target's tables, triggers, views and indexes are the program's own, and
only the tables and columns this version knows are read from the backup (a SQLite file
opened read-only and immutable, nothing but SELECTs run on it). A backup stamped with a
schema newer than this code is refused; an older one is restored column by column, the
columns it lacks taking their defaults. JSON is read with a bound on its (decompressed)
size. Every value is checked before anything is written (services/restore_check.py). A
target that holds any row is refused unless forced; a backup without users over a
database with users (which would switch it to trust mode) is refused unless
`allow_trust_mode`. Everything happens in one transaction, PostgreSQL's id sequences move
past the restored ids, and each restored user's PostgreSQL login role is put in its group.
"""

import gzip
import json
import os
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    func,
    inspect,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import sort_tables_and_constraints
from sqlmodel import SQLModel, col

from planner.core.errors import PlannerError
from planner.i18n import msg
from planner.services.access import actor_for, require_plan_editor
from planner.services.restore_check import check_content, decode_rows, fill_one_plan, printable
from planner.services.users import ensure_login_roles
from planner.store.db import chunks, create_schema, make_engine, session_scope
from planner.store.migrate import head_revision, known_revision, sqlite_file
from planner.store.models import Plan, PlannerUser
from planner.store.queries import load_settings, plan_revision
from planner.store.sqlite_copy import copy_sqlite

FORMAT = "planner-backup"
FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
JSON_SUFFIXES = (".json", ".json.gz")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
HISTORY_TABLES = ("progressupdate", "duechange", "cycleevent")
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
STAMP_TABLE = "alembic_version"
MAX_JSON_BYTES = 256 * 1024 * 1024
"""A JSON dump larger than this (after gunzip) is refused: far above any plan with years of
history (a few MB), far below what would exhaust memory once parsed."""
READ_CHUNK = 1024 * 1024

Rows = dict[str, list[dict[str, Any]]]  # table name → rows as {column: Python value}


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup wrote: its format ("sqlite" or "json"), rows, and history entries."""

    path: Path
    kind: str
    rows: int
    history: int


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    """What a restore put in place, and whether it replaced existing content."""

    path: Path
    kind: str
    rows: int
    history: int
    replaced: bool
    trust_mode: bool
    """The target had users and the backup has none: everyone is a coordinator now."""


def backup_database(engine: Engine, path: Path, *, now: datetime) -> BackupSummary:
    """Write a backup of the database behind `engine` to `path` (replacing any file there,
    but never the live database or its companion files); a JSON dump is stamped `now`."""
    _refuse_live_target(engine, path)
    with session_scope(engine) as session:
        load_settings(session=session)  # a clear error when there is nothing to back up
    kind = _backup_kind(engine, path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if kind == "sqlite" and engine.dialect.name == "sqlite":
            _sqlite_path(engine)  # an in-memory database is refused
            copy_sqlite(engine, temporary)
            total, history = _counts_in_sqlite_file(temporary)  # a page copy: count, not read
        else:
            rows = _read_engine(engine)
            if kind == "json":
                _write_json(rows, temporary, source=engine.dialect.name, now=now,
                            gzipped=path.name.lower().endswith(".gz"))
            else:
                _write_sqlite_file(rows, temporary)
            total, history = _count(rows), _history(rows)
        os.replace(temporary, path)
    except (OSError, sqlite3.Error, DBAPIError) as exc:
        detail = getattr(exc, "strerror", None) or str(getattr(exc, "orig", None) or exc)
        raise PlannerError("backup_cannot_write", path=path, detail=detail) from None
    finally:
        for leftover in ("", "-wal", "-shm", "-journal"):
            Path(f"{temporary}{leftover}").unlink(missing_ok=True)
    return BackupSummary(path, kind, total, history)


def restore_database(engine: Engine, path: Path, *, force: bool = False,
                     by_user: str | None = None,
                     allow_trust_mode: bool = False) -> RestoreSummary:
    """Restore a backup made by `backup_database` (either format) into `engine`'s database.

    Every row is read and checked before anything is written, then the content is replaced
    in one transaction. A target holding any row is refused unless `force`; a backup with no
    users over a target with users unless `allow_trust_mode`. Only a coordinator
    (`by_user`, see services/access.py) restores.
    """
    kind = _sniff(path)
    if engine.dialect.name == "sqlite" and path.resolve() == _sqlite_path(engine).resolve():
        raise PlannerError("backup_is_target", path=path)
    rows = _read_sqlite_file(path) if kind == "sqlite" else _read_json(path)
    fill_one_plan(rows)
    check_content(path, rows)
    try:
        with session_scope(engine, write=True) as session:
            require_plan_editor(session, actor_for(session, by_user))
            connection = session.connection()
            empty = _is_empty(connection)
            if not empty and not force:
                raise PlannerError("backup_target_not_empty")
            former_users = list(session.execute(select(col(PlannerUser.name))).scalars())
            trust_mode = bool(former_users) and not rows.get("planneruser")
            if trust_mode and not allow_trust_mode:
                raise PlannerError("backup_trust_mode", where=str(path))
            revision_before = 0 if empty else plan_revision(session=session)
            if not empty:
                _delete_all(connection)
            _insert_all(connection, rows)
            _reset_sequences(connection)
            ensure_login_roles(session, former_users)
            # Past both the target's old counter and the restored one: open TUIs reload.
            restored = plan_revision(session=session)
            session.execute(update(Plan).values(revision=max(restored, revision_before) + 1))
    except (DBAPIError, sqlite3.Error) as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise PlannerError("backup_restore_failed", detail=detail) from None
    return RestoreSummary(path, kind, _count(rows), _history(rows), not empty, trust_mode)


# --- formats ------------------------------------------------------------------------------


def _backup_kind(engine: Engine, path: Path) -> str:
    name = path.name.lower()
    if name.endswith(JSON_SUFFIXES):
        return "json"
    if name.endswith(SQLITE_SUFFIXES):
        return "sqlite"
    return "sqlite" if engine.dialect.name == "sqlite" else "json"


def _refuse_live_target(engine: Engine, path: Path) -> None:
    """A backup written over the live SQLite file or its -wal/-shm/-journal would replace a
    file SQLite owns (which deletes a -wal on close): refuse, comparing resolved paths."""
    live = sqlite_file(engine)
    if live is None:
        return
    live, target = live.resolve(), path.resolve()
    own = {live, *(Path(f"{live}{suffix}") for suffix in SQLITE_COMPANIONS)}
    if target in own or (target.exists() and live.exists() and os.path.samefile(target, live)):
        raise PlannerError("backup_onto_live", path=path)


def _not_a_backup(path: Path, why: str, /, **params: object) -> PlannerError:
    """`path` refused as a backup, for the reason `why` (a catalogue key) with `params`."""
    return PlannerError("backup_unusable", path=path, why=msg(why, **params))


def _sniff(path: Path) -> str:
    """"sqlite" or "json" from the file's first bytes."""
    try:
        with path.open("rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise PlannerError("backup_unreadable", path=path, reason=exc.strerror or exc) from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(GZIP_MAGIC) or head.lstrip()[:1] == b"{":
        return "json"
    raise _not_a_backup(path, "backup_unknown_format")


def _tables() -> list[Table]:
    """Every table of the schema, each after the tables it refers to."""
    return list(SQLModel.metadata.sorted_tables)


def _deferred_columns() -> dict[str, list[str]]:
    """Foreign-key columns to fill in after all rows exist: those referring to their own
    table (task.parent_id) or closing a cycle between tables."""
    deferred: dict[str, list[str]] = {}
    for table, constraints in sort_tables_and_constraints(SQLModel.metadata.tables.values()):
        for constraint in constraints:
            if table is None or constraint.referred_table is table:
                owner = constraint.parent
                deferred.setdefault(owner.name, []).extend(c.name for c in constraint.columns)
    return deferred


def _count(rows: Rows) -> int:
    return sum(len(table_rows) for table_rows in rows.values())


def _history(rows: Rows) -> int:
    return sum(len(rows.get(name, ())) for name in HISTORY_TABLES)


def _counts_in_sqlite_file(path: Path) -> tuple[int, int]:
    """(all rows, history rows) of a SQLite backup file, counted in SQL."""
    connection = sqlite3.connect(path)
    try:
        counts = {table.name: connection.execute(f'SELECT count(*) FROM "{table.name}"')
                  .fetchone()[0] for table in SQLModel.metadata.sorted_tables}
    finally:
        connection.close()
    return sum(counts.values()), sum(counts.get(name, 0) for name in HISTORY_TABLES)


def _read_tables(connection: Connection) -> Rows:
    """All rows of every table."""
    return {table.name: [dict(row) for row in connection.execute(
        select(table).order_by(*table.primary_key.columns)).mappings()] for table in _tables()}


def _read_engine(engine: Engine) -> Rows:
    """Every row of a live database, from one consistent snapshot."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            return _read_tables(connection)


# --- SQLite files -------------------------------------------------------------------------


def _sqlite_path(engine: Engine) -> Path:
    path = sqlite_file(engine)
    if path is None:
        raise PlannerError("backup_in_memory")
    return path


def _open_backup_file(path: Path) -> sqlite3.Connection:
    """A SQLite backup opened read-only and immutable (no locks, no journal, nothing written
    beside it), with the schema's own SQL functions and virtual tables distrusted."""
    if Path(f"{path}-wal").is_file() and Path(f"{path}-wal").stat().st_size:
        raise _not_a_backup(path, "backup_wal_beside")
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    connection.execute("PRAGMA trusted_schema=OFF")
    connection.execute("PRAGMA query_only=ON")
    return connection


def _sqlite_schema(path: Path, connection: sqlite3.Connection) -> dict[str, list[str]]:
    """Table → column names of a SQLite file (its views, triggers and indexes are ignored)."""
    if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
        raise sqlite3.DatabaseError("the integrity check failed")
    tables = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                                ).fetchall()
    present: dict[str, list[str]] = {}
    for name, sql in tables:
        if name.startswith("sqlite_"):
            continue
        if not str(sql).lstrip().upper().startswith("CREATE TABLE"):
            raise _not_a_backup(path, "backup_not_plain_table", name=printable(name))
        present[name] = [column[1] for column in connection.execute(
            "SELECT * FROM pragma_table_info(?)", (name,))]
    return present


def _check_schema(path: Path, present: dict[str, list[str]]) -> None:
    """Refuse tables or columns this version does not know (a newer planner's backup, or
    another program's database)."""
    known = {table.name: {column.name for column in table.columns} for table in _tables()}
    if "plan" not in present:
        raise _not_a_backup(path, "backup_no_plan_table")
    for name, columns in present.items():
        if name == STAMP_TABLE:
            continue
        if name not in known:
            raise _not_a_backup(path, "backup_unknown_table", name=printable(name))
        unknown = printable(", ".join(sorted(set(columns) - known[name])))
        if unknown:
            raise _not_a_backup(path, "backup_unknown_columns", name=name, columns=unknown)
        if len(set(columns)) != len(columns):
            raise _not_a_backup(path, "backup_repeated_column", name=name)


def _check_stamp(path: Path, stamps: list[Any]) -> None:
    """Refuse a backup whose schema version this code does not know: a newer planner's."""
    for stamp in stamps:
        if not isinstance(stamp, str) or not known_revision(stamp):
            shown = printable(stamp)
            raise _not_a_backup(path, "backup_newer_schema", stamp=shown, head=head_revision())


def _read_sqlite_file(path: Path) -> Rows:
    """The rows of a SQLite backup: only SELECTs of the known tables and columns, each value
    checked (restore_check.decode_rows)."""
    try:
        connection = _open_backup_file(path)
    except sqlite3.Error as exc:
        raise _not_a_backup(path, "backup_cannot_open", detail=str(exc)) from None
    try:
        present = _sqlite_schema(path, connection)
        if STAMP_TABLE in present:
            if present[STAMP_TABLE] != ["version_num"]:
                raise _not_a_backup(path, "backup_bad_stamp_table", name=STAMP_TABLE)
            _check_stamp(path, [stamp for (stamp,) in connection.execute(
                f'SELECT version_num FROM "{STAMP_TABLE}"')])
        _check_schema(path, present)
        rows: Rows = {}
        for table in _tables():
            if table.name not in present:
                continue
            columns = [c.name for c in table.columns if c.name in present[table.name]]
            order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns
                              if c.name in columns) or "rowid"
            quoted = ", ".join(f'"{c}"' for c in columns)
            cursor = connection.execute(f'SELECT {quoted} FROM "{table.name}" ORDER BY {order}')
            rows[table.name] = decode_rows(path, table.name, columns, cursor)
        return rows
    except sqlite3.Error as exc:
        raise _not_a_backup(path, "backup_damaged_sqlite", detail=str(exc)) from None
    finally:
        connection.close()


def _write_sqlite_file(rows: Rows, path: Path) -> None:
    """A new SQLite file of the current schema holding `rows` (a PostgreSQL → .db backup)."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        create_schema(engine)
        with session_scope(engine, write=True) as session:
            _insert_all(session.connection(), rows)
    finally:
        engine.dispose()
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        connection.close()


# --- JSON dumps ---------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _write_json(rows: Rows, path: Path, *, source: str, now: datetime, gzipped: bool) -> None:
    tables = []
    for table in _tables():
        columns = [column.name for column in table.columns]
        tables.append({"name": table.name, "columns": columns,
                       "rows": [[_encode(row[c]) for c in columns]
                                for row in rows.get(table.name, ())]})
    document = {"format": FORMAT, "version": FORMAT_VERSION, "schema": head_revision(),
                "created_at": now.astimezone(UTC).isoformat(timespec="seconds"),
                "source": source, "tables": tables}
    opener = gzip.open if gzipped else open
    with opener(path, "wt", encoding="utf-8") as stream:
        json.dump(document, stream, ensure_ascii=False, separators=(",", ":"))
        stream.write("\n")


def _read_bounded(path: Path) -> bytearray:
    """The bytes of a JSON dump, gunzipped when compressed, read in pieces: more than
    MAX_JSON_BYTES is refused before it is all in memory (a gzip bomb)."""
    limit = MAX_JSON_BYTES
    data = bytearray()
    with path.open("rb") as raw:
        gzipped = raw.read(len(GZIP_MAGIC)) == GZIP_MAGIC
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw) if gzipped else raw
        while chunk := stream.read(READ_CHUNK):
            data += chunk
            if len(data) > limit:
                size = f"{limit / 2**20:g} MiB"
                raise _not_a_backup(path, "backup_too_big", size=size)
    return data


def _read_json(path: Path) -> Rows:
    """The rows of a JSON dump, each value checked and converted (restore_check.decode_rows);
    PlannerError when the file is damaged, too large, of another format, of a newer version,
    or names unknown tables/columns."""
    try:
        document = json.loads(_read_bounded(path))
    except (OSError, EOFError, zlib.error, ValueError, RecursionError) as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise _not_a_backup(path, "backup_bad_json", detail=detail) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _not_a_backup(path, "backup_not_planner_json")
    version = document.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _not_a_backup(path, "backup_newer_format", version=version,
                            supported=FORMAT_VERSION)
    if "schema" in document:
        _check_stamp(path, [document["schema"]])
    try:
        entries = {entry["name"]: entry for entry in document["tables"]}
        if len(entries) != len(document["tables"]):
            raise ValueError("a table appears twice")
        present = {name: list(entry["columns"]) for name, entry in entries.items()}
        if not all(isinstance(c, str) for columns in present.values() for c in columns):
            raise ValueError("column names are not all text")
        _check_schema(path, present)
        rows: Rows = {}
        for table in _tables():
            entry = entries.get(table.name)
            if entry is not None:
                if not isinstance(entry["rows"], list):
                    raise ValueError(f"the rows of {table.name} are not a list")
                rows[table.name] = decode_rows(path, table.name, present[table.name],
                                               entry["rows"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _not_a_backup(path, "backup_malformed", detail=repr(exc)) from None
    return rows


# --- writing rows -------------------------------------------------------------------------


def _is_empty(connection: Connection) -> bool:
    existing = set(inspect(connection).get_table_names())
    return not any(
        connection.execute(select(literal(1)).select_from(table).limit(1)).first()
        for table in _tables() if table.name in existing
    )


def _delete_all(connection: Connection) -> None:
    """Empty every table, dependents first (deferred references cleared before)."""
    tables = {table.name: table for table in _tables()}
    for name, columns in _deferred_columns().items():
        connection.execute(update(tables[name]).values({c: None for c in columns}))
    for table in reversed(_tables()):
        connection.execute(table.delete())



def _insert_all(connection: Connection, rows: Rows) -> None:
    """Insert every table's rows in dependency order; deferred references go in last."""
    deferred = _deferred_columns()
    later: list[tuple[Table, list[str], list[dict[str, Any]]]] = []
    for table in _tables():
        table_rows = rows.get(table.name)
        if not table_rows:
            continue
        held = [c for c in deferred.get(table.name, ()) if c in table_rows[0]]
        if held:
            later.append((table, held, table_rows))
            table_rows = [{**row, **dict.fromkeys(held)} for row in table_rows]
        for chunk in chunks(table_rows):
            connection.execute(table.insert(), chunk)
    for table, held, table_rows in later:
        keys = [column.name for column in table.primary_key.columns]
        statement = update(table).where(
            *(table.c[k] == bindparam(f"key_{k}") for k in keys)
        ).values({c: bindparam(f"new_{c}") for c in held})
        values = [{**{f"key_{k}": row[k] for k in keys}, **{f"new_{c}": row[c] for c in held}}
                  for row in table_rows if any(row[c] is not None for c in held)]
        for chunk in chunks(values):
            connection.execute(statement, chunk)


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: make each serial id's sequence continue after the largest restored id."""
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in _tables():
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = connection.execute(select(func.pg_get_serial_sequence(
            preparer.format_table(table), column.name))).scalar()
        if sequence is None:
            continue
        largest = connection.execute(select(func.max(column))).scalar() or 0
        connection.execute(text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
                           {"sequence": sequence, "next": largest + 1})
