"""A five-year plan whose leaves follow the annual items carrying them out (`plan:
follow_annual: on`, 落实): off by default, the formula shown by `planner show`, the stored
rollups of `tree --depth` kept right when an annual item changes, the setting exported and
refused at its line and column when wrong — over the real CLI on SQLite and PostgreSQL."""

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
TODAY = ("--today", "2026-03-02")

FIVE_YEAR = """
plan:
  id: sw15
  kind: five-year
  title: 十五五规划
  period: {start: 2026-01-01, end: 2030-12-31}
  FOLLOW
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）}
tasks:
  - code: "3"
    title: 体系建设
    lead: amr
    children:
      - {code: "3.1", title: 保护中心, lead: amr, progress: 5, status: in_progress}
      - {code: "3.2", title: 快维中心, lead: amr}
      - {code: "3.3", title: 展示中心, lead: amr, status: done}
"""
ANNUAL = """
plan:
  id: "2026"
  kind: annual
  parent: sw15
  title: 2026年度推进计划
  period: {start: 2026-01-01, end: 2026-12-31}
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）}
tasks:
  - code: "1"
    title: 第一领域
    lead: amr
    children:
      - {code: "1.1", title: 保护中心二期, lead: amr, implements: [sw15:3.1], weight: 2,
         status: in_progress, progress: 30}
      - {code: "1.2", title: 保护中心人才, lead: amr, implements: [sw15:3.1],
         status: in_progress, progress: 60}
      - {code: "1.3", title: 停办事项, lead: amr, implements: [sw15:3.1], status: cancelled}
"""


def programme(cli: Cli, url: str, folder: Path, follow: str = "") -> None:
    """sw15 (with `follow` in its plan block) and its annual plan 2026."""
    five, annual = folder / "sw15.yaml", folder / "2026.yaml"
    five.write_text(FIVE_YEAR.replace("FOLLOW", follow), encoding="utf-8")
    annual.write_text(ANNUAL, encoding="utf-8")
    assert cli("--db", url, *TODAY, "init", "--file", five).code == 0
    assert cli("--db", url, *TODAY, "plans", "add", annual).code == 0


def progress_of(cli: Cli, url: str, code: str, *extra: str) -> str:
    """The progress figure of `code`'s row in `planner tree --plan sw15`."""
    out = cli("--db", url, *TODAY, "--plan", "sw15", "tree", *extra).out
    row = next(line for line in out.splitlines() if f" {code} " in f" {line} ")
    return next(word for word in row.split() if word.endswith("%"))


def test_off_by_default_the_five_year_leaf_keeps_its_own_progress(
        backend_url: str, cli: Cli, tmp_path: Path) -> None:
    programme(cli, backend_url, tmp_path)
    shown = cli("--db", backend_url, *TODAY, "show", "sw15:3.1").out
    assert "5.0%" in shown and "跟随落实事项" not in shown
    assert "落实事项：2026:1.1 保护中心二期（推进中 30%）" in shown  # the link is still listed
    assert progress_of(cli, backend_url, "3") == "35%"  # (5 + 0 + 100) / 3
    exported = cli("--db", backend_url, "--plan", "sw15", "export", "-").out
    assert "follow_annual" not in exported


def test_on_the_leaf_follows_its_annual_items_and_shows_the_formula(
        backend_url: str, cli: Cli, tmp_path: Path) -> None:
    programme(cli, backend_url, tmp_path, "follow_annual: on")
    shown = cli("--db", backend_url, *TODAY, "show", "sw15:3.1").out
    # (2 × 30 + 1 × 60) / 3; the cancelled 1.3 is listed but not counted.
    assert "进度：" in shown and " 40.0%" in shown, shown
    assert "进度计算：跟随落实事项：按权重加权平均（已取消、已结转的不计）" in shown
    assert "2026:1.1   权重 2  进度  30.0%  占比  66.7%  保护中心二期" in shown
    assert "2026:1.2   权重 1  进度  60.0%  占比  33.3%  保护中心人才" in shown
    assert "2026:1.3   权重 1  进度   0.0%  占比 不计入  停办事项" in shown
    assert "状态：推进中" in shown  # its own status stays
    english = cli("--db", backend_url, *TODAY, "--lang", "en", "show", "sw15:3.1").out
    assert "follows the items carrying it out" in english
    assert progress_of(cli, backend_url, "3") == "47%"  # (40 + 0 + 100) / 3


