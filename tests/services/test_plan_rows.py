"""`planner import` into a new SQLite file goes through the DB-API alone
(services/plan_rows.py): the database it leaves is, row for row, the one the ORM import
(services/plan_file.py) leaves; its errors are the same, located, exit 2, nothing saved;
and the run never loads SQLAlchemy or SQLModel."""

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planner.services.plan_file import import_plan, load_plan_file
from planner.store.db import create_schema, make_engine, session_scope
from tests.conftest import BUNDLED_PLAN, CliResult

RICH_PLAN = """\
plan:
  id: nd26
  kind: annual
  title: 年度计划
  period: {start: 2026-01-01, end: 2026-12-31}
  report_cycle: monthly
  rollup: leaf_count
  warn: {tolerance: 7.5, due_soon_days: 10}
  source: 文件来源
  supervision: {acknowledge_days: 5, review: on}
  follow_annual: on
units:
  - {id: amr, name: 市场监管局, kind: department, aliases: [监管局, 市局]}
  - {id: hhht, name: 呼和浩特市, kind: league}
  - {id: bt, name: 包头市, kind: league, aliases: [包头]}
groups:
  - {id: two, name: 两市, members: [hhht, bt], aliases: [呼包]}
  - {id: one, name: 一市, members: [bt]}
tasks:
  - code: "1"
    title: 第一项
    lead: amr
    description: 说明
    rollup: weighted
    children:
      - code: "1.1"
        title: 甲
        lead: hhht
        support: [amr, bt, hhht]
        start: 2026-02-01
        due: 2026年6月30日
        original_due: 2026-05-31
        weight: 2.5
        status: in_progress
        progress: 40
        source: 原文
        coordination: 需要协调
      - {code: "1.2", title: 乙, lead: bt, status: done}
  - code: "2"
    title: 例会
    lead: amr
    start: 2026-01-01
    due: 2026-12-31
    repeat: {rule: "FREQ=MONTHLY;BYMONTHDAY=5", duration: 3}
    children:
      - {code: "2@2026-03-05", title: 例会, status: done}
  - {code: "3.1", title: 后面的父项之子, lead: amr, parent: "3"}
  - {code: "3", title: 后写的父项, lead: bt}
indicators:
  - code: I1
    name: 指标一
    unit: 件
    baseline: 1
    target: 5
    task: "1.1"
    targets: {2026: 3}
    readings:
      - {date: 2026-03-31, value: 2, source: 季报}
      - {date: 2026-06-30, value: 2.5}
    note: 备注
  - {code: I2, name: 指标二, unit: 天, baseline: 30, target: 10, direction: down}
"""
AT = datetime(2026, 3, 1, 9, 30, 15, tzinfo=UTC)


def _rows(path: Path) -> list[str]:
    """The file's schema and rows as SQL lines, timestamps and plan uids masked, sorted
    (`create_all` makes a table's indexes in no fixed order)."""
    with sqlite3.connect(path) as connection:
        lines = list(connection.iterdump())
    masked = (re.sub(r"'[0-9a-f]{32}'", "'UID'",
                     re.sub(r"'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}'", "'AT'", line))
              for line in lines)
    return sorted(masked)


def _orm_import(plan: Path, database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    try:
        create_schema(engine)
        with session_scope(engine, write=True) as session:
            import_plan(load_plan_file(plan), session=session, origin=plan.name, at=AT,
                        by_user="tester")
    finally:
        engine.dispose()


@pytest.mark.parametrize("text", [None, RICH_PLAN], ids=["bundled", "rich"])
def test_a_first_import_writes_what_the_orm_import_writes(
        text: str | None, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    plan = BUNDLED_PLAN if text is None else tmp_path / "plan.yaml"
    if text is not None:
        plan.write_text(text, encoding="utf-8")
    _orm_import(plan, tmp_path / "orm.db")
    new = tmp_path / "folder" / "new.db"
    result = cli("--db", new, "--as", "tester", "import", plan)
    assert result.code == 0, result.err
    assert _rows(new) == _rows(tmp_path / "orm.db")
    with sqlite3.connect(new) as connection:  # the rows were written, not only the schema
        assert connection.execute("SELECT revision FROM plan").fetchone() == (1,)
    # Importing the file again merges into what the first import wrote.
    again = cli("--db", new, "--as", "tester", "import", plan)
    assert again.code == 0, again.err
    assert "更新 0" in again.out and "新增 0" in again.out
    assert _rows(new) == _rows(tmp_path / "orm.db")


@pytest.mark.parametrize(("written", "instead", "args"), [
    ("  id: nd26\n", "  id: nd26\n", ("--plan", "other")),  # not the plan asked for
    ("  follow_annual: on\n", "  follow_annual: on\n  parent: sw14\n", ()),  # no such plan
    ("lead: bt}", "lead: bt, implements: [\"sw14:1\"]}", ()),  # no such plan either
])
def test_a_first_import_refuses_what_the_orm_import_refuses(
        written: str, instead: str, args: tuple[str, ...], tmp_path: Path,
        cli: Callable[..., CliResult]) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(RICH_PLAN.replace(written, instead), encoding="utf-8")
    # A dry run always takes the ORM import.
    orm = cli("--db", tmp_path / "orm.db", *args, "import", "--dry-run", plan)
    result = cli("--db", tmp_path / "new.db", *args, "import", plan)
    assert (result.code, result.err) == (2, orm.err)
    assert re.search(r"plan\.yaml:\d+:\d+", result.err)
    with sqlite3.connect(tmp_path / "new.db") as connection:  # as before: the schema alone
        assert connection.execute("SELECT count(*) FROM plan").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM unit").fetchone() == (0,)


def test_a_database_with_a_unit_already_takes_the_orm_import(
        tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """Only an empty database takes the DB-API import: one holding a unit (or a plan) is
    merged into, its units checked against the file's."""
    database = tmp_path / "plan.db"
    engine = make_engine(f"sqlite:///{database}")
    try:
        create_schema(engine)
    finally:
        engine.dispose()
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO unit (id, name, kind, position) "
                           "VALUES ('amr2', '市场监管局', 'department', 0)")
    plan = tmp_path / "plan.yaml"
    plan.write_text(RICH_PLAN, encoding="utf-8")
    result = cli("--db", database, "import", plan)
    assert result.code == 2
    assert "市场监管局" in result.err and "amr2" in result.err


def test_a_first_import_loads_no_sql_layer(tmp_path: Path) -> None:
    """SQLAlchemy and SQLModel (about half a second of a run) are never imported by an
    import into a new SQLite file."""
    from tests.test_architecture import loaded_modules

    modules = loaded_modules("--db", str(tmp_path / "new.db"), "import", str(BUNDLED_PLAN))
    assert "planner.services.plan_rows" in modules  # the run did import
    assert not {m.split(".")[0] for m in modules} & {"sqlalchemy", "sqlmodel", "alembic"}
    assert "planner.store.models" not in modules
    with sqlite3.connect(tmp_path / "new.db") as connection:
        assert connection.execute("SELECT count(*) FROM task").fetchone() == (78,)
