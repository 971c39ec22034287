"""One rule, one sentence: a parent's status and progress are rolled up, never entered. The
plan file, `planner update` and the ledger import all refuse it through core.status."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.core.errors import PlannerError
from planner.core.status import require_leaf
from tests.conftest import CliResult
from tests.tui_support import seeded_engine

Cli = Callable[..., CliResult]
RULE = ("has children: its status and progress are rolled up from them and cannot be set; "
        "report on its child items instead")
STATUS_COLUMN = 8


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("leaf") / "template.db"
    seeded_engine(path).dispose()
    return path


@pytest.fixture
def planner(cli: Cli, template: Path, tmp_path: Path) -> Cli:
    db = tmp_path / "plan.db"
    shutil.copy(template, db)
    return lambda *args: cli("--db", db, "--lang", "en", "--today", "2021-06-30",
                             "--as", "tester", *args)


def test_the_rule_in_core() -> None:
    require_leaf("1.1.1", has_children=False)
    with pytest.raises(PlannerError) as raised:
        require_leaf("1.1", has_children=True, where="plan.yaml:3:5")
    assert raised.value.message("en") == f"plan.yaml:3:5: item 1.1 {RULE}"


def test_update_of_a_parent(planner: Cli) -> None:
    result = planner("update", "1.1", "--progress", "50", "--by", "amr")
    assert result.code == 2 and f"item 1.1 {RULE}" in result.err


def test_plan_file_giving_a_parent_a_status(planner: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "plan: {title: T, period: {start: 2021-01-01, end: 2025-12-31}}\n"
        "units: [{id: amr, name: A}]\n"
        "tasks:\n"
        "  - code: '1'\n    title: P\n    lead: amr\n    status: 推进中\n"
        "    children:\n      - {code: '1.1', title: C, lead: amr, due: 2022-01-01}\n",
        encoding="utf-8")
    result = planner("validate", plan)
    assert result.code == 2 and f"item 1 {RULE}" in result.err, result.err


def test_ledger_row_of_a_parent(planner: Cli, tmp_path: Path) -> None:
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "filled.xlsx"
    assert planner("ledger", "export", exported).code == 0
    workbook = load_workbook(exported)
    sheet = workbook.worksheets[0]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "5")
    sheet.cell(row, STATUS_COLUMN).value = "in progress"
    workbook.save(filled)
    result = planner("ledger", "import", filled, "--by", "hhht")
    assert result.code == 2 and f"item 5 {RULE}" in result.err, result.err
