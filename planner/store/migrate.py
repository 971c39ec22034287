"""Schema versions with Alembic: create at head, upgrade older databases (SQLite with a backup
first), and recognise a database made by the first release, before Alembic was used.

Alembic (about half a second to import, and its scripts to read) is loaded only to upgrade or
to read an unusual version table: a new database is created and stamped, and a current one
recognised, with SQLAlchemy alone (`ensure_current`)."""

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import planner.migrations
from planner.core.errors import PlannerError
from planner.store import (
    models,  # noqa: F401  (registers the tables created at head)
    pg_access,
)
from planner.store.dbapi import SCHEMA_HEAD
from planner.store.sqlite_copy import copy_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(planner.migrations.__file__).resolve().parent
FIRST_RELEASE = "0001"


#: Alembic's version table as its `command.stamp` creates it (alembic/ddl/impl.py,
#: `version_table_impl`): a new database is stamped with the same table and row.
VERSION_TABLE = Table("alembic_version", MetaData(),
                      Column("version_num", String(32), nullable=False),
                      PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


def _config(connection: Connection) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema version this code knows."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def _stamped(engine: Engine) -> list[str] | None:
    """The versions in the database's version table ([] when it is empty or missing); None
    for a new database: no version stamped and no table of the first release."""
    with engine.connect() as connection:
        tables = inspect(connection)
        versions = list(connection.execute(VERSION_TABLE.select()).scalars()) \
            if tables.has_table(VERSION_TABLE.name) else []
        return None if not versions and not tables.has_table("plan") else versions


def sqlite_file(engine: Engine) -> Path | None:
    """The SQLite file behind `engine`; None for another backend or an in-memory database."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def current_revision(engine: Engine) -> str | None:
    """The database's schema version; the first release's when it predates Alembic; None
    when the database is empty."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        if revision is None and inspect(connection).has_table("plan"):
            return FIRST_RELEASE
        return revision


def backup_sqlite(engine: Engine, path: Path, revision: str, *, now: datetime) -> Path:
    """A consistent copy of the file at `path` behind `engine` (store/sqlite_copy.py) before
    it is upgraded, named after the schema version it holds and `now`."""
    target = path.with_name(f"{path.name}.bak-{revision}-{now:%Y%m%d-%H%M%S}")
    copy_sqlite(engine, target)
    return target


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to head; returns (from, to). Data is kept: Alembic batch mode rebuilds
    SQLite tables by copying their rows."""
    from alembic import command
    from alembic.migration import MigrationContext

    before = current_revision(engine)
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Batch mode recreates tables; foreign keys must be off outside the transaction.
            connection.connection.cursor().execute("PRAGMA foreign_keys=OFF")
        config = _config(connection)
        try:
            with connection.begin():
                if before == FIRST_RELEASE and MigrationContext.configure(
                        connection).get_current_revision() is None:
                    command.stamp(config, FIRST_RELEASE)
                command.upgrade(config, "head")
                if sqlite:  # inside the transaction: a failed check rolls the upgrade back
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise PlannerError("migrate_foreign_keys", problems=str(problems[:3]))
        finally:
            if sqlite:  # no transaction is open here, so the pragma takes effect
                connection.connection.cursor().execute("PRAGMA foreign_keys=ON")
    return before, head_revision()


def known_revision(revision: str) -> bool:
    """Whether this code has a migration with that id."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except CommandError:
        return False


def ensure_current(engine: Engine, *, now: datetime | None = None) -> str | None:
    """Make the database usable by this code: create an empty one at head; upgrade an older
    SQLite file after backing it up (returns the backup path, stamped `now`, which such an
    upgrade needs); ask for `planner db upgrade` on a shared server; refuse a database newer
    than the code."""
    stamped = _stamped(engine)
    if stamped == [SCHEMA_HEAD]:
        return None
    if stamped is None:
        with engine.begin() as connection:  # tables and stamp together, or neither
            SQLModel.metadata.create_all(connection)
            VERSION_TABLE.create(connection, checkfirst=True)  # what `command.stamp` would write
            connection.execute(VERSION_TABLE.insert().values(version_num=SCHEMA_HEAD))
            if connection.dialect.name == "postgresql":
                pg_access.install(connection)  # what the migrations add beside the tables
                pg_access.install_integrity(connection)
        return None
    revision = current_revision(engine)
    head = head_revision()
    if revision == head:
        return None
    assert revision is not None  # `_stamped` found a version or the first release's tables
    if not known_revision(revision):
        raise PlannerError("migrate_newer_schema", revision=revision, head=head)
    path = sqlite_file(engine)
    if path is None:
        raise PlannerError("migrate_needs_upgrade", revision=revision, head=head)
    if now is None:
        raise ValueError("upgrading a SQLite file needs `now` to name its backup")
    copy = backup_sqlite(engine, path, revision, now=now)
    upgrade(engine)
    return str(copy)
