"""Several plans in one database (issue 13): two plans with the same codes side by side on a
SQLite file and on the real PostgreSQL server, the plan chosen per command, the list of
plans, adding and closing a plan, and every write refused on a closed plan."""

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_PLAN, CliResult

TODAY = "2021-07-01"
SMALL_PLAN = """\
plan:
  id: {id}
  kind: {kind}
  title: 小计划 {id}
  period: {{start: 2021-01-01, end: 2021-12-31}}
units:
  - {{id: amr, name: 自治区市场监管局（知识产权局）}}
  - {{id: hhht, name: 呼和浩特市, kind: league}}
tasks:
  - code: "1"
    title: 第一项
    lead: amr
    children:
      - {{code: "1.1", title: 甲, lead: amr, due: 2021-06-30}}
      - {{code: "1.2", title: 乙, lead: hhht, support: [amr], due: 2021-12-31}}
indicators:
  - {{code: I1, name: 指标一, unit: 件, baseline: 1, target: 5, task: "1.1"}}
"""


def small_plan(folder: Path, plan_id: str, kind: str = "annual") -> Path:
    path = folder / f"{plan_id}.yaml"
    path.write_text(SMALL_PLAN.format(id=plan_id, kind=kind), encoding="utf-8")
    return path


def annual_copy(folder: Path) -> Path:
    """The bundled plan's items as an annual plan `2026` of sw14: the same codes."""
    text = BUNDLED_PLAN.read_text(encoding="utf-8").replace(
        "  id: sw14\n  kind: five-year\n", '  id: "2026"\n  kind: annual\n  parent: sw14\n', 1)
    path = folder / "annual.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_plans_with_the_same_codes_side_by_side(
        kind: str, make_database: Callable[[str], str], tmp_path: Path,
        cli: Callable[..., CliResult]) -> None:
    url = make_database(kind)

    def run(*args: str | Path) -> CliResult:
        return cli("--db", url, "--today", TODAY, *args)

    assert run("init", "--file", BUNDLED_PLAN).code == 0
    alone = re.search(r" (\d+)/(\d+) ", run("plans").out)
    assert alone is not None
    added = run("plans", "add", annual_copy(tmp_path))
    assert added.code == 0, added.err
    assert "2026" in added.out
    assert run("--plan", "2026", "update", "3.1", "--progress", "60", "--note", "年度").code == 0
    assert run("update", "sw14:3.3", "--progress", "20", "--note", "五年").code == 0
    five_year = run("show", "3.1").out
    annual = run("--plan", "2026", "show", "3.1").out
    assert "年度" not in five_year and "年度" in annual
    assert "五年" in run("show", "3.3").out and "五年" not in run("show", "2026:3.3").out
    assert " 60% " in run("tree", "2026:3.1").out and " 60% " not in run("tree", "3.1").out
    listing = run("plans").out.splitlines()
    sw14 = next(line for line in listing if "sw14" in line)
    year = next(line for line in listing if "2026" in line)
    assert sw14.startswith("*sw14") and "五年规划" in sw14 and "年度计划" in year
    assert f"/{alone[2]} " in sw14 and f"/{alone[2]} " in year  # each plan's, not both
    exported = run("--plan", "2026", "export", "-").out
    assert 'id: \'2026\'' in exported and "parent: sw14" in exported
    again = run("import", tmp_path / "annual.yaml")
    assert again.code == 0, again.err
    assert "0 项新建" in again.out or "created 0" in again.out or "新增 0" in again.out
    assert run("plans", "use", "2026").code == 0
    assert "年度" in run("show", "3.1").out  # the current plan now
    assert run("plans").out.splitlines()[2].startswith("*2026")


def test_unknown_plan_and_id_clash_are_refused_and_change_nothing(
        bundled_db: Path, tmp_path: Path, cli: Callable[..., CliResult],
        db_dump: Callable[[Path], str]) -> None:
    before = db_dump(bundled_db)
    unknown = cli("--db", bundled_db, "--plan", "sw15", "tree")
    assert unknown.code == 2 and len(unknown.err.strip().splitlines()) == 1
    assert "sw15" in unknown.err and "sw14" in unknown.err
    clash = cli("--db", bundled_db, "plans", "add", BUNDLED_PLAN)
    assert clash.code == 2 and "sw14" in clash.err
    other = cli("--db", bundled_db, "import", small_plan(tmp_path, "p1"))
    assert other.code == 2 and "plans add" in other.err
    assert db_dump(bundled_db) == before


