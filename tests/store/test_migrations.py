"""Schema migrations: a database made by the first release upgrades with nothing lost."""

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from planner.cli import main
from planner.store.db import make_engine
from planner.store.dbapi import SCHEMA_HEAD
from planner.store.migrate import current_revision, head_revision, upgrade

FIRST_RELEASE_DB = Path(__file__).resolve().parents[1] / "data" / "schema_0001.db"
OLD_TABLES = ("plan", "unit", "task", "taskunit", "progressupdate", "duechange", "indicator",
              "indicatortarget", "indicatorreading")


def rows(path: Path, table: str, columns: list[str]) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(path) as connection:
        quoted = ", ".join(f'"{c}"' for c in columns)
        return connection.execute(f'SELECT {quoted} FROM "{table}" ORDER BY 1, 2').fetchall()


def columns_of(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    copy = tmp_path / "office.db"
    shutil.copy(FIRST_RELEASE_DB, copy)
    return copy


def test_first_release_file_upgrades_on_use_with_a_backup_and_nothing_lost(
        old_db: Path, capsys) -> None:
    before = {t: (columns_of(old_db, t), rows(old_db, t, columns_of(old_db, t)))
              for t in OLD_TABLES}
    assert main(["--db", str(old_db), "--today", "2021-06-30", "show", "5.1.4"]) == 0
    captured = capsys.readouterr()
    assert "已部署专项行动" in captured.out and "备份" in captured.err
    backups = list(old_db.parent.glob("office.db.bak-0001-*"))
    assert len(backups) == 1
    assert backups[0].name.startswith("office.db.bak-0001-20210630-")  # the run's clock
    with sqlite3.connect(backups[0]) as connection:  # one self-contained file, as `backup`
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    for table, (columns, old_rows) in before.items():
        assert rows(old_db, table, columns) == old_rows, table
        assert rows(backups[0], table, columns) == old_rows, table
    assert current_revision(make_engine(f"sqlite:///{old_db}")) == head_revision()
    assert main(["--db", str(old_db), "--today", "2021-06-30", "meeting", "new", "--date",
                 "2021-07-20", "--title", "联席会议"]) == 0
    assert main(["--db", str(old_db), "--today", "2021-06-30", "update", "3.1", "--progress",
                 "40", "--note", "升级后继续记录"]) == 0
    with sqlite3.connect(old_db) as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("SELECT revision FROM plan").fetchone()[0] >= 1


def test_db_upgrade_command_and_idempotence(old_db: Path, capsys) -> None:
    assert main(["--db", str(old_db), "db", "current"]) == 0
    assert "0001" in capsys.readouterr().out
    assert main(["--db", str(old_db), "db", "upgrade"]) == 0
    assert f"0001 升级到 {head_revision()}" in capsys.readouterr().out
    assert main(["--db", str(old_db), "db", "upgrade"]) == 0
    assert "已是最新" in capsys.readouterr().out


def test_migrations_from_scratch_build_exactly_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert upgrade(engine) == (None, head_revision())
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_a_newer_database_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "new.db"
    bundled = FIRST_RELEASE_DB.parent.parent.parent / "tasks.yaml"
    assert main(["--db", str(path), "init", "--file", str(bundled)]) == 0
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    capsys.readouterr()
    assert main(["--db", str(path), "indicators"]) == 2
    assert "9999" in capsys.readouterr().err


def test_foreign_keys_are_back_on_after_an_automatic_upgrade(old_db: Path) -> None:
    from planner.store.migrate import ensure_current

    engine = make_engine(f"sqlite:///{old_db}")
    assert ensure_current(engine, now=datetime(2021, 6, 30, 9, 15, 0)) == \
        f"{old_db}.bak-0001-20210630-091500"
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(Exception, match="FOREIGN KEY"):
            connection.exec_driver_sql(
                "INSERT INTO taskunit (task_id, unit_id, role, position) "
                "VALUES (999999, 'nope', 'lead', 0)")


def test_a_new_database_gets_tables_and_stamp_in_one_transaction(tmp_path: Path) -> None:
    from planner.store.migrate import ensure_current

    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    ensure_current(engine)
    assert current_revision(engine) == head_revision()


def test_the_hot_paths_know_the_newest_schema() -> None:
    """`planner show`/`update`/`tree` compare the stamped version with SCHEMA_HEAD instead of
    loading Alembic: it must name the newest migration, or they would upgrade every run."""
    assert head_revision() == SCHEMA_HEAD


def _version_table(engine) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    """The version table's definition and rows, as a backend-neutral value to compare."""
    from sqlalchemy import inspect

    with engine.connect() as connection:
        tables = inspect(connection)
        columns = [(c["name"], str(c["type"]), c["nullable"])
                   for c in tables.get_columns("alembic_version")]
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        ddl = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'").all() \
            if engine.dialect.name == "sqlite" else []
        return columns, tables.get_pk_constraint("alembic_version"), rows, ddl


def test_a_new_database_is_stamped_as_alembic_stamps_one(
        make_database, backend_url: str) -> None:  # type: ignore[no-untyped-def]
    """A new database is stamped without loading Alembic: the version table and its row are
    those `command.stamp` writes, on both backends."""
    from alembic import command

    from planner.store.migrate import _config, ensure_current

    ours = make_engine(backend_url)
    ensure_current(ours)
    stamped = make_engine(make_database(ours.dialect.name))
    with stamped.begin() as connection:
        SQLModel.metadata.create_all(connection)
        command.stamp(_config(connection), head_revision())
    assert _version_table(ours) == _version_table(stamped)
    assert current_revision(ours) == SCHEMA_HEAD


def test_creating_a_new_database_loads_no_alembic(tmp_path: Path) -> None:
    """Alembic is loaded only to upgrade: `planner import` into a new file does without."""
    import subprocess
    import sys

    plan = Path(__file__).resolve().parents[2] / "tasks.yaml"
    code = ("import sys; from planner.cli import main; "
            f"status = main(['--db', {str(tmp_path / 'new.db')!r}, 'import', {str(plan)!r}]); "
            "assert status == 0, status; "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'alembic'], 'alembic'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
