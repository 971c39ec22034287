"""The plan's change counter: every write bumps it, so other open screens notice cheaply;
and the one check that a plan may still be written (a closed plan is read-only)."""

from typing import TYPE_CHECKING

from planner.core.errors import PlannerError
from planner.store.dbapi import Db, as_db, plan_scope

if TYPE_CHECKING:
    from sqlmodel import Session


def require_open_plan(*, session: "Session | Db") -> None:
    """Refuse a write to the transaction's plan once it is closed (`planner plans close`)."""
    db = as_db(session)
    row = db.one("SELECT code, state FROM plan WHERE id = ?", (plan_scope(db),))
    if row is not None and row[1] != "open":
        raise PlannerError("plan_closed_read_only", plan=row[0])


def bump_revision(*, session: "Session | Db", plan_write: bool = True) -> None:
    """Count one more change of the transaction's plan, in the caller's transaction; every
    write to a plan does, so a write to a closed plan is refused here whatever path it took.
    Writes to what all plans share (meetings) pass `plan_write=False`: counted, never refused."""
    db = as_db(session)
    if plan_write:
        require_open_plan(session=db)
    db.execute("UPDATE plan SET revision = revision + 1 WHERE id = ?", (plan_scope(db),))
