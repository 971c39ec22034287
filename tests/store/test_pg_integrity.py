"""PostgreSQL: what row-level security lets a unit's login role write is validated too.

Row-level security keeps a unit to its own items; on those items the database also checks
the values (CHECK constraints) and how they change (triggers, planner/store/pg_access.py).
Every attempt here is made as a unit's login role through a raw psycopg connection, what
`psql` would do, on an item its unit leads; the program's own paths must keep working for
that role and for a coordinator.
"""

import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from planner.core.errors import ConflictError
from planner.core.status import Status
from planner.services.updates import record_update
from planner.store.db import make_engine, session_scope
from planner.store.models import Task
from tests.conftest import CliResult
from tests.pg_support import PostgresServer
from tests.services import test_access
from tests.services.test_access import TODAY, PgPlan, ok
from tests.services.test_ledger import NOTE, PROGRESS, fill_in

pg = test_access.pg  # the fixtures: the small plan, a coordinator and a user of hhht
plan_file = test_access.plan_file

Cli = Callable[..., CliResult]
REPORT = ("INSERT INTO progressupdate (task_id, at, by_unit, by_user, old_status, new_status, "
          "old_progress, new_progress, note) VALUES (%s, %s, 'hhht', current_user, %s, %s, %s, "
          "%s, %s)")
"""A history row as the program writes it: task, time, old and new status and progress, note."""
BUMP = "UPDATE task SET {}, version = version + 1 WHERE code = '1'"
"""A change to item 1 (led by the unit) as the program makes it: with the next version."""


def snapshot(plan: PgPlan) -> tuple[object, ...]:
    """Items, history, readings and the change counter, read as the administrator."""
    with plan.connect("postgres") as connection:
        return tuple(connection.execute(query).fetchall() for query in (
            "SELECT code, status, progress::text, version, updated_at FROM task ORDER BY code",
            "SELECT * FROM progressupdate ORDER BY id",
            "SELECT id, value::text, recorded_at FROM indicatorreading ORDER BY id",
            "SELECT revision FROM plan"))


def tree_works(plan: PgPlan, cli: Cli) -> None:
    """`planner tree` as another user (the coordinator) still runs."""
    assert "呼和浩特市牵头的事项" in ok(cli, plan.url_as(plan.coordinator), "tree")


def refuse(connection: psycopg.Connection, error: type[Exception], statement: str,
           params: tuple[object, ...] | None = None) -> None:
    """`statement` (autocommit: checked at once, deferred checks included) must fail."""
    with pytest.raises(error):
        connection.execute(statement, params)  # type: ignore[arg-type]


def test_pg_values_outside_the_domain_are_refused(pg: PgPlan, cli: Cli) -> None:
    """status 'hacked' made every user's tree crash; NaN and -1e300 were rolled up."""
    before = snapshot(pg)
    with pg.connect(pg.unit_user) as connection:
        # Not a status it may move to (the trigger speaks first), nor one at all (the CHECK).
        refuse(connection, errors.InsufficientPrivilege, BUMP.format("status = 'hacked'"))
        for assignment in ("progress = 'NaN'", "progress = -1e300", "progress = 101",
                           "progress = -0.5", "progress = 'Infinity'", "progress = '-Infinity'"):
            refuse(connection, errors.CheckViolation, BUMP.format(assignment))
        for value in ("NaN", "Infinity", "-Infinity"):
            refuse(connection, errors.CheckViolation,
                   "INSERT INTO indicatorreading (indicator_id, \"on\", value, recorded_at, "
                   "by_user) SELECT id, %s, %s::float8, now(), current_user FROM indicator "
                   "WHERE code = 'I1'", (TODAY, value))
    task_id = pg.task_id("1")
    with pg.connect(pg.coordinator) as connection:  # the same checks bind coordinators
        refuse(connection, errors.CheckViolation, BUMP.format("status = 'hacked'"))
        refuse(connection, errors.CheckViolation, BUMP.format("progress = 'NaN'"))
        refuse(connection, errors.CheckViolation,
               "UPDATE task SET start = due + 1 WHERE code = '1'")
        for row in (("not_started", "hacked", 0, 0), ("not_started", "done", 0, float("nan")),
                    ("bogus", "done", 0, 100), ("not_started", "done", -1e300, 100)):
            refuse(connection, errors.CheckViolation, REPORT,
                   (task_id, datetime.now(UTC), *row, None))
        refuse(connection, errors.CheckViolation, REPORT,
               (task_id, datetime(1, 1, 1, tzinfo=UTC), "not_started", "done", 0, 100, None))
        refuse(connection, errors.CheckViolation,
               "INSERT INTO indicatorreading (indicator_id, \"on\", value, recorded_at, "
               "by_user) SELECT id, %s, 1, '9999-12-31', current_user FROM indicator "
               "WHERE code = 'I1'", (TODAY,))
    assert snapshot(pg) == before
    tree_works(pg, cli)


