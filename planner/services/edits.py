"""Editing the plan's structure: add, edit, move, reparent, delete/archive items, and the
"needs coordination" flag. Every function writes in the caller's transaction, validates
before it writes, and counts one plan revision per change; only coordinators edit."""

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import delete, exists, insert, update
from sqlmodel import Session, col, select

from planner.core.errors import PlannerError
from planner.core.text import (
    CODE,
    COORDINATION_REASON,
    DESCRIPTION,
    TITLE,
    clean_optional,
    clean_text,
)
from planner.i18n import msg
from planner.services.access import require_editor
from planner.services.changes import bump_revision, require_open_plan
from planner.services.updates import bump_version, require_unit
from planner.store.db import chunks
from planner.store.models import DueChange, Indicator, ProgressUpdate, Task, TaskUnit, saved_id
from planner.store.queries import get_task, load_settings, session_plan, task_units

NUMBER = re.compile(r"[0-9]+")


def add_task(*, session: Session, title: str, lead: str, at: datetime,
             parent_code: str | None = None, after_code: str | None = None,
             code: str | None = None, support: Iterable[str] = (), start: date | None = None,
             due: date | None = None, weight: float = 1.0, description: str | None = None,
             by_user: str | None = None) -> str:
    """Create an item and return its code.

    It becomes the last child of `parent_code` (None: a top-level item), or, with
    `after_code`, the sibling right after that item. The code defaults to the next free
    `{parent}.{n}`; start and due default to the parent's, else the plan period.
    Like every edit here, only a coordinator (`by_user`, see services/access.py) may do it.
    """
    require_editor(session, by_user)
    title = _clean_title(title, where=code or parent_code or after_code)
    after: Task | None = None
    if after_code is not None:
        after = _live_task(after_code, session=session)
        parent = None if after.parent_id is None else session.get(Task, after.parent_id)
        if parent_code is not None and (parent is None or parent.code != parent_code):
            raise PlannerError("edit_not_a_child", where=after_code, code=after_code,
                               parent=parent_code)
    else:
        parent = None if parent_code is None else _live_task(parent_code, session=session)
    if parent is not None:
        _require_plain_parent(parent)
    lead, supports = _check_units(lead, support, session=session, where=parent_code)
    if start is None or due is None:
        if parent is not None:
            default_start, default_due = parent.start, parent.due
        else:
            settings = load_settings(session=session)
            default_start, default_due = settings.start, settings.end
        start = default_start if start is None else start
        due = default_due if due is None else due
    _check_dates(start, due, where=code or parent_code)
    _check_weight(weight, where=code or parent_code)
    parent_id = None if parent is None else parent.id
    if code is None:
        code = _next_code(parent, session=session)
    else:
        code = clean_text(code, CODE)
        if not code:
            raise PlannerError("edit_code_empty")
        if _code_taken(code, session=session):
            raise PlannerError("edit_code_taken", where=code, code=code)
    siblings = _ordered_siblings(parent_id, session=session)
    active = [row for row in siblings if not row.archived]
    index = len(active) if after is None else siblings.index(_row(siblings, after.id)) + 1
    task = Task(plan_id=session_plan(session), code=code, parent_id=parent_id, position=index,
                title=title,
                description=clean_optional(description, DESCRIPTION, where=code), start=start,
                due=due, original_due=due, weight=weight, created_at=at, updated_at=at)
    session.add(task)
    session.flush()
    assert task.id is not None
    order = [row.id for row in siblings]
    order.insert(index, task.id)
    _renumber(order, siblings, skip=task.id, session=session)
    _insert_units(task.id, lead, supports, session=session)
    _finish(session)
    return code


