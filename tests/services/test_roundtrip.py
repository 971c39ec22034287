"""The bundled tasks.yaml loads as written, and export → import → export is byte-identical
after updates, a moved due date, an occurrence done and an indicator reading."""

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

Cli = Callable[..., Any]  # the `cli` fixture of conftest.py: run(*args) -> CliResult
Dump = Callable[[Path], str]

BUNDLED = Path(__file__).resolve().parents[2] / "tasks.yaml"
TODAY = "2021-07-01"

# What a task is, without its database id, timestamps or version.
TASK_STATE = """
    select t.code, p.code, t.position, t.title, t.description, t.source, t.start, t.due,
           t.original_due, t.status, t.progress, t.weight, t.rollup_rule, t.repeat_rule,
           t.repeat_duration, t.generated, t.needs_coordination, t.coordination_reason,
           t.archived,
           (select group_concat(unit_id || ':' || role, ',') from
               (select unit_id, role from taskunit where task_id = t.id order by position))
    from task t left join task p on p.id = t.parent_id order by t.code
"""


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    """The rows of a query on the SQLite file `db`."""
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def test_bundled_plan_validates(cli: Cli) -> None:
    result = cli("--today", TODAY, "validate", BUNDLED)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "有效。23 个单位" in result.out


def test_init_loads_the_bundled_plan(bundled_db: Path, cli: Cli) -> None:
    assert rows(bundled_db, "select count(*) from unit") == [(23,)]
    top = rows(bundled_db, "select code from task where parent_id is null order by position")
    assert [code for (code,) in top] == ["1", "2", "3", "4", "5", "6", "7"]
    assert rows(bundled_db, "select count(*) from indicator") == [(15,)]
    again = cli("--db", bundled_db, "init", "--file", BUNDLED)
    assert again.code == 0 and "未做改动" in again.out


def test_recurring_items_expand_to_one_child_a_year(bundled_db: Path) -> None:
    recurring = rows(bundled_db, "select id, code, repeat_duration from task "
                                 "where repeat_rule is not null order by code")
    assert [code for _, code, _ in recurring] == ["7.2.1", "7.2.3"]
    for task_id, code, duration in recurring:
        children = rows(bundled_db, "select code, title, start, due, generated, status from task "
                                    "where parent_id = ? order by position", task_id)
        assert [date.fromisoformat(start).year for _, _, start, _, _, _ in children] == [
            2021, 2022, 2023, 2024, 2025]
        for child_code, title, start, due, generated, status in children:
            first = date.fromisoformat(start)
            assert child_code == f"{code}@{start}"
            assert title.endswith(f"（{first.year}年）")
            assert date.fromisoformat(due) == first + timedelta(days=duration - 1)
            assert (generated, status) == (1, "not_started")
    assert rows(bundled_db, "select start, due from task where code = '7.2.1@2021-04-20'") == [
        ("2021-04-20", "2021-04-26")]


def _report_progress(db: Path, cli: Cli) -> None:
    """A few weeks of reports on the bundled plan."""
    commands = [
        ["update", "1.1.1", "--status", "in_progress", "--progress", "40", "--note", "已印发清单",
         "--by", "amr"],
        ["update", "1.1.2", "--status", "已完成"],
        ["update", "1.1.2", "--status", "closed"],
        ["update", "2.1.1", "--progress", "35"],
        ["update", "2.1.2", "--status", "blocked", "--note", "等待国家规划印发"],
        ["update", "7.2.1@2021-04-20", "--status", "done"],
        ["update", "7.2.1@2022-04-20", "--due", "2022-05-10", "--reason", "活动延期"],
        ["update", "3.1", "--due", "2022年底", "--reason", "按国家局批复调整"],
        ["update", "3.1", "--status", "in_progress", "--progress", "12.5"],
        ["reading", "I1", "20", "--date", "2021-06-30", "--source", "国家知识产权局统计"],
        ["reading", "I8", "9.1", "--date", "2021-06-30"],
    ]
    for command in commands:
        result = cli("--db", db, "--today", TODAY, *command)
        assert result.code == 0, (command, result.err)


