"""The hot paths' reads on the DB-API (store/dbapi.py): an item's branch is enough for what
`planner show` prints, and a file not at the current schema is never read past its stamp."""

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from planner.core.rollup import Rollup, explain
from planner.store.dbapi import (
    SchemaNotCurrent,
    read_tree,
    sqlite_path,
    sqlite_transaction,
)

TODAY = date(2021, 7, 1)


@pytest.mark.parametrize("code", ["3.2.2", "3.2", "3", "5.1.1"])
def test_a_branch_holds_the_item_its_ancestors_and_subtree_with_the_plans_figures(
        bundled_db: Path, code: str) -> None:
    with sqlite_transaction(str(bundled_db)) as db:
        whole = read_tree(db)
        branch = read_tree(db, branch=code)
    item = whole.by_code[code]
    expected = {item, *whole.ancestors(item), *whole.preorder(item)}
    assert set(branch.nodes) == expected
    assert len(branch.nodes) < len(whole.nodes)
    plan, mine = Rollup(whole, TODAY), Rollup(branch, TODAY)
    for node_id in [item, *whole.kids(item)]:
        assert mine[node_id] == plan[node_id]
    assert explain(mine, item) == explain(plan, item)
    assert mine.is_unreported(item) == plan.is_unreported(item)


def test_a_file_at_another_schema_is_left_as_it_was(
        bundled_db: Path, db_dump: Callable[[Path], str]) -> None:
    connection = sqlite3.connect(bundled_db)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
    connection.close()
    before = db_dump(bundled_db)
    with pytest.raises(SchemaNotCurrent), sqlite_transaction(str(bundled_db), write=True):
        pytest.fail("the block must not run on a file at another schema")
    assert db_dump(bundled_db) == before


@pytest.mark.parametrize(("url", "path"), [
    ("sqlite:///plan.db", "plan.db"), ("sqlite:////tmp/a b/plan.db", "/tmp/a b/plan.db"),
    ("sqlite:///plan.db?mode=ro", None), ("sqlite+pysqlite:///plan.db", None),
    ("sqlite:///:memory:", None), ("postgresql+psycopg://u@h/db", None),
])
def test_only_plain_sqlite_files_take_the_sqlite3_path(url: str, path: str | None) -> None:
    assert sqlite_path(url) == path
