"""The update service over a real SQLite file: history, versions, conflicts, one transaction."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from planner.core.errors import ConflictError, PlannerError
from planner.core.status import Status
from planner.services.plan_file import import_plan, load_plan_file
from planner.services.updates import change_due, record_reading, record_update
from planner.store.db import create_schema, make_engine, session_scope
from planner.store.models import DueChange, ProgressUpdate, Task
from planner.store.queries import get_task, load_tree

BUNDLED = Path(__file__).resolve().parents[2] / "tasks.yaml"
AT = datetime(2021, 6, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    create_schema(engine)
    with session_scope(engine, write=True) as session:
        import_plan(load_plan_file(BUNDLED), session=session, origin="tasks.yaml", at=AT)
    return engine


def test_update_appends_history_and_bumps_version(engine) -> None:
    with session_scope(engine, write=True) as session:
        result = record_update(session=session, code="5.1.4", at=AT, status=Status.IN_PROGRESS,
                               progress=30, note="启动", by_unit="amr", by_user="li")
    assert result.version == 2
    with session_scope(engine) as session:
        task = get_task("5.1.4", session=session)
        assert (task.status, task.progress, task.version) == ("in_progress", 30, 2)
        [entry] = session.exec(select(ProgressUpdate)).all()
        assert (entry.old_status, entry.new_status, entry.old_progress, entry.new_progress) == (
            "not_started", "in_progress", 0, 30)
        assert (entry.by_unit, entry.by_user, entry.note) == ("amr", "li", "启动")


def test_stale_version_is_a_conflict_naming_the_change(engine) -> None:
    with session_scope(engine) as session:
        seen_version = get_task("5.1.4", session=session).version
    with session_scope(engine, write=True) as session:
        record_update(session=session, code="5.1.4", at=AT, progress=40, by_unit="gat",
                      expected_version=seen_version)
    with pytest.raises(ConflictError) as caught, session_scope(engine, write=True) as session:
        record_update(session=session, code="5.1.4", at=AT, progress=10,
                      expected_version=seen_version)
    assert "5.1.4" in caught.value.message() and "40%" in caught.value.message()
    with session_scope(engine) as session:
        assert get_task("5.1.4", session=session).progress == 40
        assert len(session.exec(select(ProgressUpdate)).all()) == 1


def test_failed_update_writes_nothing(engine) -> None:
    with pytest.raises(PlannerError), session_scope(engine, write=True) as session:
        record_update(session=session, code="4.1.1", at=AT, status=Status.NOT_STARTED)
    with session_scope(engine) as session:
        assert session.exec(select(ProgressUpdate)).all() == []
        assert get_task("4.1.1", session=session).version == 1


def test_note_only_update_counts_as_report(engine) -> None:
    with session_scope(engine, write=True) as session:
        record_update(session=session, code="3.1", at=AT, status=Status.IN_PROGRESS)
        record_update(session=session, code="3.1", at=AT, note="方案报批中")
    with session_scope(engine) as session:
        assert load_tree(session=session).node("3.1").last_report == AT.astimezone().date()
    with pytest.raises(PlannerError, match="没有需要记录"), session_scope(
            engine, write=True) as session:
        record_update(session=session, code="3.1", at=AT)


def test_change_due_keeps_original_and_reason(engine) -> None:
    with session_scope(engine, write=True) as session:
        change_due(session=session, code="2.3", new_due=date(2026, 6, 30), reason="立法计划调整",
                   at=AT, by_user="li")
    with session_scope(engine) as session:
        task = session.exec(select(Task).where(Task.code == "2.3")).one()
        assert (task.due, task.original_due) == (date(2026, 6, 30), date(2025, 12, 31))
        change = session.exec(select(DueChange)).one()
        assert (change.reason, change.by_user) == ("立法计划调整", "li")
        assert load_tree(session=session).node("2.3").postponements == 1


def test_reading_requires_known_indicator_and_finite_value(engine) -> None:
    with session_scope(engine, write=True) as session:
        record_reading(session=session, code="I1", value=20, on=date(2021, 6, 30), at=AT)
    for code, value in (("I404", 1.0), ("I1", float("nan"))):
        with pytest.raises(PlannerError), session_scope(engine, write=True) as session:
            record_reading(session=session, code=code, value=value, on=date(2021, 6, 30), at=AT)


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(engine) -> None:
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_tree_is_read_with_a_fixed_number_of_queries(engine) -> None:
    statements: list[str] = []
    with session_scope(engine) as session:
        driver_connection = session.connection().connection.dbapi_connection
        driver_connection.set_trace_callback(statements.append)
        tree = load_tree(session=session)
        driver_connection.set_trace_callback(None)
    assert len(tree.nodes) == 78
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 6  # which plan, its settings, tasks with lead, supports, last
    # reports, postponements