def edit_task(*, session: Session, code: str, at: datetime, expected_version: int | None = None,
              title: str | None = None, lead: str | None = None,
              support: Iterable[str] | None = None, start: date | None = None,
              weight: float | None = None, description: str | None = None,
              by_user: str | None = None) -> int:
    """Change the given fields of an item and return its new version.

    Fields left as None keep their value; `description=""` clears the description. The
    due date is not edited here: `updates.change_due` records the move with its reason.
    When nothing would change, nothing is written and the current version is returned
    (a stale `expected_version` is still a ConflictError).
    """
    require_editor(session, by_user)
    task = _live_task(code, session=session)
    values: dict[str, Any] = {}
    if title is not None:
        new_title = _clean_title(title, where=code)
        if new_title != task.title:
            values["title"] = new_title
    if description is not None:
        new_description = clean_optional(description, DESCRIPTION, where=code)
        if new_description != task.description:
            values["description"] = new_description
    if start is not None and start != task.start:
        _check_dates(start, task.due, where=code)
        values["start"] = start
    if weight is not None and weight != task.weight:
        _check_weight(weight, where=code)
        values["weight"] = weight
    old_lead, old_supports = task_units(saved_id(task), session=session)
    new_lead, new_supports = old_lead, old_supports
    if lead is not None or support is not None:
        new_lead, new_supports = _check_units(
            old_lead if lead is None else lead,
            old_supports if support is None else support, session=session, where=code)
    units_changed = (new_lead, new_supports) != (old_lead, old_supports)
    if not values and not units_changed:
        _check_version(task, expected_version, session=session)
        return task.version
    version = bump_version(task, expected_version, {**values, "updated_at": at},
                           session=session, what=msg("record_what_edit"))
    if units_changed:
        session.execute(delete(TaskUnit).where(col(TaskUnit.task_id) == task.id))
        _insert_units(saved_id(task), new_lead, new_supports, session=session)  # type: ignore[arg-type]  # changed units come from _check_units, whose lead is a str
    _finish(session)
    return version


def move_task(*, session: Session, code: str, offset: int, at: datetime,
              by_user: str | None = None) -> None:
    """Move an item among its siblings by `offset` (-1 up, +1 down), stopping at the ends.

    A move that goes nowhere writes nothing. Sibling positions are renumbered 0, 1, 2, …
    (archived siblings after the live ones); only the moved item's version changes.
    """
    require_editor(session, by_user)
    task = _live_task(code, session=session)
    siblings = _ordered_siblings(task.parent_id, session=session)
    active = [row.id for row in siblings if not row.archived]
    index = active.index(saved_id(task))
    target = min(max(index + offset, 0), len(active) - 1)
    if target == index:
        return
    active.insert(target, active.pop(index))
    order = active + [row.id for row in siblings if row.archived]
    bump_version(task, None, {"position": target, "updated_at": at}, session=session,
                 what=msg("record_what_move"))
    _renumber(order, siblings, skip=task.id, session=session)
    _finish(session)


def reparent_task(*, session: Session, code: str, new_parent_code: str | None,
                  at: datetime, by_user: str | None = None) -> None:
    """Move an item (with its subtree) to the end of another parent's children.

    `new_parent_code=None` makes it a top-level item. Codes stay as they are (they are
    stable identifiers). Moving an item under itself or one of its descendants, under an
    archived item, or into/out of a recurring item's occurrences is refused.
    """
    require_editor(session, by_user)
    task = _live_task(code, session=session)
    if task.generated:
        raise PlannerError("edit_occurrence_move", where=code)
    new_parent: Task | None = None
    if new_parent_code is not None:
        new_parent = _fresh_task(new_parent_code, session=session)
        if new_parent.archived:
            raise PlannerError("edit_parent_archived", where=code, parent=new_parent_code)
        children = _children_map(session=session)
        if new_parent.id in _subtree_ids(saved_id(task), children):
            raise PlannerError("edit_move_into_itself", where=code, code=code,
                               parent=new_parent_code)
        _require_plain_parent(new_parent)
    new_parent_id = None if new_parent is None else new_parent.id
    if new_parent_id == task.parent_id:
        return
    old_siblings = _ordered_siblings(task.parent_id, session=session)
    new_siblings = _ordered_siblings(new_parent_id, session=session)
    live = [row.id for row in new_siblings if not row.archived]
    position = len(live)
    bump_version(task, None, {"parent_id": new_parent_id, "position": position,
                              "updated_at": at},
                 session=session, what=msg("record_what_move"))
    _renumber([row.id for row in old_siblings if row.id != task.id], old_siblings,
              session=session)
    new_order = [*live, saved_id(task), *(row.id for row in new_siblings if row.archived)]
    _renumber(new_order, new_siblings, skip=task.id, session=session)
    _finish(session)


