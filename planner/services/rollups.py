"""Storing the plan's rollup figures for later reads (store/rollup_cache.py)."""

from datetime import date

from planner.core.rollup import Rollup
from planner.store.dbapi import Db, read_tree
from planner.store.rollup_cache import plan_revision, store_figures


def refresh_rollups(db: Db, *, today: date) -> Rollup:
    """Roll up the whole plan as of `today` and store the figures, in a writer's transaction
    (the caller has checked `rollup_cache.may_store`). The revision is read before the
    tree: a change committed in between (PostgreSQL reads each statement afresh) leaves the
    stored figures stale rather than stamped newer than they are."""
    plan_id, revision = plan_revision(db)
    tree = read_tree(db)
    rollup = Rollup(tree, today)
    store_figures(db, rollup.figures, plan_id=plan_id, revision=revision, today=today)
    db.wrote()
    return rollup
