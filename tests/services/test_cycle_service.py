"""The 督办 cycle through the real command on both backends: each path (交办 → 签收, 退办 →
交办 again, 延期申请 approved and rejected, 办结申请 accepted and sent back, 催办), the inbox
oldest first, steps out of order refused naming the state with nothing written; and on
PostgreSQL, unit users under row-level security."""

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from planner.store.db import make_engine
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
TODAY = "2021-07-01"  # a Thursday: the 3-working-day 签收 window ends on Tuesday 07-06
PLAN = """\
plan:
  title: 督办测试计划
  period: {start: 2021-01-01, end: 2021-12-31}
  supervision: {review: on}
units:
  - {id: amr, name: 市场监管局, kind: department}
  - {id: hhht, name: 呼和浩特市, kind: league}
  - {id: bt, name: 包头市, kind: league}
tasks:
  - {code: "1", title: 第一项, lead: hhht, due: 2021-09-30}
  - {code: "2", title: 第二项, lead: hhht, support: [bt], due: 2021-09-30}
  - {code: "3", title: 第三项, lead: bt, due: 2021-09-30}
"""


def run(cli: Cli, url: str, *argv: str | Path, today: str = TODAY) -> CliResult:
    return cli("--db", url, "--today", today, *argv)


def ok(cli: Cli, url: str, *argv: str | Path, today: str = TODAY) -> str:
    result = run(cli, url, *argv, today=today)
    assert result.code == 0, result.err
    return result.out


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a step may write, for before/after comparisons."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {table: sorted(map(tuple, connection.exec_driver_sql(
                        f"SELECT * FROM {table}").fetchall()), key=repr)
                    for table in ("task", "taskunit", "progressupdate", "duechange",
                                  "cycleevent", "plan")}
    finally:
        engine.dispose()


def refused(cli: Cli, url: str, *argv: str | Path) -> str:
    """A step that must be refused: exit 2, one line, nothing written; that line."""
    before = table_rows(url)
    result = run(cli, url, *argv)
    assert result.code == 2, (result.out, result.err)
    assert result.out == "" and result.err.count("\n") == 1, result.err
    assert table_rows(url) == before
    return result.err


