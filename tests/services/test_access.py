"""Access by unit: coordinators do everything, a unit's user reports on its own items only.

On a SQLite file the acting user is `--as` (trust-based); on PostgreSQL it is the login role,
and the database itself refuses what the Python code would refuse, even to a raw connection.
"""

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from planner.core.errors import PlannerError
from planner.services import edits
from planner.services.users import add_user
from planner.store.db import make_engine, session_scope
from planner.store.models import DueChange, IndicatorReading, ProgressUpdate, Task
from tests.conftest import CliResult

TODAY = "2021-06-30"
AT = datetime(2021, 6, 30, 9, 0, tzinfo=UTC)
PLAN = """\
plan:
  title: 分单位填报测试计划
  period: {start: 2021-01-01, end: 2025-12-31}
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）, kind: department}
  - {id: hhht, name: 呼和浩特市, kind: league}
  - {id: bt, name: 包头市, kind: league}
tasks:
  - code: "1"
    title: 呼和浩特市牵头的事项
    lead: hhht
  - code: "2"
    title: 包头市牵头、呼和浩特市配合的事项
    lead: bt
    support: [hhht]
  - code: "3"
    title: 包头市自己的事项
    lead: bt
  - code: "4"
    title: 协调员的事项
    lead: amr
    children:
      - code: "4.1"
        title: 下级事项
        lead: amr
indicators:
  - {code: I1, name: 呼和浩特指标, unit: 件, baseline: 1, target: 10, direction: up, task: "1"}
  - {code: I2, name: 包头指标, unit: 件, baseline: 1, target: 10, direction: up, task: "3"}
"""

Cli = Callable[..., CliResult]


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def run(cli: Cli, url: str, *argv: str | Path) -> CliResult:
    return cli("--db", url, "--today", TODAY, *argv)


def ok(cli: Cli, url: str, *argv: str | Path) -> str:
    result = run(cli, url, *argv)
    assert result.code == 0, result.err
    return result.out


def refused(cli: Cli, url: str, *argv: str | Path) -> str:
    """A command that must exit 2 with one line on standard error; that line."""
    result = run(cli, url, *argv)
    assert result.code == 2, (result.out, result.err)
    assert result.out == "" and result.err.count("\n") == 1, result.err
    return result.err


