"""What an update leaves on an item is decided once (services.updates.next_state), for
`planner update`, the TUI, the ledger and the merge of a plan file alike."""

import sqlite3
from pathlib import Path

import pytest

from planner.cli import main
from planner.core.errors import PlannerError
from planner.core.status import Status
from planner.services.updates import next_state
from tests.services.test_import_merge import PLAN, db, reimport  # noqa: F401  (db is a fixture)


def test_next_state_settles_and_checks() -> None:
    assert next_state("1", Status.NOT_STARTED, 0, None, 30, has_children=False) == (
        Status.NOT_STARTED, 30)
    assert next_state("1", Status.IN_PROGRESS, 40, Status.DONE, None, has_children=False) == (
        Status.DONE, 100)
    assert next_state("1", Status.BLOCKED, 10, None, None, has_children=True) == (
        Status.BLOCKED, 10)  # nothing changes: a parent is left alone, not refused
    for old, status, progress, children, words in [
        (Status.NOT_STARTED, None, 101, False, "between 0 and 100"),
        (Status.NOT_STARTED, Status.CLOSED, None, False, "status change not allowed"),
        (Status.IN_PROGRESS, Status.DONE, 60, False, "100%"),
        (Status.IN_PROGRESS, None, 50, True, "has children"),
    ]:
        with pytest.raises(PlannerError) as raised:
            next_state("1.1", old, 0, status, progress, has_children=children)
        assert words in raised.value.msg.render("en") and raised.value.where == "1.1"


def test_merge_and_update_refuse_alike_and_record_alike(db: Path, tmp_path: Path,  # noqa: F811
                                                         capsys) -> None:
    closed = PLAN.replace("title: 事项二, lead: amr}", "title: 事项二, lead: amr, status: closed}")
    assert reimport(tmp_path, closed) == 2
    merge_error = capsys.readouterr().err
    assert main(["update", "1.2", "--status", "closed"]) == 2
    update_error = capsys.readouterr().err
    refusal = "不允许的状态变更：未启动 → 已销号"
    assert refusal in merge_error and refusal in update_error

    started = PLAN.replace("title: 事项二, lead: amr}",
                           "title: 事项二, lead: amr, status: in_progress, progress: 40}")
    assert reimport(tmp_path, started) == 0
    assert main(["update", "1.1", "--status", "in_progress", "--progress", "40"]) == 0
    rows = sqlite3.connect(db).execute(
        "SELECT t.code, u.old_status, u.new_status, u.old_progress, u.new_progress, u.by_unit"
        " FROM progressupdate u JOIN task t ON t.id = u.task_id ORDER BY t.code").fetchall()
    assert rows == [("1.1", "not_started", "in_progress", 0, 40, None),
                    ("1.2", "not_started", "in_progress", 0, 40, None)]
