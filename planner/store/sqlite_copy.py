"""The one way a SQLite database is copied: SQLite's online backup API, page by page.

Both the pre-upgrade copy (store/migrate.py) and `planner backup` to a .db file
(services/backup.py) go through `copy_sqlite`; a PostgreSQL database is backed up one way
only, as the JSON dump of services/backup.py."""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine


def copy_sqlite(engine: Engine, target: Path) -> None:
    """Copy the whole SQLite database behind `engine` into `target`: a consistent copy while
    others keep writing (read on one of the engine's connections, so it waits for a writer's
    lock as long as any other reader), left as one self-contained file (a rollback journal,
    no -wal file beside it)."""
    source = engine.raw_connection()
    try:
        writer = sqlite3.connect(target)
        try:
            source.dbapi_connection.backup(writer)  # type: ignore[union-attr]  # sqlite3's
            writer.execute("PRAGMA journal_mode=DELETE")
        finally:
            writer.close()
    finally:
        source.close()