def test_pg_status_and_progress_change_only_with_their_history_row(pg: PgPlan,
                                                                   cli: Cli) -> None:
    before = snapshot(pg)
    task_id = pg.task_id("1")
    with pg.connect(pg.unit_user) as connection:
        # No history row at all, with or without the version bump the program makes.
        refuse(connection, errors.InsufficientPrivilege,
               BUMP.format("status = 'in_progress', progress = 50"))
        refuse(connection, errors.InsufficientPrivilege,
               "UPDATE task SET status = 'in_progress', progress = 50 WHERE code = '1'")
        refuse(connection, errors.InsufficientPrivilege, BUMP.format("progress = progress"))
        # The version moves by one, and only with a report.
        refuse(connection, errors.InsufficientPrivilege,
               "UPDATE task SET version = 1000000 WHERE code = '1'")
        refuse(connection, errors.InsufficientPrivilege,
               "UPDATE task SET version = version - 1 WHERE code = '1'")
        # A history row that does not describe the change, or describes none.
        with pytest.raises(errors.InsufficientPrivilege), connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            connection.execute(REPORT, (task_id, datetime.now(UTC), "not_started",
                                        "in_progress", 0, 10, "说的是 10%"))
        with pytest.raises(errors.InsufficientPrivilege), connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            connection.execute(REPORT, (task_id, datetime.now(UTC), "blocked", "in_progress",
                                        20, 50, "旧状态不对"))
        refuse(connection, errors.InsufficientPrivilege, REPORT,
               (task_id, datetime.now(UTC), "not_started", "done", 0, 100, "没有变更的记录"))
        # Two reports for one change, the second claiming another start.
        with pytest.raises(errors.InsufficientPrivilege), connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            connection.execute(REPORT, (task_id, datetime.now(UTC), "not_started",
                                        "in_progress", 0, 50, None))
            connection.execute(REPORT, (task_id, datetime.now(UTC), "blocked", "in_progress",
                                        0, 50, None))
        # Checked at commit, and SET CONSTRAINTS cannot turn that off.
        with pytest.raises(errors.InsufficientPrivilege), connection.transaction():
            connection.execute("SET CONSTRAINTS ALL DEFERRED")
            connection.execute(BUMP.format("progress = 70"))
        # Nor can the role switch the triggers off.
        for statement in ("ALTER TABLE task DISABLE TRIGGER ALL",
                          "DROP TRIGGER planner_require_history ON task",
                          "SET session_replication_role = replica"):
            refuse(connection, errors.InsufficientPrivilege, statement)
        assert snapshot(pg) == before
        # A report, then a second change in the same transaction without its own row.
        with pytest.raises(errors.InsufficientPrivilege), connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            connection.execute(REPORT, (task_id, datetime.now(UTC), "not_started",
                                        "in_progress", 0, 50, None))
            connection.execute(BUMP.format("status = 'done', progress = 100"))
        # History, once written, stays as it is.
        with connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            connection.execute(REPORT, (task_id, datetime.now(UTC), "not_started",
                                        "in_progress", 0, 50, "正常填报"))
        refuse(connection, errors.InsufficientPrivilege,
               "UPDATE progressupdate SET at = at - interval '1 year', new_progress = 90")
        refuse(connection, errors.InsufficientPrivilege, "DELETE FROM progressupdate")
    tree_works(pg, cli)


