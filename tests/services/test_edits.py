"""The plan-editing service over a real SQLite file: add, edit, move, reparent, delete/archive,
coordination flags; validation that writes nothing; versions and the plan revision."""

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.core.errors import ConflictError, PlannerError
from planner.core.rollup import Rollup
from planner.core.status import Status
from planner.services.edits import (
    add_task,
    delete_task,
    edit_task,
    move_task,
    reparent_task,
    set_coordination,
)
from planner.services.plan_file import import_plan, load_plan_file
from planner.services.updates import change_due, record_update
from planner.store.db import create_schema, make_engine, session_scope
from planner.store.models import DueChange, ProgressUpdate, Task, TaskUnit
from planner.store.queries import get_task, load_tree, plan_revision, task_units

BUNDLED = Path(__file__).resolve().parents[2] / "tasks.yaml"
AT = datetime(2021, 6, 30, 9, 0, tzinfo=UTC)
TODAY = date(2021, 6, 30)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "plan.db"


@pytest.fixture(scope="session")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled plan imported once; each test works on its own copy of the file."""
    path = tmp_path_factory.mktemp("template") / "plan.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with session_scope(engine, write=True) as session:
        import_plan(load_plan_file(BUNDLED), session=session, origin="tasks.yaml", at=AT)
    engine.dispose()
    return path


@pytest.fixture
def engine(imported: Path, db_path: Path) -> Iterator[Engine]:
    source, target = sqlite3.connect(imported), sqlite3.connect(db_path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    engine = make_engine(f"sqlite:///{db_path}")
    yield engine
    engine.dispose()


def dump(path: Path) -> list[str]:
    """The whole database as SQL text, read through a separate connection."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def revision(engine: Engine) -> int:
    with session_scope(engine) as session:
        return plan_revision(session=session)


def kids(engine: Engine, code: str | None, *, include_archived: bool = False) -> list[str]:
    """Child codes of `code` (None: top level) in sibling order, from a fresh snapshot."""
    with session_scope(engine) as session:
        tree = load_tree(session=session, include_archived=include_archived)
        ids = tree.roots if code is None else tree.kids(tree.by_code[code])
        return [tree.nodes[i].code for i in ids]


def positions(engine: Engine, parent_code: str | None) -> list[tuple[str, int]]:
    """(code, position) of every child row, archived included, by position."""
    with session_scope(engine) as session:
        parent_id = None if parent_code is None else get_task(parent_code, session=session).id
        where = Task.parent_id.is_(None) if parent_id is None else Task.parent_id == parent_id
        rows = session.execute(select(Task.code, Task.position).where(where)
                               .order_by(Task.position)).all()
        return [(code, position) for code, position in rows]


def versions(engine: Engine, *codes: str) -> dict[str, int]:
    with session_scope(engine) as session:
        rows = session.execute(select(Task.code, Task.version).where(Task.code.in_(codes)))
        return dict(rows.all())


def rollup_of(engine: Engine, code: str) -> float:
    """The rolled-up progress of `code`, checking the whole tree still computes."""
    with session_scope(engine) as session:
        tree = load_tree(session=session)
    return Rollup(tree, TODAY)[tree.by_code[code]].progress


def run(engine: Engine, action: Callable[[Session], object]) -> object:
    with session_scope(engine, write=True) as session:
        return action(session)


def report(engine: Engine, code: str, progress: float = 40) -> None:
    run(engine, lambda s: record_update(session=s, code=code, at=AT, status=Status.IN_PROGRESS,
                                        progress=progress, by_unit="amr"))


# --- add_task ---------------------------------------------------------------------------


