"""`planner backup` / `planner restore` on both backends and across them, through the CLI.

A restore must give back every row of every table (compared table by table), the same
exported plan and the same history, and a database that keeps working (new ids follow the
restored ones, PostgreSQL sequences included).
"""

import gzip
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from planner.store.db import make_engine
from tests.conftest import CliResult

BUNDLED = Path(__file__).resolve().parents[2] / "tasks.yaml"
TODAY = "2021-06-30"

Cli = Callable[..., CliResult]
MakeDatabase = Callable[[str], str]


def ok(cli: Cli, url: str, *argv: str | Path) -> str:
    result = cli("--db", url, "--today", TODAY, *argv)
    assert result.code == 0, result.err
    return result.out


def seeded(cli: Cli, url: str) -> str:
    """The bundled plan with history of every kind: updates, due moves, a 督办 step,
    readings, a meeting and a decision whose action item became a task."""
    ok(cli, url, "init", "--file", BUNDLED)
    ok(cli, url, "update", "3.1", "--status", "推进中", "--progress", "10", "--by", "amr",
       "--note", "启动选址")
    ok(cli, url, "update", "3.1", "--progress", "25", "--note", "方案报批")
    ok(cli, url, "update", "4.1.2", "--status", "done", "--note", "资金到位")
    ok(cli, url, "update", "2.3", "--due", "2026年底", "--reason", "立法计划调整")
    ok(cli, url, "urge", "2.3", "--note", "请于周五前报送")
    ok(cli, url, "reading", "I1", "20", "--source", "保护中心统计")
    ok(cli, url, "meeting", "new", "--date", "2021-07-05", "--title", "联席会议")
    ok(cli, url, "meeting", "decide", "1", "--text", "加快推进", "--about", "3.1",
       "--action", "落实选址", "--lead", "amr", "--due", "2021-09-30")
    return url


def table_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the schema, by primary key."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [dict(row) for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)).mappings()]
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def assert_same_content(cli: Cli, source: str, target: str) -> None:
    expected, actual = table_rows(source), table_rows(target)
    assert expected["progressupdate"] and expected["duechange"] and expected["decision"]
    # A restore moves the change counter past the source's, so open screens reload.
    [source_plan], [target_plan] = expected.pop("plan"), actual.pop("plan")
    assert target_plan.pop("revision") > source_plan.pop("revision")
    assert target_plan == source_plan
    assert actual == expected
    assert ok(cli, target, "export", "-") == ok(cli, source, "export", "-")
    assert ok(cli, target, "show", "3.1") == ok(cli, source, "show", "3.1")


def assert_keeps_working(cli: Cli, url: str) -> None:
    """New rows get fresh ids after a restore (PostgreSQL: the sequences were moved on)."""
    ok(cli, url, "update", "5.1.4", "--status", "in_progress", "--progress", "5")
    ok(cli, url, "meeting", "new", "--date", "2021-08-02", "--title", "第二次会议")
    ok(cli, url, "meeting", "decide", "2", "--text", "再推进", "--action", "新事项", "--lead",
       "amr", "--due", "2021-12-31")
    rows = table_rows(url)
    assert len(rows["progressupdate"]) == 4 and len(rows["meeting"]) == 2


@pytest.mark.parametrize("name", ["backup.db", "backup.json.gz"])
def test_round_trip_on_each_backend(backend_url: str, make_database: MakeDatabase, cli: Cli,
                                    tmp_path: Path, name: str) -> None:
    source = seeded(cli, backend_url)
    path = tmp_path / name
    out = ok(cli, source, "backup", path)
    assert out.startswith(f"已备份到 {path}") and "历史记录 5 条" in out
    backend = "postgresql" if source.startswith("postgresql") else "sqlite"
    target = make_database(backend)
    out = ok(cli, target, "restore", path)
    assert "历史记录 5 条" in out and "覆盖" not in out
    assert_same_content(cli, source, target)
    assert_keeps_working(cli, target)


def test_sqlite_backup_is_a_self_contained_sqlite_file(make_database: MakeDatabase, cli: Cli,
                                                        tmp_path: Path) -> None:
    source = seeded(cli, make_database("sqlite"))
    ok(cli, source, "backup", tmp_path / "plan-backup")
    connection = sqlite3.connect(tmp_path / "plan-backup")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("SELECT count(*) FROM progressupdate").fetchone() == (3,)
    finally:
        connection.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("plan-")) == [
        "plan-backup"]