def test_pg_a_unit_role_keeps_to_the_programs_rules(pg: PgPlan, cli: Cli) -> None:
    """Status transitions, a done item at 100%, leaves only: as `record_update` checks."""
    task_id = pg.task_id("1")

    def report(old: tuple[str, float], new: tuple[str, float], code: str = "1") -> None:
        with connection.transaction():
            connection.execute(f"UPDATE task SET status = %s, progress = %s, "
                               f"version = version + 1 WHERE code = '{code}'", new)
            connection.execute(REPORT, (pg.task_id(code), datetime.now(UTC), old[0], new[0],
                                        old[1], new[1], None))

    with pg.connect(pg.unit_user) as connection:
        with pytest.raises(errors.InsufficientPrivilege, match="progress 100"):
            report(("not_started", 0), ("done", 50))
        report(("not_started", 0), ("done", 100))
        with pytest.raises(errors.InsufficientPrivilege, match="done → not_started"):
            report(("done", 100), ("not_started", 0))
        report(("done", 100), ("in_progress", 60))
    with pg.connect("postgres") as connection:  # the administrator gives item 1 a child
        connection.execute(
            "INSERT INTO task (plan_id, code, parent_id, position, title, start, due, "
            "original_due, status, progress, weight, generated, needs_coordination, archived, "
            "version, created_at, updated_at) SELECT plan_id, '1.1', id, 0, '下级', start, "
            "due, due, "
            "'not_started', 0, 1, false, false, true, 1, now(), now() FROM task "
            "WHERE code = '1'")
        connection.execute("INSERT INTO taskunit (task_id, unit_id, role, position) SELECT id, "
                           "'hhht', 'lead', 0 FROM task WHERE code = '1.1'")
    with pg.connect(pg.unit_user) as connection:
        with pytest.raises(errors.InsufficientPrivilege, match="归档"):
            report(("not_started", 0), ("in_progress", 10), code="1.1")  # archived
        report(("in_progress", 60), ("in_progress", 70))  # 1 has no open child yet
    with pg.connect("postgres") as connection:
        connection.execute("UPDATE task SET archived = false WHERE code = '1.1'")
    with pg.connect(pg.unit_user) as connection:
        with pytest.raises(errors.InsufficientPrivilege, match="下级"):
            report(("in_progress", 70), ("in_progress", 80))  # 1 is rolled up now
        report(("not_started", 0), ("in_progress", 10), code="1.1")
    with pg.connect("postgres") as connection:
        assert connection.execute("SELECT new_status, new_progress FROM progressupdate "
                                  "WHERE task_id = %s ORDER BY id", (task_id,)).fetchall() == [
            ("done", 100), ("in_progress", 60), ("in_progress", 70)]
    tree_works(pg, cli)


def test_pg_history_gets_the_servers_time(pg: PgPlan, cli: Cli) -> None:
    """A unit's history, item and reading times are the server's, whatever the client says."""
    task_id = pg.task_id("1")
    backdated = datetime(2020, 1, 1, tzinfo=UTC)
    before = snapshot(pg)
    with pg.connect(pg.unit_user) as connection:
        refuse(connection, errors.InsufficientPrivilege, REPORT,  # a history row on its own
               (task_id, backdated, "not_started", "not_started", 0, 0, "补记"))
        assert snapshot(pg) == before
        with connection.transaction():
            server_time = connection.execute("SELECT now()").fetchone()[0]  # type: ignore[index]
            connection.execute("UPDATE task SET progress = 5, version = version + 1, "
                               "updated_at = %s WHERE code = '1'", (backdated,))
            connection.execute(REPORT, (task_id, backdated, "not_started", "not_started", 0, 5,
                                        "倒签"))
            connection.execute("INSERT INTO indicatorreading (indicator_id, \"on\", value, "
                               "recorded_at, by_user) SELECT id, %s, 3, %s, current_user "
                               "FROM indicator WHERE code = 'I1'", (TODAY, backdated))
    with pg.connect("postgres") as connection:
        assert connection.execute("SELECT at FROM progressupdate").fetchall() == [
            (server_time,)]
        assert connection.execute("SELECT updated_at FROM task WHERE code = '1'"
                                  ).fetchone() == (server_time,)
        assert connection.execute("SELECT recorded_at FROM indicatorreading").fetchall() == [
            (server_time,)]
    assert server_time > datetime.now(UTC) - timedelta(minutes=5)
    tree_works(pg, cli)


