"""Backup and restore of the whole database: the plan, its units, items and full history.

Two formats, told apart on restore by their first bytes, not by their names:

- a SQLite database file, made with SQLite's online backup API (a consistent copy while
  others keep writing), the natural backup of a SQLite store;
- a portable JSON dump (optionally gzipped): every table of the schema in dependency order,
  its columns and its rows, dates and times in ISO 8601, with a format version; the
  natural backup of a PostgreSQL store, and readable by either backend.

`backup FILE` writes JSON when FILE ends in .json or .json.gz, a SQLite file when it ends in
.db, .sqlite or .sqlite3, and otherwise the store's natural format. `restore FILE` refuses a
target that holds any row unless forced (then it replaces the content, in one transaction),
and puts PostgreSQL's id sequences past the restored ids.
"""

import gzip
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Table,
    TypeDecorator,
    bindparam,
    create_engine,
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
from sqlmodel import SQLModel

from planner.core.errors import PlannerError
from planner.services.access import actor_for, require_plan_editor
from planner.store.db import (
    BUSY_TIMEOUT_MS,
    chunks,
    create_schema,
    make_engine,
    session_scope,
    sqlite_file,
)
from planner.store.models import Plan
from planner.store.queries import load_settings, plan_revision

FORMAT = "planner-backup"
FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
JSON_SUFFIXES = (".json", ".json.gz")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
HISTORY_TABLES = ("progressupdate", "duechange")

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


