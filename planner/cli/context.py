"""What every command is handed: where the data is, which day it is, the language, the user;
and the one place a command opens its database session."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from planner.core.clock import Clock
from planner.core.errors import PlannerError
from planner.i18n import label

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from planner.store.dbapi import Db


@dataclass(slots=True)
class Context:
    """What every command needs: where the data is, which day it is (the run's one clock),
    the language."""

    url: str
    clock: Clock
    lang: str
    user: str
    plan: str | None = None
    """The plan asked for (`--plan`, PLANNER_PLAN); None: the current plan."""
    _engine: "Engine | None" = None
    _schema_checked: bool = False

    @property
    def today(self) -> date:
        """The day the run computes as of (`--today`, PLANNER_TODAY or the machine's date)."""
        return self.clock.today

    @property
    def now(self) -> datetime:
        """The current local time of day on `today` (so --today dates history too)."""
        return self.clock.now()

    def raw_engine(self) -> "Engine":
        """The run's one engine, as it is (no schema check); disposed by `close`."""
        from planner.store.db import make_engine

        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine

    def engine(self, *, create: bool = False) -> "Engine":
        """The run's engine, the schema created or upgraded (SQLite, with a backup) first.

        Only commands that fill a database (`create=True`) may make a new SQLite file; any
        other command on a path that does not exist says so, rather than leaving an empty
        file (and its folders) behind a mistyped `--db`."""
        from sqlalchemy.engine import make_url

        from planner.store.db import create_schema

        url = make_url(self.url)
        if (not create and url.get_backend_name() == "sqlite" and url.database
                and url.database != ":memory:"):
            _require_file(url.database)
        engine = self.raw_engine()
        if not self._schema_checked:
            backup = create_schema(engine, now=self.now)
            self._schema_checked = True
            if backup:
                print(label("cli_schema_upgraded", self.lang, backup=backup), file=sys.stderr)
        return engine

    @contextmanager
    def session(self, *, write: bool = False, create: bool = False) -> Iterator["Session"]:
        """A session on the run's engine (see `engine`), committed when the block ends and
        rolled back on any error; `write=True` starts it as a writer, so writers queue."""
        from planner.store.db import session_scope
        from planner.store.dbapi import PLAN_ASKED

        with session_scope(self.engine(create=create), write=write) as session:
            if self.plan is not None:
                session.info[PLAN_ASKED] = self.plan
            yield session

    @contextmanager
    def transaction(self, *, write: bool = False, create: bool = False) -> Iterator["Db"]:
        """One transaction on the DB-API (store/dbapi.py) for the hot commands, committed when
        the block ends; `write=True` starts it as a writer, so writers queue. A SQLite file
        at the current schema is opened through `sqlite3` alone (no SQLAlchemy import), and
        so is a new one that `create=True` makes (see `engine`) with the newest schema
        (store/sqlite_new.py); any other database, or one to upgrade first, through
        `session`."""
        from planner.store.dbapi import (
            Db,
            SchemaNotCurrent,
            ask_plan,
            sqlite_path,
            sqlite_transaction,
        )

        path = sqlite_path(self.url)
        if path is not None and not self._schema_checked:
            if create and not Path(path).exists():
                from planner.store.sqlite_new import create_sqlite_file

                create_sqlite_file(path)
            _require_file(path)
            try:
                with sqlite_transaction(path, write=write) as db:
                    ask_plan(db, self.plan)
                    yield db
                return
            except SchemaNotCurrent:
                pass  # nothing was read or written: upgrade (or refuse) through the engine
        with self.session(write=write, create=create) as session:
            yield Db.of_session(session)

    def close(self) -> None:
        """Release the database connections of this run."""
        if self._engine is not None:
            self._engine.dispose()

    def say(self, key: str, /, **params: object) -> None:
        """Print the catalogue message `key` (planner/i18n.py) in the chosen language."""
        print(label(key, self.lang, **params))


def machine_clock(today: date) -> Clock:
    """The run's clock: `today` with the machine's time of day (to the second)."""
    return Clock(today, time_of_day=_machine_time)


def _machine_time() -> time:
    return datetime.now().time().replace(microsecond=0)


def _require_file(path: str) -> None:
    """Only commands that fill a database may make a new SQLite file; any other command on a
    path that does not exist says so, rather than leaving an empty file (and its folders)
    behind a mistyped `--db`."""
    if not Path(path).exists():
        raise PlannerError("cli_no_database_file", path=path)
