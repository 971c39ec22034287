"""Carry-over (结转) through the real CLI on SQLite and PostgreSQL: exactly the unfinished
items copied under the same area path, the originals marked carried over, the dry run
printing what the run then does, and the refusals writing nothing."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.store.db import make_engine
from tests.conftest import CliResult

Cli = Callable[..., CliResult]

PLAN_2025 = """
plan:
  id: "2025"
  kind: annual
  title: 2025年度推进计划
  period: {start: 2025-01-01, end: 2025-12-31}
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）}
  - {id: hhht, name: 呼和浩特市, kind: league}
tasks:
  - code: "1"
    title: 第一领域
    lead: amr
    children:
      - {code: "1.1", title: 已完成事项, lead: hhht, due: 2025-06-30, status: done}
      - {code: "1.2", title: 推进中事项, lead: amr, support: [hhht], start: 2025-03-01,
         due: 2025-12-31, status: in_progress, progress: 40, source: 原文一句}
      - {code: "1.3", title: 未启动事项, lead: hhht, due: 2026-03-31}
      - {code: "1.4", title: 已销号事项, lead: hhht, due: 2025-06-30, status: closed}
  - code: "2"
    title: 第二领域
    lead: amr
    children:
      - {code: "2.1", title: 受阻事项, lead: amr, due: 2025-12-31, status: blocked}
      - {code: "2.2", title: 已取消事项, lead: amr, due: 2025-12-31, status: cancelled}
"""
PLAN_2026 = """
plan:
  id: "2026"
  kind: annual
  title: 2026年度推进计划
  period: {start: 2026-01-01, end: 2026-12-31}
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）}
tasks:
  - code: "1"
    title: 第一领域（2026）
    lead: amr
    children:
      - {code: "1.2", title: 2026年新事项, lead: amr, due: 2026-06-30}
"""
EXPECTED_LINES = [
    "从 2025 结转 3 个未完成事项到 2026：",
    "  2025:1.2 → 2026:1.2-2025 推进中事项（推进中 40%，截止 2026-12-31）",
    "  2025:1.3 → 2026:1.3 未启动事项（未启动 0%，截止 2026-03-31）",
    "  新建上级事项 2026:2 第二领域",
    "  2025:2.1 → 2026:2.1 受阻事项（受阻 0%，截止 2026-12-31）",
]


@pytest.fixture
def two_plans(backend_url: str, cli: Cli, tmp_path: Path) -> str:
    for name, content in (("2025.yaml", PLAN_2025), ("2026.yaml", PLAN_2026)):
        (tmp_path / name).write_text(content, encoding="utf-8")
    ok = cli("--db", backend_url, "--today", "2025-12-30", "init", "--file",
             tmp_path / "2025.yaml")
    assert ok.code == 0, ok.err
    ok = cli("--db", backend_url, "--today", "2025-12-30", "plans", "add",
             tmp_path / "2026.yaml")
    assert ok.code == 0, ok.err
    return backend_url


def rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """What carry-over may touch: items, units, history and links."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            def query(sql: str) -> list[tuple[object, ...]]:
                return [tuple(row) for row in connection.execute(text(sql))]

            return {
                "task": query("SELECT p.code, t.code, t.title, t.status, t.progress, t.start, "
                              "t.due, t.source, t.version, parent.code FROM task AS t "
                              "JOIN plan AS p ON p.id = t.plan_id LEFT JOIN task AS parent "
                              "ON parent.id = t.parent_id ORDER BY p.code, t.code"),
                "units": query("SELECT p.code, t.code, u.unit_id, u.role FROM taskunit AS u "
                               "JOIN task AS t ON t.id = u.task_id JOIN plan AS p "
                               "ON p.id = t.plan_id ORDER BY p.code, t.code, u.unit_id"),
                "history": query("SELECT p.code, t.code, h.old_status, h.new_status, "
                                 "h.old_progress, h.new_progress, h.note FROM progressupdate "
                                 "AS h JOIN task AS t ON t.id = h.task_id JOIN plan AS p ON "
                                 "p.id = t.plan_id ORDER BY h.id"),
                "links": query("SELECT a.code, l.kind, b.code FROM tasklink AS l JOIN task AS a "
                               "ON a.id = l.task_id JOIN task AS b ON b.id = l.target_id "
                               "ORDER BY a.code"),
                "revision": query("SELECT code, revision, state FROM plan ORDER BY code"),
            }
    finally:
        engine.dispose()


