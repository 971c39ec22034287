"""The command's error boundary: every database, encoding and OS error is one line on standard
error, exit 2 for bad input and 1 when the environment is in the way (busy, server down),
never a traceback; passwords in database URLs are never printed.

Each case runs the real `planner` as a subprocess, over a real SQLite file or a real
PostgreSQL server: the session's shared server where nothing is stopped, and a private one
(tests/outage_support.py) for the outages, which stop and start it.
"""

import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.store.db import PG_WRITE_LOCK, make_engine
from tests.conftest import CliResult, sqlite_dump
from tests.outage_support import (
    BUNDLED,
    ROOT,
    TODAY,
    OutageServer,
    assert_one_line,
    database_rows,
    import_waits_for_a_lock,
    outage_db,  # noqa: F401  (fixture)
    outage_server,  # noqa: F401  (fixture)
    planner_argv,
    planner_env,
    run_planner,
)
from tests.pg_support import PostgresServer, free_port

Cli = Callable[..., CliResult]
PASSWORD = "s3cret-Pa55"


# -- bad input: exit 2 ---------------------------------------------------------------------
def test_db_pointing_at_a_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    line = assert_one_line(run_planner("--db", tmp_path, "tree"), 2)
    assert str(tmp_path) in line and "文件夹" in line


def test_db_pointing_at_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 200)
    before = notes.read_bytes()
    line = assert_one_line(run_planner("--db", notes, "--lang", "en", "update", "1.1.1",
                                       "--progress", "10"), 2)
    assert "is not a SQLite database file" in line
    assert notes.read_bytes() == before


@pytest.mark.parametrize("url", ["foo://host/db", "://nothing"])
def test_unknown_url_scheme_or_no_url_at_all(url: str) -> None:
    line = assert_one_line(run_planner("--db", url, "--lang", "en", "tree"), 2)
    assert "--db" in line


@pytest.mark.parametrize("url", [f"postgresql://u:{PASSWORD}@[::1/db",
                                 f"postgresql+psycopg://u:{PASSWORD}@127.0.0.1:1/db?foo=bar"])
def test_malformed_url_is_input_and_its_password_stays_hidden(url: str) -> None:
    line = assert_one_line(run_planner("--db", url, "--lang", "en", "tree"), 2)
    assert "--db" in line and PASSWORD not in line


def test_url_of_a_driver_that_is_not_installed() -> None:
    line = assert_one_line(run_planner("--db", f"mysql://root:{PASSWORD}@localhost/plan",
                                       "--lang", "en", "tree"), 2)
    assert "no driver" in line and PASSWORD not in line


@pytest.mark.parametrize("action", ["show", "held", "minutes"])
def test_meeting_id_too_large_for_any_database(bundled_db: Path, action: str) -> None:
    before = sqlite_dump(bundled_db)
    line = assert_one_line(run_planner("--db", bundled_db, "meeting", action, str(10**23)), 2)
    assert "没有编号为 100000000000000000000000 的会议" in line
    assert sqlite_dump(bundled_db) == before


def test_meeting_id_in_other_digits_is_not_a_number(bundled_db: Path) -> None:
    line = assert_one_line(run_planner("--db", bundled_db, "meeting", "show", "²"), 2)
    assert "会议编号必须是数字" in line


def test_argument_that_cannot_be_encoded(bundled_db: Path) -> None:
    """A note typed in a Latin-1 terminal: its bytes are not UTF-8."""
    before = sqlite_dump(bundled_db)
    result = run_planner("--db", bundled_db, "update", "1.1.1", "--note",
                         "caf\xe9".encode("latin-1"))
    line = assert_one_line(result, 2)
    assert "UTF-8" in line and "--note" in line and "0xE9" in line
    assert sqlite_dump(bundled_db) == before


