"""A new SQLite file made on the DB-API alone (store/sqlite_new.py) has exactly the schema
that `ensure_current` gives a new database through SQLAlchemy (and so the migrations)."""

import sqlite3
from pathlib import Path

from planner.store.db import create_schema, make_engine
from planner.store.dbapi import SCHEMA_HEAD, sqlite_file_transaction
from planner.store.sqlite_new import SCHEMA, create_sqlite_file, insert_rows


def _schema(path: Path) -> tuple[list[tuple[str, str, str | None]], list[list[str]],
                                  list[tuple[str, ...]]]:
    """The tables in order with their DDL, each table's index definitions (`create_all`
    makes a table's indexes in no fixed order: sorted here), and the version stamp."""
    with sqlite3.connect(path) as connection:
        tables = connection.execute("SELECT type, name, sql FROM sqlite_master "
                                    "WHERE type = 'table' ORDER BY rowid").fetchall()
        indexes = [sorted(f"{name} {sql}" for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
            (table,))) for _type, table, _sql in tables]
        stamp = connection.execute("SELECT * FROM alembic_version").fetchall()
    return tables, indexes, stamp


def test_a_new_file_has_the_schema_create_all_gives(tmp_path: Path) -> None:
    """If this fails after a model changed, capture the DDL again: the `sql` column of
    `sqlite_master` (rowid order, NULLs left out) of a file made by `create_schema`."""
    engine = make_engine(f"sqlite:///{tmp_path / 'orm.db'}")
    try:
        create_schema(engine)
    finally:
        engine.dispose()
    create_sqlite_file(str(tmp_path / "new" / "plain.db"))
    assert _schema(tmp_path / "new" / "plain.db") == _schema(tmp_path / "orm.db")
    assert _schema(tmp_path / "orm.db")[2] == [(SCHEMA_HEAD,)]


def test_a_file_made_meanwhile_is_left_as_it_is(tmp_path: Path) -> None:
    """Another process that made the tables first wins: nothing is created twice."""
    path = tmp_path / "plan.db"
    create_sqlite_file(str(path))
    create_sqlite_file(str(path))
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        assert connection.execute("SELECT count(*) FROM sqlite_master WHERE sql IS NOT NULL"
                                  ).fetchone() == (len(SCHEMA),)


def test_columns_none_in_every_row_store_what_binding_stores(tmp_path: Path) -> None:
    """A column None in every row is written as NULL in the statement: what is stored is
    what binding each None stores (a column's default included)."""
    rows = [(1, None, None, None, "x"), (2, None, None, 0, None), (3, None, None, None, None)]
    columns = ("a", "b", "c", "d", "e")
    stored = []
    for name, insert in (("bound.db", False), ("literal.db", True)):
        with sqlite_file_transaction(str(tmp_path / name), write=True) as db:
            db.execute("CREATE TABLE t (a INTEGER, b TEXT, c TEXT DEFAULT 'x', d INTEGER, e)")
            if insert:
                insert_rows(db, "t", columns, rows)
            else:
                db.connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", rows)
            stored.append(db.rows("SELECT *, " + ", ".join(f"typeof({name})" for name in columns)
                                  + " FROM t ORDER BY a"))
    assert stored[1] == stored[0]
    assert stored[0][0][2] is None
