"""Export (round-trip) of the plan file: the plan as the document `import_plan` reads.

The plan is read on the DB-API (store/plan_file_reads.py) and written by `yaml_emit.dump`,
which gives what `yaml.safe_dump` gives; neither imports SQLAlchemy, so exporting a SQLite
file needs no ORM.
"""

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from planner.core.model import building_snapshot
from planner.core.status import Status
from planner.services.yaml_emit import dump
from planner.store.dbapi import Db, as_db, plan_scope
from planner.store.plan_file_reads import (
    PlanRow,
    TaskRow,
    read_groups,
    read_plan_implements,
    read_plan_indicators,
    read_plan_roles,
    read_plan_row,
    read_plan_tasks,
    read_units,
)

if TYPE_CHECKING:
    from sqlmodel import Session

NOT_STARTED = Status.NOT_STARTED.value


def export_plan(source: "Session | Db") -> str:
    """The plan the transaction works on as a plan file; importing it into an empty database
    and exporting again gives the same text."""
    db = as_db(source)
    with building_snapshot():  # a million small objects without cycles
        plan = read_plan_row(db)
        plan_id = plan_scope(db)
        document: dict[str, Any] = {"plan": _plan_dict(plan)}
        document["units"] = [{"id": unit_id, "name": name, "kind": kind}
                             | ({"aliases": aliases} if aliases else {})
                             for unit_id, name, kind, aliases in read_units(db)]
        groups = read_groups(db)
        if groups:
            document["groups"] = [{"id": g.id, "name": g.name, "members": list(g.members)}
                                  | ({"aliases": list(g.aliases)} if g.aliases else {})
                                  for g in groups]
        tree = _Tree()
        for task_id, unit_id, role in read_plan_roles(db, plan_id):
            if role != "lead":
                tree.support[task_id].append(unit_id)
            elif task_id not in tree.lead:  # the first lead, should there be two
                tree.lead[task_id] = unit_id
        for task in sorted(read_plan_tasks(db, plan_id), key=lambda t: (t.position, t.code)):
            tree.children[task.parent_id].append(task)
        for task_id, reference in read_plan_implements(db, plan_id):
            tree.implements[task_id].append(reference)
        document["tasks"] = [tree.task_dict(t) for t in tree.children[None]]
        document["indicators"] = _indicator_dicts(db, plan_id)
        return dump(document)


def _plan_dict(plan: PlanRow) -> dict[str, Any]:
    result: dict[str, Any] = {"id": plan.code, "kind": plan.kind}
    if plan.has_parent:
        result["parent"] = plan.parent_code
    result |= {
        "title": plan.title,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "report_cycle": plan.report_cycle, "rollup": plan.rollup,
        "warn": {"tolerance": _number(plan.tolerance), "due_soon_days": plan.due_soon_days},
    }
    if plan.source:
        result["source"] = plan.source
    if plan.follow_annual:  # off, the default, is left unwritten
        result["follow_annual"] = "on"
    if (plan.acknowledge_days, plan.review) != (3, False):  # the defaults are left unwritten
        result["supervision"] = {"acknowledge_days": plan.acknowledge_days,
                                 "review": "on" if plan.review else "off"}
    return result


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class _Tree:
    """The plan's items by parent (in file order), with their units and the items they
    carry out, by item id."""

    def __init__(self) -> None:
        self.children: dict[int | None, list[TaskRow]] = defaultdict(list)
        self.lead: dict[int, str] = {}
        self.support: dict[int, list[str]] = defaultdict(list)
        self.implements: dict[int, list[str]] = defaultdict(list)

    def task_dict(self, task: TaskRow) -> dict[str, Any]:
        """The item and its subtree as the plan file writes them."""
        kids = self.children.get(task.id, [])
        result: dict[str, Any] = {"code": task.code, "title": task.title}
        if task.description:
            result["description"] = task.description
        result["lead"] = self.lead.get(task.id)
        support = self.support.get(task.id)
        if support:
            result["support"] = support
        result["start"] = task.start.isoformat()
        result["due"] = task.due.isoformat()
        if task.original_due != task.due:
            result["original_due"] = task.original_due.isoformat()
        if task.weight != 1:
            result["weight"] = _number(task.weight)
        is_leaf = not kids and not task.repeat_rule
        if is_leaf and task.status != NOT_STARTED:
            result["status"] = task.status
        if is_leaf and task.progress != (100.0 if task.status in ("done", "closed") else 0.0):
            result["progress"] = _number(task.progress)
        if task.rollup_rule:
            result["rollup"] = task.rollup_rule
        if task.source:
            result["source"] = task.source
        if task.repeat_rule:
            result["repeat"] = {"rule": task.repeat_rule, "duration": task.repeat_duration or 1}
        if task.needs_coordination:
            result["coordination"] = task.coordination_reason
        if self.implements.get(task.id):
            result["implements"] = self.implements[task.id]
        if task.repeat_rule:
            kids = [k for k in kids if k.status != NOT_STARTED or k.progress or
                    k.due != k.original_due]
            entries = [_occurrence_dict(k) for k in kids]
        else:
            entries = [self.task_dict(k) for k in kids]
        if entries:
            result["children"] = entries
        return result


def _occurrence_dict(task: TaskRow) -> dict[str, Any]:
    """Only the state of a generated occurrence: the rest is regenerated from the rule."""
    result: dict[str, Any] = {"code": task.code, "title": task.title}
    if task.due != task.original_due:
        result["due"] = task.due.isoformat()
        result["original_due"] = task.original_due.isoformat()
    if task.status != NOT_STARTED:
        result["status"] = task.status
    if task.progress != (100.0 if task.status in ("done", "closed") else 0.0):
        result["progress"] = _number(task.progress)
    return result


def _indicator_dicts(db: Db, plan_id: int) -> list[dict[str, Any]]:
    result = []
    for ind in read_plan_indicators(db, plan_id):
        entry: dict[str, Any] = {
            "code": ind.code, "name": ind.name, "unit": ind.measure,
            "baseline": _number(ind.baseline),
            "target": None if ind.target is None else _number(ind.target),
            "direction": ind.direction}
        if ind.task_code is not None:
            entry["task"] = ind.task_code
        if ind.targets:
            entry["targets"] = {year: _number(value) for year, value in ind.targets.items()}
        if ind.readings:
            entry["readings"] = [{"date": on.isoformat(), "value": _number(value)}
                                 | ({"source": source} if source else {})
                                 for on, value, source in ind.readings]
        if ind.note:
            entry["note"] = ind.note
        result.append(entry)
    return result