def delete_task(*, session: Session, code: str, at: datetime,
                by_user: str | None = None) -> Literal["deleted", "archived"]:
    """Delete an item and its subtree, or archive them when history would be lost.

    If the item or any descendant has progress updates, deadline moves or a linked
    indicator, the whole subtree is archived (kept, hidden, versions bumped); otherwise its
    unit links and rows are deleted, children before parents. Returns what was done.
    """
    require_editor(session, by_user)
    task = _live_task(code, session=session)
    levels = _subtree_levels(saved_id(task), _children_map(session=session))
    ids = [task_id for level in levels for task_id in level]
    siblings = _ordered_siblings(task.parent_id, session=session)
    if _has_history(ids, session=session):
        for chunk in chunks(ids):
            session.execute(
                update(Task)
                .where(col(Task.id).in_(chunk), col(Task.archived) == False)  # noqa: E712
                .values(archived=True, version=Task.version + 1, updated_at=at)
                .execution_options(synchronize_session=False)
            )
        live = [row.id for row in siblings if not row.archived and row.id != task.id]
        archived = [row.id for row in siblings if row.archived or row.id == task.id]
        _renumber(live + archived, siblings, session=session)
        outcome: Literal["deleted", "archived"] = "archived"
    else:
        for chunk in chunks(ids):
            session.execute(delete(TaskUnit).where(col(TaskUnit.task_id).in_(chunk)))
        for level in reversed(levels):
            for chunk in chunks(level):
                session.execute(delete(Task).where(col(Task.id).in_(chunk))
                                .execution_options(synchronize_session=False))
        session.expunge(task)
        _renumber([row.id for row in siblings if row.id != task.id], siblings,
                  session=session)
        outcome = "deleted"
    _finish(session)
    return outcome


def set_coordination(*, session: Session, code: str, reason: str | None, at: datetime,
                     expected_version: int | None = None,
                     by_user: str | None = None) -> int:
    """Flag an item as needing coordination (协调) with a reason, or clear it with None.

    Returns the new version; setting the flag to what it already is writes nothing.
    """
    require_editor(session, by_user)
    task = _live_task(code, session=session)
    if reason is not None:
        reason = clean_text(reason, COORDINATION_REASON, where=code)
        if not reason:
            raise PlannerError("edit_flag_reason_needed", where=code)
    flagged = reason is not None
    if (task.needs_coordination, task.coordination_reason) == (flagged, reason):
        _check_version(task, expected_version, session=session)
        return task.version
    version = bump_version(task, expected_version,
                            {"needs_coordination": flagged, "coordination_reason": reason,
                             "updated_at": at},
                           session=session, what=msg("record_what_change"))
    _finish(session)
    return version


# --- helpers -----------------------------------------------------------------------------



class _Sibling:
    """A sibling row as read for renumbering."""

    __slots__ = ("archived", "id", "position")

    def __init__(self, task_id: int, position: int, archived: bool) -> None:
        self.id, self.position, self.archived = task_id, position, archived


def _fresh_task(code: str, *, session: Session) -> Task:
    """The item with `code`, re-read: a copy held in the session may predate a Core UPDATE."""
    task = get_task(code, session=session)
    session.refresh(task)
    return task


def _live_task(code: str, *, session: Session) -> Task:
    """The item with `code`, re-read from the database, refusing archived items and items
    of a closed plan (every edit finds its item here)."""
    task = _fresh_task(code, session=session)
    require_open_plan(session=session)
    if task.archived:
        raise PlannerError("record_item_archived", where=code)
    return task


def _require_plain_parent(parent: Task) -> None:
    """Recurring items hold only their generated occurrences, which hold nothing."""
    if parent.repeat_rule or parent.generated:
        raise PlannerError("edit_recurring_parent", where=parent.code, code=parent.code)


def _check_version(task: Task, expected_version: int | None, *, session: Session) -> None:
    """Raise the usual ConflictError for a stale version without changing anything."""
    if expected_version is not None and expected_version != task.version:
        bump_version(task, expected_version, {}, session=session,
                     what=msg("record_what_edit"))


def _clean_title(title: str, *, where: str | None) -> str:
    title = clean_text(title or "", TITLE, where=where)
    if not title:
        raise PlannerError("edit_title_empty", where=where)
    return title


def _check_units(lead: str | None, support: Iterable[str], *, session: Session,
                 where: str | None) -> tuple[str, list[str]]:
    """(lead, supports) with both known, supports de-duplicated and without the lead."""
    lead = (lead or "").strip()
    if not lead:
        raise PlannerError("edit_lead_needed", where=where)
    require_unit(lead, session=session)
    supports: list[str] = []
    for unit in support:
        unit = unit.strip()
        if unit and unit != lead and unit not in supports:
            require_unit(unit, session=session)
            supports.append(unit)
    return lead, supports