def test_add_appends_last_child_with_parent_dates_and_units(engine) -> None:
    before = revision(engine)
    code = run(engine, lambda s: add_task(session=s, title=" 新增子项 ", lead="amr", at=AT,
                                          parent_code="1.2", support=["hhht", "amr", "bt", "hhht"],
                                          description="  ", by_user="li"))
    assert code == "1.2.3"
    assert revision(engine) == before + 1
    assert kids(engine, "1.2") == ["1.2.1", "1.2.2", "1.2.3"]
    assert positions(engine, "1.2") == [("1.2.1", 0), ("1.2.2", 1), ("1.2.3", 2)]
    with session_scope(engine) as session:
        task = get_task("1.2.3", session=session)
        assert (task.title, task.description, task.version) == ("新增子项", None, 1)
        assert (task.start, task.due, task.original_due) == (
            date(2021, 1, 1), date(2021, 12, 31), date(2021, 12, 31))
        assert (task.status, task.progress, task.weight) == ("not_started", 0, 1.0)
        links = session.exec(select(TaskUnit).where(TaskUnit.task_id == task.id)
                             .order_by(TaskUnit.position)).all()
        assert [(u.unit_id, u.role, u.position) for u in links] == [
            ("amr", "lead", 0), ("hhht", "support", 1), ("bt", "support", 2)]
        node = load_tree(session=session).node("1.2.3")
        assert (node.lead, node.support) == ("amr", ("hhht", "bt"))
    assert rollup_of(engine, "1.2") == 0


def test_add_top_level_takes_plan_period_and_next_number(engine) -> None:
    code = run(engine, lambda s: add_task(session=s, title="新的领域", lead="amr", at=AT,
                                          weight=2.5))
    assert code == "8"
    assert kids(engine, None) == ["1", "2", "3", "4", "5", "6", "7", "8"]
    with session_scope(engine) as session:
        task = get_task("8", session=session)
        assert (task.start, task.due, task.parent_id, task.position, task.weight) == (
            date(2021, 1, 1), date(2025, 12, 31), None, 7, 2.5)


def test_add_after_sibling_shifts_later_siblings(engine) -> None:
    before = versions(engine, "3.3", "3.4", "3.5")
    code = run(engine, lambda s: add_task(session=s, title="插入项", lead="amr", at=AT,
                                          after_code="3.2", start=date(2022, 1, 1),
                                          due=date(2022, 6, 30)))
    assert code == "3.6"
    assert kids(engine, "3") == ["3.1", "3.2", "3.6", "3.3", "3.4", "3.5"]
    assert [p for _, p in positions(engine, "3")] == [0, 1, 2, 3, 4, 5]
    assert versions(engine, "3.3", "3.4", "3.5") == before  # shifting is not an edit
    code = run(engine, lambda s: add_task(session=s, title="首项之后", lead="amr", at=AT,
                                          after_code="1", code="1A", parent_code=None))
    assert code == "1A"
    assert kids(engine, None)[:3] == ["1", "1A", "2"]
    code = run(engine, lambda s: add_task(session=s, title="末项之后", lead="amr", at=AT,
                                          after_code="3.5", parent_code="3"))
    assert kids(engine, "3")[-2:] == ["3.5", code] and code == "3.7"


def test_code_generation_never_reuses_archived_or_taken_codes(engine) -> None:
    report(engine, "3.2.6")
    assert run(engine, lambda s: delete_task(session=s, code="3.2.6", at=AT)) == "archived"
    assert run(engine, lambda s: add_task(session=s, title="x", lead="amr", at=AT,
                                          parent_code="3.2")) == "3.2.7"
    # 3.5 keeps its code under 4: 3's next number skips it, 4 counts it as its child.
    run(engine, lambda s: reparent_task(session=s, code="3.5", new_parent_code="4", at=AT))
    assert run(engine, lambda s: add_task(session=s, title="y", lead="amr", at=AT,
                                          parent_code="3")) == "3.6"
    assert run(engine, lambda s: add_task(session=s, title="z", lead="amr", at=AT,
                                          parent_code="4")) == "4.6"
    # Occurrence codes ("7.2.1@2021-04-20") have no numeric last segment.
    assert run(engine, lambda s: add_task(session=s, title="w", lead="amr", at=AT,
                                          parent_code="7.2")) == "7.2.4"


# --- edit_task --------------------------------------------------------------------------


