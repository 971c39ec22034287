"""A synthetic plan of any size (national rollouts down to counties), for benchmarks and tests."""

import random
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from planner.core.status import Status
from planner.services.plan_yaml import PlanSpec, TaskSpec, UnitSpec

#: The weekly report's week (ISO 2023-W26, Monday to Sunday 2 July), read on its Friday.
WEEK_START = date(2023, 6, 26)
#: The statuses a synthetic item is given (none is carried over: that needs a next plan).
SYNTHETIC_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED, Status.DONE,
                      Status.CLOSED, Status.CANCELLED)
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
            status = rng.choices(SYNTHETIC_STATUSES, weights=(30, 40, 5, 15, 8, 2))[0]
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


#: Responsibility clauses and time limits for the intake document, cycled through: every
#: clause form, aliases, 各盟市 (split into 12), `X人民政府`, every time-limit form.
INTAKE_CLAUSES = ("自治区市场监管局（知识产权局）负责", "自治区公安厅、自治区司法厅负责",
                  "自治区知识产权局牵头，自治区科技厅、自治区财政厅配合",
                  "自治区高院、自治区检察院按职责分别负责", "自治区科技厅、自治区财政厅等部门负责",
                  "各盟市负责", "自治区公安厅、各盟市人民政府负责", "包头市人民政府负责")
INTAKE_LIMITS = ("2026年6月底前完成。", "上半年完成。", "三季度末前完成。", "年底前完成。",
                 "长期坚持。", "每季度调度一次。", "9月30日前报送。", "")


def intake_docx(path: Path, item_count: int) -> None:
    """A 推进计划 of `item_count` numbered items as a .docx: 10 areas of 5 groups, items
    numbered on across them, each ending in a clause (python-docx writes it)."""
    import docx

    document = docx.Document()
    document.add_paragraph("2026年内蒙古自治区知识产权强国建设推进计划")
    document.add_paragraph("为深入实施知识产权强国建设纲要，制定本计划。")
    numerals = "一二三四五六七八九十"
    per_group = max(1, item_count // 50)
    number = 0
    for area in range(10):
        document.add_paragraph(f"{numerals[area]}、第{area + 1}方面重点工作")
        for group in range(5):
            document.add_paragraph(f"（{numerals[group]}）第{group + 1}组任务")
            for _ in range(per_group):
                if number == item_count:
                    break
                number += 1
                document.add_paragraph(
                    f"{number}. 推进中国（内蒙古）知识产权保护中心第{number}项工作，"
                    f"{INTAKE_LIMITS[number % len(INTAKE_LIMITS)]}"
                    f"（{INTAKE_CLAUSES[number % len(INTAKE_CLAUSES)]}）")
    document.save(str(path))
#: The year `planner assess` scores in the benchmark.
ASSESS_YEAR = 2023


def assessment_database(path: Path, item_count: int, event_count: int, *, seed: int = 16) -> None:
    """A synthetic plan with `event_count` recorded events in ASSESS_YEAR: nine in ten are
    progress updates (status moves as a unit would make them, some reported by a supporting
    unit), the rest deadline moves and supervision-cycle steps. The history is written
    straight into the tables (the services would take minutes for half a million rows);
    the items' own statuses are left as imported."""
    import sqlite3

    plan_database(path, item_count)
    rng = random.Random(seed)
    with sqlite3.connect(path) as connection:
        leaves = connection.execute(
            "SELECT t.id, t.due, lead.unit_id FROM task AS t JOIN taskunit AS lead "
            "ON lead.task_id = t.id AND lead.role = 'lead' WHERE NOT EXISTS "
            "(SELECT 1 FROM task AS c WHERE c.parent_id = t.id)").fetchall()
        units = [unit for (unit,) in connection.execute("SELECT id FROM unit")]
        year_start = datetime(ASSESS_YEAR, 1, 1, 8, 0)
        seconds = 364 * 24 * 3600

        def stamp() -> str:
            return f"{year_start + timedelta(seconds=rng.randrange(seconds)):%Y-%m-%d %H:%M:%S.%f}"

        moves = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.DONE,
                 Status.IN_PROGRESS, Status.CLOSED]
        updates, due_moves, steps = [], [], []
        for _ in range(event_count * 9 // 10):
            task_id, _due, lead = rng.choice(leaves)
            step = rng.randrange(len(moves) - 1)
            by_unit = lead if rng.random() < 0.9 else rng.choice(units)
            updates.append((task_id, stamp(), by_unit, "bench", moves[step].value,
                            moves[step + 1].value, 10.0 * step, 10.0 * step + 10, "进展"))
        for _ in range(event_count // 20):
            task_id, due, _lead = rng.choice(leaves)
            old = date.fromisoformat(due)
            due_moves.append((task_id, stamp(), old.isoformat(),
                              (old + timedelta(days=rng.randrange(-10, 90))).isoformat(),
                              "调整", "bench"))
        kinds = ("assign", "ack", "return", "urge", "done_send_back")
        for _ in range(event_count - len(updates) - len(due_moves)):
            task_id, _due, lead = rng.choice(leaves)
            kind = rng.choice(kinds)
            steps.append((task_id, kind, stamp(), "bench", lead if kind == "return" else None,
                          lead if rng.random() < 0.8 else rng.choice(units)))
        connection.executemany(
            "INSERT INTO progressupdate (task_id, at, by_unit, by_user, old_status, new_status, "
            "old_progress, new_progress, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", updates)
        connection.executemany(
            "INSERT INTO duechange (task_id, at, old_due, new_due, reason, by_user) "
            "VALUES (?, ?, ?, ?, ?, ?)", due_moves)
        connection.executemany(
            "INSERT INTO cycleevent (task_id, kind, at, by_user, by_unit, unit_id) "
            "VALUES (?, ?, ?, ?, ?, ?)", steps)