def history(url: str) -> list[tuple[str, str | None, str | None, str]]:
    """(code, by_user, by_unit, new_status) of every progress update, oldest first."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            rows = session.execute(
                select(Task.code, ProgressUpdate.by_user, ProgressUpdate.by_unit,
                       ProgressUpdate.new_status)
                .join(Task, Task.id == ProgressUpdate.task_id).order_by(ProgressUpdate.id))
            return [tuple(row) for row in rows]  # type: ignore[misc]
    finally:
        engine.dispose()


# --- SQLite: trust-based, `--as` names the user ---------------------------------------------


@pytest.fixture
def url(tmp_path: Path, plan_file: Path, cli: Cli) -> str:
    """A SQLite file initialised from the small plan (no users: trust mode)."""
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    ok(cli, url, "init", "--file", plan_file)
    return url


@pytest.fixture
def users_url(url: str, cli: Cli) -> str:
    """The same file with a coordinator `boss` and `hz`, a user of 呼和浩特市 (hhht)."""
    ok(cli, url, "--as", "anyone", "user", "add", "boss", "--coordinator")
    ok(cli, url, "--as", "boss", "user", "add", "hz", "--unit", "hhht")
    return url


def test_without_users_everyone_may_do_everything(url: str, cli: Cli) -> None:
    assert "信任模式" in ok(cli, url, "user", "list")
    ok(cli, url, "--as", "someone", "update", "3", "--progress", "10")
    ok(cli, url, "--as", "someone", "flag", "3", "--reason", "需会商")
    ok(cli, url, "--as", "someone", "update", "3", "--due", "2024年底", "--reason", "顺延")
    assert history(url) == [("3", "someone", None, "not_started")]


def test_the_first_user_must_be_a_coordinator_and_names_are_checked(url: str,
                                                                     cli: Cli) -> None:
    assert "协调员" in refused(cli, url, "user", "add", "hz", "--unit", "hhht")
    assert "无效" in refused(cli, url, "user", "add", "1hz", "--coordinator")
    assert "未知单位" in refused(cli, url, "user", "add", "hz", "--unit", "nowhere")
    assert "PostgreSQL" in refused(cli, url, "user", "add", "boss", "--coordinator",
                                   "--password", "secret")
    with pytest.raises(SystemExit):  # argparse: neither --unit nor --coordinator
        run(cli, url, "user", "add", "boss")
    assert "信任模式" in ok(cli, url, "user", "list")


def test_once_users_exist_an_unknown_user_may_not_write(users_url: str, cli: Cli,
                                                        db_dump: Callable[[Path], str]) -> None:
    listing = ok(cli, users_url, "user", "list")
    assert listing.splitlines() == ["boss                 协调员",
                                    "hz                   单位 hhht 呼和浩特市"]
    path = Path(users_url.removeprefix("sqlite:///"))
    before = db_dump(path)
    message = refused(cli, users_url, "--as", "stranger", "update", "1", "--progress", "5")
    assert "stranger" in message and "planner user add" in message
    assert "stranger" in refused(cli, users_url, "--as", "stranger", "--lang", "en", "flag",
                                 "1", "--reason", "x")
    assert db_dump(path) == before
    ok(cli, users_url, "--as", "stranger", "tree")  # reading needs no user


def test_a_unit_user_reports_on_the_items_its_unit_leads_or_supports(users_url: str,
                                                                      cli: Cli) -> None:
    ok(cli, users_url, "--as", "hz", "update", "1", "--status", "推进中", "--progress", "30")
    ok(cli, users_url, "--as", "hz", "update", "2", "--note", "已配合完成调研")
    ok(cli, users_url, "--as", "hz", "update", "2", "--progress", "20", "--by", "hhht")
    ok(cli, users_url, "--as", "hz", "reading", "I1", "4")
    message = refused(cli, users_url, "--as", "hz", "update", "3", "--progress", "50")
    assert message.startswith("3: ") and "hhht" in message
    assert "I2" in refused(cli, users_url, "--as", "hz", "reading", "I2", "4")
    assert "bt" in refused(cli, users_url, "--as", "hz", "update", "2", "--progress", "25",
                           "--by", "bt")
    ok(cli, users_url, "--as", "hz", "update", "1", "--status", "done")
    assert "销号" in refused(cli, users_url, "--as", "hz", "update", "1", "--status", "已销号")
    assert history(users_url) == [("1", "hz", "hhht", "in_progress"),
                                  ("2", "hz", "hhht", "not_started"),
                                  ("2", "hz", "hhht", "not_started"),
                                  ("1", "hz", "hhht", "done")]
    ok(cli, users_url, "--as", "boss", "update", "1", "--status", "已销号")
    assert "销号" in refused(cli, users_url, "--as", "hz", "update", "1", "--note", "补充")
    engine = make_engine(users_url)
    with session_scope(engine) as session:
        assert [r.by_user for r in session.exec(select(IndicatorReading))] == ["hz"]
    engine.dispose()


def test_a_unit_user_cannot_edit_the_plan(users_url: str, cli: Cli, plan_file: Path,
                                          tmp_path: Path,
                                          db_dump: Callable[[Path], str]) -> None:
    path = Path(users_url.removeprefix("sqlite:///"))
    before = db_dump(path)
    attempts = [
        ("flag", "1", "--reason", "需会商"),
        ("unflag", "1"),
        ("update", "1", "--due", "2024年底", "--reason", "顺延"),
        ("import", plan_file),
        ("meeting", "new", "--date", "2021-07-20", "--title", "联席会议"),
        ("user", "add", "bt1", "--unit", "bt"),
        ("user", "grant", "hz", "--coordinator"),
    ]
    for argv in attempts:
        message = refused(cli, users_url, "--as", "hz", *argv)
        assert "不能修改计划" in message, (argv, message)
    ok(cli, users_url, "--as", "boss", "backup", tmp_path / "copy.json")
    assert "cannot edit the plan" in refused(cli, users_url, "--as", "hz", "--lang", "en",
                                             "restore", tmp_path / "copy.json", "--force")
    engine = make_engine(users_url)
    for edit in (
        lambda s: edits.add_task(session=s, title="新事项", lead="hhht", at=AT, by_user="hz"),
        lambda s: edits.edit_task(session=s, code="1", title="改名", at=AT, by_user="hz"),
        lambda s: edits.move_task(session=s, code="1", offset=1, at=AT, by_user="hz"),
        lambda s: edits.reparent_task(session=s, code="1", new_parent_code="4", at=AT,
                                      by_user="hz"),
        lambda s: edits.delete_task(session=s, code="1", at=AT, by_user="hz"),
    ):
        with pytest.raises(PlannerError, match="不能修改计划"), \
                session_scope(engine, write=True) as session:
            edit(session)
    engine.dispose()
    assert db_dump(path) == before


def test_a_coordinator_does_everything_and_history_names_the_user(
        users_url: str, cli: Cli, plan_file: Path) -> None:
    ok(cli, users_url, "--as", "boss", "update", "3", "--status", "done")
    ok(cli, users_url, "--as", "boss", "update", "3", "--status", "closed")
    ok(cli, users_url, "--as", "boss", "update", "1", "--due", "2024年底", "--reason", "顺延")
    ok(cli, users_url, "--as", "boss", "flag", "2", "--reason", "需会商")
    ok(cli, users_url, "--as", "boss", "reading", "I2", "7")
    ok(cli, users_url, "--as", "boss", "import", plan_file)
    ok(cli, users_url, "--as", "boss", "meeting", "new", "--date", "2021-07-20", "--title",
       "联席会议")
    ok(cli, users_url, "--as", "boss", "user", "add", "bt1", "--unit", "bt")
    assert history(users_url) == [("3", "boss", None, "done"), ("3", "boss", None, "closed")]
    engine = make_engine(users_url)
    with session_scope(engine, write=True) as session:
        assert [d.by_user for d in session.exec(select(DueChange))] == ["boss"]
        edits.add_task(session=session, title="新事项", lead="hhht", at=AT, by_user="boss")
        edits.delete_task(session=session, code="4.1", at=AT, by_user="boss")
    engine.dispose()


def test_grant_moves_a_user_and_keeps_a_coordinator(users_url: str, cli: Cli) -> None:
    assert "唯一的协调员" in refused(cli, users_url, "--as", "boss", "user", "grant", "boss",
                                 "--unit", "amr")
    assert "没有用户" in refused(cli, users_url, "--as", "boss", "user", "grant", "nobody",
                               "--coordinator")
    assert "已存在" in refused(cli, users_url, "--as", "boss", "user", "add", "hz",
                            "--unit", "bt")
    assert "包头市" in ok(cli, users_url, "--as", "boss", "user", "grant", "hz", "--unit", "bt")
    ok(cli, users_url, "--as", "hz", "update", "3", "--progress", "10")
    refused(cli, users_url, "--as", "hz", "update", "1", "--progress", "10")
    ok(cli, users_url, "--as", "boss", "user", "grant", "hz", "--coordinator")
    ok(cli, users_url, "--as", "hz", "flag", "1", "--reason", "需会商")
    ok(cli, users_url, "--as", "hz", "user", "grant", "boss", "--unit", "amr")


async def test_the_tui_shows_a_refused_write(tmp_path: Path) -> None:
    from planner.tui.app import PlannerApp
    from planner.tui.dialogs.form import FormDialog
    from tests.tui_support import (
        CLOCK,
        go_to,
        save_button_shown,
        seeded_engine,
        settle,
        wait_until,
    )

    engine = seeded_engine(tmp_path / "plan.db")
    with session_scope(engine, write=True) as session:
        add_user(session=session, name="boss", unit_id=None, coordinator=True, at=AT)
        add_user(session=session, name="hz", unit_id="hhht", coordinator=False, at=AT,
                 by_user="boss")
    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="hz", poll_seconds=60.0)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "5.1.4")
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-reason").value = "需公安厅会商"  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: save_button_shown(app), "the flag dialog")
        await pilot.click("#save")
        await settle(app, pilot)
        assert any("不能修改计划" in n.message for n in app._notifications)
        await go_to(app, pilot, "3.2.1")  # 呼和浩特市 supports it
        await pilot.press("u")
        app.screen.query_one("#field-progress").value = "20"  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: save_button_shown(app), "the update dialog")
        await pilot.click("#save")
        await settle(app, pilot)
    with session_scope(engine) as session:
        assert not session.exec(select(Task).where(Task.code == "5.1.4")).one() \
            .needs_coordination
        update = session.exec(select(ProgressUpdate)).one()
        assert (update.by_user, update.by_unit, update.new_progress) == ("hz", "hhht", 20)


# --- PostgreSQL: login roles and row-level security -----------------------------------------


@dataclass(frozen=True, slots=True)
class PgPlan:
    """A PostgreSQL database with the small plan, a coordinator and a unit's user."""

    admin_url: str
    server: object
    database: str
    coordinator: str
    unit_user: str

    def url_as(self, role: str) -> str:
        """The database's URL for another login role (trust auth on loopback)."""
        return self.admin_url.replace("//postgres@", f"//{role}@", 1)

    def connect(self, role: str):  # type: ignore[no-untyped-def]
        """A raw psycopg connection as `role`: what `psql` would do."""
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.server.port,  # type: ignore[attr-defined]
                               user=role, dbname=self.database, autocommit=True)

    def task_id(self, code: str) -> int:
        with self.connect("postgres") as connection:
            row = connection.execute("SELECT id FROM task WHERE code = %s", (code,)).fetchone()
            assert row is not None
            return int(row[0])


