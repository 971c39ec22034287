"""Migration 0016 on both backends: a database at 0015 gains the progress history's covering
indexes and the partial index of settling moves (as a new database has them), and going
back down gives the one-column indexes of 0001 again."""

from collections.abc import Callable
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, Engine, text

from planner.store.db import make_engine
from planner.store.migrate import _config, upgrade
from tests.pg_support import PostgresServer

NAMES = ("ix_progressupdate_at", "ix_progressupdate_settling", "ix_progressupdate_task_id")


def _sqlite_indexes(connection: Connection) -> dict[str, str]:
    return dict(connection.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'progressupdate'")).all())


def _pg_indexes(connection: Connection) -> dict[str, str]:
    return dict(connection.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'progressupdate' "
        "AND indexname LIKE 'ix_%'")).all())


def _up_and_down(engine: Engine, indexes: Callable[[Connection], dict[str, str]]) -> None:
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0015")
        assert sorted(indexes(connection)) == ["ix_progressupdate_at",
                                               "ix_progressupdate_task_id"]
    upgrade(engine)
    with engine.begin() as connection:
        found = indexes(connection)
        assert sorted(found) == list(NAMES)
        assert "(at, by_unit, task_id)" in found["ix_progressupdate_at"]
        assert "(task_id, at)" in found["ix_progressupdate_task_id"]
        assert "(task_id, at, new_status, old_status)" in found["ix_progressupdate_settling"]
        assert "WHERE" in found["ix_progressupdate_settling"]
        assert "cancelled" in found["ix_progressupdate_settling"]
        command.downgrade(_config(connection), "0015")
        found = indexes(connection)
        assert sorted(found) == ["ix_progressupdate_at", "ix_progressupdate_task_id"]
        assert "(at)" in found["ix_progressupdate_at"]


def test_sqlite_upgrade_and_downgrade_of_the_progress_indexes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    try:
        _up_and_down(engine, _sqlite_indexes)
    finally:
        engine.dispose()


def test_pg_upgrade_and_downgrade_of_the_progress_indexes(
        postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("template0")
    engine = make_engine(url)
    try:
        _up_and_down(engine, _pg_indexes)
    finally:
        engine.dispose()
        postgres_server.drop_database(url)
