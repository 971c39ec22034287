"""Upgrading a one-plan database to several plans (migration 0008): a file at the previous
head (0007) with history, readings, a meeting and a decision written keeps all of it, and
its plan becomes `sw14`, an open five-year plan, the current one."""

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from alembic import command

from planner.store.db import make_engine
from planner.store.migrate import _config, current_revision, head_revision
from tests.conftest import BUNDLED_PLAN, CliResult

FIRST_RELEASE_DB = Path(__file__).resolve().parents[1] / "data" / "schema_0001.db"
KEPT = {
    "task": "id, code, title, parent_id, status, progress, due, version",
    "progressupdate": "id, task_id, at, old_progress, new_progress, note",
    "duechange": "id, task_id, old_due, new_due, reason",
    "indicator": "id, code, task_id, baseline, target",
    "indicatorreading": "id, indicator_id, value",
    "taskunit": "task_id, unit_id, role",
    "unit": "id, name",
    "meeting": "id, title",
    "decision": "id, about_code, text",
}


def at_previous_head(tmp_path: Path) -> Path:
    """The first release's file brought to 0007 by the migrations, then written to as the
    previous release would: an update, a deadline move, a reading, a meeting and a decision."""
    path = tmp_path / "office.db"
    shutil.copy(FIRST_RELEASE_DB, path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:  # as store.migrate.upgrade: batch mode rebuilds
        connection.connection.cursor().execute("PRAGMA foreign_keys=OFF")  # tables
        config = _config(connection)
        with connection.begin():
            command.stamp(config, "0001")
            command.upgrade(config, "0007")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        (task_id,) = connection.execute("SELECT id FROM task WHERE code = '3.1'").fetchone()
        (indicator_id,) = connection.execute("SELECT min(id) FROM indicator").fetchone()
        connection.execute(
            "INSERT INTO progressupdate (task_id, at, by_unit, by_user, old_status, new_status, "
            "old_progress, new_progress, note) VALUES (?, '2021-06-01 02:00:00.000000', 'amr', "
            "'lead', 'not_started', 'in_progress', 0, 35, '升级前的记录')", (task_id,))
        connection.execute("UPDATE task SET status = 'in_progress', progress = 35, "
                           "version = version + 1 WHERE id = ?", (task_id,))
        connection.execute(
            "INSERT INTO duechange (task_id, at, old_due, new_due, reason, by_user) VALUES "
            "(?, '2021-06-02 02:00:00.000000', '2022-12-31', '2023-06-30', '升级前延期', "
            "'lead')", (task_id,))
        connection.execute(
            'INSERT INTO indicatorreading (indicator_id, "on", value, source, recorded_at, '
            "by_user) VALUES (?, '2021-05-31', 12, '统计', '2021-06-01 02:00:00.000000', "
            "'lead')", (indicator_id,))
        connection.execute(
            'INSERT INTO meeting ("on", title, kind, status, length_minutes, created_at) '
            "VALUES ('2021-06-15', '升级前的联席会议', 'joint', 'held', 120, "
            "'2021-06-01 02:00:00.000000')")
        connection.execute(
            "INSERT INTO decision (meeting_id, about_code, text, created_at) VALUES "
            "(1, '3.1', '加快建设', '2021-06-15 08:00:00.000000')")
    return path


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        return {table: connection.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2")
                .fetchall() for table, columns in KEPT.items()}


def test_a_one_plan_database_at_0007_upgrades_to_plan_sw14_with_nothing_lost(
        tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    path = at_previous_head(tmp_path)
    assert current_revision(make_engine(f"sqlite:///{path}")) == "0007"
    before = rows(path)
    shown = cli("--db", path, "--today", "2021-07-01", "show", "3.1")
    assert shown.code == 0, shown.err
    assert "升级前的记录" in shown.out and "升级前延期" in shown.out
    assert current_revision(make_engine(f"sqlite:///{path}")) == head_revision()
    assert rows(path) == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT code, kind, state, current, parent_id FROM plan"
                                  ).fetchall() == [("sw14", "five-year", "open", 1, None)]
        assert connection.execute("SELECT count(*) FROM task WHERE plan_id IS NULL OR "
                                  "plan_id <> (SELECT id FROM plan)").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM indicator WHERE plan_id IS NULL"
                                  ).fetchone() == (0,)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    # the bundled file names sw14: importing it merges into the upgraded plan
    merged = cli("--db", path, "--today", "2021-07-01", "import", BUNDLED_PLAN)
    assert merged.code == 0, merged.err
    listing = cli("--db", path, "--today", "2021-07-01", "plans").out
    assert "*sw14" in listing and len(listing.strip().splitlines()) == 2


def test_a_backup_of_a_one_plan_database_restores_as_plan_sw14(
        tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """A SQLite backup made before plans had ids (a file at 0007) restores into a new
    database as the upgrade reads it: plan sw14, with its items and history."""
    old = at_previous_head(tmp_path)
    before = rows(old)
    target = tmp_path / "restored.db"
    restored = cli("--db", target, "restore", old)
    assert restored.code == 0, restored.err
    assert rows(target) == before
    shown = cli("--db", target, "--today", "2021-07-01", "show", "sw14:3.1")
    assert shown.code == 0 and "升级前的记录" in shown.out
    assert "*sw14" in cli("--db", target, "--today", "2021-07-01", "plans").out
