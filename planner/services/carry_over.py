"""Carry-over (结转): the unfinished items of one plan copied into the next, the originals
marked carried over.

Every open leaf of FROM (not started, in progress or blocked; not archived) is copied into
TO under the same area path: each ancestor is matched in TO by its code, and copied there
(as a summary item, with its title and units) when TO lacks it. The copy keeps the item's
code (or, when TO already uses it, the code followed by `-FROM`, then `-FROM-2` …), title,
description, source, weight, units, coordination flag, status and progress, and gets a
`carried_from` link to the original and a history line saying where it came from. Its
deadline is the original's when that falls within TO's period, else TO's last day; its
start is moved into TO's period (and never after the deadline). The original keeps its
history, is marked 已结转 (a final status) with a history line naming the copy.

Refused, with nothing written: FROM and TO the same plan, TO closed, FROM without open
items. The plan is worked out first (`plan_carry_over`, also the dry run) and then applied
in the caller's transaction.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from planner.core.errors import PlannerError
from planner.core.model import PlanTree
from planner.core.status import Status
from planner.i18n import label
from planner.services.access import actor_for, require_editor
from planner.services.changes import bump_revision
from planner.services.plans import plan_id_of
from planner.store.dbapi import PLAN_SEPARATOR, Db, as_db, day, read_tree, use_plan

if TYPE_CHECKING:
    from sqlmodel import Session

CARRIED_FROM = "carried_from"
"""The kind of the link from a copy to its original (tasklink.kind)."""


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item carry-over creates in TO: a copied leaf, or an ancestor TO lacked."""

    source_id: int
    source_code: str
    code: str
    title: str
    parent_code: str | None
    is_leaf: bool
    status: Status
    progress: float
    start: date
    due: date


@dataclass(slots=True)
class CarryOver:
    """What a carry-over creates (in order: each parent before its children)."""

    from_plan: str
    to_plan: str
    items: list[NewItem] = field(default_factory=list)

    @property
    def leaves(self) -> list[NewItem]:
        """The carried items (not the ancestors created for them)."""
        return [item for item in self.items if item.is_leaf]


def _plan_row(db: Db, plan_id: int) -> tuple[str, date, date]:
    """(state, start, end) of a plan."""
    row = db.one('SELECT state, start, "end" FROM plan WHERE id = ?', (plan_id,))
    assert row is not None  # plan_id_of found it in this transaction
    state, start, end = row
    return state, day(start), day(end)  # type: ignore[return-value]  # NOT NULL columns


def plan_carry_over(*, session: "Session | Db", from_code: str, to_code: str) -> CarryOver:
    """Work out what carrying FROM's unfinished items over into TO creates; refusals as the
    module says. Reads only."""
    db = as_db(session)
    from_id, to_id = plan_id_of(db, from_code), plan_id_of(db, to_code)
    if from_id == to_id:
        raise PlannerError("carry_over_same_plan", plan=from_code)
    to_state, to_start, to_end = _plan_row(db, to_id)
    if to_state != "open":
        raise PlannerError("carry_over_into_closed", plan=to_code)
    use_plan(db, from_id)
    source = read_tree(db)
    leaves = source.open_leaves()
    if not leaves:
        raise PlannerError("carry_over_nothing_open", plan=from_code)
    taken = {code for (code,) in db.rows("SELECT code FROM task WHERE plan_id = ?", (to_id,))}
    plan = CarryOver(from_code, to_code)
    made_ancestors: set[str] = set()
    for leaf in leaves:
        parent_code: str | None = None
        for ancestor_id in reversed(source.ancestors(leaf.id)):
            ancestor = source.nodes[ancestor_id]
            if ancestor.code not in taken and ancestor.code not in made_ancestors:
                made_ancestors.add(ancestor.code)
                plan.items.append(_new_item(source, ancestor_id, ancestor.code, parent_code,
                                            (to_start, to_end), is_leaf=False))
            parent_code = ancestor.code
        code = _free_code(leaf.code, from_code, taken | made_ancestors)
        taken.add(code)
        plan.items.append(_new_item(source, leaf.id, code, parent_code, (to_start, to_end),
                                    is_leaf=True))
    return plan