def test_edit_changes_only_given_fields(engine) -> None:
    before = revision(engine)
    version = run(engine, lambda s: edit_task(session=s, code="3.1", at=AT, expected_version=1,
                                              title="建设保护中心", weight=3,
                                              start=date(2021, 3, 1), description="说明"))
    assert version == 2 and revision(engine) == before + 1
    with session_scope(engine) as session:
        task = get_task("3.1", session=session)
        assert (task.title, task.weight, task.start, task.description, task.version) == (
            "建设保护中心", 3, date(2021, 3, 1), "说明", 2)
        assert task.due == date(2025, 12, 31) and task.source  # untouched
        assert task_units(task.id, session=session) == ("amr", [])
    assert rollup_of(engine, "3") == 0


def test_edit_units_lead_and_support(engine) -> None:
    run(engine, lambda s: edit_task(session=s, code="1.2.2", at=AT, lead="hhht"))
    with session_scope(engine) as session:
        lead, support = task_units(get_task("1.2.2", session=session).id, session=session)
    assert lead == "hhht" and support[:2] == ["bt", "hlbe"] and "hhht" not in support
    assert "amr" not in support
    version = run(engine, lambda s: edit_task(session=s, code="1.2.2", at=AT,
                                              support=["amr", "hhht", "amr", "gat"]))
    assert version == 3
    with session_scope(engine) as session:
        node = load_tree(session=session).node("1.2.2")
        assert (node.lead, node.support) == ("hhht", ("amr", "gat"))
    run(engine, lambda s: edit_task(session=s, code="1.2.2", at=AT, support=[]))
    with session_scope(engine) as session:
        assert load_tree(session=session).node("1.2.2").support == ()


def test_edit_that_changes_nothing_writes_nothing(engine, db_path) -> None:
    before = dump(db_path)
    version = run(engine, lambda s: edit_task(session=s, code="3.5", at=AT, title="建设国家知识"
                                              "产权培训（内蒙古）基地", lead="amr",
                                              support=["cnipa"], expected_version=1))
    assert version == 1 and dump(db_path) == before


def test_edit_with_stale_version_is_a_conflict(engine, db_path) -> None:
    run(engine, lambda s: edit_task(session=s, code="3.1", at=AT, title="第一次修改"))
    before = dump(db_path)
    with pytest.raises(ConflictError) as caught, session_scope(engine, write=True) as session:
        edit_task(session=session, code="3.1", at=AT, expected_version=1, title="覆盖")
    assert "3.1" in caught.value.message()
    with pytest.raises(ConflictError), session_scope(engine, write=True) as session:
        edit_task(session=session, code="3.1", at=AT, expected_version=1, title="第一次修改")
    assert dump(db_path) == before


def test_several_edits_in_one_session(engine) -> None:
    with session_scope(engine, write=True) as session:
        held = get_task("3.3", session=session)  # a copy the caller keeps around
        assert edit_task(session=session, code="3.3", at=AT, title="一") == 2
        assert edit_task(session=session, code="3.3", at=AT, title="二") == 3
        assert set_coordination(session=session, code="3.3", reason="需财政支持", at=AT) == 4
        move_task(session=session, code="3.3", offset=-1, at=AT)
        assert held.version == 5 and held.position == 1


# --- move_task --------------------------------------------------------------------------


def test_move_up_and_down_renumbers_densely(engine) -> None:
    before_rev = revision(engine)
    run(engine, lambda s: move_task(session=s, code="3.3", offset=-1, at=AT))
    assert revision(engine) == before_rev + 1
    assert kids(engine, "3") == ["3.1", "3.3", "3.2", "3.4", "3.5"]
    assert [p for _, p in positions(engine, "3")] == [0, 1, 2, 3, 4]
    assert versions(engine, "3.3", "3.2") == {"3.3": 2, "3.2": 1}
    run(engine, lambda s: move_task(session=s, code="3.1", offset=+10, at=AT))
    assert kids(engine, "3") == ["3.3", "3.2", "3.4", "3.5", "3.1"]
    assert [p for _, p in positions(engine, "3")] == [0, 1, 2, 3, 4]
    run(engine, lambda s: move_task(session=s, code="3.4", offset=+1, at=AT))
    assert kids(engine, "3") == ["3.3", "3.2", "3.5", "3.4", "3.1"]


def test_move_at_an_end_is_a_no_op(engine, db_path) -> None:
    before = dump(db_path)
    run(engine, lambda s: move_task(session=s, code="1", offset=-1, at=AT))
    run(engine, lambda s: move_task(session=s, code="7", offset=+1, at=AT))
    run(engine, lambda s: move_task(session=s, code="3.2", offset=0, at=AT))
    assert dump(db_path) == before