def events(url: str) -> list[tuple[Any, ...]]:
    """(code, kind, by_unit, unit_id, request_id, state) of every step, oldest first."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.exec_driver_sql(
                "SELECT t.code, e.kind, e.by_unit, e.unit_id, e.request_id, e.state "
                "FROM cycleevent e JOIN task t ON t.id = e.task_id ORDER BY e.id")]
    finally:
        engine.dispose()


def inbox_ids(cli: Cli, url: str) -> list[str]:
    return [line.split()[0] for line in ok(cli, url, "inbox").splitlines() if line]


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture
def url(backend_url: str, plan_file: Path, cli: Cli) -> str:
    ok(cli, backend_url, "init", "--file", plan_file)
    return backend_url


def test_assign_acknowledge_and_the_window_in_the_inbox(url: str, cli: Cli) -> None:
    assert "1：已记录交办（#1），事项现待签收" in ok(cli, url, "assign", "1", "--to", "hhht")
    assert ok(cli, url, "inbox") == \
        "#1      2021-07-01  待签收（2021-07-06 前）  1 第一项  呼和浩特市\n"
    assert "已超期" in ok(cli, url, "inbox", today="2021-07-07")
    assert "须指明办理单位" in refused(cli, url, "ack", "1")  # a coordinator names the unit
    assert "不是该事项的牵头单位" in refused(cli, url, "ack", "1", "--by", "bt")
    assert "事项现办理中" in ok(cli, url, "ack", "1", "--by", "hhht")
    assert "不能签收：该事项办理中" in refused(cli, url, "ack", "1", "--by", "hhht")
    assert ok(cli, url, "inbox") == "没有待处理的督办事项\n"
    assert events(url) == [("1", "assign", None, "hhht", None, None),
                           ("1", "ack", "hhht", "hhht", 1, None)]
    history = ok(cli, url, "show", "1")
    assert "交办 #1  交 hhht" in history and "签收 #2" in history


def test_a_returned_item_is_reassigned(url: str, cli: Cli) -> None:
    assert "理由" in refused(cli, url, "return", "2", "--by", "hhht", "--reason", " ")
    ok(cli, url, "return", "2", "--by", "hhht", "--reason", "不属本单位职责")
    assert "已退办，待重新交办  2 第二项  呼和浩特市  原因：不属本单位职责" in ok(cli, url, "inbox")
    assert "不能签收：该事项已退办、待重新交办" in refused(cli, url, "ack", "2", "--by", "hhht")
    assert "不能延期申请" in refused(cli, url, "extend", "2", "--to", "2021-12-31",
                                 "--reason", "x", "--by", "hhht")
    ok(cli, url, "assign", "2", "--to", "bt")
    assert "牵头单位：包头市" in ok(cli, url, "show", "2")
    assert [line.split()[2] for line in ok(cli, url, "inbox").splitlines()] == \
        ["待签收（2021-07-06"]
    ok(cli, url, "ack", "2", "--by", "bt")
    assert events(url) == [("2", "return", "hhht", "hhht", None, None),
                           ("2", "assign", None, "bt", 1, None),
                           ("2", "ack", "bt", "bt", 2, None)]


def test_an_approved_extension_moves_the_date_and_is_counted(url: str, cli: Cli) -> None:
    assert "晚于当前截止日期" in refused(cli, url, "extend", "1", "--to", "2021-09-30",
                                  "--reason", "x", "--by", "hhht")
    assert "申请 #1" in ok(cli, url, "extend", "1", "--to", "2021年10月底", "--reason",
                          "需要跨部门协调", "--by", "hhht")
    assert "不能办结申请：该事项延期申请待审批" in refused(cli, url, "update", "1", "--status",
                                                "done", "--by", "hhht")
    assert "截止日期 2021-09-30 → 2021-10-31  原因：需要跨部门协调" in ok(cli, url, "inbox")
    assert "截止：2021-09-30" in ok(cli, url, "show", "1")  # only approval moves it
    assert "事项现办理中" in ok(cli, url, "approve", "1")
    shown = ok(cli, url, "show", "1")
    assert "截止：2021-10-31" in shown and "延期 1 次" in shown.replace("延期1次", "延期 1 次")
    assert "已处理：已同意" in refused(cli, url, "approve", "1")
    assert "已处理：已同意" in refused(cli, url, "reject", "1", "--reason", "x")
    assert "不是待审批的申请" in refused(cli, url, "approve", "2")
    assert "没有编号为 99 的申请" in refused(cli, url, "approve", "99")
    ok(cli, url, "extend", "1", "--to", "2021-12-31", "--reason", "再延", "--by", "hhht")
    assert "理由" in refused(cli, url, "reject", "3", "--reason", "")
    ok(cli, url, "reject", "3", "--reason", "不符合延期条件")
    assert "截止：2021-10-31" in ok(cli, url, "show", "1")
    assert events(url) == [("1", "extend_request", "hhht", "hhht", None, "approved"),
                           ("1", "extend_approve", None, "hhht", 1, None),
                           ("1", "extend_request", "hhht", "hhht", None, "rejected"),
                           ("1", "extend_reject", None, "hhht", 3, None)]


def test_completion_is_reviewed_sent_back_and_closed(url: str, cli: Cli) -> None:
    assert "不是该事项的牵头单位" in refused(cli, url, "update", "2", "--status", "done",
                                     "--by", "bt")  # a supporting unit does not report 办结
    out = ok(cli, url, "update", "1", "--status", "done", "--by", "hhht", "--note", "已建成")
    assert "已提交办结申请（申请 #1）" in out
    assert "办结申请  1 第一项  呼和浩特市  原因：已建成" in ok(cli, url, "inbox")
    assert "理由" in refused(cli, url, "update", "1", "--status", "in_progress")
    assert "复核退回" in ok(cli, url, "reject", "1", "--reason", "佐证材料不全")
    assert "状态：推进中" in ok(cli, url, "show", "1")
    ok(cli, url, "update", "1", "--status", "done", "--by", "hhht", "--note", "已补齐")
    assert inbox_ids(cli, url) == ["#3"]
    assert "事项现已完成、已销号或已取消" in ok(cli, url, "approve", "3")
    assert "状态：已销号" in ok(cli, url, "show", "1")
    assert "已处理" in refused(cli, url, "approve", "3")
    # A coordinator's direct close answers a pending request too.
    ok(cli, url, "update", "3", "--status", "done", "--by", "bt")
    assert "复核通过（销号）" in ok(cli, url, "update", "3", "--status", "closed")
    assert [row[1:] for row in events(url)] == [
        ("done_request", "hhht", "hhht", None, "rejected"),
        ("done_send_back", None, "hhht", 1, None),
        ("done_request", "hhht", "hhht", None, "approved"),
        ("done_accept", None, "hhht", 3, None),
        ("done_request", "bt", "bt", None, "approved"),
        ("done_accept", None, "bt", 5, None)]


def test_urge_is_recorded_and_the_inbox_is_oldest_first(url: str, cli: Cli) -> None:
    ok(cli, url, "assign", "1", "--to", "hhht", today="2021-07-05")
    ok(cli, url, "extend", "3", "--to", "2021-12-31", "--reason", "x", "--by", "bt",
       today="2021-07-02")
    ok(cli, url, "return", "2", "--reason", "错交", "--by", "hhht", today="2021-07-03")
    assert inbox_ids(cli, url) == ["#2", "#3", "#1"]
    assert "事项现待签收" in ok(cli, url, "urge", "1", "--note", "请尽快签收")
    assert "催办 #4" in ok(cli, url, "show", "1")
    ok(cli, url, "update", "1", "--status", "cancelled")
    assert "不能催办：该事项已完成、已销号或已取消" in refused(cli, url, "urge", "1")


def test_without_review_a_units_done_is_set_directly(tmp_path: Path, cli: Cli) -> None:
    plan = tmp_path / "small.yaml"
    plan.write_text(PLAN.replace("  supervision: {review: on}\n",
                                 "  supervision: {acknowledge_days: 5, review: off}\n"),
                    encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'small.db'}"
    ok(cli, url, "init", "--file", plan)
    assert "申请" not in ok(cli, url, "update", "1", "--status", "done", "--by", "hhht")
    ok(cli, url, "update", "1", "--status", "closed")
    assert events(url) == []
    ok(cli, url, "assign", "2", "--to", "hhht")
    assert "2021-07-08 前" in ok(cli, url, "inbox")  # five working days
    exported = tmp_path / "out.yaml"
    ok(cli, url, "export", exported)
    assert "supervision:\n    acknowledge_days: 5\n    review: 'off'" in \
        exported.read_text(encoding="utf-8")


def test_a_bad_review_setting_is_refused_with_its_place(tmp_path: Path, cli: Cli) -> None:
    plan = tmp_path / "bad.yaml"
    plan.write_text(PLAN.replace("  supervision: {review: on}\n",
                                 "  supervision: {review: maybe}\n"), encoding="utf-8")
    result = cli("--db", tmp_path / "bad.db", "init", "--file", plan)
    assert result.code == 2 and "bad.yaml:4:" in result.err and "supervision.review" in result.err


# --- PostgreSQL: unit users under row-level security ----------------------------------------


@dataclass(frozen=True, slots=True)
class PgPlan:
    admin_url: str
    server: Any
    database: str
    coordinator: str
    hz: str
    bt: str

    def url_as(self, role: str) -> str:
        return self.admin_url.replace("//postgres@", f"//{role}@", 1)

    def connect(self, role: str) -> Any:
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.server.port, user=role,
                               dbname=self.database, autocommit=True)


@pytest.fixture
def pg(make_database: Callable[[str], str], postgres_server: Any, cli: Cli,
       plan_file: Path) -> Iterator[PgPlan]:
    admin_url = make_database("postgresql")
    suffix = uuid.uuid4().hex[:8]
    plan = PgPlan(admin_url, postgres_server, admin_url.rsplit("/", 1)[-1],
                  f"boss_{suffix}", f"hz_{suffix}", f"bt_{suffix}")
    ok(cli, admin_url, "init", "--file", plan_file)
    ok(cli, admin_url, "user", "add", plan.coordinator, "--coordinator")
    ok(cli, admin_url, "user", "add", plan.hz, "--unit", "hhht")
    ok(cli, admin_url, "user", "add", plan.bt, "--unit", "bt")
    yield plan
    with contextlib.suppress(Exception), plan.connect("postgres") as connection:
        for role in (plan.coordinator, plan.hz, plan.bt):
            connection.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_pg_units_take_their_steps_and_only_coordinators_answer(pg: PgPlan, cli: Cli) -> None:
    hz, bt, boss = (pg.url_as(role) for role in (pg.hz, pg.bt, pg.coordinator))
    assert "不能修改计划" in refused(cli, hz, "assign", "1", "--to", "hhht")
    ok(cli, boss, "assign", "1", "--to", "hhht")
    assert "不是该事项的牵头单位" in refused(cli, bt, "ack", "1")
    assert pg.hz in refused(cli, hz, "ack", "1", "--by", "bt")  # only as its own unit
    ok(cli, hz, "ack", "1")
    ok(cli, hz, "extend", "1", "--to", "2021-10-31", "--reason", "需要协调")
    assert "不能修改计划" in refused(cli, hz, "approve", "3")
    assert "不能修改计划" in refused(cli, bt, "reject", "3", "--reason", "x")
    ok(cli, boss, "approve", "3")
    ok(cli, hz, "update", "1", "--status", "done", "--note", "完成")
    assert "不能修改计划" in refused(cli, hz, "approve", "5")
    ok(cli, boss, "approve", "5")
    ok(cli, bt, "return", "3", "--reason", "不属本单位")
    assert [(row[1], row[2]) for row in events(pg.admin_url)] == [
        ("assign", None), ("ack", "hhht"), ("extend_request", "hhht"),
        ("extend_approve", None), ("done_request", "hhht"), ("done_accept", None),
        ("return", "bt")]
    assert "状态：已销号" in ok(cli, boss, "show", "1")
    assert "截止：2021-10-31" in ok(cli, boss, "show", "1")


def test_pg_the_database_itself_keeps_units_to_their_own_steps(pg: PgPlan) -> None:
    import psycopg

    with pg.connect("postgres") as connection:
        one, three = (connection.execute("SELECT id FROM task WHERE code = %s",
                                         (code,)).fetchone()[0] for code in ("1", "3"))
    insert = ("INSERT INTO cycleevent (task_id, kind, at, by_user, by_unit, unit_id, state) "
              "VALUES (%s, %s, now(), %s, %s, %s, %s)")
    with pg.connect(pg.hz) as connection:
        connection.execute(insert, (one, "ack", pg.hz, "hhht", "hhht", None))
        for forged in [(three, "ack", pg.hz, "hhht", "hhht", None),  # not its item
                       (one, "ack", pg.bt, "hhht", "hhht", None),  # as someone else
                       (one, "extend_approve", pg.hz, "hhht", "hhht", None),  # an answer
                       (one, "done_request", pg.hz, "hhht", "hhht", "approved")]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(insert, forged)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE cycleevent SET state = 'approved'")
    with pg.connect(pg.coordinator) as connection:
        connection.execute(insert, (three, "urge", pg.coordinator, None, "bt", None))
        connection.execute("UPDATE cycleevent SET reason = 'x'")


def test_a_request_is_answered_in_its_own_plan(tmp_path: Path, cli: Cli) -> None:
    """Two plans with the same codes: approving plan p2's request from the current plan
    moves p2's item, not the current plan's item of the same code."""
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text(PLAN.replace("plan:\n", "plan:\n  id: p1\n"), encoding="utf-8")
    second.write_text(PLAN.replace("plan:\n", "plan:\n  id: p2\n  kind: annual\n")
                      .replace("督办测试计划", "第二个计划"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'two.db'}"
    ok(cli, url, "init", "--file", first)
    ok(cli, url, "plans", "add", second)
    ok(cli, url, "plans", "use", "p1")
    ok(cli, url, "--plan", "p2", "extend", "1", "--to", "2021-10-31", "--reason", "协调",
       "--by", "hhht")
    request = inbox_ids(cli, url)
    ok(cli, url, "approve", request[-1])
    assert "2021-10-31" in ok(cli, url, "show", "p2:1")
    assert "2021-10-31" not in ok(cli, url, "show", "p1:1")


def test_pg_a_units_step_takes_the_servers_time(pg: PgPlan) -> None:
    """A unit cannot date its 签收 back into the window: the server stamps the step; a
    coordinator's step keeps the time the program gives it."""
    with pg.connect("postgres") as connection:
        one = connection.execute("SELECT id FROM task WHERE code = '1'").fetchone()[0]
    insert = ("INSERT INTO cycleevent (task_id, kind, at, by_user, by_unit, unit_id) "
              "VALUES (%s, %s, '2001-01-01 09:00', %s, %s, %s) RETURNING at > now() - "
              "interval '1 hour'")
    with pg.connect(pg.hz) as connection:
        assert connection.execute(insert, (one, "ack", pg.hz, "hhht", "hhht")).fetchone()[0]
    with pg.connect(pg.coordinator) as connection:
        assert not connection.execute(
            insert, (one, "urge", pg.coordinator, None, "hhht")).fetchone()[0]

