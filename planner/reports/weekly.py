"""The weekly progress report (周报) as data: built once, then laid out as txt, md, html, xlsx.

The state of the plan at the end of the week and at the end of the week before are rebuilt
from the append-only history, so a past week's report shows that week as it was.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from planner.core.dates import iso_week_label
from planner.core.history import states_at
from planner.core.indicators import IndicatorSnapshot, Reading, is_off_track, share_of_way
from planner.core.model import PlanTree, TaskNode
from planner.core.rollup import Colour, Rollup, Standing, plan_progress, plan_standing
from planner.core.status import Status
from planner.store.dbapi import Db, as_db, read_indicators, read_tree, read_unit_names
from planner.store.report_reads import (
    DueChangeRow,
    UpdateRow,
    read_due_changes,
    read_updates_since,
)

if TYPE_CHECKING:
    from sqlmodel import Session

COLOURS = (Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN)


@dataclass(frozen=True, slots=True)
class Figure:
    """Progress against 序时进度 for the plan or one work area."""

    code: str
    title: str
    progress: float
    expected: float
    colour: Colour
    done: int
    leaves: int


@dataclass(frozen=True, slots=True)
class Overview:
    """The overall picture and how it moved since the end of last week."""

    plan: Figure
    by_status: dict[Status, int]
    by_colour: dict[Colour, int]
    progress_change: float
    by_status_change: dict[Status, int]
    by_colour_change: dict[Colour, int]


@dataclass(frozen=True, slots=True)
class UpdateLine:
    """One update recorded in the week."""

    day: date
    code: str
    title: str
    unit: str
    old_status: Status
    new_status: Status
    old_progress: float
    new_progress: float
    note: str | None


@dataclass(frozen=True, slots=True)
class AreaUpdates:
    """The week's updates under one work area."""

    code: str
    title: str
    updates: list[UpdateLine]


@dataclass(frozen=True, slots=True)
class ItemLine:
    """An item in a warning list."""

    code: str
    title: str
    lead: str
    due: date
    status: Status
    progress: float
    expected: float
    days: int
    """Days overdue (red), days left (blue), or percentage points behind (yellow)."""


@dataclass(frozen=True, slots=True)
class DueMove:
    """A deadline moved in the week."""

    day: date
    code: str
    title: str
    old_due: date
    new_due: date
    reason: str
    times_moved: int


@dataclass(frozen=True, slots=True)
class SilentUnit:
    """A unit that leads open items and reported on none of them this week (催报)."""

    unit_id: str
    name: str
    open_items: list[str]


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    """An indicator with its latest reading as of the report date."""

    code: str
    name: str
    measure: str
    direction: str
    baseline: float
    target: float | None
    year_target: float | None
    latest: Reading | None
    share: float | None
    off_track: bool
    task_code: str | None


@dataclass(slots=True)
class WeeklyReport:
    """Everything the weekly printout shows, in its order."""

    plan_title: str
    due_soon_days: int
    week_label: str
    week_start: date
    week_end: date
    as_of: date
    generated: date
    unit_id: str | None
    unit_name: str | None
    overview: Overview
    areas: list[Figure]
    updates: list[AreaUpdates]
    completed: list[UpdateLine]
    due_moves: list[DueMove]
    red: list[ItemLine]
    yellow: list[ItemLine]
    blue: list[ItemLine]
    silent_units: list[SilentUnit]
    indicators: list[IndicatorLine]
    tree: PlanTree | None = None
    """The plan as it stood on `as_of` (restricted to the unit when there is one)."""
    rollup: Rollup | None = None
    """`tree`'s figures as of `as_of` (for the ledger, without computing them again)."""


def restrict_to_unit(tree: PlanTree, unit_id: str) -> PlanTree:
    """The items a unit leads or supports, with their ancestors (parents roll up only those)."""
    kept: set[int] = set()
    for node_id, node in tree.nodes.items():
        if tree.is_leaf(node_id) and (node.lead == unit_id or unit_id in node.support):
            kept.add(node_id)
            kept.update(tree.ancestors(node_id))
    nodes = {node_id: node for node_id, node in tree.nodes.items() if node_id in kept}
    return PlanTree.build(tree.settings, list(nodes.values()))


