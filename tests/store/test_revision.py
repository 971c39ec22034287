"""The plan's change counter: other open screens notice every write, and only real ones."""

from datetime import UTC, date, datetime
from pathlib import Path

from planner.core.status import Status
from planner.services import edits
from planner.services.plan_file import import_plan, load_plan_file
from planner.services.updates import change_due, record_reading, record_update
from planner.store.db import create_schema, make_engine, session_scope
from planner.store.queries import plan_revision

BUNDLED = Path(__file__).resolve().parents[2] / "tasks.yaml"
AT = datetime(2021, 6, 30, 9, tzinfo=UTC)


def revision(engine) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return plan_revision(session=session)


def test_each_write_bumps_once_and_an_unchanged_import_not_at_all(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    create_schema(engine)
    spec = load_plan_file(BUNDLED)
    with session_scope(engine, write=True) as session:
        import_plan(spec, session=session, origin="tasks.yaml", at=AT)
    start = revision(engine)
    assert start == 1
    with session_scope(engine, write=True) as session:
        import_plan(spec, session=session, origin="tasks.yaml", at=AT)
    assert revision(engine) == start
    writes = [
        lambda s: record_update(session=s, code="3.1", at=AT, status=Status.IN_PROGRESS),
        lambda s: change_due(session=s, code="3.1", new_due=date(2026, 6, 30), reason="顺延",
                             at=AT),
        lambda s: record_reading(session=s, code="I1", value=20, on=date(2021, 6, 30), at=AT),
        lambda s: edits.set_coordination(session=s, code="3.1", reason="需会商", at=AT),
    ]
    for count, write in enumerate(writes, start=1):
        with session_scope(engine, write=True) as session:
            write(session)
        assert revision(engine) == start + count
    changed = BUNDLED.read_text(encoding="utf-8").replace(
        "建设中国（内蒙古）知识产权保护中心\n", "建设中国（内蒙古）知识产权保护中心（改）\n", 1)
    edited = tmp_path / "edited.yaml"
    edited.write_text(changed, encoding="utf-8")
    with session_scope(engine, write=True) as session:
        summary = import_plan(load_plan_file(edited), session=session, origin="edited.yaml",
                              at=AT)
    assert summary.updated == 1 and summary.codes_changed == ["3.1"]
    assert revision(engine) == start + len(writes) + 1
