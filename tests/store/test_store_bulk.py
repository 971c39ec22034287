"""The store's bulk read pauses the garbage collector itself: callers need not."""

import gc
from pathlib import Path
from typing import Any

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


def test_bulk_rows_are_stored_exactly_as_the_orm_stores_them(backend_url: str) -> None:
    """The import's row tuples reach the driver converted by their columns' converters;
    each column holds what an ORM insert of the same values holds, in type as well as
    value, on both backends."""
    from datetime import UTC, date, datetime

    from sqlalchemy import text
    from sqlmodel import select

    from planner.store.bulk import task_rows, task_unit_rows
    from planner.store.db import create_schema, make_engine
    from planner.store.models import Plan, Task, TaskUnit, Unit, saved_id

    at = datetime(2023, 6, 30, 9, 15, 7, 123456, tzinfo=UTC)
    values = {"parent_id": None, "position": 3, "title": "标题", "description": None,
              "source": "来源", "start": date(2021, 1, 1), "due": date(2025, 12, 31),
              "original_due": date(2025, 12, 31), "status": "in_progress", "progress": 24.0,
              "weight": 3.0, "rollup_rule": None, "repeat_rule": None, "repeat_duration": None,
              "generated": True, "needs_coordination": False, "coordination_reason": None,
              "archived": False, "version": 1, "created_at": at, "updated_at": at}
    engine = make_engine(backend_url)
    try:
        create_schema(engine)
        with session_scope(engine, write=True) as session:
            session.add(Unit(id="amr", name="市场监管局"))
            plan = Plan(code="sw14", title="计划", start=date(2021, 1, 1), end=date(2025, 12, 31))
            session.add(plan)
            session.flush()
            values["plan_id"] = plan.id
            session.add(Task(code="orm", **values))
            session.flush()
            shape = task_rows(session)
            bulk = {"id": saved_id(session.exec(select(Task)).one()) + 1, "code": "bulk",
                    **values}
            shape.insert([tuple(shape.converter(name)(bulk[name]) for name in shape.columns)])
            ids = dict(session.execute(text("select code, id from task")).all())
            session.add(TaskUnit(task_id=ids["orm"], unit_id="amr", role="lead", position=0))
            task_unit_rows(session).insert([(ids["bulk"], "amr", "lead", 0)])
        columns = ", ".join(f'"{name}"' for name in values)
        typed = (", ".join(f'typeof("{name}")' for name in values)
                 if backend_url.startswith("sqlite")
                 else ", ".join(f'pg_typeof("{name}")::text' for name in values))
        with engine.connect() as connection:
            rows = {code: tuple(rest) for code, *rest in connection.execute(text(
                f"select code, {columns}, {typed} from task order by code"))}
            links = connection.execute(text(
                "select unit_id, role, position from taskunit order by task_id")).all()
        assert rows["bulk"] == rows["orm"]
        assert links[0] == links[1]
    finally:
        engine.dispose()


def _bulk_tasks(session: Any, codes: list[str]) -> None:
    """One plan and `codes` as new tasks through the import's bulk path."""
    from datetime import UTC, date, datetime

    from planner.store.bulk import new_task_ids, task_rows
    from planner.store.models import Plan

    plan = Plan(code="sw14", title="计划", start=date(2021, 1, 1), end=date(2025, 12, 31))
    session.add(plan)
    session.flush()
    shape = task_rows(session)
    at = datetime(2023, 6, 30, 9, 15, tzinfo=UTC)
    day, stamp, flag = (shape.converter("start"), shape.converter("created_at"),
                        shape.converter("generated"))
    rows = [(task_id, plan.id, code, None, position, f"事项{code}", None, None,
             day(date(2021, 1, 1)), day(date(2025, 12, 31)), day(date(2025, 12, 31)),
             "not_started", 0.0, 1.0, None, None, None, flag(False), flag(False), None,
             flag(False), 1, stamp(at), stamp(at))
            for position, (task_id, code) in enumerate(zip(new_task_ids(session, len(codes)),
                                                          codes, strict=True))]
    shape.insert(rows)


def _schema(path: Path) -> list[tuple[str, str]]:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return sorted(connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'task' AND sql IS NOT NULL"))


def test_a_large_insert_into_an_empty_table_makes_its_indexes_after_the_rows(
        tmp_path: Path) -> None:
    """Into an empty SQLite table, a bulk insert of INDEX_AFTER_ROWS rows or more leaves
    the table's indexes out while the rows go in and makes them again after, from their
    own definitions: the schema ends as it began, and the indexes hold every row."""
    import sqlite3

    from sqlalchemy import event

    from planner.store.db import create_schema, make_engine
    from planner.store.sqlite_new import INDEX_AFTER_ROWS

    path = tmp_path / "plan.db"
    engine = make_engine(f"sqlite:///{path}")
    statements: list[str] = []
    try:
        create_schema(engine)
        before = _schema(path)
        event.listen(engine, "before_cursor_execute",
                     lambda _c, _u, sql, *_rest: statements.append(sql))
        with session_scope(engine, write=True) as session:
            _bulk_tasks(session, [f"1.{n}" for n in range(INDEX_AFTER_ROWS)])
    finally:
        engine.dispose()
    assert any(sql.startswith("DROP INDEX") for sql in statements)
    assert _schema(path) == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        plan = connection.execute("EXPLAIN QUERY PLAN SELECT id FROM task "
                                  "WHERE plan_id = 1 AND code = '1.7'").fetchall()
        assert "ix_task_plan_code" in str(plan)
        assert connection.execute("SELECT count(*) FROM task").fetchone() == (INDEX_AFTER_ROWS,)


def test_rows_that_break_a_unique_index_made_after_them_are_refused_whole(
        tmp_path: Path) -> None:
    """A duplicate among the rows is refused when the unique index is made again; the
    rollback takes the rows out and puts the indexes back as they were."""
    import sqlite3

    import pytest
    from sqlalchemy.exc import IntegrityError

    from planner.store.db import create_schema, make_engine
    from planner.store.sqlite_new import INDEX_AFTER_ROWS

    path = tmp_path / "plan.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        create_schema(engine)
        before = _schema(path)
        codes = [f"1.{n}" for n in range(INDEX_AFTER_ROWS)] + ["1.3"]
        with pytest.raises(IntegrityError), session_scope(engine, write=True) as session:
            _bulk_tasks(session, codes)
    finally:
        engine.dispose()
    assert _schema(path) == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM task").fetchone() == (0,)
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
