"""The plan-file import's rows on the DB-API, and the first import into an empty database.

`import_into_empty` fills a database that holds no plan and no unit yet (a new SQLite file:
the benchmark's and a new user's `planner import`) through the DB-API alone, so the run
never loads SQLAlchemy and SQLModel; what it writes, row for row, is what
`plan_file.import_plan` writes into such a database (tests/services/test_plan_rows.py
compares the two). The pieces both write the same way (new tasks' rows, their units,
`implements` links) live here and serve both.
"""

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import uuid4

from planner.core.errors import PlannerError
from planner.core.model import collector_paused
from planner.core.status import Status, settled_progress
from planner.core.text import identity_key, terminal_text
from planner.services.access import actor_for, require_plan_editor
from planner.services.changes import bump_revision, require_open_plan
from planner.services.plan_yaml import PlanSpec, TaskSpec, expand_repeats
from planner.store.dbapi import PLAN_ASKED, Db, encode_list, plan_codes, use_plan
from planner.store.sqlite_new import (
    TASK_COLUMNS,
    TASK_UNIT_COLUMNS,
    insert_rows,
    large_cache,
    once_per_value,
    stored,
)

#: The id a plan file without one gets in a database without plans: the one-plan
#: database's plan, as migration 0008 names it.
UPGRADED_PLAN_CODE = "sw14"
#: Each status's stored text, looked up once per new row rather than read off the enum.
STATUS_VALUES = {status: status.value for status in Status}
IMPLEMENTS = "implements"
"""The kind of the link from an item to the item of another plan it carries out."""


@dataclass(slots=True)
class ImportSummary:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    status_changes: int = 0
    due_changes: int = 0
    units: int = 0
    indicators: int = 0
    codes_changed: list[str] = field(default_factory=list)
    links: bool = False
    """Whether any `implements` link changed."""


class NotEmpty(Exception):
    """The database holds a plan or a unit already (or is no SQLite file on the DB-API
    alone): `import_into_empty` wrote nothing, and the caller imports through
    `plan_file.import_plan`."""


def refuse_lookalike_units(spec: PlanSpec, names: dict[str, str]) -> None:
    """A file unit must not look like another unit of the database (`names`: the stored
    units' names by id): ids and names are compared by `identity_key` (NFKC, zero-width
    characters and extra blanks ignored)."""
    stored_ids = {identity_key(unit_id): unit_id for unit_id in names}
    for unit in spec.units:
        twin = stored_ids.get(identity_key(unit.id))
        if unit.id not in names and twin is not None:
            raise PlannerError("plan_unit_id_look_alike", unit=unit.id, twin=terminal_text(twin),
                               where=unit.where)
    names = names | {unit.id: unit.name for unit in spec.units}
    ids_by_name: dict[str, set[str]] = defaultdict(set)
    for unit_id, name in names.items():
        ids_by_name[identity_key(name)].add(unit_id)
    for unit in spec.units:
        twins = sorted(ids_by_name[identity_key(unit.name)] - {unit.id})
        if twins:
            twin = terminal_text(twins[0])
            raise PlannerError("plan_unit_name_taken", name=unit.name, twin=twin,
                               where=unit.where)


def new_task_rows(created: list[tuple[TaskSpec, int]], at: datetime, ids: dict[str, int],
                  plan_id: int, *, day: Callable[[Any], Any], flag: Callable[[Any], Any],
                  stamp: Callable[[Any], Any]) -> list[tuple[Any, ...]]:
    """The rows (TASK_COLUMNS) of the new tasks (each with its position among its siblings),
    their ids, plan's and parent's included, parents first; dates, flags and timestamps
    converted by `day`, `flag` and `stamp` as the driver takes them."""
    yes, no, now = flag(True), flag(False), stamp(at)
    rows: list[tuple[Any, ...]] = []
    for row, position in created:
        status = row.status or Status.NOT_STARTED
        progress = settled_progress(status, row.progress, current=0.0, code=row.code)
        rows.append((
            ids[row.code], plan_id, row.code, ids[row.parent] if row.parent else None,
            position, row.title, row.description, row.source, day(row.start), day(row.due),
            day(row.original_due or row.due), STATUS_VALUES[status], progress, row.weight,
            row.rollup, row.repeat_rule, row.repeat_duration if row.repeat_rule else None,
            yes if row.generated else no, no if row.coordination is None else yes,
            row.coordination, no, 1, now, now))
    return _parents_first(rows)


