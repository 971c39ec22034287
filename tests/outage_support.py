"""A PostgreSQL server of its own for the outage tests, which stop and start it: the session's
server (conftest.postgres_server) is shared by every other test and must stay up.

Also: running `planner` as a subprocess, and the check every error test makes (exactly one
line on standard error, no traceback, the expected exit status).
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from planner.store.db import make_engine
from tests import pg_support
from tests.pg_support import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "tasks.yaml"
TODAY = "2021-06-30"


@dataclass
class OutageServer:
    """A private server that a test may stop and start again (same port, same data)."""

    server: PostgresServer

    def stop(self) -> None:
        """Stop it as an administrator would (`pg_ctl stop -m fast`: sessions are cut)."""
        pg_support._run(self.server.user, [str(self.server.bin_dir / "pg_ctl"), "-D",
                                           str(self.server.data_dir), "-m", "fast", "-w",
                                           "stop"])

    def start(self) -> None:
        """Start it again on the same port, with the options `pg_support.start` used."""
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.server.port} "
                   f"-c unix_socket_directories={self.server.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        pg_support._run(self.server.user, [str(self.server.bin_dir / "pg_ctl"), "-D",
                                           str(self.server.data_dir), "-l",
                                           str(self.server.folder / "server.log"), "-o",
                                           options, "-w", "-t", "30", "start"])

    def running(self) -> bool:
        """Whether it accepts connections now."""
        status = pg_support._run(self.server.user, [str(self.server.bin_dir / "pg_ctl"), "-D",
                                                    str(self.server.data_dir), "status"],
                                 check=False)
        return status.returncode == 0


@pytest.fixture(scope="module")
def outage_server() -> Iterator[OutageServer]:
    """A throwaway server for this module's outage tests (skips when none can run here)."""
    try:
        server = pg_support.start()
    except pg_support.Unavailable as exc:
        pytest.skip(f"no PostgreSQL server: {exc}")
    try:
        yield OutageServer(server)
    finally:
        server.stop()


@pytest.fixture
def outage_db(outage_server: OutageServer) -> Iterator[str]:
    """A fresh database on the outage server (started again if a test left it stopped)."""
    if not outage_server.running():
        outage_server.start()
    url = outage_server.server.create_database()
    yield url
    if not outage_server.running():
        outage_server.start()
    outage_server.server.drop_database(url)


def planner_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment `planner` runs in: no PLANNER_* of the developer's, today fixed."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("PLANNER_")}
    return {**environment, "PLANNER_TODAY": TODAY, **(extra or {})}


def planner_argv(*args: str | bytes | Path) -> list[str | bytes]:
    """`python -m planner ARGS` (bytes stay bytes: an argument in another encoding)."""
    return [sys.executable, "-m", "planner",
            *(arg if isinstance(arg, bytes) else str(arg) for arg in args)]


def run_planner(*args: str | bytes | Path, env: dict[str, str] | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m planner ARGS` as a user runs it, with today fixed and output captured."""
    return subprocess.run(planner_argv(*args), capture_output=True, text=True,
                          env=planner_env(env), cwd=ROOT, timeout=timeout, check=False)


def assert_one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """Exactly one line on standard error, no traceback, exit status `code`; returns it."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    return lines[0]


def database_rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every planner table, in a stable order: to compare before and after."""
    from sqlmodel import SQLModel

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: sorted(
                        tuple(map(repr, row)) for row in connection.execute(table.select()))
                    for table in SQLModel.metadata.sorted_tables}
    finally:
        engine.dispose()


def import_waits_for_a_lock(engine: Engine) -> bool:
    """Whether a session of `engine`'s database other than ours waits on a lock right now."""
    with engine.connect() as connection:
        return bool(connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")).scalar())