def test_export_import_export_is_byte_identical(tmp_path: Path, bundled_db: Path, cli: Cli,
                                                db_dump: Dump) -> None:
    _report_progress(bundled_db, cli)
    first = tmp_path / "A.yaml"
    assert cli("--db", bundled_db, "export", first).code == 0
    text = first.read_bytes()

    printed = cli("--db", bundled_db, "export", "-")
    assert printed.code == 0 and printed.err == ""
    assert printed.out.encode("utf-8") == text

    empty = tmp_path / "copy.db"
    imported = cli("--db", empty, "--today", TODAY, "import", first)
    assert imported.code == 0, imported.err
    second = tmp_path / "B.yaml"
    assert cli("--db", empty, "export", second).code == 0
    assert second.read_bytes() == text

    # The copy holds the same tasks, units and readings, not just the same text.
    assert rows(empty, TASK_STATE) == rows(bundled_db, TASK_STATE)
    readings = "select i.code, r.\"on\", r.value, r.source from indicatorreading r " \
               "join indicator i on i.id = r.indicator_id order by i.code, r.\"on\""
    assert rows(empty, readings) == rows(bundled_db, readings) == [
        ("I1", "2021-06-30", 20.0, "国家知识产权局统计"), ("I8", "2021-06-30", 9.1, None)]

    # Importing the export back into its own database changes nothing.
    before = db_dump(bundled_db)
    again = cli("--db", bundled_db, "--today", TODAY, "import", first)
    assert again.code == 0 and "更新 0" in again.out
    assert db_dump(bundled_db) == before


def test_export_carries_the_reported_state(tmp_path: Path, bundled_db: Path, cli: Cli) -> None:
    _report_progress(bundled_db, cli)
    document = yaml.safe_load(cli("--db", bundled_db, "export", "-").out)
    tasks: dict[str, dict[str, Any]] = {}

    def collect(items: list[dict[str, Any]]) -> None:
        for item in items:
            tasks[item["code"]] = item
            collect(item.get("children", []))

    collect(document["tasks"])
    assert {k: tasks["1.1.1"][k] for k in ("status", "progress")} == {
        "status": "in_progress", "progress": 40}
    assert tasks["1.1.2"]["status"] == "closed" and "progress" not in tasks["1.1.2"]
    assert {k: tasks["3.1"][k] for k in ("due", "original_due", "progress")} == {
        "due": "2022-12-31", "original_due": "2025-12-31", "progress": 12.5}
    assert tasks["7.2.1"]["repeat"] == {"rule": "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20",
                                        "duration": 7}
    assert [child["code"] for child in tasks["7.2.1"]["children"]] == [
        "7.2.1@2021-04-20", "7.2.1@2022-04-20"]
    assert tasks["7.2.1@2021-04-20"]["status"] == "done"
    assert {k: tasks["7.2.1@2022-04-20"][k] for k in ("due", "original_due")} == {
        "due": "2022-05-10", "original_due": "2022-04-26"}
    assert "children" not in tasks["7.2.3"]  # untouched occurrences are regenerated
    indicator = next(i for i in document["indicators"] if i["code"] == "I1")
    assert indicator["readings"] == [
        {"date": "2021-06-30", "value": 20, "source": "国家知识产权局统计"}]


def test_reimporting_the_bundled_plan_keeps_reports(tmp_path: Path, bundled_db: Path,
                                                    cli: Cli) -> None:
    """The bundled file states no status or due for these items: the reports stay."""
    _report_progress(bundled_db, cli)
    before = rows(bundled_db, TASK_STATE)
    history = rows(bundled_db, "select count(*) from progressupdate")
    result = cli("--db", bundled_db, "--today", TODAY, "import", BUNDLED)
    assert result.code == 0 and "更新 0" in result.out, result.out
    assert rows(bundled_db, TASK_STATE) == before
    assert rows(bundled_db, "select count(*) from progressupdate") == history