def test_an_annual_update_changes_the_five_year_tree_through_the_stored_rollups(
        backend_url: str, cli: Cli, tmp_path: Path) -> None:
    programme(cli, backend_url, tmp_path, "follow_annual: on")
    assert progress_of(cli, backend_url, "3", "--depth", "1") == "47%"  # stored now
    assert progress_of(cli, backend_url, "3", "--depth", "1") == "47%"  # served stored
    updated = cli("--db", backend_url, *TODAY, "update", "2026:1.1", "--progress", "90")
    assert updated.code == 0, updated.err
    # 3.1: (2 × 90 + 60) / 3 = 80; 3: (80 + 0 + 100) / 3 = 60.
    assert progress_of(cli, backend_url, "3", "--depth", "1") == "60%"
    assert progress_of(cli, backend_url, "3.1") == "80%"
    assert " 80.0%" in cli("--db", backend_url, *TODAY, "show", "sw15:3.1").out
    # An update of the five-year plan itself patches its stored path with the annual items.
    assert cli("--db", backend_url, *TODAY, "update", "sw15:3.2", "--progress", "30",
               "--status", "推进中").code == 0
    assert progress_of(cli, backend_url, "3", "--depth", "1") == "70%"
    assert progress_of(cli, backend_url, "3") == "70%"


def test_a_done_five_year_leaf_stays_at_100(backend_url: str, cli: Cli,
                                            tmp_path: Path) -> None:
    programme(cli, backend_url, tmp_path, "follow_annual: on")
    assert cli("--db", backend_url, *TODAY, "update", "sw15:3.1", "--status", "已完成").code == 0
    shown = cli("--db", backend_url, *TODAY, "show", "sw15:3.1").out
    assert "100.0%" in shown and "跟随落实事项" not in shown


