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
