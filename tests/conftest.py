"""Shared fixtures: the real `planner` command with captured output, and database dumps."""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.cli import main


@dataclass(frozen=True, slots=True)
class CliResult:
    """What one run of the command returned and printed."""

    code: int
    out: str
    err: str


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