def test_plan_file_with_a_lone_surrogate_is_refused_by_import(bundled_db: Path,
                                                               tmp_path: Path) -> None:
    """YAML's \\ud800 escape yields text no database can store: one line, nothing changed."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(BUNDLED.read_text(encoding="utf-8").replace(
        '  title: 内蒙古自治区"十四五"知识产权工作重点任务', '  title: "bad \\ud800 title"'),
        encoding="utf-8")
    before = sqlite_dump(bundled_db)
    line = assert_one_line(run_planner("--db", bundled_db, "--lang", "en", "import", plan), 2)
    assert "not valid UTF-8" in line
    assert sqlite_dump(bundled_db) == before


# -- the environment: exit 1 ---------------------------------------------------------------
def test_busy_sqlite_waits_a_bounded_time_and_says_whom_to_wait_for(bundled_db: Path) -> None:
    before = sqlite_dump(bundled_db)
    holder = sqlite3.connect(bundled_db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # as a long import holds it
        started = time.monotonic()
        result = run_planner("--db", bundled_db, "--lang", "en", "update", "1.1.1", "--progress",
                             "10", env={"PLANNER_BUSY_TIMEOUT": "0.5"})
        elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = assert_one_line(result, 1)
    assert line.startswith("the database is busy: another planner process")
    assert "try again when it finishes" in line and str(bundled_db) in line
    assert elapsed < 8, elapsed  # 0.5 s of waiting, not the 30 s default
    assert sqlite_dump(bundled_db) == before


def test_busy_postgresql_waits_a_bounded_time_too(postgres_server: PostgresServer,
                                                  cli: Cli) -> None:
    """PostgreSQL writers queue on an advisory lock; behind a long import they used to wait
    for ever."""
    url = postgres_server.create_database()
    engine = make_engine(url)
    try:
        assert cli("--db", url, "--today", TODAY, "init", "--file", BUNDLED).code == 0
        with engine.connect() as holder:
            holder.execute(text(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})"))
            result = run_planner("--db", url, "--lang", "en", "update", "1.1.1", "--progress",
                                 "10", env={"PLANNER_BUSY_TIMEOUT": "0.5"})
            holder.rollback()
    finally:
        engine.dispose()
        postgres_server.drop_database(url)
    line = assert_one_line(result, 1)
    assert line.startswith("the database is busy: another planner process")


def test_bad_busy_timeout_setting_is_input(bundled_db: Path) -> None:
    line = assert_one_line(run_planner("--db", bundled_db, "tree",
                                       env={"PLANNER_BUSY_TIMEOUT": "soon"}), 2)
    assert "PLANNER_BUSY_TIMEOUT" in line


def test_unreachable_server_is_one_line_exit_1() -> None:
    url = f"postgresql+psycopg://planner:{PASSWORD}@127.0.0.1:{free_port()}/plan"
    result = run_planner("--db", url, "--lang", "en", "tree")
    line = assert_one_line(result, 1)
    assert "cannot reach the PostgreSQL server at 127.0.0.1:" in line
    assert PASSWORD not in result.stdout + result.stderr


@pytest.fixture
def outage_plan(outage_db: str, cli: Cli) -> str:  # noqa: F811
    """A database on the private server, initialised from the bundled plan."""
    result = cli("--db", outage_db, "--today", TODAY, "init", "--file", BUNDLED)
    assert result.code == 0, result.err
    return outage_db


def test_every_command_while_the_server_is_down(outage_server: OutageServer,  # noqa: F811
                                                outage_plan: str) -> None:
    outage_server.stop()
    try:
        for argv in (("tree",), ("update", "1.1.1", "--progress", "10"),
                     ("import", BUNDLED), ("db", "current"), ("tui",)):
            line = assert_one_line(run_planner("--db", outage_plan, *argv), 1)
            assert "无法连接 PostgreSQL 服务器" in line and "请确认服务器在运行后重试" in line, argv
    finally:
        outage_server.start()


def test_server_stopping_mid_import_applies_nothing(outage_server: OutageServer,  # noqa: F811
                                                    outage_plan: str, tmp_path: Path) -> None:
    changed = tmp_path / "changed.yaml"
    changed.write_text(BUNDLED.read_text(encoding="utf-8").replace(
        "  - {id: als, name: 阿拉善盟, kind: league}",
        "  - {id: als, name: 阿拉善盟, kind: league}\n  - {id: new, name: 新单位, kind: league}",
    ).replace("  title: 内蒙古自治区", "  title: 修订版 内蒙古自治区", 1), encoding="utf-8")
    before = database_rows(outage_plan)
    blocker = make_engine(outage_plan)
    holder = blocker.connect()
    try:
        # The import writes the plan and its units first, then reads the indicators: holding
        # that table stops it half-way, its first changes made but not committed.
        holder.execute(text("LOCK TABLE indicator IN ACCESS EXCLUSIVE MODE"))
        importer = subprocess.Popen(
            planner_argv("--db", outage_plan, "--lang", "en", "import", changed), cwd=ROOT,
            env=planner_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not import_waits_for_a_lock(blocker):
            assert importer.poll() is None, importer.communicate()
            assert time.monotonic() < deadline, "the import never reached the indicators"
        outage_server.stop()
        out, err = importer.communicate(timeout=30)
    finally:
        holder.invalidate()  # its server is gone: nothing to roll back
        blocker.dispose()
        if not outage_server.running():
            outage_server.start()
    result = subprocess.CompletedProcess(importer.args, importer.returncode, out, err)
    line = assert_one_line(result, 1)
    assert "cannot reach the PostgreSQL server" in line and "was not saved" in line
    assert database_rows(outage_plan) == before


# -- passwords are never printed -----------------------------------------------------------
@pytest.fixture
def password_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A database on the session's server, named by a URL carrying a password (the test
    server trusts local logins, so any password is accepted)."""
    url = postgres_server.create_database()
    yield url.replace("postgresql+psycopg://postgres@", f"postgresql+psycopg://postgres:"
                      f"{PASSWORD}@")
    postgres_server.drop_database(url)