def test_pg_the_change_counter_moves_by_one(pg: PgPlan, cli: Cli) -> None:
    with pg.connect("postgres") as connection:
        (revision,) = connection.execute("SELECT revision FROM plan").fetchone()  # type: ignore[misc]
    with pg.connect(pg.unit_user) as connection:
        for assignment in ("1000000000", "revision - 1", "0", "revision + 2", "NULL"):
            refuse(connection, errors.InsufficientPrivilege,
                   f"UPDATE plan SET revision = {assignment}")
        connection.execute("UPDATE plan SET revision = revision + 1")
        refuse(connection, errors.InsufficientPrivilege, "UPDATE plan SET title = 'x'")
    with pg.connect("postgres") as connection:
        assert connection.execute("SELECT revision FROM plan").fetchone() == (revision + 1,)
    tree_works(pg, cli)


def test_pg_the_programs_own_paths_still_work(pg: PgPlan, cli: Cli, tmp_path: Path) -> None:
    """As the unit's role: the statements the program sends, then update, note, reading and
    ledger apply through the CLI; as the coordinator: update, close and reopen."""
    task_id = pg.task_id("1")
    with pg.connect("postgres") as connection:
        (revision,) = connection.execute("SELECT revision FROM plan").fetchone()  # type: ignore[misc]
    with pg.connect(pg.unit_user) as connection, connection.transaction():
        connection.execute(BUMP.format("status = 'in_progress', progress = 30, "
                                       "updated_at = now()"))
        connection.execute(REPORT, (task_id, datetime.now(UTC), "not_started", "in_progress",
                                    0, 30, "按程序的方式填报"))
        connection.execute("UPDATE plan SET revision = revision + 1")
    hz = pg.url_as(pg.unit_user)
    ok(cli, hz, "update", "1", "--progress", "40")
    ok(cli, hz, "update", "2", "--note", "已配合")
    ok(cli, hz, "update", "1", "--status", "blocked", "--note", "等待批复")
    ok(cli, hz, "reading", "I1", "4")
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "filled.xlsx"
    ok(cli, hz, "ledger", "export", exported)
    fill_in(exported, filled, {"2": {PROGRESS: 0.25, NOTE: "调研完成"}})
    assert "已应用 1 项变更" in ok(cli, hz, "ledger", "import", filled, "--by", "hhht",
                                    "--apply")
    boss = pg.url_as(pg.coordinator)
    ok(cli, boss, "update", "1", "--status", "in_progress", "--progress", "60")
    ok(cli, boss, "update", "3", "--status", "done")
    ok(cli, boss, "update", "3", "--status", "closed")
    ok(cli, boss, "update", "3", "--status", "in_progress", "--progress", "80")
    with pg.connect("postgres") as connection:
        assert connection.execute(
            "SELECT t.code, p.by_user, p.old_status, p.new_status, p.old_progress, "
            "p.new_progress FROM progressupdate AS p JOIN task AS t ON t.id = p.task_id "
            "ORDER BY p.id").fetchall() == [
            ("1", pg.unit_user, "not_started", "in_progress", 0, 30),
            ("1", pg.unit_user, "in_progress", "in_progress", 30, 40),
            ("2", pg.unit_user, "not_started", "not_started", 0, 0),
            ("1", pg.unit_user, "in_progress", "blocked", 40, 40),
            ("2", pg.unit_user, "not_started", "not_started", 0, 25),
            ("1", pg.coordinator, "blocked", "in_progress", 40, 60),
            ("3", pg.coordinator, "not_started", "done", 0, 100),
            ("3", pg.coordinator, "done", "closed", 100, 100),
            ("3", pg.coordinator, "closed", "in_progress", 100, 80)]
        assert connection.execute("SELECT code, status, progress, version FROM task WHERE "
                                  "code IN ('1', '2', '3') ORDER BY code").fetchall() == [
            ("1", "in_progress", 60, 5), ("2", "not_started", 25, 3),
            ("3", "in_progress", 80, 4)]
        assert connection.execute("SELECT revision FROM plan").fetchone() == (revision + 10,)
    tree_works(pg, cli)