def test_the_setting_is_exported_and_imported_back(cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    programme(cli, url, tmp_path, "follow_annual: on")
    exported = cli("--db", url, "--plan", "sw15", "export", "-").out
    assert "  follow_annual: 'on'\n" in exported or "  follow_annual: on\n" in exported
    copy = tmp_path / "copy.yaml"
    copy.write_text(exported, encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'two.db'}"
    assert cli("--db", other, *TODAY, "init", "--file", copy).code == 0
    with sqlite3.connect(tmp_path / "two.db") as connection:
        assert connection.execute("SELECT follow_annual FROM plan").fetchall() == [(1,)]
    # Importing the file without the setting turns it off again.
    five = tmp_path / "sw15.yaml"
    five.write_text(FIVE_YEAR.replace("FOLLOW", ""), encoding="utf-8")
    assert cli("--db", url, *TODAY, "import", five).code == 0
    assert progress_of(cli, url, "3.1") == "5%"


@pytest.mark.parametrize("value", ["maybe", "[on]"])
def test_a_bad_value_is_refused_at_its_line_and_column(cli: Cli, tmp_path: Path,
                                                       value: str) -> None:
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    five = tmp_path / "sw15.yaml"
    five.write_text(FIVE_YEAR.replace("FOLLOW", f"follow_annual: {value}"), encoding="utf-8")
    result = cli("--db", url, *TODAY, "init", "--file", five)
    assert result.code == 2
    assert "sw15.yaml:7:18: plan.follow_annual" in result.err, result.err


def test_a_carried_over_annual_item_is_followed_through_its_copy(
        backend_url: str, cli: Cli, tmp_path: Path) -> None:
    programme(cli, backend_url, tmp_path, "follow_annual: on")
    next_year = tmp_path / "2027.yaml"
    next_year.write_text(ANNUAL.replace('"2026"', '"2027"').replace("2026-", "2027-")
                         .replace("2026年度", "2027年度").split("tasks:")[0] + "tasks: []\n",
                         encoding="utf-8")
    assert cli("--db", backend_url, *TODAY, "plans", "add", next_year).code == 0
    assert progress_of(cli, backend_url, "3", "--depth", "1") == "47%"  # stored
    moved = cli("--db", backend_url, *TODAY, "plans", "carry-over", "2026", "2027")
    assert moved.code == 0, moved.err
    # 2026:1.1 and 1.2 are carried over (set aside); their copies carry 3.1 on, at 30 and 60.
    shown = cli("--db", backend_url, *TODAY, "show", "sw15:3.1").out
    assert "2027:1.1   权重 2  进度  30.0%  占比  66.7%" in shown, shown
    assert "2026:1.1   权重 2  进度  30.0%  占比 不计入" in shown
    updated = cli("--db", backend_url, *TODAY, "update", "2027:1.2", "--progress", "90")
    assert updated.code == 0, updated.err
    # 3.1: (2 × 30 + 90) / 3 = 50; 3: (50 + 0 + 100) / 3 = 50.
    assert progress_of(cli, backend_url, "3", "--depth", "1") == "50%"


def test_pg_a_unit_user_update_moves_the_five_year_figures(
        make_database: Callable[[str], str], cli: Cli, tmp_path: Path) -> None:
    """A unit's role may bump the plans' revision (not write the five-year plan): its
    report on an annual item makes the five-year plan's stored rollups stale too."""
    admin_url = make_database("postgresql")
    programme(cli, admin_url, tmp_path, "follow_annual: on")
    unit_user = f"amr_{uuid.uuid4().hex[:8]}"
    assert cli("--db", admin_url, "user", "add", unit_user, "--unit", "amr").code == 0
    try:
        assert progress_of(cli, admin_url, "3", "--depth", "1") == "47%"  # stored
        as_unit = admin_url.replace("//postgres@", f"//{unit_user}@", 1)
        updated = cli("--db", as_unit, *TODAY, "update", "2026:1.1", "--progress", "90")
        assert updated.code == 0, updated.err
        assert progress_of(cli, admin_url, "3", "--depth", "1") == "60%"
    finally:
        import psycopg

        with psycopg.connect(admin_url.replace("postgresql+psycopg", "postgresql"),
                             autocommit=True) as connection:
            connection.execute(f'DROP OWNED BY "{unit_user}"')
            connection.execute(f'DROP ROLE IF EXISTS "{unit_user}"')


def test_the_detail_over_stored_figures_shows_the_formula(cli: Cli, tmp_path: Path) -> None:
    """The TUI's first paint of a large plan holds stored figures, not the annual items:
    the detail pane (`show_item` over that view) reads them for the item it shows."""
    from datetime import date

    from planner.reports.item import show_item
    from planner.reports.tree import shown_view
    from planner.store.dbapi import ask_plan, sqlite_transaction

    url = f"sqlite:///{tmp_path / 'one.db'}"
    programme(cli, url, tmp_path, "follow_annual: on")
    assert progress_of(cli, url, "3.1", "--depth", "2") == "40%"  # stored
    with sqlite_transaction(str(tmp_path / "one.db")) as db:
        ask_plan(db, "sw15")
        view = shown_view(db, today=date(2026, 3, 2), root=None, depth=2)
        assert view is not None and not view.tree.followed
        shown = show_item("3.1", db, lang="zh", today=date(2026, 3, 2), view=view)
    assert "2026:1.1   权重 2  进度  30.0%  占比  66.7%  保护中心二期" in shown, shown


def test_an_annual_item_with_items_below_counts_with_its_leaves_average(
        cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    programme(cli, url, tmp_path, "follow_annual: on")
    annual = tmp_path / "2026.yaml"
    annual.write_text(ANNUAL + """\
  - code: "2"
    title: 第二领域
    lead: amr
    implements: [sw15:3.2]
    children:
      - {code: "2.1", title: 快维一, lead: amr, status: in_progress, progress: 20}
      - {code: "2.2", title: 快维二, lead: amr, status: done}
      - {code: "2.3", title: 快维三, lead: amr, status: cancelled, progress: 50}
""", encoding="utf-8")
    assert cli("--db", url, *TODAY, "import", annual).code == 0
    shown = cli("--db", url, *TODAY, "show", "sw15:3.2").out
    # (20 + 100) / 2: the cancelled 2.3 left out.
    assert "2026:2     权重 1  进度  60.0%  占比 100.0%  第二领域" in shown, shown
    assert progress_of(cli, url, "3.2") == "60%"
