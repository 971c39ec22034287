"""Migration 0015 on PostgreSQL: a database made before it gains the trigger that stamps a
unit's 督办 step with the server's time, and loses it again going back down. (Migration 0011
remakes the integrity triggers with the code that runs it, so a database at 0014 is made as
older code left it by dropping the trigger.)"""

from alembic import command
from sqlalchemy import text

from planner.store.db import make_engine
from planner.store.migrate import _config, upgrade
from tests.pg_support import PostgresServer

HAS_TRIGGER = "SELECT count(*) FROM pg_trigger WHERE tgname = 'planner_guard_cycle'"


def test_pg_upgrade_stamps_unit_steps_with_the_servers_time(
        postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("template0")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0014")
            connection.execute(text("DROP TRIGGER planner_guard_cycle ON cycleevent"))
        upgrade(engine)
        with engine.begin() as connection:
            assert connection.execute(text(HAS_TRIGGER)).scalar_one() == 1
            command.downgrade(_config(connection), "0014")
            assert connection.execute(text(HAS_TRIGGER)).scalar_one() == 0
    finally:
        engine.dispose()
        postgres_server.drop_database(url)
