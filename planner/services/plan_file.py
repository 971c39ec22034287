"""Import (merge by code, atomic) of the plan file; its export is services/plan_export.py."""

from collections import defaultdict
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from planner.core.errors import PlannerError
from planner.core.model import collector_paused
from planner.core.status import Status
from planner.core.text import identity_key, terminal_text
from planner.services.access import actor_for, require_plan_editor
from planner.services.changes import bump_revision, require_open_plan
from planner.services.plan_rows import (
    UPGRADED_PLAN_CODE,
    ImportSummary,
    new_task_rows,
    new_task_units,
    refuse_lookalike_units,
    replace_implements,
)
from planner.services.plan_yaml import PlanSpec, TaskSpec

# Reading and checking a plan file needs no SQL: these live in plan_yaml (which `planner
# validate` imports alone) and are named here too, beside the import they feed.
from planner.services.plan_yaml import expand_repeats as expand_repeats
from planner.services.plan_yaml import load_plan_file as load_plan_file
from planner.services.updates import history_entry, next_state
from planner.store.bulk import (
    bulk_writing,
    new_task_ids,
    set_parents,
    task_rows,
    task_unit_rows,
)
from planner.store.dbapi import PLAN_ASKED, Db, plan_scope, use_plan
from planner.store.models import (
    DueChange,
    Indicator,
    IndicatorReading,
    IndicatorTarget,
    Plan,
    Task,
    TaskUnit,
    Unit,
    UnitAlias,
    UnitGroup,
    encode_list,
    saved_id,
)
from planner.store.queries import session_plan


def bundled_plan_path() -> Path:
    """The plan file shipped inside the package (a copy of the repository's tasks.yaml), so
    `planner init` works after `pip install` outside the repository. Packages are installed
    as directories, never zipped, so the resource is a real file."""
    return Path(str(resources.files("planner") / "data" / "tasks.yaml"))


def import_plan(spec: PlanSpec, *, session: Session, origin: str, at: datetime,
                by_user: str | None = None, new_plan: bool = False) -> ImportSummary:
    """Merge the file into the database by code, in the caller's transaction.

    The plan merged into is the one the file names (`plan.id`); a file without an id merges
    into the session's plan (`--plan`, else the current plan). Into a database without
    plans the file's plan is created (named `sw14` when the file has no id, as an upgraded
    one-plan database's plan is). With `new_plan` (`planner plans add`) the plan must be
    new and have an id (the file's, else the one asked for with `--plan`). Only an open
    plan is merged into; the session works on that plan afterwards.

    New items are created; for existing items what the file states wins and what it leaves
    out keeps its stored value. Status and progress changes become history entries and must
    follow the allowed transitions; due-date changes are recorded with their reason. Items
    the file does not mention are left alone: an import never deletes history. Only a
    coordinator imports; history entries record the acting user. The cyclic garbage
    collector pauses meanwhile (see `collector_paused`).
    """
    with collector_paused():
        return _import_plan(spec, session=session, origin=origin, at=at, by_user=by_user,
                            new_plan=new_plan)


def _import_plan(spec: PlanSpec, *, session: Session, origin: str, at: datetime,
                 by_user: str | None, new_plan: bool) -> ImportSummary:
    actor = actor_for(session, by_user)
    require_plan_editor(session, actor)
    by_user = actor.name
    summary = ImportSummary(units=len(spec.units), indicators=len(spec.indicators))
    _refuse_lookalike_units(spec, session)
    plan_id = _upsert_plan(spec, session, new_plan=new_plan)
    _upsert_units(spec, session)
    rows = expand_repeats(spec)
    existing = {task.code: task for task in session.exec(select(Task).where(
        Task.plan_id == plan_id))}
    parents = set(session.exec(select(Task.parent_id).where(
        Task.parent_id != None, Task.archived == False,  # noqa: E711, E712
        Task.plan_id == plan_id).distinct()).all())
    positions: dict[str | None, int] = defaultdict(int)
    created: list[tuple[TaskSpec, int]] = []
    note = f"导入 {origin}"
    for row in rows:
        position = positions[row.parent]
        positions[row.parent] += 1
        task = existing.get(row.code)
        if task is None:
            created.append((row, position))
            summary.created += 1
            continue
        if _merge_task(task, row, position, session=session, at=at, by_user=by_user,
                       note=note, summary=summary, has_children=task.id in parents):
            summary.updated += 1
            summary.codes_changed.append(row.code)
        else:
            summary.unchanged += 1
    for code in _archive_stale_occurrences(rows, existing, session=session, at=at):
        summary.updated += 1
        summary.codes_changed.append(code)
    session.flush()
    ids = {code: saved_id(task) for code, task in existing.items()}
    ids.update(zip([row.code for row, _ in created], new_task_ids(session, len(created)),
                   strict=True))
    with bulk_writing(session):
        _insert_new_tasks(created, at, ids, plan_id, session)
        return _finish_import(spec, rows, existing, ids, summary, session=session, at=at,
                              by_user=by_user, plan_id=plan_id)