def test_move_skips_archived_siblings(engine) -> None:
    report(engine, "3.2.1")
    assert run(engine, lambda s: delete_task(session=s, code="3.2", at=AT)) == "archived"
    assert kids(engine, "3") == ["3.1", "3.3", "3.4", "3.5"]
    assert positions(engine, "3")[-1] == ("3.2", 4)  # archived items go after the live ones
    run(engine, lambda s: move_task(session=s, code="3.5", offset=+1, at=AT))
    assert kids(engine, "3") == ["3.1", "3.3", "3.4", "3.5"]
    run(engine, lambda s: move_task(session=s, code="3.3", offset=-1, at=AT))
    assert kids(engine, "3") == ["3.3", "3.1", "3.4", "3.5"]


# --- reparent_task ----------------------------------------------------------------------


def test_reparent_moves_subtree_to_end_of_new_parent(engine) -> None:
    report(engine, "3.2.1", progress=60)
    before_rev = revision(engine)
    run(engine, lambda s: reparent_task(session=s, code="3.2", new_parent_code="4", at=AT))
    assert revision(engine) == before_rev + 1
    assert kids(engine, "4") == ["4.1", "4.2", "3.2"]
    assert kids(engine, "3.2")[0] == "3.2.1"  # the subtree came along, codes unchanged
    assert [p for _, p in positions(engine, "3")] == [0, 1, 2, 3]
    assert [p for _, p in positions(engine, "4")] == [0, 1, 2]
    assert versions(engine, "3.2", "3.2.1") == {"3.2": 2, "3.2.1": 2}  # 3.2.1 from the report
    assert rollup_of(engine, "3.2") == pytest.approx(10)
    assert rollup_of(engine, "3") == 0
    run(engine, lambda s: reparent_task(session=s, code="3.2", new_parent_code=None, at=AT))
    assert kids(engine, None)[-1] == "3.2"
    assert kids(engine, "4") == ["4.1", "4.2"]


def test_reparent_to_same_parent_is_a_no_op(engine, db_path) -> None:
    before = dump(db_path)
    run(engine, lambda s: reparent_task(session=s, code="3.2", new_parent_code="3", at=AT))
    run(engine, lambda s: reparent_task(session=s, code="5", new_parent_code=None, at=AT))
    assert dump(db_path) == before


@pytest.mark.parametrize(("code", "target"), [("3", "3.2.1"), ("3", "3.2"), ("3.2", "3.2")])
def test_reparent_refuses_cycles(engine, db_path, code: str, target: str) -> None:
    before = dump(db_path)
    with pytest.raises(PlannerError) as caught, session_scope(engine, write=True) as session:
        reparent_task(session=session, code=code, new_parent_code=target, at=AT)
    assert code in caught.value.message("en") and target in caught.value.message("en")
    assert code in caught.value.message("zh") and target in caught.value.message("zh")
    assert dump(db_path) == before


# --- delete_task ------------------------------------------------------------------------


def test_delete_without_history_removes_subtree(engine) -> None:
    before_rev = revision(engine)
    assert run(engine, lambda s: delete_task(session=s, code="2.1", at=AT)) == "deleted"
    assert revision(engine) == before_rev + 1
    assert kids(engine, "2") == ["2.2", "2.3"]
    assert positions(engine, "2") == [("2.2", 0), ("2.3", 1)]
    with session_scope(engine) as session:
        codes = set(session.exec(select(Task.code)).all())
        assert not codes & {"2.1", "2.1.1", "2.1.2", "2.1.3"}
        assert len(codes) == 74
        unit_task_ids = set(session.exec(select(TaskUnit.task_id)).all())
        assert unit_task_ids == set(session.exec(select(Task.id)).all())
    assert run(engine, lambda s: delete_task(session=s, code="3.2.6", at=AT)) == "deleted"
    assert kids(engine, "3.2") == ["3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.2.5"]
    assert rollup_of(engine, "2") == 0