@pytest.fixture
def pg(make_database: Callable[[str], str], postgres_server, cli: Cli,  # type: ignore[no-untyped-def]
       plan_file: Path) -> Iterator[PgPlan]:
    admin_url = make_database("postgresql")
    suffix = uuid.uuid4().hex[:8]
    plan = PgPlan(admin_url, postgres_server, admin_url.rsplit("/", 1)[-1],
                  f"boss_{suffix}", f"hz_{suffix}")
    ok(cli, admin_url, "init", "--file", plan_file)
    ok(cli, admin_url, "user", "add", plan.coordinator, "--coordinator")
    ok(cli, admin_url, "user", "add", plan.unit_user, "--unit", "hhht", "--password", "s3'cret")
    yield plan
    with contextlib.suppress(Exception), plan.connect("postgres") as connection:
        for role in (plan.coordinator, plan.unit_user):
            connection.execute(f'DROP ROLE IF EXISTS "{role}"')  # type: ignore[arg-type]


def test_pg_users_are_login_roles_in_the_groups(pg: PgPlan, cli: Cli) -> None:
    with pg.connect("postgres") as connection:
        rows = connection.execute(
            "SELECT r.rolname, r.rolcanlogin, a.rolpassword IS NOT NULL, "
            "pg_has_role(r.oid, 'planner_unit', 'MEMBER'), "
            "pg_has_role(r.oid, 'planner_coordinator', 'MEMBER') "
            "FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid "
            "WHERE r.rolname IN (%s, %s) ORDER BY r.rolname",
            (pg.coordinator, pg.unit_user)).fetchall()
    assert rows == [(pg.coordinator, True, False, False, True),
                    (pg.unit_user, True, True, True, False)]
    listing = ok(cli, pg.admin_url, "user", "list")
    assert pg.unit_user in listing and "呼和浩特市" in listing
    # A coordinator's role cannot create login roles: that is the administrator's.
    message = refused(cli, pg.url_as(pg.coordinator), "user", "add", "x_" + pg.unit_user,
                      "--unit", "bt")
    assert "管理员" in message