def test_carry_over_copies_exactly_the_unfinished_items(two_plans: str, cli: Cli) -> None:
    before = rows(two_plans)
    dry = cli("--db", two_plans, "--today", "2025-12-31", "plans", "carry-over", "2025", "2026",
              "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.out.splitlines() == ["（试运行，未保存）" + EXPECTED_LINES[0], *EXPECTED_LINES[1:]]
    assert rows(two_plans) == before
    done = cli("--db", two_plans, "--today", "2025-12-31", "plans", "carry-over", "2025",
               "2026")
    assert done.code == 0, done.err
    assert done.out.splitlines() == EXPECTED_LINES
    after = rows(two_plans)
    tasks = {(plan, code): rest for plan, code, *rest in after["task"]}
    # The originals: open ones carried over (progress kept, version bumped), others untouched.
    assert {code: tasks[("2025", code)][1] for code in ("1.1", "1.2", "1.3", "1.4", "2.1",
                                                         "2.2")} == {
        "1.1": "done", "1.2": "carried_over", "1.3": "carried_over", "1.4": "closed",
        "2.1": "carried_over", "2.2": "cancelled"}
    assert tasks[("2025", "1.2")][2] == 40 and tasks[("2025", "1.2")][6] == 2
    # The copies: same area path, the taken code 1.2 suffixed, the deadline moved into 2026
    # unless already in it, the start moved into the period, title, source and progress kept.
    new = {code: rest for (plan, code), rest in tasks.items() if plan == "2026"}
    assert set(new) == {"1", "1.2", "1.2-2025", "1.3", "2", "2.1"}
    title, status, progress, start, due, source, version, parent = new["1.2-2025"]
    assert (title, status, progress, source, version, parent) == (
        "推进中事项", "in_progress", 40, "原文一句", 1, "1")
    assert (str(start)[:10], str(due)[:10]) == ("2026-01-01", "2026-12-31")
    assert str(new["1.3"][4])[:10] == "2026-03-31" and new["1.3"][7] == "1"
    assert new["2"][:2] == ["第二领域", "not_started"] and new["2"][7] is None
    assert new["2.1"][1:3] == ["blocked", 0] and new["2.1"][7] == "2"
    assert ("2026", "1.2-2025", "amr", "lead") in after["units"]
    assert ("2026", "1.2-2025", "hhht", "support") in after["units"]
    assert ("2026", "2", "amr", "lead") in after["units"]
    assert after["links"] == [("1.2-2025", "carried_from", "1.2"),
                              ("1.3", "carried_from", "1.3"), ("2.1", "carried_from", "2.1")]
    added = after["history"][len(before["history"]):]
    assert ("2026", "1.2-2025", "in_progress", "in_progress", 40, 40, "自 2025:1.2 结转") \
        in added
    assert ("2025", "1.2", "in_progress", "carried_over", 40, 40, "已结转至 2026:1.2-2025") \
        in added
    assert len(added) == 6
    assert [r[1] for r in after["revision"]] == [r[1] + 1 for r in before["revision"]]
    # The evaluation of 2025 counts them as carried over (1.1 and 1.4 on time, 2.2 cancelled).
    evaluation = cli("--db", two_plans, "--today", "2025-12-31", "--plan", "2025", "report",
                     "evaluation", "--format", "md")
    assert "共 6 项具体事项：按期完成 2 项，逾期完成 0 项，已结转 3 项，已取消 1 项，未完成 0 项" \
        in evaluation.out, evaluation.err
    assert evaluation.out.startswith("# 2025年度推进计划 总结评估报告")
    # A carried-over original is final.
    update = cli("--db", two_plans, "--today", "2025-12-31", "update", "2025:1.2",
                 "--progress", "50")
    assert update.code == 2 and "已结转" in update.err
    assert rows(two_plans) == after


@pytest.mark.parametrize(("argv", "reason"), [
    (("2025", "2025"), "不能把计划 2025 结转到它自己"),
    (("2025", "2027"), "没有 id 为 2027 的计划"),
])
def test_refusals_write_nothing(two_plans: str, cli: Cli, argv: tuple[str, str],
                                reason: str) -> None:
    before = rows(two_plans)
    result = cli("--db", two_plans, "--today", "2025-12-31", "plans", "carry-over", *argv)
    assert result.code == 2 and reason in result.err and result.err.count("\n") == 1
    assert rows(two_plans) == before


def test_nothing_open_and_into_a_closed_plan_are_refused(two_plans: str, cli: Cli) -> None:
    assert cli("--db", two_plans, "--today", "2025-12-31", "plans", "carry-over", "2025",
               "2026").code == 0
    before = rows(two_plans)
    again = cli("--db", two_plans, "--today", "2025-12-31", "plans", "carry-over", "2025",
                "2026", "--dry-run")
    assert again.code == 2 and "计划 2025 没有未完成的事项" in again.err
    assert cli("--db", two_plans, "--today", "2025-12-31", "plans", "close", "2025").code == 0
    into_closed = cli("--db", two_plans, "--today", "2025-12-31", "plans", "carry-over",
                      "2026", "2025")
    assert into_closed.code == 2 and "计划 2025 已关闭，不能结转进去" in into_closed.err
    assert rows(two_plans)["task"] == before["task"]
