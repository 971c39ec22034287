"""The reads of `planner export` (the plan file) on the DB-API (store/dbapi.py).

A 100,000-item plan is 300,000 task and unit-role rows; built as ORM objects they took
longer than writing the file. These reads give plain rows, decoded as the ORM decodes them
(dates as dates), and import neither SQLAlchemy nor SQLModel, so that `planner export` of a
SQLite file opens it through `sqlite3` alone.
"""

from dataclasses import dataclass
from datetime import date

from planner.core.errors import PlannerError
from planner.store.dbapi import Db, day, decode_list, plan_scope


@dataclass(slots=True)
class PlanRow:
    """The plan's own settings, with its parent plan's code."""

    code: str
    kind: str
    parent_code: str | None
    has_parent: bool
    title: str
    start: date
    end: date
    report_cycle: str
    rollup: str
    tolerance: float
    due_soon_days: int
    source: str | None
    follow_annual: bool
    acknowledge_days: int
    review: bool


@dataclass(slots=True)
class TaskRow:
    """What the plan file says of an item (the attributes of `models.Task` it reads)."""

    id: int
    parent_id: int | None
    position: int
    code: str
    title: str
    description: str | None
    source: str | None
    start: date
    due: date
    original_due: date
    status: str
    progress: float
    weight: float
    rollup_rule: str | None
    repeat_rule: str | None
    repeat_duration: int | None
    needs_coordination: bool
    coordination_reason: str | None


@dataclass(slots=True)
class GroupRow:
    """A unit group with its members and aliases in order."""

    id: str
    name: str
    members: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(slots=True)
class IndicatorRow:
    """An indicator of the plan, with the code of its item, its yearly targets (by year, in
    order) and its readings (date, value, source; by date)."""

    code: str
    name: str
    measure: str
    baseline: float
    target: float | None
    direction: str
    task_code: str | None
    note: str | None
    targets: dict[int, float]
    readings: list[tuple[date, float, str | None]]


def read_plan_row(db: Db) -> PlanRow:
    """The plan the transaction works on (`plan_scope`); a PlannerError when the database
    holds no plan."""
    if db.one("SELECT 1 FROM plan") is None:
        raise PlannerError("plan_no_plan")
    row = db.one('SELECT p.code, p.kind, o.code, p.parent_id, p.title, p.start, p."end", '
                 "p.report_cycle, p.rollup, p.tolerance, p.due_soon_days, p.source, "
                 "p.follow_annual, p.acknowledge_days, p.review FROM plan AS p "
                 "LEFT OUTER JOIN plan AS o ON o.id = p.parent_id WHERE p.id = ?",
                 (plan_scope(db),))
    if row is None:
        raise PlannerError("db_no_plan")
    (code, kind, parent_code, parent_id, title, start, end, cycle, rollup, tolerance,
     due_soon_days, source, follow_annual, acknowledge_days, review) = row
    return PlanRow(code, kind, parent_code, parent_id is not None, title,
                   day(start), day(end), cycle, rollup, tolerance,  # type: ignore[arg-type]  # NOT NULL
                   due_soon_days, source, bool(follow_annual), acknowledge_days, bool(review))


def read_units(db: Db) -> list[tuple[str, str, str, list[str]]]:
    """Every unit (id, name, kind, aliases), in file order."""
    aliases: dict[str, list[str]] = {}
    for unit_id, name in db.rows("SELECT unit_id, name FROM unitalias "
                                 "ORDER BY unit_id, position"):
        aliases.setdefault(unit_id, []).append(name)
    return [(unit_id, name, kind, aliases.get(unit_id, []))
            for unit_id, name, kind in db.rows("SELECT id, name, kind FROM unit "
                                               "ORDER BY position, id")]


def read_groups(db: Db) -> list[GroupRow]:
    """Every unit group, in file order."""
    return [GroupRow(group_id, name, decode_list(members), decode_list(aliases))
            for group_id, name, members, aliases in db.rows(
                "SELECT id, name, members, aliases FROM unitgroup ORDER BY position, id")]


def read_plan_tasks(db: Db, plan_id: int) -> list[TaskRow]:
    """The plan's items that are not archived, in no particular order."""
    return [TaskRow(task_id, parent_id, position, code, title, description, source,
                    day(start), day(due), day(original_due),  # type: ignore[arg-type]  # NOT NULL
                    status, progress, weight, rollup_rule, repeat_rule, repeat_duration,
                    bool(needs_coordination), coordination_reason)
            for (task_id, parent_id, position, code, title, description, source, start, due,
                 original_due, status, progress, weight, rollup_rule, repeat_rule,
                 repeat_duration, needs_coordination, coordination_reason) in db.rows(
                "SELECT id, parent_id, position, code, title, description, source, start, "
                "due, original_due, status, progress, weight, rollup_rule, repeat_rule, "
                "repeat_duration, needs_coordination, coordination_reason FROM task "
                "WHERE NOT archived AND plan_id = ?", (plan_id,))]


def read_plan_roles(db: Db, plan_id: int) -> list[tuple[int, str, str]]:
    """(task id, unit id, role) of the plan's items, each item's in order."""
    return db.rows("SELECT task_id, unit_id, role FROM taskunit WHERE task_id IN "
                   "(SELECT id FROM task WHERE plan_id = ?) ORDER BY position", (plan_id,))


def read_plan_implements(db: Db, plan_id: int) -> list[tuple[int, str]]:
    """(task id, `PLAN:CODE` of the item it carries out) of the plan's items, in order."""
    return [(task_id, f"{plan_code}:{item_code}") for task_id, plan_code, item_code in db.rows(
        "SELECT l.task_id, p.code, o.code FROM tasklink AS l JOIN task AS t "
        "ON t.id = l.task_id JOIN task AS o ON o.id = l.target_id JOIN plan AS p "
        "ON p.id = o.plan_id WHERE t.plan_id = ? AND l.kind = 'implements' ORDER BY l.position",
        (plan_id,))]


def read_plan_indicators(db: Db, plan_id: int) -> list[IndicatorRow]:
    """The plan's indicators in file order, with their targets and readings."""
    indicators: dict[int, IndicatorRow] = {}
    for (indicator_id, code, name, measure, baseline, target, direction, task_code,
         note) in db.rows(
            "SELECT i.id, i.code, i.name, i.measure, i.baseline, i.target, i.direction, "
            "t.code, i.note FROM indicator AS i LEFT OUTER JOIN task AS t "
            "ON t.id = i.task_id WHERE i.plan_id = ? ORDER BY i.position, i.code",
            (plan_id,)):
        indicators[indicator_id] = IndicatorRow(code, name, measure, baseline, target,
                                                direction, task_code, note, {}, [])
    if not indicators:
        return []
    for indicator_id, year, value in db.rows(
            "SELECT r.indicator_id, r.year, r.value FROM indicatortarget AS r JOIN indicator "
            "AS i ON i.id = r.indicator_id WHERE i.plan_id = ? ORDER BY r.year", (plan_id,)):
        indicators[indicator_id].targets[year] = value
    for indicator_id, on, value, source in db.rows(
            'SELECT r.indicator_id, r."on", r.value, r.source FROM indicatorreading AS r '

            "JOIN indicator AS i ON i.id = r.indicator_id WHERE i.plan_id = ? "
            'ORDER BY r."on", r.id', (plan_id,)):
        indicators[indicator_id].readings.append((day(on), value, source))  # type: ignore[arg-type]  # NOT NULL
    return list(indicators.values())