def test_delete_with_progress_history_archives_whole_subtree(engine) -> None:
    report(engine, "2.1.2")
    before_versions = versions(engine, "2", "2.1", "2.1.1", "2.1.2", "2.2.1")
    before_rev = revision(engine)
    assert run(engine, lambda s: delete_task(session=s, code="2", at=AT)) == "archived"
    assert revision(engine) == before_rev + 1
    assert kids(engine, None) == ["1", "3", "4", "5", "6", "7"]
    assert [p for _, p in positions(engine, None)] == [0, 1, 2, 3, 4, 5, 6]
    assert positions(engine, None)[-1] == ("2", 6)
    after = versions(engine, "2", "2.1", "2.1.1", "2.1.2", "2.2.1")
    assert all(after[c] == before_versions[c] + 1 for c in after)
    with session_scope(engine) as session:
        archived = session.exec(select(Task.code).where(Task.archived == True)).all()  # noqa: E712
        assert len(archived) == 9
        assert len(session.exec(select(ProgressUpdate)).all()) == 1
        full = load_tree(session=session, include_archived=True)
        assert [full.nodes[i].code for i in full.kids(full.by_code["2"])] == ["2.1", "2.2", "2.3"]
    assert rollup_of(engine, "1") == 0
    with pytest.raises(PlannerError, match="归档"), session_scope(engine, write=True) as session:
        delete_task(session=session, code="2.1", at=AT)


def test_delete_with_due_change_or_indicator_archives(engine) -> None:
    run(engine, lambda s: change_due(session=s, code="2.3", new_due=date(2026, 6, 30),
                                     reason="立法计划调整", at=AT))
    assert run(engine, lambda s: delete_task(session=s, code="2.3", at=AT)) == "archived"
    assert run(engine, lambda s: delete_task(session=s, code="3.1", at=AT)) == "archived"  # I1
    assert run(engine, lambda s: delete_task(session=s, code="6", at=AT)) == "archived"  # I8 on 6.1
    with session_scope(engine) as session:
        assert len(session.exec(select(DueChange)).all()) == 1
        tree = load_tree(session=session)
        assert "2.3" not in tree.by_code and "3.1" not in tree.by_code
        assert not any(code.startswith("6") for code in tree.by_code)


# --- set_coordination -------------------------------------------------------------------


def test_set_and_clear_coordination(engine) -> None:
    before_rev = revision(engine)
    version = run(engine, lambda s: set_coordination(session=s, code="5.2", at=AT,
                                                     reason=" 需公安厅配合 ", expected_version=1))
    assert version == 2 and revision(engine) == before_rev + 1
    with session_scope(engine) as session:
        node = load_tree(session=session).node("5.2")
        assert (node.needs_coordination, node.coordination_reason) == (True, "需公安厅配合")
    version = run(engine, lambda s: set_coordination(session=s, code="5.2", reason=None, at=AT))
    assert version == 3
    with session_scope(engine) as session:
        node = load_tree(session=session).node("5.2")
        assert (node.needs_coordination, node.coordination_reason) == (False, None)
    assert revision(engine) == before_rev + 2


def test_coordination_with_stale_version_is_a_conflict(engine, db_path) -> None:
    run(engine, lambda s: set_coordination(session=s, code="5.2", reason="甲", at=AT))
    before = dump(db_path)
    with pytest.raises(ConflictError), session_scope(engine, write=True) as session:
        set_coordination(session=session, code="5.2", reason="乙", at=AT, expected_version=1)
    with pytest.raises(ConflictError), session_scope(engine, write=True) as session:
        set_coordination(session=session, code="5.2", reason="甲", at=AT, expected_version=1)
    assert dump(db_path) == before


# --- every refusal writes nothing -------------------------------------------------------


def _add(**kwargs: object) -> Callable[[Session], object]:
    fields: dict[str, object] = {"title": "新事项", "lead": "amr", "parent_code": "3"}
    fields.update(kwargs)
    return lambda s: add_task(session=s, at=AT, **fields)  # type: ignore[arg-type]


def _edit(code: str = "3.1", **kwargs: object) -> Callable[[Session], object]:
    return lambda s: edit_task(session=s, code=code, at=AT, **kwargs)  # type: ignore[arg-type]