def test_pg_unit_user_through_the_cli(pg: PgPlan, cli: Cli) -> None:
    hz = pg.url_as(pg.unit_user)
    ok(cli, hz, "--as", "someone_else", "update", "1", "--progress", "30")
    ok(cli, hz, "update", "2", "--note", "已配合")
    ok(cli, hz, "reading", "I1", "3")
    assert pg.unit_user in refused(cli, hz, "update", "3", "--progress", "30")
    assert "不能修改计划" in refused(cli, hz, "flag", "1", "--reason", "需会商")
    assert "销号" in refused(cli, hz, "update", "1", "--status", "closed")
    assert history(pg.admin_url) == [("1", pg.unit_user, "hhht", "not_started"),
                                     ("2", pg.unit_user, "hhht", "not_started")]
    boss = pg.url_as(pg.coordinator)
    ok(cli, boss, "--as", "someone_else", "update", "3", "--status", "done")
    ok(cli, boss, "update", "3", "--status", "closed")
    ok(cli, boss, "flag", "1", "--reason", "需会商")
    ok(cli, boss, "update", "1", "--due", "2024年底", "--reason", "顺延")
    assert history(pg.admin_url)[2:] == [("3", pg.coordinator, None, "done"),
                                         ("3", pg.coordinator, None, "closed")]


def _history_row(task_id: int, by_user: str, new_status: str = "in_progress") -> tuple:  # type: ignore[type-arg]
    return (task_id, by_user, new_status)


INSERT_HISTORY = ("INSERT INTO progressupdate (task_id, at, by_user, old_status, new_status, "
                  "old_progress, new_progress) VALUES (%s, now(), %s, 'not_started', %s, 0, 5)")


