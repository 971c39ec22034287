"""Shared fixtures: the real `planner` command with captured output, database dumps, and
fresh databases on each backend (a SQLite file, a PostgreSQL database)."""

import atexit
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.cli import main
from tests import pg_support
from tests.pg_support import PostgresServer

BUNDLED_PLAN = Path(__file__).resolve().parent.parent / "tasks.yaml"


@dataclass(frozen=True, slots=True)
class CliResult:
    """What one run of the command returned and printed."""

    code: int
    out: str
    err: str


@pytest.fixture
def bundled_db(tmp_path: Path, cli: Callable[..., CliResult]) -> Path:
    """A SQLite file initialised from the bundled tasks.yaml (as of 2021-07-01)."""
    db = tmp_path / "bundled.db"
    result = cli("--db", db, "--today", "2021-07-01", "init", "--file", BUNDLED_PLAN)
    assert result.code == 0, result.err
    return db


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `planner.cli.main` with the given arguments (paths allowed) and capture output."""

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def sqlite_dump(path: Path) -> str:
    """Every table's schema and rows of a SQLite file, as SQL text."""
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture
def db_dump() -> Callable[[Path], str]:
    """`sqlite_dump`, for comparing a database before and after a command."""
    return sqlite_dump


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the whole session (skips when none can run here)."""
    try:
        server = pg_support.start()
    except pg_support.Unavailable as exc:
        pytest.skip(f"no PostgreSQL server: {exc}")
    atexit.register(server.stop)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_database(request: pytest.FixtureRequest,
                  tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A factory of fresh, empty databases: `make_database("sqlite" | "postgresql")` gives the
    URL of a new SQLite file or of a new PostgreSQL database (schema made, no rows), dropped
    at the end of the test. PostgreSQL skips the test when no server can run here."""
    made: list[tuple[PostgresServer, str]] = []
    count = 0

    def make(kind: str) -> str:
        nonlocal count
        count += 1
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'plan{count}.db'}"
        assert kind == "postgresql", kind
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database()
        made.append((server, url))
        return url

    yield make
    for server, url in made:
        server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, make_database: Callable[[str], str]) -> str:
    """A fresh, empty database URL on each backend: a SQLite file, then a new PostgreSQL
    database on the session's server."""
    return make_database(request.param)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's or CI's own PLANNER_* settings."""
    for name in ("PLANNER_DB", "PLANNER_TODAY", "PLANNER_LANG", "PLANNER_BUSY_TIMEOUT",
                 "PLANNER_DEBUG", "PLANNER_PLAN"):
        monkeypatch.delenv(name, raising=False)