def test_init_db_current_and_errors_never_print_the_password(password_url: str,
                                                            cli: Cli) -> None:
    init = run_planner("--db", password_url, "init", "--file", BUNDLED)
    current = run_planner("--db", password_url, "--lang", "en", "db", "current")
    missing = password_url.rsplit("/", 1)[0] + "/no_such_database"
    error = run_planner("--db", missing, "tree")
    assert init.returncode == 0 and current.returncode == 0, (init.stderr, current.stderr)
    assert_one_line(error, 2)
    again = cli("--db", password_url, "--lang", "en", "init", "--file", BUNDLED)
    outputs = [init.stdout + init.stderr, current.stdout + current.stderr,
               error.stdout + error.stderr, again.out + again.err]
    assert all(PASSWORD not in output for output in outputs), outputs
    assert "postgres:***@127.0.0.1" in init.stdout and "postgres:***@" in current.stdout
    assert "nothing changed: postgresql+psycopg://postgres:***@" in again.out


def test_a_login_password_never_reaches_the_server_or_its_log(
        postgres_server: PostgresServer, cli: Cli) -> None:
    """`user add --password` sends a SCRAM verifier: the server stores no password, and a
    statement that fails (a coordinator may not create login roles) is logged without it."""
    url = postgres_server.create_database()
    suffix = uuid.uuid4().hex[:8]
    name, coordinator = f"hz_{suffix}", f"boss_{suffix}"
    try:
        assert cli("--db", url, "--today", TODAY, "init", "--file", BUNDLED).code == 0
        assert cli("--db", url, "user", "add", coordinator, "--coordinator").code == 0
        added = run_planner("--db", url, "user", "add", name, "--unit", "hhht", "--password",
                            PASSWORD)
        refused = run_planner("--db", url.replace("://postgres@", f"://{coordinator}@"),
                              "user", "add", "x" + name, "--unit", "hhht", "--password",
                              PASSWORD)
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                stored = connection.execute(text(
                    "SELECT rolpassword FROM pg_authid WHERE rolname = :name"),
                    {"name": name}).scalar_one()
        finally:
            engine.dispose()
    finally:
        postgres_server.drop_database(url)
        postgres_server._admin(*(f'DROP ROLE IF EXISTS "{role}"' for role in (name, coordinator)))
    assert added.returncode == 0, added.stderr
    assert_one_line(refused, 2)
    assert stored.startswith("SCRAM-SHA-256$") and PASSWORD not in stored
    log = (postgres_server.folder / "server.log").read_text(errors="replace")
    assert f"x{name}" in log and PASSWORD not in log


# -- developers and internal errors --------------------------------------------------------
def test_planner_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run_planner("--db", tmp_path, "tree", env={"PLANNER_DEBUG": "1"})
    assert "Traceback" in result.stderr and result.returncode == 1


def test_an_unexpected_error_is_one_line_naming_it() -> None:
    from planner.cli import _failure

    assert _failure(KeyError("surprise"), "en", None) == (
        "internal error: KeyError: 'surprise' (PLANNER_DEBUG=1 for details)", 1)
    assert _failure(ValueError("x\ny"), "zh", None)[0] == \
        "内部错误：ValueError: x y（设置 PLANNER_DEBUG=1 查看详情）"


@pytest.mark.parametrize("target", ["folder", "/dev/full"])
def test_a_workbook_that_cannot_be_written_is_one_line(bundled_db: Path, tmp_path: Path,
                                                       target: str) -> None:
    """A folder or a full device: one line, no half-written file left behind."""
    path = tmp_path if target == "folder" else Path(target)
    if target == "/dev/full" and not path.is_char_device():
        pytest.skip("no /dev/full here")
    assert_one_line(run_planner("--db", bundled_db, "ledger", "export", path), 2)
    assert not list(tmp_path.glob(".*.partial"))
    assert target == "folder" or path.is_char_device()  # the device is still a device


def test_an_endless_plan_file_is_refused_without_reading_it_all() -> None:
    line = assert_one_line(run_planner("--lang", "en", "validate", "/dev/zero", timeout=30), 2)
    assert "too large" in line
