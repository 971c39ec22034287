"""The plan's change counter: every write bumps it, so other open screens notice cheaply."""

from typing import TYPE_CHECKING

from planner.store.dbapi import Db, as_db

if TYPE_CHECKING:
    from sqlmodel import Session


def bump_revision(*, session: "Session | Db") -> None:
    """Count one more change, in the caller's transaction."""
    as_db(session).execute("UPDATE plan SET revision = revision + 1")
