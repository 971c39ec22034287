"""The plan's change counter: every write bumps it, so other open screens notice cheaply;
and the one check that a plan may still be written (a closed plan is read-only). A plan
whose leaves follow another plan's items (`follow_annual`) counts the other plan's changes
too."""

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
    plan_id = plan_scope(db)
    db.execute("UPDATE plan SET revision = revision + 1 WHERE id = ?", (plan_id,))
    followers = [plan for (plan,) in db.rows(_FOLLOWERS, (plan_id, plan_id))]
    if followers:
        db.execute("UPDATE plan SET revision = revision + 1 WHERE id IN ("
                   + ", ".join("?" * len(followers)) + ")", followers)


#: A change of a plan changes the figures of the plans whose leaves follow its items
#: (`follow_annual`): the items carrying out (`implements`) their leaves, or the copies
#: those were carried over into (`carried_from`). Their revision moves too, so their stored
#: rollups go stale and open screens notice. Only links into plans with the setting on are
#: followed, so otherwise it costs one look at the (small) plan table.
_FOLLOWERS = """WITH RECURSIVE impl(plan, id) AS (
    SELECT f.plan_id, l.task_id FROM plan AS p JOIN task AS f ON f.plan_id = p.id
    JOIN tasklink AS l ON l.target_id = f.id
    WHERE p.follow_annual AND p.id <> ? AND l.kind = 'implements'
    UNION SELECT impl.plan, c.task_id FROM tasklink AS c JOIN impl ON c.target_id = impl.id
    WHERE c.kind = 'carried_from')
SELECT DISTINCT impl.plan FROM impl JOIN task AS a ON a.id = impl.id WHERE a.plan_id = ?"""
