"""Migration 0014 (meeting place and attendance roles): meetings made before it keep their
units, each attending (出席), with no place; on SQLite and on PostgreSQL."""

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine

from planner.store.db import make_engine
from planner.store.dbapi import SCHEMA_HEAD
from planner.store.migrate import _config, current_revision, head_revision, upgrade
from tests.pg_support import PostgresServer


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'meetings.db'}")
        yield made
        made.dispose()
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database("template0")
    made = make_engine(url)
    try:
        yield made
    finally:
        made.dispose()
        server.drop_database(url)


def test_upgrade_from_0012_keeps_meetings_with_their_units_attending(engine: Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0012")
        connection.execute(text(
            "INSERT INTO unit (id, name, kind, position) VALUES "
            "('amr', '自治区市场监管局', 'department', 0), ('bt', '包头市', 'league', 1)"))
        connection.execute(text(
            "INSERT INTO meeting (id, \"on\", title, kind, status, length_minutes, created_at) "
            "VALUES (1, '2021-05-01', '第一次联席会议', 'joint', 'held', 120, "
            "'2021-04-20 09:00:00')"))
        connection.execute(text("INSERT INTO meetingunit (meeting_id, unit_id) VALUES "
                                "(1, 'amr'), (1, 'bt')"))
    assert upgrade(engine) == ("0012", head_revision())
    assert current_revision(engine) == SCHEMA_HEAD
    with engine.connect() as connection:
        assert connection.execute(text(
            "SELECT id, title, place FROM meeting")).all() == [(1, "第一次联席会议", None)]
        assert connection.execute(text(
            "SELECT unit_id, role FROM meetingunit ORDER BY unit_id")).all() == [
            ("amr", "attend"), ("bt", "attend")]
