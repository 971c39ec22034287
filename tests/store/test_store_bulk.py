"""The store's bulk read pauses the garbage collector itself: callers need not."""

import gc
from pathlib import Path

from planner.store.db import session_scope
from planner.store.queries import load_tree
from tests.tui_support import seeded_engine


def test_load_tree_builds_its_snapshot_with_the_collector_paused(tmp_path: Path) -> None:
    engine = seeded_engine(tmp_path / "plan.db")
    gc.unfreeze()
    try:
        with session_scope(engine) as session:
            load_tree(session=session)
        assert gc.isenabled()  # switched back on
        assert gc.get_freeze_count() > 0  # the snapshot left out of later full passes
    finally:
        gc.unfreeze()
        engine.dispose()