def _finish_import(spec: PlanSpec, rows: list[TaskSpec], existing: dict[str, Task],
                   ids: dict[str, int], summary: ImportSummary, *, session: Session,
                   at: datetime, by_user: str | None, plan_id: int) -> ImportSummary:
    """After the new tasks are in: moves, units, version bumps, indicators, links."""
    parent_updates: list[tuple[int, int | None]] = []
    moved = set()
    for row in rows:
        old = existing.get(row.code)
        if old is not None and old.parent_id != (parent_id := ids[row.parent] if row.parent
                                                 else None):
            parent_updates.append((ids[row.code], parent_id))
            moved.add(row.code)
    set_parents(session, parent_updates)
    regrouped = _replace_units(rows, existing, ids, session)
    # Moves and new units are changes too: bump the version so a form opened before the
    # import cannot save its stale owners over them.
    restructured = sorted((moved | regrouped) - set(summary.codes_changed))
    if restructured:
        session.execute(update(Task).where(col(Task.code).in_(restructured),
                                           col(Task.plan_id) == plan_id)
                        .values(version=Task.version + 1, updated_at=at)
                        .execution_options(synchronize_session=False))
    for code in restructured:
        summary.updated += 1
        summary.unchanged -= 1
        summary.codes_changed.append(code)
    _upsert_indicators(spec, ids, session, at, by_user, plan_id)
    if replace_implements(rows, ids, existing, Db.of_session(session), plan_id):
        summary.links = True
    if summary.created or summary.updated or summary.links:
        bump_revision(session=session)
    session.flush()
    session.expire_all()
    return summary


def _insert_new_tasks(created: list[tuple[TaskSpec, int]], at: datetime, ids: dict[str, int],
                      plan_id: int, session: Session) -> None:
    """Insert the new tasks (`plan_rows.new_task_rows`): one row tuple each, one
    executemany."""
    shape = task_rows(session)
    shape.insert(new_task_rows(created, at, ids, plan_id, day=shape.converter("start"),
                               flag=shape.converter("generated"),
                               stamp=shape.converter("created_at")))


def _merge_task(task: Task, row: TaskSpec, position: int, *, session: Session, at: datetime,
                by_user: str | None, note: str, summary: ImportSummary,
                has_children: bool) -> bool:
    """Apply what the file states to an existing task; True when anything changed."""
    changed = False

    def put(attribute: str, value: Any) -> None:
        nonlocal changed
        if getattr(task, attribute) != value:
            setattr(task, attribute, value)
            changed = True

    put("title", row.title)
    put("position", position)
    put("archived", False)
    put("generated", row.generated)
    if row.repeat_rule or task.repeat_rule:
        put("repeat_rule", row.repeat_rule)
        put("repeat_duration", row.repeat_duration if row.repeat_rule else None)
    for key, attribute in (("description", "description"), ("source", "source"),
                           ("weight", "weight"), ("rollup", "rollup_rule"),
                           ("start", "start")):
        if key in row.explicit or row.generated:
            put(attribute, getattr(row, key))
    if "coordination" in row.explicit:
        put("needs_coordination", row.coordination is not None)
        put("coordination_reason", row.coordination)
    # An occurrence's generated due wins only when the rule moved it (not over a due moved
    # by `planner update --due`); the new schedule is then its original due too.
    rescheduled = (row.generated and "due" not in row.explicit
                   and row.due != task.original_due)
    if rescheduled:
        put("original_due", row.due)
    if ("due" in row.explicit or rescheduled) and row.due != task.due:
        if row.due < task.start:  # type: ignore[operator]  # the parser gives every item a due
            raise PlannerError("plan_due_before_start", due=row.due, start=task.start,
                               where=f"{row.where} ({row.code})")
        session.add(DueChange(task_id=saved_id(task), at=at, old_due=task.due, new_due=row.due,  # type: ignore[arg-type]  # the parser gives every item a due
                              reason=row.due_reason or f"按{note}调整", by_user=by_user))
        put("due", row.due)
        summary.due_changes += 1
    if task.due < task.start:
        raise PlannerError("plan_start_after_due", start=task.start, due=task.due,
                           where=f"{row.where} ({row.code})")
    try:  # the rules of services/updates.record_update, on the task already in hand
        new_status, new_progress = next_state(row.code, Status(task.status), task.progress,
                                              row.status, row.progress,
                                              has_children=has_children)
    except PlannerError as exc:
        raise PlannerError("message", message=exc.msg, where=f"{row.where} ({row.code})") from None
    if new_status.value != task.status or new_progress != task.progress:
        session.add(history_entry(task, at, new_status, new_progress, note=note, by_unit=None,
                                  by_user=by_user))
        put("status", new_status.value)
        put("progress", new_progress)
        summary.status_changes += 1
    if changed:
        task.version += 1
        task.updated_at = at
        session.add(task)
    return changed