def _check_dates(start: date, due: date, *, where: str | None) -> None:
    if due < start:
        raise PlannerError("edit_due_before_start", where=where, due=due, start=start)


def _check_weight(weight: float, *, where: str | None) -> None:
    if not (isinstance(weight, int | float) and math.isfinite(weight) and weight > 0):
        raise PlannerError("edit_weight_invalid", where=where, weight=weight)


def _code_taken(code: str, *, session: Session) -> bool:
    return bool(session.execute(select(exists().where(
        col(Task.code) == code, col(Task.plan_id) == session_plan(session)))).scalar())


def _next_code(parent: Task | None, *, session: Session) -> str:
    """`{parent}.{n}` (or `{n}` at top level), n above every numeric last segment among the
    parent's children, archived ones included, skipping any code taken elsewhere."""
    parent_id = None if parent is None else parent.id
    codes = session.execute(select(Task.code).where(_child_of(parent_id, session))).scalars()
    numbers = [int(last) for c in codes if NUMBER.fullmatch(last := c.rsplit(".", 1)[-1])]
    prefix = "" if parent is None else f"{parent.code}."
    number = max(numbers, default=0) + 1
    while _code_taken(f"{prefix}{number}", session=session):
        number += 1
    return f"{prefix}{number}"


def _child_of(parent_id: int | None, session: Session) -> Any:
    """The children of `parent_id`, or the session's plan's top-level items."""
    if parent_id is None:
        return (col(Task.parent_id).is_(None)) & (col(Task.plan_id) == session_plan(session))
    return col(Task.parent_id) == parent_id


def _ordered_siblings(parent_id: int | None, *, session: Session) -> list[_Sibling]:
    """The parent's children, live ones first, each group in its current order."""
    rows = session.execute(
        select(Task.id, Task.position, Task.archived).where(_child_of(parent_id, session))
        .order_by(col(Task.position), Task.code)
    ).all()
    siblings = [_Sibling(task_id, position, archived) for task_id, position, archived in rows]
    return sorted(siblings, key=lambda row: row.archived)


def _row(siblings: Sequence[_Sibling], task_id: int | None) -> _Sibling:
    return next(row for row in siblings if row.id == task_id)


def _renumber(order: Sequence[int], siblings: Sequence[_Sibling], *, session: Session,
              skip: int | None = None) -> None:
    """Give `order` positions 0, 1, 2, …, writing only rows whose position changes."""
    current = {row.id: row.position for row in siblings}
    changes = [{"id": task_id, "position": index} for index, task_id in enumerate(order)
               if task_id != skip and current.get(task_id) != index]
    if changes:
        session.execute(update(Task), changes)


def _insert_units(task_id: int, lead: str, supports: Sequence[str], *,
                  session: Session) -> None:
    rows = [{"task_id": task_id, "unit_id": lead, "role": "lead", "position": 0}]
    rows += [{"task_id": task_id, "unit_id": unit, "role": "support", "position": index}
             for index, unit in enumerate(supports, start=1)]
    session.execute(insert(TaskUnit), rows)


def _children_map(*, session: Session) -> dict[int | None, list[int]]:
    """Child ids by parent id for the whole plan, from one query over (id, parent_id)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for task_id, parent_id in session.execute(select(Task.id, Task.parent_id).where(
            Task.plan_id == session_plan(session))):
        children[parent_id].append(task_id)
    return children


def _subtree_levels(root_id: int, children: dict[int | None, list[int]]) -> list[list[int]]:
    """The subtree under `root_id` (included) level by level, root first."""
    levels = [[root_id]]
    while True:
        below = [kid for task_id in levels[-1] for kid in children.get(task_id, ())]
        if not below:
            return levels
        levels.append(below)


def _subtree_ids(root_id: int, children: dict[int | None, list[int]]) -> set[int]:
    return {task_id for level in _subtree_levels(root_id, children) for task_id in level}


def _has_history(ids: Sequence[int], *, session: Session) -> bool:
    """True when any of the items has a progress update, a deadline move or an indicator."""
    for chunk in chunks(ids):
        for column in (col(ProgressUpdate.task_id), col(DueChange.task_id), col(Indicator.task_id)):
            if session.execute(select(exists().where(column.in_(chunk)))).scalar():
                return True
    return False


def _finish(session: Session) -> None:
    """Count the change, write it, and drop stale copies of rows changed by Core statements."""
    bump_revision(session=session)
    session.flush()
    session.expire_all()
