"""The main flows on both backends: a SQLite file and a PostgreSQL database (`backend_url`).

Everything goes through the real command (`planner --db URL …`) or the service functions,
exactly as on SQLite, so PostgreSQL is exercised as a first-class store.
"""

import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from datetime import time as dt_time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine, make_url

from planner.core.clock import Clock
from planner.core.rollup import Rollup
from planner.services.edits import add_task, delete_task, move_task
from planner.services.updates import record_update
from planner.store.db import make_engine, session_scope
from planner.store.models import ProgressUpdate, Task
from planner.store.queries import load_tree
from planner.tui.gateway import PlanGateway
from tests.conftest import CliResult
from tests.scenarios import WEEK_OF_REPORTS

BUNDLED = Path(__file__).resolve().parents[2] / "tasks.yaml"
TODAY = "2021-06-30"
AT = datetime(2021, 6, 30, 9, 0, tzinfo=UTC)

Cli = Callable[..., CliResult]


def backend_of(url: str) -> str:
    """"sqlite" or "postgresql"."""
    return "postgresql" if url.startswith("postgresql") else "sqlite"


@pytest.fixture
def plan_url(backend_url: str, cli: Cli) -> str:
    """A database of either backend initialised from the bundled plan by `planner init`."""
    result = cli("--db", backend_url, "--today", TODAY, "init", "--file", BUNDLED)
    assert result.code == 0, result.err
    return backend_url


