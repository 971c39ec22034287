"""Migration 0011 (task links) on PostgreSQL: a database whose status check predates 已结转
(as the previous release installed it) admits carried_over once upgraded."""

from alembic import command
from sqlalchemy import text

from planner.store.db import make_engine
from planner.store.migrate import _config, upgrade
from tests.pg_support import PostgresServer

OLD_STATUSES = "'not_started', 'in_progress', 'blocked', 'done', 'closed', 'cancelled'"


def status_check(connection: object) -> str:
    return str(connection.execute(text(  # type: ignore[attr-defined]  # a SQLAlchemy Connection
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conname = 'planner_task_status'")).scalar_one())


def test_pg_upgrade_remakes_the_status_check(postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("template0")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0008")
            connection.execute(text("ALTER TABLE task DROP CONSTRAINT planner_task_status"))
            connection.execute(text(f"ALTER TABLE task ADD CONSTRAINT planner_task_status "
                                    f"CHECK (status IN ({OLD_STATUSES}))"))
            assert "carried_over" not in status_check(connection)
        upgrade(engine)
        with engine.connect() as connection:
            assert "carried_over" in status_check(connection)
            assert connection.execute(text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_name = 'tasklink'")).scalar_one() == 1
    finally:
        engine.dispose()
        postgres_server.drop_database(url)