REFUSALS: dict[str, tuple[Callable[[Session], object], str]] = {
    "add-empty-title": (_add(title="  "), "title"),
    "add-unknown-lead": (_add(lead="nobody"), "unknown unit"),
    "add-no-lead": (_add(lead=""), "lead"),
    "add-unknown-support": (_add(support=["hhht", "nobody"]), "unknown unit"),
    "add-due-before-start": (_add(start=date(2022, 1, 1), due=date(2021, 1, 1)), "before"),
    "add-start-after-parent-due": (_add(parent_code="1.2", start=date(2022, 1, 1)), "before"),
    "add-zero-weight": (_add(weight=0), "weight"),
    "add-negative-weight": (_add(weight=-1), "weight"),
    "add-nan-weight": (_add(weight=float("nan")), "weight"),
    "add-duplicate-code": (_add(code="2.1"), "in use"),
    "add-empty-code": (_add(code=" "), "code"),
    "add-unknown-parent": (_add(parent_code="9.9"), "no item"),
    "add-unknown-after": (_add(parent_code=None, after_code="9.9"), "no item"),
    "add-after-not-a-child": (_add(parent_code="3", after_code="2.1"), "not a child"),
    "add-archived-parent": (_add(parent_code="4.1"), "archived"),
    "add-under-recurring": (_add(parent_code="7.2.1"), "recurring"),
    "add-under-occurrence": (_add(parent_code="7.2.1@2021-04-20"), "recurring"),
    "edit-empty-title": (_edit(title=" "), "title"),
    "edit-unknown-lead": (_edit(lead="nobody"), "unknown unit"),
    "edit-unknown-support": (_edit(support=["nobody"]), "unknown unit"),
    "edit-start-after-due": (_edit(start=date(2026, 1, 1)), "before"),
    "edit-zero-weight": (_edit(weight=0), "weight"),
    "edit-archived": (_edit("4.1.1", title="x"), "archived"),
    "edit-unknown": (_edit("9.9", title="x"), "no item"),
    "move-archived": (lambda s: move_task(session=s, code="4.1", offset=1, at=AT), "archived"),
    "reparent-archived-item": (
        lambda s: reparent_task(session=s, code="4.1", new_parent_code="3", at=AT), "archived"),
    "reparent-archived-target": (
        lambda s: reparent_task(session=s, code="3.1", new_parent_code="4.1", at=AT), "archived"),
    "reparent-under-recurring": (
        lambda s: reparent_task(session=s, code="3.1", new_parent_code="7.2.3", at=AT),
        "recurring"),
    "reparent-occurrence": (
        lambda s: reparent_task(session=s, code="7.2.1@2021-04-20", new_parent_code="7", at=AT),
        "occurrence"),
    "reparent-unknown-target": (
        lambda s: reparent_task(session=s, code="3.1", new_parent_code="9", at=AT), "no item"),
    "delete-archived": (lambda s: delete_task(session=s, code="4.1.2", at=AT), "archived"),
    "delete-unknown": (lambda s: delete_task(session=s, code="9", at=AT), "no item"),
    "coordination-empty-reason": (
        lambda s: set_coordination(session=s, code="3.1", reason="  ", at=AT), "reason"),
    "coordination-archived": (
        lambda s: set_coordination(session=s, code="4.1", reason="x", at=AT), "archived"),
    "edit-stale": (_edit(title="x", expected_version=7), "changed by someone else"),
    "coordination-stale": (
        lambda s: set_coordination(session=s, code="3.1", reason="x", at=AT, expected_version=0),
        "changed by someone else"),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_refusals_write_nothing(engine, db_path, name: str) -> None:
    report(engine, "4.1.2", progress=10)  # 4.1.1 is done in the file, so 4.1 has history
    assert run(engine, lambda s: delete_task(session=s, code="4.1", at=AT)) == "archived"
    action, english = REFUSALS[name]
    before = dump(db_path)
    with pytest.raises(PlannerError) as caught, session_scope(engine, write=True) as session:
        action(session)
    assert english in caught.value.message("en")
    zh, en = caught.value.msg.render("zh"), caught.value.msg.render("en")
    assert zh and zh != en
    assert dump(db_path) == before