def _archive_stale_occurrences(rows: list[TaskSpec], existing: dict[str, Task], *,
                               session: Session, at: datetime) -> list[str]:
    """Archive (never delete) the occurrences a recurring item's rule no longer generates,
    so that an export of the database stays importable; returns their codes."""
    codes = {row.code for row in rows}
    recurring_ids = {existing[row.code].id for row in rows
                     if row.repeat_rule and row.code in existing}
    archived: list[str] = []
    for task in existing.values():
        if (task.generated and not task.archived and task.parent_id in recurring_ids
                and task.code not in codes):
            task.archived = True
            task.version += 1
            task.updated_at = at
            session.add(task)
            archived.append(task.code)
    return archived


def _replace_units(rows: list[TaskSpec], existing: dict[str, Task], ids: dict[str, int],
                   session: Session) -> set[str]:
    """Set lead/support rows where the file states them (or for new tasks); returns the codes
    of existing tasks whose units changed."""
    current: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if existing:
        plan_tasks = select(Task.id).where(Task.plan_id == session_plan(session))
        for task_id, unit_id, role in session.execute(
            select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role)
            .where(col(TaskUnit.task_id).in_(plan_tasks)).order_by(col(TaskUnit.position))
        ):
            current[task_id].append((unit_id, role))
    stale: list[int] = []
    fresh: list[tuple[str | int, ...]] = []  # (task id, unit id, role, position)
    for row in rows:
        task_id = ids[row.code]
        if row.code not in existing:  # what the general case below gives a task without units
            fresh += new_task_units(task_id, row)
            continue
        wanted = list(current[task_id])
        if "lead" in row.explicit or row.generated:
            wanted = [(u, r) for u, r in wanted if r != "lead" and u != row.lead]
            wanted.insert(0, (row.lead or "", "lead"))
        if "support" in row.explicit or row.generated:
            lead = next(u for u, r in wanted if r == "lead")
            wanted = [(lead, "lead")] + [(u, "support") for u in row.support if u != lead]
        if wanted != current[task_id]:
            stale.append(task_id)
            fresh += [(task_id, u, r, i) for i, (u, r) in enumerate(wanted)]
    if stale:
        session.execute(delete(TaskUnit).where(col(TaskUnit.task_id).in_(stale)))
    task_unit_rows(session).insert(fresh)
    codes_by_id = {task_id: code for code, task_id in ids.items()}
    return {codes_by_id[task_id] for task_id in stale}


def _upsert_plan(spec: PlanSpec, session: Session, *, new_plan: bool) -> int:
    """The plan the file merges into (see `import_plan`), created or its settings updated;
    the session works on it from now on. Returns its database id."""
    db = Db.of_session(session)
    asked = db.info.get(PLAN_ASKED)
    if spec.plan_id is not None and asked is not None and spec.plan_id != asked:
        raise PlannerError("plan_file_other_plan", plan=spec.plan_id, asked=asked,
                           where=spec.where)
    code = spec.plan_id or asked
    by_code = {plan.code: plan for plan in session.exec(select(Plan))}
    if new_plan and code is None:
        raise PlannerError("plan_file_no_id", where=spec.where)
    if new_plan and code in by_code:
        raise PlannerError("plan_id_taken", plan=code, where=spec.where)
    if by_code and not new_plan:
        if code is not None and code not in by_code:
            raise PlannerError("plan_not_in_database", plan=code, where=spec.where)
        plan = by_code[code] if code is not None else session.get(Plan, plan_scope(db))
        assert plan is not None  # plan_scope gives an existing plan's id
    else:
        plan = Plan(code=code or UPGRADED_PLAN_CODE, title=spec.title, start=spec.start,
                    end=spec.end, kind=spec.kind or "five-year", current=not by_code)
    if spec.parent is not None:
        parent = by_code.get(spec.parent)
        if parent is None or parent is plan:
            raise PlannerError("plan_unknown_parent", parent=spec.parent, where=spec.where)
        plan.parent_id = parent.id
    if spec.kind is not None:
        plan.kind = spec.kind
    plan.title, plan.start, plan.end = spec.title, spec.start, spec.end
    plan.report_cycle, plan.rollup = spec.report_cycle, spec.rollup
    plan.tolerance, plan.due_soon_days, plan.source = (spec.tolerance, spec.due_soon_days,
                                                       spec.source)
    plan.acknowledge_days, plan.review = spec.acknowledge_days, spec.review
    plan.follow_annual = spec.follow_annual
    session.add(plan)
    session.flush()
    use_plan(db, saved_id(plan))
    require_open_plan(session=db)
    return saved_id(plan)