def backup_database(engine: Engine, path: Path) -> BackupSummary:
    """Write a backup of the database behind `engine` to `path` (replacing any file there)."""
    with session_scope(engine) as session:
        load_settings(session=session)  # a clear error when there is nothing to back up
    kind = _backup_kind(engine, path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if kind == "sqlite" and engine.dialect.name == "sqlite":
            _sqlite_backup(_sqlite_path(engine), temporary, self_contained=True)
            total, history = _counts_in_sqlite_file(temporary)  # a page copy: count, not read
        else:
            rows = _read_engine(engine)
            if kind == "json":
                _write_json(rows, temporary, source=engine.dialect.name,
                            gzipped=path.name.lower().endswith(".gz"))
            else:
                _write_sqlite_file(rows, temporary)
            total, history = _count(rows), _history(rows)
        os.replace(temporary, path)
    except (OSError, sqlite3.Error, DBAPIError) as exc:
        detail = getattr(exc, "strerror", None) or str(getattr(exc, "orig", None) or exc)
        raise PlannerError(f"无法写入备份文件 {path}：{detail}",
                           f"cannot write the backup file {path}: {detail}") from None
    finally:
        for leftover in ("", "-wal", "-shm", "-journal"):
            Path(f"{temporary}{leftover}").unlink(missing_ok=True)
    return BackupSummary(path, kind, total, history)


def restore_database(engine: Engine, path: Path, *, force: bool = False,
                     by_user: str | None = None) -> RestoreSummary:
    """Restore a backup made by `backup_database` (either format) into `engine`'s database.

    A target holding any row is refused unless `force`, which replaces its whole content.
    Only a coordinator (`by_user`, see services/access.py) restores.
    """
    kind = _sniff(path)
    if engine.dialect.name == "sqlite" and path.resolve() == _sqlite_path(engine).resolve():
        raise PlannerError(f"{path} 就是目标数据库本身", f"{path} is the target database itself")
    if kind == "sqlite":
        rows, complete = _read_sqlite_file(path)
    else:
        rows, complete = _read_json(path), False
    with session_scope(engine, write=True) as session:
        require_plan_editor(session, actor_for(session, by_user))
        empty = _is_empty(session.connection())
        revision_before = 0 if empty else plan_revision(session=session)
    if not empty and not force:
        raise PlannerError("目标数据库已有数据，未做恢复；确认要覆盖请加 --force",
                           "the target database is not empty, nothing restored; add --force "
                           "to replace its content")
    try:
        if kind == "sqlite" and complete and engine.dialect.name == "sqlite":
            _sqlite_backup(path, _sqlite_path(engine), self_contained=False)
        else:
            with session_scope(engine, write=True) as session:
                connection = session.connection()
                if not empty:
                    _delete_all(connection)
                _insert_all(connection, rows)
                _reset_sequences(connection)
    except (DBAPIError, sqlite3.Error) as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise PlannerError(f"恢复失败，目标数据库未改动：{detail}",
                           f"restore failed, the target database is unchanged: {detail}") from None
    with session_scope(engine, write=True) as session:
        # Past both the target's old counter and the restored one: open TUIs always reload.
        restored = plan_revision(session=session)
        session.execute(update(Plan).values(revision=max(restored, revision_before) + 1))
    return RestoreSummary(path, kind, _count(rows), _history(rows), not empty)


# --- formats ------------------------------------------------------------------------------


def _backup_kind(engine: Engine, path: Path) -> str:
    name = path.name.lower()
    if name.endswith(JSON_SUFFIXES):
        return "json"
    if name.endswith(SQLITE_SUFFIXES):
        return "sqlite"
    return "sqlite" if engine.dialect.name == "sqlite" else "json"


def _not_a_backup(path: Path, why_zh: str, why_en: str) -> PlannerError:
    return PlannerError(f"{path} 不是可用的 planner 备份：{why_zh}",
                        f"{path} is not a usable planner backup: {why_en}")


def _sniff(path: Path) -> str:
    """"sqlite" or "json" from the file's first bytes."""
    try:
        with path.open("rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise PlannerError(f"无法读取备份文件 {path}：{exc.strerror or exc}",
                           f"cannot read the backup file {path}: {exc.strerror or exc}") from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(GZIP_MAGIC) or head.lstrip()[:1] == b"{":
        return "json"
    raise _not_a_backup(path, "既不是 SQLite 数据库也不是 JSON 导出文件",
                        "neither a SQLite database nor a JSON dump")


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


def _read_tables(connection: Connection, present: dict[str, set[str]] | None = None) -> Rows:
    """All rows of every table (only the tables and columns `present`, when given)."""
    rows: Rows = {}
    for table in _tables():
        columns: Sequence[Column[Any]] = list(table.columns)
        if present is not None:
            if table.name not in present:
                continue
            columns = [c for c in columns if c.name in present[table.name]]
        query = select(*columns).order_by(*table.primary_key.columns)
        rows[table.name] = [dict(row) for row in connection.execute(query).mappings()]
    return rows


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
        raise PlannerError("内存数据库不能备份或恢复", "an in-memory database cannot be backed up "
                           "or restored")
    return path


def _sqlite_backup(source: Path, target: Path, *, self_contained: bool) -> None:
    """Copy a whole SQLite database page by page (SQLite's online backup API), in one
    transaction on the target. A backup file is made `self_contained` (a rollback journal,
    no -wal file beside it); a restored live database gets WAL back on its next connect."""
    timeout = BUSY_TIMEOUT_MS / 1000
    reader = sqlite3.connect(source, timeout=timeout)
    writer = sqlite3.connect(target, timeout=timeout)
    try:
        reader.backup(writer)
        if self_contained:
            writer.execute("PRAGMA journal_mode=DELETE")
    finally:
        writer.close()
        reader.close()


def _sqlite_schema(path: Path) -> dict[str, set[str]]:
    """Table → column names of a SQLite file; PlannerError when it is no planner database."""
    connection = sqlite3.connect(path)
    try:
        if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("the integrity check failed")
        names = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: {column[1] for column in connection.execute(
            f'PRAGMA table_info("{name}")')} for name in names if not name.startswith("sqlite_")}
    except sqlite3.Error as exc:
        raise _not_a_backup(path, f"SQLite 文件已损坏（{exc}）", f"damaged SQLite file ({exc})"
                            ) from None
    finally:
        connection.close()