def _free_code(code: str, from_code: str, taken: set[str]) -> str:
    """`code`, else `code-FROM`, `code-FROM-2`, … whichever TO does not use yet."""
    if code not in taken:
        return code
    candidate, number = f"{code}-{from_code}", 1
    while candidate in taken:
        number += 1
        candidate = f"{code}-{from_code}-{number}"
    return candidate


def _new_item(source: PlanTree, node_id: int, code: str, parent_code: str | None,
              period: tuple[date, date], *, is_leaf: bool) -> NewItem:
    node = source.nodes[node_id]
    start, end = period
    due = node.due if start <= node.due <= end else end
    new_start = min(max(node.start, start), due)
    status = node.status if is_leaf else Status.NOT_STARTED
    return NewItem(node_id, node.code, code, node.title, parent_code, is_leaf, status,
                   node.progress if is_leaf else 0.0, new_start, due)


_COPY_COLUMNS = ("title, description, source, weight, rollup_rule, needs_coordination, "
                 "coordination_reason")


def carry_over(*, session: "Session | Db", from_code: str, to_code: str, at: datetime,
               by_user: str | None, lang: str = "zh") -> CarryOver:
    """Carry FROM's unfinished items over into TO (coordinators only), in the caller's
    transaction; returns what was created. The history lines are written in `lang`."""
    db = as_db(session)
    require_editor(db, by_user)
    actor = actor_for(db, by_user).name
    plan = plan_carry_over(session=db, from_code=from_code, to_code=to_code)
    from_id, to_id = plan_id_of(db, from_code), plan_id_of(db, to_code)
    stamp = db.value(at)
    ids: dict[str, int] = {code: task_id for task_id, code in db.rows(
        "SELECT id, code FROM task WHERE plan_id = ?", (to_id,))}
    for item in plan.items:
        parent_id = ids[item.parent_code] if item.parent_code is not None else None
        position = db.one(
            "SELECT coalesce(max(position), -1) + 1 FROM task WHERE plan_id = ? AND "
            + ("parent_id = ?" if parent_id is not None else "parent_id IS NULL"),
            (to_id, parent_id) if parent_id is not None else (to_id,))
        row = db.one(
            f"INSERT INTO task (plan_id, code, parent_id, position, start, due, original_due, "
            f"status, progress, generated, archived, version, created_at, updated_at, "
            f"{_COPY_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, "
            f"{_COPY_COLUMNS} FROM task WHERE id = ? RETURNING id",
            (to_id, item.code, parent_id, position[0] if position else 0,
             db.value(item.start), db.value(item.due), db.value(item.due), item.status.value,
             item.progress, False, False, stamp, stamp, item.source_id))
        assert row is not None
        new_id = int(row[0])
        ids[item.code] = new_id
        db.execute("INSERT INTO taskunit (task_id, unit_id, role, position) "
                   "SELECT ?, unit_id, role, position FROM taskunit WHERE task_id = ?",
                   (new_id, item.source_id))
        if not item.is_leaf:
            continue
        db.execute("INSERT INTO tasklink (task_id, kind, target_id, position) "
                   "VALUES (?, ?, ?, 0)", (new_id, CARRIED_FROM, item.source_id))
        _history(db, new_id, stamp, actor, item.status, item.status, item.progress,
                 label("carry_over_copy_note", lang,
                       ref=f"{from_code}{PLAN_SEPARATOR}{item.source_code}"))
        db.execute("UPDATE task SET status = ?, version = version + 1, updated_at = ? "
                   "WHERE id = ?", (Status.CARRIED_OVER.value, stamp, item.source_id))
        _history(db, item.source_id, stamp, actor, item.status, Status.CARRIED_OVER,
                 item.progress, label("carry_over_original_note", lang,
                                      ref=f"{to_code}{PLAN_SEPARATOR}{item.code}"))
    for plan_id in (to_id, from_id):
        use_plan(db, plan_id)
        bump_revision(session=db)
    db.wrote()
    return plan


def _history(db: Db, task_id: int, stamp: object, by_user: str | None, old: Status,
             new: Status, progress: float, note: str) -> None:
    db.execute("INSERT INTO progressupdate (task_id, at, by_unit, by_user, old_status, "
               "new_status, old_progress, new_progress, note) VALUES (?, ?, NULL, ?, ?, ?, ?, "
               "?, ?)", (task_id, stamp, by_user, old.value, new.value, progress, progress,
                         note))