def test_pg_concurrent_reports_as_a_unit_role(pg: PgPlan) -> None:
    """Writers racing as the unit's role (half queued by the advisory lock, half on row locks
    only): each save is accepted or a ConflictError, never refused by the checks, and the
    history is one unbroken chain per item."""
    engine = make_engine(pg.url_as(pg.unit_user))
    failures: list[str] = []
    accepted: Counter[str] = Counter()  # by item code, and "conflict"

    def report(index: int) -> None:
        rng = random.Random(index)
        for attempt in range(20):
            code = rng.choice(("1", "2"))
            with session_scope(engine) as session:
                version = session.execute(select(Task.version).where(Task.code == code)
                                          ).scalar_one()
            try:
                with session_scope(engine, write=index % 2 == 0) as session:
                    record_update(session=session, code=code, at=datetime.now(UTC),
                                  status=rng.choice((Status.IN_PROGRESS, Status.BLOCKED)),
                                  progress=float(rng.randrange(1, 100)),
                                  note=f"{index}-{attempt}", expected_version=version)
            except ConflictError:
                accepted["conflict"] += 1
                continue
            except Exception as exc:  # reported below, failing the test
                failures.append(f"{type(exc).__name__}: {exc}")
                return
            accepted[code] += 1

    threads = [threading.Thread(target=report, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    engine.dispose()
    assert failures == [] and not any(thread.is_alive() for thread in threads)
    assert accepted["conflict"] > 0, "no save ever conflicted: the race was not exercised"
    with pg.connect("postgres") as connection:
        for code in ("1", "2"):
            chain = connection.execute(
                "SELECT p.old_status, p.old_progress, p.new_status, p.new_progress, p.at "
                "FROM progressupdate AS p JOIN task AS t ON t.id = p.task_id "
                "WHERE t.code = %s ORDER BY p.id", (code,)).fetchall()
            assert len(chain) == accepted[code] > 0
            state = ("not_started", 0.0)
            for old_status, old_progress, new_status, new_progress, _at in chain:
                assert (old_status, old_progress) == state
                state = (new_status, new_progress)
            assert [row[4] for row in chain] == sorted(row[4] for row in chain)
            assert connection.execute("SELECT status, progress, version FROM task WHERE "
                                      "code = %s", (code,)).fetchone() == (
                *state, accepted[code] + 1)


# --- the schema: a fresh database and a migrated one are the same ----------------------------

INTEGRITY_OBJECTS = (
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE contype = 'c' AND connamespace = current_schema()::regnamespace ORDER BY 1, 2",
    "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
    "WHERE NOT tgisinternal ORDER BY 1, 2",
    "SELECT proname, prosrc, prosecdef, proconfig::text FROM pg_proc "
    "WHERE pronamespace = current_schema()::regnamespace ORDER BY 1",
    "SELECT tablename, policyname, cmd, roles::text, qual, with_check FROM pg_policies "
    "ORDER BY 1, 2",
    "SELECT table_name, column_name, privilege_type, grantee FROM "
    "information_schema.column_privileges WHERE grantee LIKE 'planner%' ORDER BY 1, 2, 3, 4",
)


def integrity_objects(url: str) -> list[list[tuple[object, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [[tuple(row) for row in connection.execute(text(query))]
                    for query in INTEGRITY_OBJECTS]
    finally:
        engine.dispose()


def test_pg_fresh_and_migrated_databases_get_the_same_checks(
        postgres_server: PostgresServer) -> None:
    from alembic import command

    from planner.store.migrate import _config, upgrade

    fresh = postgres_server.create_database()  # made at head by create_schema
    migrated = postgres_server.create_database("template0")
    engine = make_engine(migrated)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0004")
        assert integrity_objects(migrated)[:2] == [[], []]
        upgrade(engine)
        objects = integrity_objects(fresh)
        assert objects == integrity_objects(migrated)
        constraints, triggers, *_others = objects
        assert {name for _table, name, _definition in constraints} >= {
            "planner_task_status", "planner_task_progress", "planner_history_progress",
            "planner_reading_value"}
        assert len(triggers) >= 5
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0004")
        assert integrity_objects(migrated)[:2] == [[], []]
    finally:
        engine.dispose()
        postgres_server.drop_database(fresh)
        postgres_server.drop_database(migrated)


def test_pg_upgrade_refuses_rows_the_checks_would_reject(postgres_server: PostgresServer,
                                                        cli: Cli) -> None:
    from alembic import command

    from planner.store.migrate import _config, current_revision

    url = postgres_server.create_database("template0")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0004")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO plan (title, start, \"end\", report_cycle, rollup, tolerance, "
                "due_soon_days, revision, uid) VALUES ('p', '2021-01-01', '2025-12-31', "
                "'weekly', 'weighted', 10, 14, 0, 'x')"))
            connection.execute(text(
                "INSERT INTO task (code, position, title, start, due, original_due, status, "
                "progress, weight, generated, needs_coordination, archived, version, "
                "created_at, updated_at) VALUES ('7.1', 0, 'x', '2021-01-01', '2021-12-31', "
                "'2021-12-31', 'hacked', 'NaN', 1, false, false, false, 1, now(), now())"))
        result = cli("--db", url, "--lang", "en", "db", "upgrade")
        assert (result.code, result.out, result.err.count("\n")) == (2, "", 1), result.err
        assert "task 7.1 (planner_task_status); task 7.1 (planner_task_progress)" in result.err
        assert current_revision(engine) == "0004"
    finally:
        engine.dispose()
        postgres_server.drop_database(url)


# --- savepoints, text and readings, roles a restore may change ------------------------------


def test_pg_a_savepoint_cannot_forge_a_second_history_row(pg: PgPlan, cli: Cli) -> None:
    """A row inserted inside a savepoint carried the subtransaction's id, so the check "one
    history row per item and transaction" missed it and a forged row (blocked 90 → 50) was
    stored beside the real one."""
    task_id = pg.task_id("1")
    before = snapshot(pg)
    forged = (task_id, datetime.now(UTC), "blocked", "in_progress", 90, 50, "伪造")
    real = (task_id, datetime.now(UTC), "not_started", "in_progress", 0, 50, "真实")
    with pg.connect(pg.unit_user) as connection:
        with pytest.raises(errors.InsufficientPrivilege), connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            with connection.transaction():  # a savepoint
                connection.execute(REPORT, forged)
            connection.execute(REPORT, real)
        with pytest.raises(errors.InsufficientPrivilege), connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            with connection.transaction():
                connection.execute(REPORT, real)
            with connection.transaction():
                connection.execute(REPORT, real)  # the change has its row already
        # The history row in a savepoint rolled back: the change has none at commit.
        with pytest.raises(errors.InsufficientPrivilege), connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            connection.execute("SAVEPOINT a")
            connection.execute(REPORT, real)
            connection.execute("ROLLBACK TO SAVEPOINT a")
        # The role cannot see or write the triggers' bookkeeping.
        for statement in ("INSERT INTO planner_pending VALUES (txid_current(), 1, "
                          "'blocked', 90, 'in_progress', 50)", "DELETE FROM planner_pending"):
            refuse(connection, errors.InsufficientPrivilege, statement)
        assert snapshot(pg) == before
        # A change and its row made inside a savepoint is a change like any other.
        with connection.transaction(), connection.transaction():
            connection.execute(BUMP.format("status = 'in_progress', progress = 50"))
            connection.execute(REPORT, real)
    with pg.connect("postgres") as connection:
        assert connection.execute("SELECT old_status, old_progress, new_status, new_progress, "
                                  "note FROM progressupdate").fetchall() == [
            ("not_started", 0, "in_progress", 50, "真实")]
    tree_works(pg, cli)


def test_pg_a_unit_roles_text_and_readings_are_bounded(pg: PgPlan, cli: Cli) -> None:
    """Notes at most 2000 characters without control characters but newline and tab;
    readings within ±1e15 with a short source free of control characters."""
    task_id = pg.task_id("1")
    reading = ("INSERT INTO indicatorreading (indicator_id, \"on\", value, recorded_at, by_user, "
               "source) SELECT id, %s, %s, now(), current_user, %s FROM indicator "
               "WHERE code = 'I1'")
    before = snapshot(pg)
    with pg.connect(pg.unit_user) as connection:
        for note in ("长" * 2001, "a\x01b", "\x1b[2J", "a\rb", "a\x85b", "a\u202eb", "\x7f"):
            with pytest.raises(errors.CheckViolation), connection.transaction():
                connection.execute(BUMP.format("progress = 5"))
                connection.execute(REPORT, (task_id, datetime.now(UTC), "not_started",
                                            "not_started", 0, 5, note))
        for value, source in ((1.5e15, None), (-1e16, None), (1, "源" * 501), (1, "a\nb"),
                              (1, "a\tb"), (1, "\x1b]0;title\x07")):
            refuse(connection, errors.CheckViolation, reading, (TODAY, value, source))
        assert snapshot(pg) == before
        with connection.transaction():
            connection.execute(BUMP.format("progress = 5"))
            connection.execute(REPORT, (task_id, datetime.now(UTC), "not_started",
                                        "not_started", 0, 5, "第一行\n\t第二行" + "长" * 1990))
        connection.execute(reading, (TODAY, -1e15, "统计局" + "源" * 497))
    tree_works(pg, cli)


def test_pg_restore_leaves_roles_that_are_not_planners_alone(
        make_database: Callable[[str], str], cli: Cli, tmp_path: Path) -> None:
    """A backup's user names were made LOGIN and put in a planner group whatever their role
    on this server was: another application's NOLOGIN role, a role that may create databases,
    the database's owner. Each is refused (one line, exit 2, nothing written) until the
    server's role is planner's own."""
    from tests.services.test_backup import BUNDLED, table_rows
    from tests.services.test_backup import ok as ok_at
    from tests.services.test_restore_safety import _admin

    suffix = uuid.uuid4().hex[:8]
    other, creator, owner = f"app_{suffix}", f"maker_{suffix}", f"owner_{suffix}"
    source = make_database("postgresql")
    ok_at(cli, source, "init", "--file", BUNDLED)
    for name in (other, creator, owner):
        ok_at(cli, source, "user", "add", name, "--coordinator")
    backup = tmp_path / "users.json"
    ok_at(cli, source, "backup", backup)
    target = make_database("postgresql")
    ok_at(cli, target, "init", "--file", BUNDLED)
    target_db, admin = make_url(target).database, make_url(target).username
    _admin(source, f"DROP ROLE {other}", f"CREATE ROLE {other} NOLOGIN",
           f"REVOKE planner_coordinator FROM {creator}, {owner}",
           f"GRANT planner_unit TO {creator}, {owner}", f"ALTER ROLE {creator} CREATEDB",
           f'ALTER DATABASE "{target_db}" OWNER TO {owner}')

    def roles() -> list[tuple[object, ...]]:
        with pg_admin(target) as connection:
            return connection.execute(
                "SELECT rolname, rolcanlogin, rolcreatedb, pg_has_role(oid, 'planner_unit', "
                "'MEMBER'), pg_has_role(oid, 'planner_coordinator', 'MEMBER') FROM pg_roles "
                "WHERE rolname LIKE %s ORDER BY 1", (f"%{suffix}",)).fetchall()

    for refused, reason, fix in (
            (other, "not a planner role", f"DROP ROLE {other}"),
            (creator, "CREATEDB", f"ALTER ROLE {creator} NOCREATEDB"),
            (owner, "owns the database", f'ALTER DATABASE "{target_db}" OWNER TO "{admin}"')):
        rows, server_roles = table_rows(target), roles()
        result = cli("--db", target, "--lang", "en", "restore", backup, "--force")
        assert (result.code, result.out, result.err.count("\n")) == (2, "", 1), result
        assert refused in result.err and reason in result.err, result.err
        assert (table_rows(target), roles()) == (rows, server_roles)
        _admin(source, fix)
    ok_at(cli, target, "restore", backup, "--force")
    assert roles() == [(name, True, False, False, True) for name in (other, creator, owner)]


def pg_admin(url: str) -> psycopg.Connection:
    """The suite's administrator on the database at `url` (autocommit)."""
    parsed = make_url(url)
    return psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                           dbname=parsed.database, autocommit=True)