def build_weekly(*, session: "Session | Db", today: date, week_start: date,
                 unit_id: str | None = None) -> WeeklyReport:
    """The report for the ISO week starting `week_start`, as of its end or `today` if earlier
    (read on the DB-API: an ORM session's connection, or `sqlite3` alone)."""
    db = as_db(session)
    week_end = week_start + timedelta(days=6)
    as_of = min(today, week_end)
    previous_end = week_start - timedelta(days=1)
    tree = read_tree(db)
    unit_names = read_unit_names(db)
    later = read_updates_since(db, week_start)
    later_moves = read_due_changes(db, week_start)
    week_updates = [u for u in later if u.at.astimezone().date() <= week_end]
    now_tree, before_tree = states_at(tree, later, [as_of, previous_end], later_moves)
    if unit_id is not None:
        now_tree = restrict_to_unit(now_tree, unit_id)
        before_tree = restrict_to_unit(before_tree, unit_id)
        kept = set(now_tree.nodes)
        week_updates = [u for u in week_updates if u.task_id in kept]
    # Last week is needed only for the overview's changes: its standing, not a full rollup.
    now, before = Rollup(now_tree, as_of), plan_standing(before_tree, previous_end)
    lines = [_update_line(u, tree, unit_names) for u in week_updates]
    kept_ids = set(now_tree.nodes)
    open_leaves = now_tree.open_leaves()  # one walk of the tree for the four lists below
    return WeeklyReport(
        plan_title=tree.settings.title, due_soon_days=tree.settings.due_soon_days,
        week_label=iso_week_label(week_start),
        week_start=week_start, week_end=week_end, as_of=as_of, generated=today,
        unit_id=unit_id, unit_name=unit_names.get(unit_id or ""),
        overview=_overview(now_tree, now, before_tree, before),
        areas=[_figure(now_tree, now, root) for root in now_tree.roots],
        updates=_group_by_area(lines, tree),
        completed=[line for line in lines
                   if line.new_status in (Status.DONE, Status.CLOSED)
                   and line.old_status != line.new_status],
        due_moves=[_due_move(c) for c in read_due_changes(db, week_start, week_end)
                   if c.task_id in kept_ids],
        red=_warning_items(open_leaves, now, Colour.RED, unit_names, as_of),
        yellow=_warning_items(open_leaves, now, Colour.YELLOW, unit_names, as_of),
        blue=_due_soon(open_leaves, now, unit_names, as_of),
        silent_units=_silent_units(now_tree, open_leaves, week_updates, unit_names),
        indicators=[_indicator_line(i, as_of) for i in read_indicators(db)
                    if unit_id is None or i.task_code in now_tree.by_code],
        tree=now_tree, rollup=now,
    )


def _figure(tree: PlanTree, rollup: Rollup, node_id: int) -> Figure:
    node, figures = tree.nodes[node_id], rollup[node_id]
    return Figure(node.code, node.title, figures.progress, figures.expected, figures.colour,
                  figures.done, figures.leaves)


def _leaf_counts(tree: PlanTree, colour_of: Callable[[int], Colour]
                 ) -> tuple[dict[Status, int], dict[Colour, int]]:
    """Leaves by status, and open leaves by their colour (`colour_of` their id)."""
    by_status = {status: 0 for status in Status}
    by_colour = {colour: 0 for colour in COLOURS}
    for node_id, node in tree.nodes.items():
        if tree.is_leaf(node_id):
            by_status[node.status] += 1
            if node.status.is_open:
                by_colour[colour_of(node_id)] += 1
    return by_status, by_colour


def _overview(now_tree: PlanTree, now: Rollup, before_tree: PlanTree,
              before: Standing) -> Overview:
    progress, expected = plan_progress(now_tree, now)
    previous = before.progress
    by_status, by_colour = _leaf_counts(now_tree, lambda node_id: now[node_id].colour)
    old_status, old_colour = _leaf_counts(before_tree, before.leaf_colours.__getitem__)
    worst = max((now[r].colour for r in now_tree.roots), key=lambda c: c.severity,
                default=Colour.GREEN)
    done = sum(now[r].done for r in now_tree.roots)
    leaves = sum(now[r].leaves for r in now_tree.roots)
    return Overview(
        plan=Figure("", now_tree.settings.title, progress, expected, worst, done, leaves),
        by_status=by_status, by_colour=by_colour, progress_change=progress - previous,
        by_status_change={s: by_status[s] - old_status[s] for s in Status},
        by_colour_change={c: by_colour[c] - old_colour[c] for c in COLOURS},
    )