def _refuse_lookalike_units(spec: PlanSpec, session: Session) -> None:
    """`plan_rows.refuse_lookalike_units` against the database's units."""
    refuse_lookalike_units(spec, dict(session.execute(select(Unit.id, Unit.name)).all()))


def _upsert_units(spec: PlanSpec, session: Session) -> None:
    """Merge the file's units into the one registry all plans share: a new unit is added
    after the others; a known one with the same name is left as it is; one with another
    name is renamed (and its kind taken) only when the file says `renames: true`."""
    existing = {unit.id: unit for unit in session.exec(select(Unit))}
    next_position = max((unit.position for unit in existing.values()), default=-1) + 1
    for unit_spec in spec.units:
        unit = existing.get(unit_spec.id)
        if unit is None:
            session.add(Unit(id=unit_spec.id, name=unit_spec.name, kind=unit_spec.kind,
                             position=next_position))
            next_position += 1
        elif unit.name != unit_spec.name or (unit_spec.renames and unit.kind != unit_spec.kind):
            if not unit_spec.renames:
                raise PlannerError("plan_unit_renamed", unit=unit.id, stored=unit.name,
                                   name=unit_spec.name, where=unit_spec.where)
            unit.name, unit.kind = unit_spec.name, unit_spec.kind
            session.add(unit)
    session.flush()
    _replace_aliases(spec, session)
    groups = {group.id: group for group in session.exec(select(UnitGroup))}
    for position, group_spec in enumerate(spec.groups):
        group = groups.get(group_spec.id) or UnitGroup(id=group_spec.id, name=group_spec.name)
        group.name, group.position = group_spec.name, position
        group.members, group.aliases = (encode_list(group_spec.members),
                                        encode_list(group_spec.aliases))
        session.add(group)
    session.flush()


def _replace_aliases(spec: PlanSpec, session: Session) -> None:
    """The file's units get exactly the aliases it gives them; an alias another unit of the
    database holds is refused (a short name names one unit)."""
    file_units = {unit.id for unit in spec.units}
    held = {identity_key(alias.name): alias.unit_id for alias in session.exec(select(UnitAlias))
            if alias.unit_id not in file_units}
    for unit in spec.units:
        for alias in unit.aliases:
            owner = held.get(identity_key(alias))
            if owner is not None:
                raise PlannerError("plan_alias_taken", alias=alias, unit=terminal_text(owner),
                                   where=unit.where)
    session.execute(delete(UnitAlias).where(col(UnitAlias.unit_id).in_(file_units)))
    session.flush()
    for unit in spec.units:
        for position, alias in enumerate(unit.aliases):
            session.add(UnitAlias(name=alias, unit_id=unit.id, position=position))


def _upsert_indicators(spec: PlanSpec, ids: dict[str, int], session: Session, at: datetime,
                       by_user: str | None, plan_id: int) -> None:
    existing = {ind.code: ind for ind in session.exec(select(Indicator).where(
        Indicator.plan_id == plan_id))}
    for position, ind_spec in enumerate(spec.indicators):
        indicator = existing.get(ind_spec.code) or Indicator(
            plan_id=plan_id, code=ind_spec.code, name=ind_spec.name, measure=ind_spec.unit,
            baseline=ind_spec.baseline)
        indicator.name, indicator.measure = ind_spec.name, ind_spec.unit
        indicator.baseline, indicator.target = ind_spec.baseline, ind_spec.target
        indicator.direction, indicator.note, indicator.position = (ind_spec.direction,
                                                                   ind_spec.note, position)
        indicator.task_id = ids[ind_spec.task] if ind_spec.task else None
        session.add(indicator)
        session.flush()
        session.execute(delete(IndicatorTarget).where(
            col(IndicatorTarget.indicator_id) == indicator.id))
        for year, value in sorted(ind_spec.targets.items()):
            session.add(IndicatorTarget(indicator_id=saved_id(indicator), year=year, value=value))
        known = {(r.on, r.value, r.source) for r in session.exec(
            select(IndicatorReading).where(IndicatorReading.indicator_id == indicator.id))}
        for reading in ind_spec.readings:
            if (reading.on, reading.value, reading.source) not in known:
                session.add(IndicatorReading(indicator_id=saved_id(indicator), on=reading.on,
                                             value=reading.value, source=reading.source,
                                             recorded_at=at, by_user=by_user))