@pytest.fixture
def engine(plan_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(plan_url)
    yield engine
    engine.dispose()


def ok(cli: Cli, url: str, *argv: str | Path) -> str:
    """Run a command that must succeed; its standard output."""
    result = cli("--db", url, "--today", TODAY, *argv)
    assert result.code == 0, result.err
    return result.out


def row(output: str, code: str) -> str:
    return next(line for line in output.splitlines() if line.split()[:1] == [code])


def exported(cli: Cli, url: str) -> str:
    return ok(cli, url, "export", "-")


def history_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return session.execute(select(func.count()).select_from(ProgressUpdate)).scalar_one()
    finally:
        engine.dispose()


def task_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return session.execute(select(func.count()).select_from(Task)).scalar_one()
    finally:
        engine.dispose()


def test_tree_show_update_due_and_reading(plan_url: str, cli: Cli) -> None:
    tree = ok(cli, plan_url, "tree", "--depth", "1")
    assert [line.split()[0] for line in tree.splitlines()[2:]] == list("1234567")
    assert "1/5" in row(tree, "4")
    out = ok(cli, plan_url, "update", "5.1.4", "--status", "推进中", "--progress", "30",
             "--note", "已部署专项行动", "--by", "amr")
    assert "推进中 30%" in out
    after = ok(cli, plan_url, "tree", "5")
    assert "30%" in row(after, "5.1.4") and " 6%" in row(after, "5.1")
    ok(cli, plan_url, "update", "2.3", "--due", "2026年6月30日", "--reason", "立法计划调整")
    ok(cli, plan_url, "update", "2.3", "--due", "2026年底", "--reason", "再次顺延")
    shown = ok(cli, plan_url, "show", "2.3")
    assert "原定截止：2025-12-31" in shown and "延期2次" in shown
    shown = ok(cli, plan_url, "show", "5.1.4")
    assert "未启动 → 推进中" in shown and "0% → 30%" in shown and "已部署专项行动" in shown
    ok(cli, plan_url, "reading", "I1", "20", "--date", "2021-06-30", "--source", "保护中心")
    indicators = ok(cli, plan_url, "indicators")
    line = next(line for line in indicators.splitlines() if line.startswith("I1 "))
    assert "最新读数 20" in line and "完成度 48%" in line
    assert history_count(plan_url) == 1


def test_export_import_round_trip(plan_url: str, cli: Cli, tmp_path: Path,
                                  make_database: Callable[[str], str]) -> None:
    ok(cli, plan_url, "update", "5.1.4", "--status", "in_progress", "--progress", "30")
    ok(cli, plan_url, "update", "2.3", "--due", "2026年底", "--reason", "立法计划调整")
    ok(cli, plan_url, "update", "7.2.1@2021-04-20", "--status", "done")
    ok(cli, plan_url, "reading", "I1", "20", "--source", "保护中心")
    first = exported(cli, plan_url)
    path = tmp_path / "exported.yaml"
    path.write_text(first, encoding="utf-8")
    empty = make_database(backend_of(plan_url))
    ok(cli, empty, "import", path)
    assert exported(cli, empty) == first


def test_forbidden_status_change_leaves_the_database_unchanged(plan_url: str, cli: Cli) -> None:
    ok(cli, plan_url, "update", "5.1.4", "--status", "in_progress", "--progress", "30")
    before, history = exported(cli, plan_url), history_count(plan_url)
    result = cli("--db", plan_url, "update", "4.1.1", "--status", "not_started")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "已完成 → 未启动" in result.err
    assert exported(cli, plan_url) == before and history_count(plan_url) == history


def test_failed_import_writes_nothing(plan_url: str, cli: Cli, tmp_path: Path) -> None:
    """The file adds an item and updates 3.1 before the bad transition on 4.1.1: all undone."""
    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace("            status: done\n            progress: 100\n",
                        "            status: not_started\n", 1)
    text = text.replace('  - code: "3"\n', '  - code: "0"\n    title: 新增领域\n    lead: amr\n'
                        '  - code: "3"\n', 1)
    text = text.replace('        title: 建设中国（内蒙古）知识产权保护中心\n',
                        '        title: 建设中国（内蒙古）知识产权保护中心\n'
                        '        status: in_progress\n        progress: 10\n', 1)
    assert text.count("in_progress") == 1 and 'code: "0"' in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    before, history, tasks = exported(cli, plan_url), history_count(plan_url), task_count(plan_url)
    result = cli("--db", plan_url, "import", bad)
    assert result.code == 2 and result.err.count("\n") == 1 and "4.1.1" in result.err
    assert exported(cli, plan_url) == before
    assert (history_count(plan_url), task_count(plan_url)) == (history, tasks)




CLOCK = re.compile(r"\b\d\d:\d\d\b")


def test_reports_are_identical_on_both_backends(cli: Cli,
                                                make_database: Callable[[str], str]) -> None:
    outputs: dict[str, list[str]] = {}
    for backend in ("sqlite", "postgresql"):
        url = make_database(backend)
        ok(cli, url, "init", "--file", BUNDLED)
        # History records the user: on PostgreSQL the login role, on SQLite `--as`.
        user = make_url(url).username or "postgres"
        for today, *argv in WEEK_OF_REPORTS:
            assert cli("--db", url, "--today", today, "--as", user, *argv).code == 0
        outputs[backend] = [
            cli("--db", url, "--today", "2021-07-02", *argv).out
            for argv in (["report", "weekly", "--format", "md"],
                         ["--lang", "en", "report", "weekly", "--format", "md"],
                         ["report", "weekly", "--week", "2021-W25"],
                         ["tree"], ["show", "3.1"], ["export", "-"])
        ]
    assert "方案报批" in outputs["sqlite"][0] and "资金到位" in outputs["sqlite"][0]
    assert "启动选址" in outputs["sqlite"][2]
    # History carries the wall clock's time of day; the two runs may straddle a minute.
    for sqlite_text, postgres_text in zip(outputs["sqlite"], outputs["postgresql"], strict=True):
        assert CLOCK.sub("HH:MM", postgres_text) == CLOCK.sub("HH:MM", sqlite_text)


def test_edits_add_move_delete(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        code = add_task(session=session, title="新增事项", lead="amr", at=AT,
                        parent_code="5.1", support=["hhht"], due=date(2021, 12, 31))
    assert code == "5.1.6"
    with session_scope(engine, write=True) as session:
        move_task(session=session, code=code, offset=-2, at=AT)
    with session_scope(engine) as session:
        tree = load_tree(session=session)
    siblings = [tree.nodes[i].code for i in tree.kids(tree.by_code["5.1"])]
    assert siblings == ["5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.4", "5.1.5"]
    assert tree.node(code).support == ("hhht",)
    with session_scope(engine, write=True) as session:
        assert delete_task(session=session, code=code, at=AT) == "deleted"
    with session_scope(engine, write=True) as session:
        record_update(session=session, code="5.1.4", at=AT, progress=20, note="启动")
    with session_scope(engine, write=True) as session:
        assert delete_task(session=session, code="5.1", at=AT) == "archived"
        added = add_task(session=session, title="又一事项", lead="amr", at=AT, parent_code="5")
    with session_scope(engine) as session:
        tree = load_tree(session=session)
        archived = load_tree(session=session, include_archived=True)
    assert "5.1" not in tree.by_code and "5.1.4" in archived.by_code
    assert added == "5.5" and [tree.nodes[i].code for i in tree.kids(tree.by_code["5"])] == [
        "5.2", "5.3", "5.4", "5.5"]


def test_writers_queue_instead_of_failing(engine: Engine) -> None:
    """Two writers adding under the same parent at once: the second starts after the first
    commits (SQLite: BEGIN IMMEDIATE; PostgreSQL: the advisory lock), so both get a code."""
    first_has_written = threading.Event()
    codes: dict[str, str] = {}

    def add(name: str) -> None:
        if name == "second":
            first_has_written.wait(timeout=10)
        with session_scope(engine, write=True) as session:
            codes[name] = add_task(session=session, title=name, lead="amr", at=AT,
                                   parent_code="5.1")
            if name == "first":
                first_has_written.set()
                time.sleep(0.3)  # hold the transaction open while the second one starts

    threads = [threading.Thread(target=add, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert codes == {"first": "5.1.6", "second": "5.1.7"}


def test_gateway_reads_a_snapshot(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        record_update(session=session, code="5.1.4", at=AT, progress=30, note="启动")
    gateway = PlanGateway(engine, clock=Clock(date(2021, 6, 30), time_of_day=lambda: dt_time(9)),
                          lang="zh", user="tester")
    snapshot = gateway.read_snapshot()
    assert snapshot.revision >= 2
    tree = snapshot.tree
    assert tree.node("5.1.4").progress == 30 and tree.node("5.1.4").version == 2
    assert tree.node("5.1.4").last_report == date(2021, 6, 30)
    assert tree.node("4.1.1").lead == "amr" and tree.node("4.1.1").support == ("czt", "cnipa")
    assert snapshot.rollup[tree.by_code["4"]].progress == pytest.approx(25.0)
    assert snapshot.rollup[tree.by_code["5.1"]].progress == pytest.approx(6.0)
    fresh = Rollup(tree, date(2021, 6, 30))
    assert all(fresh[i] == snapshot.rollup[i] for i in tree.nodes)
    assert "5.1.4" in gateway.detail_text(snapshot, tree.by_code["5.1.4"])