def _parents_first(new_rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The new tasks' rows (id first, parent id fourth) with each parent before its
    children, for the foreign key (the file's order already is, but for a `parent:` naming
    an item further down)."""
    placed: set[int] = set()
    for row in new_rows:  # most often they are in order already: checked in one pass
        if row[3] is not None and row[3] not in placed:
            break
        placed.add(row[0])
    else:
        return new_rows
    by_id = {row[0]: row for row in new_rows}
    placed.clear()
    ordered: list[tuple[Any, ...]] = []
    for row in new_rows:
        chain: list[tuple[Any, ...]] = []
        current: tuple[Any, ...] | None = row
        while current is not None and current[0] not in placed:
            chain.append(current)
            placed.add(current[0])
            current = by_id.get(current[3])
        ordered += reversed(chain)
    return ordered


def new_task_units(task_id: int, row: TaskSpec) -> list[tuple[Any, ...]]:
    """The lead/support rows (TASK_UNIT_COLUMNS) of a new task."""
    lead = row.lead or ""
    units: list[tuple[Any, ...]] = [(task_id, lead, "lead", 0)]
    if row.support:
        units += [(task_id, unit, "support", position) for position, unit
                  in enumerate([u for u in row.support if u != lead], 1)]
    return units


def replace_implements(rows: list[TaskSpec], ids: dict[str, int], existing: Collection[str],
                       db: Db, plan_id: int) -> bool:
    """Set the `implements` links of the items whose file entry states them (or new ones;
    `existing`: the codes of the plan's stored items); a reference to a missing plan or item
    is refused at the line and column it is written at, and so is one to an item of this
    same plan. Returns whether any link changed."""
    changed = False
    for row in rows:
        if row.code in existing:
            if "implements" not in row.explicit:
                continue
        elif not row.implements:
            continue  # a new task has no links yet, and gets none
        task_id = ids[row.code]
        wanted: list[int] = []
        for ref, where in row.implements:
            plan_code, _, item_code = ref.partition(":")
            plan_row = db.one("SELECT id FROM plan WHERE code = ?", (plan_code,))
            if plan_row is None:
                raise PlannerError("implements_unknown_plan", plan=plan_code,
                                   plans=plan_codes(db), where=where)
            if int(plan_row[0]) == plan_id:
                raise PlannerError("implements_same_plan", ref=ref, where=where)
            item_row = db.one("SELECT id FROM task WHERE plan_id = ? AND code = ?",
                              (plan_row[0], item_code))
            if item_row is None:
                raise PlannerError("implements_unknown_item", ref=ref, where=where)
            if int(item_row[0]) not in wanted:
                wanted.append(int(item_row[0]))
        current = [target for (target,) in db.rows(
            "SELECT target_id FROM tasklink WHERE task_id = ? AND kind = ? ORDER BY position",
            (task_id, IMPLEMENTS))]
        if current == wanted:
            continue
        db.execute("DELETE FROM tasklink WHERE task_id = ? AND kind = ?", (task_id, IMPLEMENTS))
        for position, target in enumerate(wanted):
            db.execute("INSERT INTO tasklink (task_id, kind, target_id, position) "
                       "VALUES (?, ?, ?, ?)", (task_id, IMPLEMENTS, target, position))
        changed = True
    return changed


def import_into_empty(spec: PlanSpec, db: Db, *, at: datetime,
                      by_user: str | None = None) -> ImportSummary:
    """`plan_file.import_plan` into a SQLite database without plans or units, opened on the
    DB-API alone (NotEmpty, nothing written, otherwise), in the caller's transaction: the
    plan, its units, every item as new, its indicators and links, with the same checks,
    errors and rows. The cyclic garbage collector pauses meanwhile (see
    `collector_paused`)."""
    with collector_paused():
        if db.backend != "sqlite" or db.session is not None or any(
                db.one(f"SELECT 1 FROM {table} LIMIT 1")
                for table in ("plan", "unit", "unitgroup", "unitalias")):
            raise NotEmpty
        actor = actor_for(db, by_user)
        require_plan_editor(db, actor)
        summary = ImportSummary(units=len(spec.units), indicators=len(spec.indicators))
        refuse_lookalike_units(spec, {})
        plan_id = _insert_plan(spec, db)
        _insert_units(spec, db)
        rows = expand_repeats(spec)
        positions: dict[str | None, int] = defaultdict(int)
        created: list[tuple[TaskSpec, int]] = []
        for row in rows:
            created.append((row, positions[row.parent]))
            positions[row.parent] += 1
        summary.created = len(created)
        top = db.one("SELECT max(id) FROM task")[0] or 0  # type: ignore[index]  # an aggregate: one row
        ids = {row.code: top + number for number, (row, _) in enumerate(created, 1)}
        with large_cache(db.rows):
            day = once_per_value(stored)
            insert_rows(db, "task", TASK_COLUMNS, new_task_rows(
                created, at, ids, plan_id, day=day, flag=stored, stamp=stored))
            insert_rows(db, "taskunit", TASK_UNIT_COLUMNS,
                        [unit for row in rows for unit in new_task_units(ids[row.code], row)])
            _insert_indicators(spec, ids, db, at, actor.name, plan_id)
            summary.links = replace_implements(rows, ids, (), db, plan_id)
            if summary.created or summary.links:
                bump_revision(session=db)
        return summary


def _insert_plan(spec: PlanSpec, db: Db) -> int:
    """The file's plan as the database's first (and current) plan; the transaction works on
    it from now on. Returns its database id."""
    asked = db.info.get(PLAN_ASKED)
    if spec.plan_id is not None and asked is not None and spec.plan_id != asked:
        raise PlannerError("plan_file_other_plan", plan=spec.plan_id, asked=asked,
                           where=spec.where)
    if spec.parent is not None:
        raise PlannerError("plan_unknown_parent", parent=spec.parent, where=spec.where)
    values = {"code": spec.plan_id or asked or UPGRADED_PLAN_CODE,
              "kind": spec.kind or "five-year", "parent_id": None, "state": "open",
              "current": True, "title": spec.title, "start": spec.start, "end": spec.end,
              "report_cycle": spec.report_cycle, "rollup": spec.rollup,
              "tolerance": float(spec.tolerance), "due_soon_days": spec.due_soon_days,
              "source": spec.source, "revision": 0, "uid": uuid4().hex,
              "acknowledge_days": spec.acknowledge_days, "review": spec.review,
              "follow_annual": spec.follow_annual}
    _insert(db, "plan", values)
    plan_id = int(db.one("SELECT last_insert_rowid()")[0])  # type: ignore[index]  # always one row
    use_plan(db, plan_id)
    require_open_plan(session=db)
    return plan_id


def _insert_units(spec: PlanSpec, db: Db) -> None:
    """The file's units (in file order), their aliases and the unit groups."""
    for position, unit in enumerate(spec.units):
        _insert(db, "unit", {"id": unit.id, "name": unit.name, "kind": unit.kind,
                             "position": position})
    for unit in spec.units:
        for position, alias in enumerate(unit.aliases):
            _insert(db, "unitalias", {"name": alias, "unit_id": unit.id, "position": position})
    for position, group in enumerate(spec.groups):
        _insert(db, "unitgroup", {"id": group.id, "name": group.name,
                                  "members": encode_list(group.members),
                                  "aliases": encode_list(group.aliases), "position": position})


def _insert_indicators(spec: PlanSpec, ids: dict[str, int], db: Db, at: datetime,
                       by_user: str | None, plan_id: int) -> None:
    """The file's indicators (in file order), their year targets and readings."""
    for position, indicator in enumerate(spec.indicators):
        _insert(db, "indicator", {
            "plan_id": plan_id, "code": indicator.code, "name": indicator.name,
            "measure": indicator.unit, "baseline": indicator.baseline,
            "target": indicator.target, "direction": indicator.direction,
            "task_id": ids[indicator.task] if indicator.task else None, "position": position,
            "note": indicator.note})
        indicator_id = db.one("SELECT last_insert_rowid()")[0]  # type: ignore[index]  # always one row
        for year, value in sorted(indicator.targets.items()):
            _insert(db, "indicatortarget", {"indicator_id": indicator_id, "year": year,
                                            "value": value})
        for reading in indicator.readings:
            _insert(db, "indicatorreading", {
                "indicator_id": indicator_id, "on": reading.on, "value": reading.value,
                "source": reading.source, "recorded_at": at, "by_user": by_user})


def _insert(db: Db, table: str, values: dict[str, Any]) -> None:
    """One row of `table` (a SQLite transaction), values stored as the ORM stores them."""
    names = ", ".join(f'"{name}"' for name in values)
    db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(values))})',
               [stored(value) for value in values.values()])