def _check_schema(path: Path, present: dict[str, set[str]]) -> bool:
    """Refuse tables or columns this version does not know (a newer planner's backup, or
    another program's database); True when every table and column of ours is there, with
    the schema version stamp (so a page copy gives a database of the current schema)."""
    known = {table.name: {column.name for column in table.columns} for table in _tables()}
    if "plan" not in present:
        raise _not_a_backup(path, "其中没有 plan 表", "it holds no plan table")
    for name, columns in present.items():
        if name == "alembic_version":
            continue
        if name not in known:
            raise _not_a_backup(path, f"未知的表 {name}（更新版本的备份？）",
                                f"unknown table {name} (a newer version's backup?)")
        unknown = sorted(columns - known[name])
        if unknown:
            raise _not_a_backup(path, f"表 {name} 有未知列 {', '.join(unknown)}",
                                f"table {name} has unknown columns {', '.join(unknown)}")
    complete = all(columns <= present.get(name, set()) for name, columns in known.items())
    return complete and "alembic_version" in present


def _read_sqlite_file(path: Path) -> tuple[Rows, bool]:
    """The rows of a SQLite backup, and whether its schema is complete (so that a page copy
    gives a database of the current schema)."""
    present = _sqlite_schema(path)
    complete = _check_schema(path, present)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return _read_tables(connection, present), complete
    except DBAPIError as exc:
        raise _not_a_backup(path, f"无法读取（{exc.orig}）", f"cannot be read ({exc.orig})"
                            ) from None
    finally:
        engine.dispose()


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


def _write_json(rows: Rows, path: Path, *, source: str, gzipped: bool) -> None:
    tables = []
    for table in _tables():
        columns = [column.name for column in table.columns]
        tables.append({"name": table.name, "columns": columns,
                       "rows": [[_encode(row[c]) for c in columns]
                                for row in rows.get(table.name, ())]})
    document = {"format": FORMAT, "version": FORMAT_VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "source": source, "tables": tables}
    opener = gzip.open if gzipped else open
    with opener(path, "wt", encoding="utf-8") as stream:
        json.dump(document, stream, ensure_ascii=False, separators=(",", ":"))
        stream.write("\n")


def _decoder(column: Column[Any]) -> Any:
    """The function turning a column's JSON value back into its Python value (None: as is)."""
    column_type = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    try:
        kind = column_type.python_type
    except NotImplementedError:
        return None
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is float:
        return float
    return None


def _read_json(path: Path) -> Rows:
    """The rows of a JSON dump, converted back to Python values; PlannerError when the file
    is damaged, of another format, of a newer version, or names unknown tables/columns."""
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == GZIP_MAGIC
        opener = gzip.open if gzipped else open
        with opener(path, "rt", encoding="utf-8") as stream:
            document = json.load(stream)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _not_a_backup(path, f"JSON 无法解析（{exc}）", f"unreadable JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _not_a_backup(path, "不是 planner 的 JSON 导出", "not a planner JSON dump")
    version = document.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _not_a_backup(path, f"格式版本 {version} 高于本程序支持的 {FORMAT_VERSION}",
                            f"format version {version} is newer than {FORMAT_VERSION}")
    tables = {table.name: table for table in _tables()}
    present: dict[str, set[str]] = {}
    rows: Rows = {}
    try:
        for entry in document["tables"]:
            name, columns = entry["name"], entry["columns"]
            present[name] = set(columns)
            table = tables.get(name)
            if table is None or not set(columns) <= set(table.columns.keys()):
                continue  # reported by _check_schema below
            decoders = [_decoder(table.columns[c]) for c in columns]
            rows[name] = [
                {c: v if v is None or f is None else f(v)
                 for c, f, v in zip(columns, decoders, values, strict=True)}
                for values in entry["rows"]
            ]
    except (KeyError, TypeError, ValueError) as exc:
        raise _not_a_backup(path, f"内容不完整或有误（{exc!r}）",
                            f"incomplete or malformed content ({exc!r})") from None
    _check_schema(path, present)
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