def _area_of(tree: PlanTree, task_id: int) -> int:
    chain = [task_id, *tree.ancestors(task_id)]
    return chain[-1]


def _update_line(update: UpdateRow, tree: PlanTree, unit_names: dict[str, str]) -> UpdateLine:
    node = tree.nodes.get(update.task_id)
    unit = update.by_unit or (node.lead if node else None) or ""
    return UpdateLine(update.at.astimezone().date(), update.code, update.title,
                      unit_names.get(unit, unit), update.old_status, update.new_status,
                      update.old_progress, update.new_progress, update.note)


def _group_by_area(lines: list[UpdateLine], tree: PlanTree) -> list[AreaUpdates]:
    grouped: dict[int, list[UpdateLine]] = {}
    for line in lines:
        node_id = tree.by_code.get(line.code)
        if node_id is not None:
            grouped.setdefault(_area_of(tree, node_id), []).append(line)
    return [AreaUpdates(tree.nodes[root].code, tree.nodes[root].title, grouped[root])
            for root in tree.roots if root in grouped]


def _due_move(change: DueChangeRow) -> DueMove:
    return DueMove(change.at.astimezone().date(), change.code, change.title, change.old_due,
                   change.new_due, change.reason, change.times_moved)


def _item_line(node: TaskNode, rollup: Rollup, unit_names: dict[str, str], days: int) -> ItemLine:
    figures = rollup[node.id]
    return ItemLine(node.code, node.title, unit_names.get(node.lead or "", node.lead or ""),
                    node.due, node.status, figures.progress, figures.expected, days)



def _warning_items(open_leaves: list[TaskNode], rollup: Rollup, colour: Colour,
                   unit_names: dict[str, str], as_of: date) -> list[ItemLine]:
    items = []
    for node in open_leaves:
        if rollup[node.id].colour != colour:
            continue
        days = (as_of - node.due).days if colour == Colour.RED else round(rollup[node.id].lag)
        items.append(_item_line(node, rollup, unit_names, days))
    return sorted(items, key=lambda item: -item.days)


def _due_soon(open_leaves: list[TaskNode], rollup: Rollup, unit_names: dict[str, str],
              as_of: date) -> list[ItemLine]:
    """Blue items: due within the plan's `due_soon_days` and not already red or yellow."""
    items = [_item_line(node, rollup, unit_names, (node.due - as_of).days)
             for node in open_leaves if rollup[node.id].colour == Colour.BLUE]
    return sorted(items, key=lambda item: (item.days, item.code))


def _silent_units(tree: PlanTree, open_leaves: list[TaskNode], week_updates: list[UpdateRow],
                  unit_names: dict[str, str]) -> list[SilentUnit]:
    """Units leading open leaves with no report this week on any of them. An update entered
    without a reporting unit counts for the item's lead."""
    led: dict[str, list[str]] = {}
    for node in open_leaves:
        if node.lead:
            led.setdefault(node.lead, []).append(node.code)
    reported = set()
    for update in week_updates:
        updated = tree.nodes.get(update.task_id)
        if updated is not None and (update.by_unit or updated.lead) == updated.lead:
            reported.add(updated.lead)
    order = list(unit_names)
    return [SilentUnit(unit, unit_names.get(unit, unit), codes)
            for unit, codes in sorted(led.items(), key=lambda item: (
                order.index(item[0]) if item[0] in order else len(order), item[0]))
            if unit not in reported]


def _indicator_line(indicator: IndicatorSnapshot, as_of: date) -> IndicatorLine:
    readings = [r for r in indicator.readings if r.on <= as_of]
    latest = readings[-1] if readings else None
    known = replace(indicator, readings=readings)
    return IndicatorLine(
        indicator.code, indicator.name, indicator.unit, indicator.direction, indicator.baseline,
        indicator.target, indicator.year_targets.get(as_of.year), latest,
        share_of_way(indicator.baseline, indicator.target, latest.value) if latest else None,
        is_off_track(known, as_of), indicator.task_code)