def test_postgresql_backup_is_a_versioned_json_dump(make_database: MakeDatabase, cli: Cli,
                                                     tmp_path: Path) -> None:
    source = seeded(cli, make_database("postgresql"))
    ok(cli, source, "backup", tmp_path / "plan-backup")
    document = json.loads((tmp_path / "plan-backup").read_text(encoding="utf-8"))
    assert (document["format"], document["version"], document["source"]) == (
        "planner-backup", 1, "postgresql")
    # stamped by the run's clock (--today, the local time of day, in UTC), not the machine's date
    assert document["created_at"][:10] in ("2021-06-29", "2021-06-30", "2021-07-01")
    names = [table["name"] for table in document["tables"]]
    assert names == [table.name for table in SQLModel.metadata.sorted_tables]
    assert names.index("task") > names.index("decision") > names.index("meeting")
    updates = next(t for t in document["tables"] if t["name"] == "progressupdate")
    at = updates["rows"][0][updates["columns"].index("at")]
    assert at.startswith("2021-06-30T") and at.endswith("+00:00")


@pytest.mark.parametrize(("source_backend", "target_backend", "name"), [
    ("sqlite", "postgresql", "backup.db"),
    ("sqlite", "postgresql", "backup.json"),
    ("postgresql", "sqlite", "backup.json"),
    ("postgresql", "sqlite", "backup.db"),
])
def test_across_backends(make_database: MakeDatabase, cli: Cli, tmp_path: Path,
                         source_backend: str, target_backend: str, name: str) -> None:
    source = seeded(cli, make_database(source_backend))
    path = tmp_path / name
    ok(cli, source, "backup", path)
    target = make_database(target_backend)
    ok(cli, target, "restore", path)
    assert_same_content(cli, source, target)
    assert_keeps_working(cli, target)


@pytest.mark.parametrize("name", ["backup.db", "backup.json"])
def test_non_empty_target_needs_force(backend_url: str, make_database: MakeDatabase, cli: Cli,
                                      tmp_path: Path, name: str) -> None:
    source = seeded(cli, backend_url)
    ok(cli, source, "backup", tmp_path / name)
    backend = "postgresql" if source.startswith("postgresql") else "sqlite"
    target = make_database(backend)
    ok(cli, target, "init", "--file", BUNDLED)
    ok(cli, target, "update", "5.1.4", "--status", "blocked", "--note", "另一库")
    before = table_rows(target)
    refused = cli("--db", target, "restore", tmp_path / name)
    assert refused.code == 2 and refused.out == ""
    assert refused.err.count("\n") == 1 and "--force" in refused.err
    assert table_rows(target) == before
    out = ok(cli, target, "restore", tmp_path / name, "--force")
    assert "已覆盖原有内容" in out
    assert_same_content(cli, source, target)
    assert_keeps_working(cli, target)


def _sqlite_of_another_program(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.commit()
    connection.close()


def _unknown_table_dump(path: Path) -> None:
    path.write_text(json.dumps({"format": "planner-backup", "version": 1, "tables": [
        {"name": "plan", "columns": ["id"], "rows": []},
        {"name": "spaceship", "columns": ["id"], "rows": [[1]]}]}), encoding="utf-8")


BAD_FILES: dict[str, Callable[[Path], Any]] = {
    "text": lambda p: p.write_text("这不是备份\n", encoding="utf-8"),
    "empty": lambda p: p.write_bytes(b""),
    "truncated json": lambda p: p.write_text('{"format": "planner-backup", "tab',
                                             encoding="utf-8"),
    "other json": lambda p: p.write_text('{"name": "something else"}', encoding="utf-8"),
    "newer version": lambda p: p.write_text('{"format": "planner-backup", "version": 99, '
                                            '"tables": []}', encoding="utf-8"),
    "unknown table": _unknown_table_dump,
    "bad gzip": lambda p: p.write_bytes(gzip.compress(b'{"format": "planner-backup"')[:20]),
    "damaged sqlite": lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000),
    "other sqlite": _sqlite_of_another_program,
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_unusable_backup_exits_2_with_one_line(make_database: MakeDatabase, cli: Cli,
                                               tmp_path: Path, kind: str) -> None:
    path = tmp_path / "backup.bin"
    BAD_FILES[kind](path)
    target = make_database("sqlite")
    result = cli("--db", target, "--lang", "en", "restore", path)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and str(path) in result.err, result.err
    assert not any(table_rows(target).values())


def test_corrupt_backup_on_postgresql_writes_nothing(make_database: MakeDatabase, cli: Cli,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    path.write_text('{"format": "planner-backup", "version": 1, "tables": [{"name": "plan", '
                    '"columns": ["id", "title"], "rows": [[1]]}]}', encoding="utf-8")
    target = make_database("postgresql")
    result = cli("--db", target, "restore", path)
    assert result.code == 2 and result.err.count("\n") == 1
    assert not any(table_rows(target).values())


def test_missing_file_and_empty_database(make_database: MakeDatabase, cli: Cli,
                                         tmp_path: Path) -> None:
    url = make_database("sqlite")
    missing = cli("--db", url, "restore", tmp_path / "nope.db")
    assert missing.code == 2 and missing.err.count("\n") == 1 and "nope.db" in missing.err
    empty = cli("--db", url, "backup", tmp_path / "empty.db")
    assert empty.code == 2 and empty.err.count("\n") == 1 and "planner init" in empty.err
    assert not (tmp_path / "empty.db").exists()
