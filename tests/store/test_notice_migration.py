"""Migration 0013 (notices) on PostgreSQL: from 0012 the three tables arrive with the grants
a fresh database gives them (both groups read, coordinators write and use the id sequence,
units write nothing), and it goes back down cleanly."""

from alembic import command
from sqlalchemy import text

from planner.store.db import make_engine
from planner.store.migrate import _config, upgrade
from tests.pg_support import PostgresServer

TABLES = ("noticecounter", "notice", "noticeitem")


def privileges(connection: object) -> dict[str, tuple[bool, bool, bool]]:
    """Per table: (units read, units insert, coordinators insert)."""
    return {table: tuple(connection.execute(text(  # type: ignore[attr-defined]  # a SQLAlchemy Connection
        f"SELECT has_table_privilege('planner_unit', '{table}', 'SELECT'), "
        f"has_table_privilege('planner_unit', '{table}', 'INSERT'), "
        f"has_table_privilege('planner_coordinator', '{table}', 'INSERT')")).one())
        for table in TABLES}


def test_pg_upgrade_adds_the_notice_tables_with_their_grants(
        postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("template0")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0012")
        upgrade(engine)
        with engine.connect() as connection:
            assert privileges(connection) == {table: (True, False, True) for table in TABLES}
            assert connection.execute(text(
                "SELECT has_sequence_privilege('planner_coordinator', 'notice_id_seq', "
                "'USAGE')")).scalar_one()
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0012")
            assert connection.execute(text(
                "SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                "('noticecounter', 'notice', 'noticeitem')")).scalar_one() == 0
    finally:
        engine.dispose()
        postgres_server.drop_database(url)