def test_units_are_shared_and_renamed_only_when_the_file_says_so(
        bundled_db: Path, tmp_path: Path, cli: Callable[..., CliResult],
        db_dump: Callable[[Path], str]) -> None:
    path = small_plan(tmp_path, "p1")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{id: hhht, name: 呼和浩特市, kind: league}", "{id: hhht, name: 呼和浩特, kind: league}"),
        encoding="utf-8")
    before = db_dump(bundled_db)
    refused = cli("--db", bundled_db, "plans", "add", path)
    assert refused.code == 2 and "renames: true" in refused.err and "p1.yaml:" in refused.err
    assert db_dump(bundled_db) == before
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: 呼和浩特, kind: league}", "name: 呼和浩特, kind: league, renames: true}"),
        encoding="utf-8")
    assert cli("--db", bundled_db, "plans", "add", path).code == 0
    with sqlite3.connect(bundled_db) as connection:
        assert connection.execute("SELECT name FROM unit WHERE id = 'hhht'").fetchone() == (
            "呼和浩特",)
        assert connection.execute("SELECT count(*) FROM unit").fetchone() == (23,)


def test_close_is_refused_while_items_are_open_then_every_write_is_refused(
        tmp_path: Path, cli: Callable[..., CliResult], db_dump: Callable[[Path], str]) -> None:
    db = tmp_path / "office.db"

    def run(*args: str | Path) -> CliResult:
        return cli("--db", db, "--today", TODAY, *args)

    assert run("init", "--file", small_plan(tmp_path, "p1", "five-year")).code == 0
    refused = run("plans", "close", "p1")
    assert refused.code == 2 and "1.1" in refused.err and "1.2" in refused.err
    assert run("update", "1.1", "--status", "done").code == 0
    assert run("update", "1.2", "--status", "cancelled", "--note", "不再开展").code == 0
    closed = run("plans", "close", "p1")
    assert closed.code == 0, closed.err
    before = db_dump(db)
    assert run("ledger", "export", tmp_path / "ledger.xlsx").code == 0
    writes: list[list[str | Path]] = [
        ["update", "1.1", "--note", "补记"],
        ["update", "1.2", "--status", "in_progress"],
        ["update", "1.1", "--due", "2021-09-30", "--reason", "延期"],
        ["reading", "I1", "3"],
        ["flag", "1.1", "--reason", "需协调"],
        ["unflag", "1.1"],
        ["import", tmp_path / "p1.yaml"],
        ["ledger", "import", tmp_path / "ledger.xlsx", "--apply"],
        ["meeting", "decide", "1", "--text", "决定", "--action", "新任务", "--lead", "amr",
         "--due", "2021-12-31"],
        ["plans", "close", "p1"],
        ["assign", "1.1", "--to", "amr"],
        ["ack", "1.1", "--by", "amr"],
        ["return", "1.1", "--reason", "不属本单位", "--by", "amr"],
        ["extend", "1.1", "--to", "2021-12-31", "--reason", "延期", "--by", "amr"],
        ["urge", "1.1"],
    ]
    assert run("meeting", "new", "--date", "2021-07-02", "--title", "联席会议").code == 0
    before = db_dump(db)
    for args in writes:
        result = run(*args)
        assert result.code == 2, (args, result.out, result.err)
        assert len(result.err.strip().splitlines()) == 1, (args, result.err)
        assert "p1" in result.err, (args, result.err)
        assert db_dump(db) == before, args
    for args in (["tree"], ["show", "1.1"], ["plans"], ["report", "weekly"], ["indicators"],
                 ["export", "-"]):
        assert run(*args).code == 0, args
    assert "已关闭" in run("plans").out