def test_pg_the_database_itself_refuses_a_unit_user(pg: PgPlan) -> None:
    from psycopg import errors

    own, other = pg.task_id("1"), pg.task_id("3")
    with pg.connect(pg.unit_user) as connection:
        cursor = connection.execute("UPDATE task SET progress = 99 WHERE code = '3'")
        assert cursor.rowcount == 0
        with connection.transaction():  # a change with its history row (pg_access)
            cursor = connection.execute("UPDATE task SET status = 'in_progress', progress = 5, "
                                        "version = version + 1 WHERE code = '1'")
            assert cursor.rowcount == 1
            connection.execute(INSERT_HISTORY, _history_row(own, pg.unit_user))
        refusals = [
            (INSERT_HISTORY, _history_row(other, pg.unit_user)),  # another unit's item
            (INSERT_HISTORY, _history_row(own, pg.coordinator)),  # in someone else's name
            (INSERT_HISTORY, _history_row(own, pg.unit_user, "closed")),
            ("UPDATE task SET status = 'closed' WHERE code = '1'", None),
            ("UPDATE task SET title = 'x' WHERE code = '1'", None),  # not a report column
            ("INSERT INTO task (code, position, title, start, due, original_due, status, "
             "progress, weight, generated, needs_coordination, archived, version, created_at, "
             "updated_at) VALUES ('9', 0, 'x', '2021-01-01', '2021-12-31', '2021-12-31', "
             "'not_started', 0, 1, false, false, false, 1, now(), now())", None),
            ("DELETE FROM progressupdate", None),
            ("INSERT INTO taskunit (task_id, unit_id, role) VALUES (%s, 'hhht', 'support')",
             (other,)),
            ("UPDATE planneruser SET coordinator = true", None),
            ("INSERT INTO indicatorreading (indicator_id, \"on\", value, recorded_at, by_user) "
             "SELECT id, '2021-06-30', 1, now(), current_user FROM indicator "
             "WHERE code = 'I2'", None),
        ]
        for statement, params in refusals:
            with pytest.raises(errors.InsufficientPrivilege):
                connection.execute(statement, params)  # type: ignore[arg-type]
        connection.execute("INSERT INTO indicatorreading (indicator_id, \"on\", value, "
                           "recorded_at, by_user) SELECT id, '2021-06-30', 1, now(), "
                           "current_user FROM indicator WHERE code = 'I1'")
    with pg.connect("postgres") as connection:
        assert connection.execute("SELECT code, progress, status FROM task WHERE code IN "
                                  "('1', '3') ORDER BY code").fetchall() == [
            ("1", 5.0, "in_progress"), ("3", 0.0, "not_started")]
        assert connection.execute("SELECT count(*) FROM progressupdate").fetchone() == (1,)


def test_pg_a_coordinator_role_may_do_everything(pg: PgPlan) -> None:
    other = pg.task_id("3")
    with pg.connect(pg.coordinator) as connection:
        assert connection.execute("UPDATE task SET progress = 99, status = 'closed' "
                                  "WHERE code = '3'").rowcount == 1
        connection.execute(INSERT_HISTORY, _history_row(other, "anyone"))
        connection.execute("UPDATE task SET title = '改名' WHERE code = '1'")
        assert connection.execute("DELETE FROM progressupdate").rowcount == 1
        connection.execute("INSERT INTO taskunit (task_id, unit_id, role, position) "
                           "VALUES (%s, 'hhht', 'support', 1)", (other,))
    from psycopg import errors

    with pg.connect(pg.unit_user) as connection:  # 3 is hhht's now, but closed
        assert connection.execute("UPDATE task SET progress = 50 WHERE code = '3'"
                                  ).rowcount == 0
        with pytest.raises(errors.InsufficientPrivilege):
            connection.execute(INSERT_HISTORY, _history_row(other, pg.unit_user))


def test_pg_migrations_install_and_remove_the_access_rules(postgres_server) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from planner.store.migrate import _config, head_revision, upgrade

    url = postgres_server.create_database("template0")
    engine = make_engine(url)
    policies = "SELECT count(*) FROM pg_policy"
    functions = ("SELECT count(*) FROM pg_proc WHERE proname IN ('planner_is_coordinator', "
                 "'planner_current_unit')")
    try:
        assert upgrade(engine) == (None, head_revision())
        with engine.connect() as connection:
            # planner_pending is the integrity triggers' bookkeeping, no model (pg_access.py).
            assert [change for change in compare_metadata(
                MigrationContext.configure(connection), SQLModel.metadata)
                if (change[0], change[1].name) != ("remove_table", "planner_pending")] == []
            # three on each of task, progressupdate, indicatorreading and cycleevent (0009)
            assert connection.exec_driver_sql(policies).scalar() == 12
            assert connection.exec_driver_sql(functions).scalar() == 2
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0002")
        with engine.connect() as connection:
            assert connection.exec_driver_sql(policies).scalar() == 0
            assert connection.exec_driver_sql(functions).scalar() == 0
        assert upgrade(engine) == ("0002", head_revision())
        with engine.connect() as connection:
            assert connection.exec_driver_sql(policies).scalar() == 12
    finally:
        engine.dispose()
        postgres_server.drop_database(url)
