"""A synthetic plan of any size (national rollouts down to counties), for benchmarks and tests."""

import random
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from planner.core.status import Status
from planner.services.plan_yaml import PlanSpec, TaskSpec, UnitSpec

#: The weekly report's week (ISO 2023-W26, Monday to Sunday 2 July), read on its Friday.
WEEK_START = date(2023, 6, 26)
REPORT_TODAY = date(2023, 6, 30)

AREAS = ("打基础提能力", "强化顶层设计", "加强体系建设", "企业创新发展", "强化执法保护",
         "提升创新能力", "一带一路合作")
LEAGUES = ("呼和浩特市", "包头市", "呼伦贝尔市", "兴安盟", "通辽市", "赤峰市", "锡林郭勒盟",
           "乌兰察布市", "鄂尔多斯市", "巴彦淖尔市", "乌海市", "阿拉善盟")
PLAN_START, PLAN_END = date(2021, 1, 1), date(2025, 12, 31)


def synthetic_units() -> list[UnitSpec]:
    """35 joint-meeting departments and the 12 leagues/cities: 47 units."""
    departments = [UnitSpec(f"d{i:02d}", f"联席会议成员单位{i:02d}", "department", "")
                   for i in range(1, 36)]
    leagues = [UnitSpec(f"l{i:02d}", name, "league", "") for i, name in enumerate(LEAGUES, 1)]
    return departments + leagues


def synthetic_plan(item_count: int, *, seed: int = 14, branching: int = 10) -> PlanSpec:
    """A plan of `item_count` items: 7 areas, then `branching` children a node, breadth first."""
    rng = random.Random(seed)
    units = synthetic_units()
    unit_ids = [unit.id for unit in units]
    tasks: list[TaskSpec] = []
    frontier: list[TaskSpec] = []
    for index, area in enumerate(AREAS[: max(1, min(7, item_count))], 1):
        task = TaskSpec(code=str(index), title=f"围绕{area}的重点任务", where="",
                        lead=unit_ids[0], start=PLAN_START, due=PLAN_END)
        tasks.append(task)
        frontier.append(task)
    cursor = 0
    while len(tasks) < item_count:
        parent = frontier[cursor]
        cursor += 1
        for child_index in range(1, branching + 1):
            if len(tasks) == item_count:
                break
            start = PLAN_START + timedelta(days=rng.randrange(0, 1200))
            due = start + timedelta(days=rng.randrange(30, 600))
            status = rng.choices(list(Status), weights=(30, 40, 5, 15, 8, 2))[0]
            progress = {Status.NOT_STARTED: 0.0, Status.DONE: 100.0, Status.CLOSED: 100.0}.get(
                status, float(rng.randrange(0, 100)))
            task = TaskSpec(
                code=f"{parent.code}.{child_index}",
                title=f"{parent.title[:12]}·分解事项{child_index}",
                where="", parent=parent.code, lead=rng.choice(unit_ids),
                support=rng.sample(unit_ids, rng.randrange(0, 3)), start=start, due=due,
                status=status, progress=progress, weight=float(rng.randrange(1, 4)),
                source="一是……（合成数据）",
            )
            tasks.append(task)
            frontier.append(task)
    parents = {task.parent for task in tasks}
    for task in tasks:
        if task.code in parents:
            task.status = task.progress = None
    return PlanSpec(title=f"合成计划（{item_count}项）", start=PLAN_START, end=PLAN_END,
                    report_cycle="weekly", rollup="weighted", tolerance=10, due_soon_days=14,
                    source=None, units=units, tasks=tasks, indicators=[])


def plan_database(path: Path, item_count: int) -> None:
    """A SQLite file holding `synthetic_plan(item_count)` (services import, one transaction)."""
    from planner.services.plan_file import import_plan
    from planner.store.db import create_schema, make_engine, session_scope

    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with session_scope(engine, write=True) as session:
        import_plan(synthetic_plan(item_count), session=session, origin="synthetic",
                    at=datetime(2023, 6, 1, 9, 0).astimezone())
    engine.dispose()


def plans_database(path: Path, plan_count: int, item_count: int) -> None:
    """A SQLite file holding `plan_count` plans `p01`, `p02`, … of `synthetic_plan(item_count)`
    each (the same codes in every plan), `p01` the current one, every plan's stored rollups
    current (as after one `planner tree` of it)."""
    from dataclasses import replace

    from planner.services.plan_file import import_plan
    from planner.services.rollups import refresh_rollups
    from planner.store.db import create_schema, make_engine, session_scope
    from planner.store.dbapi import Db

    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    spec = synthetic_plan(item_count)
    for number in range(1, plan_count + 1):
        with session_scope(engine, write=True) as session:
            import_plan(replace(spec, plan_id=f"p{number:02d}"), session=session,
                        origin="synthetic", at=datetime(2023, 6, 1, 9, 0).astimezone(),
                        new_plan=True)
            refresh_rollups(Db.of_session(session), today=date.fromisoformat(PLANS_TODAY))
    engine.dispose()


#: The day `plans_database` stores its rollups as of (the benchmark's --today).
PLANS_TODAY = "2023-06-30"


def weekly_database(path: Path, item_count: int, updates: int, batches: int = 4) -> None:
    """A synthetic plan with `updates` reports on evenly spread leaves during WEEK_START's
    week, entered as the units would (status moves, progress, notes only on closed items)."""
    from planner.services.updates import record_update
    from planner.store.db import make_engine, session_scope

    plan_database(path, item_count)
    spec = synthetic_plan(item_count)
    parents = {task.parent for task in spec.tasks}
    leaves = [task for task in spec.tasks if task.code not in parents]
    step = len(leaves) / updates
    chosen = [leaves[int(index * step)] for index in range(updates)]
    engine = make_engine(f"sqlite:///{path}")
    per_batch = -(-updates // batches)
    for batch in range(batches):
        with session_scope(engine, write=True) as session:
            for index in range(batch * per_batch, min(updates, (batch + 1) * per_batch)):
                task = chosen[index]
                day = WEEK_START + timedelta(days=index % 5)
                at = datetime.combine(day, clock(9 + index % 8, index % 60)).astimezone()
                status = task.status or Status.NOT_STARTED
                new_status = None
                progress: float | None = min(100.0, float(task.progress or 0) + 5 + index % 20)
                if status == Status.NOT_STARTED:
                    new_status = Status.IN_PROGRESS
                elif status == Status.IN_PROGRESS and index % 10 == 0:
                    new_status, progress = Status.DONE, 100.0
                elif status != Status.IN_PROGRESS:
                    progress = None  # a note only: the unit reports without changing figures
                record_update(session=session, code=task.code, at=at, status=new_status,
                              progress=progress, by_unit=task.lead,
                              note=f"第{index + 1}条进展：已按计划推进，形成阶段性成果")
    engine.dispose()