def test_weekly_report_of_all_open_plans(bundled_db: Path, tmp_path: Path,
                                         cli: Callable[..., CliResult]) -> None:
    assert cli("--db", bundled_db, "plans", "add", small_plan(tmp_path, "p1")).code == 0
    one = cli("--db", bundled_db, "--today", TODAY, "report", "weekly")
    both = cli("--db", bundled_db, "--today", TODAY, "--plan", "all", "report", "weekly")
    assert both.code == 0, both.err
    assert "小计划 p1" not in one.out and "小计划 p1" in both.out
    assert both.out.index("十四五") < both.out.index("小计划 p1")
    html = cli("--db", bundled_db, "--today", TODAY, "--plan", "all", "report", "weekly",
               "-o", tmp_path / "weekly.html")
    assert html.code == 0, html.err
    assert "小计划 p1" in (tmp_path / "weekly-p1.html").read_text(encoding="utf-8")
    assert "十四五" in (tmp_path / "weekly-sw14.html").read_text(encoding="utf-8")
    assert cli("--db", bundled_db, "--plan", "all", "report", "weekly", "--format",
               "html").code == 2


def test_stored_rollups_stay_right_per_plan(bundled_db: Path, tmp_path: Path,
                                            cli: Callable[..., CliResult]) -> None:
    """Each plan's stored figures are its own: storing one plan's keeps the other's, and an
    update patches only its own plan's path; both equal a full rollup afterwards."""
    from datetime import date

    from planner.core.rollup import Rollup
    from planner.store.dbapi import ask_plan, read_tree, sqlite_transaction
    from planner.store.rollup_cache import plan_revision, stored_figures

    assert cli("--db", bundled_db, "plans", "add", annual_copy(tmp_path)).code == 0
    for plan in ("sw14", "2026"):
        assert cli("--db", bundled_db, "--today", TODAY, "--plan", plan, "tree", "--depth",
                   "2").code == 0
    assert cli("--db", bundled_db, "--today", TODAY, "update", "2026:5.1.1", "--progress",
               "70").code == 0
    assert cli("--db", bundled_db, "--today", TODAY, "update", "3.1", "--progress",
               "30").code == 0
    with sqlite_transaction(str(bundled_db)) as db:
        stored = stored_figures(db)
        for plan in ("sw14", "2026"):
            ask_plan(db, plan)
            plan_id, revision = plan_revision(db)
            assert db.one("SELECT revision, today FROM rollupstate WHERE plan_id = ?",
                          (plan_id,)) == (revision, TODAY)
            fresh = Rollup(read_tree(db), date.fromisoformat(TODAY))
            for node_id, figures in fresh.figures.items():
                assert stored[node_id] == figures, (plan, node_id)
    depth_one = cli("--db", bundled_db, "--today", TODAY, "--plan", "2026", "tree", "--depth",
                    "1").out
    assert depth_one != cli("--db", bundled_db, "--today", TODAY, "tree", "--depth", "1").out


def test_an_import_keeps_the_collector_paused_from_reading_to_commit(tmp_path: Path) -> None:
    """The parsed plan is a million small objects at 100,000 items, none in a cycle: no
    collection walks them between reading the file and the commit, nor after (the first
    collection after a pause walks every object made during it: half a second at 100,000
    items), as they are freed before the collector runs again. Ordinary collections, each
    after about 700 allocations, are no concern."""
    import gc

    from planner.cli import main
    from tests.services.test_plan_yaml_fast import large_plan

    plan_file = tmp_path / "big.yaml"
    plan_file.write_text(large_plan(1000), encoding="utf-8")  # 11,000 items
    young_at_start: list[int] = []  # objects made since the last collection, at each start

    def count(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            young_at_start.append(gc.get_count()[0])

    gc.collect()
    gc.callbacks.append(count)
    try:
        assert main(["--db", str(tmp_path / "plan.db"), "import", str(plan_file)]) == 0
    finally:
        gc.callbacks.remove(count)
    assert max(young_at_start, default=0) < 50_000  # without the pause: 68,000 (the plan)
    assert gc.isenabled()


def test_validate_loads_no_sql_layer() -> None:
    """`planner validate` reads and checks the file (services/plan_yaml.py) without
    importing SQLAlchemy or SQLModel (about 0.9 s of a run before; the CLI itself still
    imports the small sqlite3-only store modules)."""
    from tests.test_architecture import loaded_modules

    modules = loaded_modules("validate", str(BUNDLED_PLAN))
    assert "planner.services.plan_yaml" in modules  # the run did check the file
    assert not {m.split(".")[0] for m in modules} & {"sqlalchemy", "sqlmodel", "alembic"}
    assert "planner.store.models" not in modules
