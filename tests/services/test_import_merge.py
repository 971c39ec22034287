"""Merging a plan file into a database that has moved on: the file never breaks its rules."""

import sqlite3
from pathlib import Path

import pytest

from planner.cli import main

PLAN = """
plan:
  title: 合并测试
  period: {start: 2021-01-01, end: 2025-12-31}
units:
  - {id: amr, name: 区局}
  - {id: hhht, name: 呼和浩特市}
tasks:
  - code: "1"
    title: 领域
    lead: amr
    children:
      - {code: "1.1", title: 事项一, lead: amr, due: 2022-06-30}
      - {code: "1.2", title: 事项二, lead: amr}
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch, capsys) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.db"
    monkeypatch.setenv("PLANNER_DB", str(path))
    monkeypatch.setenv("PLANNER_TODAY", "2021-06-30")
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["init", "--file", str(plan)]) == 0
    capsys.readouterr()
    return path


def reimport(tmp_path: Path, text: str) -> int:
    changed = tmp_path / "changed.yaml"
    changed.write_text(text, encoding="utf-8")
    return main(["import", str(changed)])


def dump(path: Path) -> str:
    return "\n".join(sqlite3.connect(path).iterdump())


def test_start_cannot_move_past_the_stored_due(db: Path, tmp_path: Path, capsys) -> None:
    before = dump(db)
    text = PLAN.replace("lead: amr, due: 2022-06-30}", "lead: amr, start: 2023-01-01}")
    assert text != PLAN
    assert reimport(tmp_path, text) == 2
    assert "2023-01-01" in capsys.readouterr().err
    assert dump(db) == before


def test_new_units_or_parent_bump_the_version(db: Path, tmp_path: Path) -> None:
    text = PLAN.replace("title: 事项二, lead: amr}", "title: 事项二, lead: amr, support: [hhht]}")
    assert reimport(tmp_path, text) == 0
    version = sqlite3.connect(db).execute(
        "SELECT version FROM task WHERE code = '1.2'").fetchone()[0]
    assert version == 2


def test_status_of_an_item_with_children_in_the_database_is_refused(
        db: Path, tmp_path: Path, capsys) -> None:
    from planner.services.edits import add_task
    from planner.store.db import make_engine, session_scope

    engine = make_engine(f"sqlite:///{db}")
    from datetime import UTC, datetime
    with session_scope(engine, write=True) as session:
        add_task(session=session, title="下级", lead="amr", at=datetime.now(UTC),
                 parent_code="1.2")
    engine.dispose()
    before = dump(db)
    text = PLAN.replace("title: 事项二, lead: amr}", "title: 事项二, lead: amr, status: blocked}")
    assert reimport(tmp_path, text) == 2
    assert "下级" in capsys.readouterr().err
    assert dump(db) == before


def test_done_with_other_progress_is_a_located_error(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLAN.replace("title: 事项二, lead: amr}",
                                "title: 事项二, lead: amr, status: done, progress: 60}"),
                   encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    assert f"{bad}:14:" in capsys.readouterr().err
