"""The plan's change counter: every write bumps it, so other open screens notice cheaply."""

from sqlalchemy import update
from sqlmodel import Session

from planner.store.models import Plan


def bump_revision(*, session: Session) -> None:
    """Count one more change, in the caller's transaction."""
    session.execute(update(Plan).values(revision=Plan.revision + 1))
