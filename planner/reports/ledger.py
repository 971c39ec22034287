"""The item ledger (台账) as data: one row per item in tree order, parents with rolled-up figures.

Laid out by `planner.reports.xlsx`; read back (filled in by a unit) by `planner.services.ledger`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from planner.core.model import PlanTree
from planner.core.rollup import Colour, Rollup
from planner.core.status import Status
from planner.reports.weekly import restrict_to_unit
from planner.store.dbapi import Db, as_db, read_tree, read_unit_names
from planner.store.report_reads import (
    LatestNote,
    local_midnight,
    read_latest_notes,
    read_plan_uid,
)

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One item of the ledger. Parents carry figures rolled up from their children."""

    code: str
    title: str
    depth: int
    is_leaf: bool
    lead: str
    support: tuple[str, ...]
    """The supporting units' names (a layout joins them in its language)."""
    start: date
    due: date
    status: Status | None
    """The item's status (leaves only: a parent's status is its children's)."""
    progress: float
    expected: float
    colour: Colour
    note: str | None
    note_day: date | None
    version: int


@dataclass(slots=True)
class Ledger:
    """The whole ledger as of `today`."""

    plan_title: str
    today: date
    rows: list[LedgerRow]
    plan_uid: str
    """The plan's identity (plan.uid), written into the workbook for `ledger import`."""


def local_day(moment: datetime) -> date:
    """The local date of a recorded time (as the weekly report dates its updates)."""
    return moment.astimezone().date()


def build_ledger(*, session: "Session | Db", today: date, unit_id: str | None = None,
                 tree: PlanTree | None = None, rollup: Rollup | None = None,
                 max_depth: int | None = None, with_notes: bool = True) -> Ledger:
    """Every non-archived item in tree order with owners, dates, figures and its latest note
    as of `today`; with `unit_id`, only the items that unit leads or supports (and their
    ancestors). A given `tree` (e.g. a past week's, rebuilt from history) is used as is, and
    so is a given `rollup` of it as of `today` (the weekly report has one already).

    A layout that shows less asks for less: `max_depth` keeps only the rows down to that
    depth (0: the work areas), and `with_notes=False` leaves the notes out (None), so that
    the history is not read for them."""
    db = as_db(session)
    if tree is None:
        tree = read_tree(db)
        if unit_id is not None:
            tree = restrict_to_unit(tree, unit_id)
    names = read_unit_names(db)
    notes: dict[int, LatestNote] = (
        read_latest_notes(db, before=local_midnight(today + timedelta(days=1)))
        if with_notes else {})
    if rollup is None:
        rollup = Rollup(tree, today)
    rows = []
    for node_id, depth in tree_depths(tree, max_depth):
        node, figures = tree.nodes[node_id], rollup[node_id]
        leaf = tree.is_leaf(node_id)
        latest = notes.get(node_id)
        rows.append(LedgerRow(
            code=node.code, title=node.title, depth=depth, is_leaf=leaf,
            lead=names.get(node.lead or "", node.lead or ""),
            support=tuple(names.get(unit, unit) for unit in node.support),
            start=node.start, due=node.due, status=node.status if leaf else None,
            progress=figures.progress, expected=figures.expected, colour=figures.colour,
            note=latest.note if latest else None,
            note_day=local_day(latest.at) if latest else None, version=node.version,
        ))
    return Ledger(tree.settings.title, today, rows, read_plan_uid(db))


def tree_depths(tree: PlanTree, max_depth: int | None = None) -> list[tuple[int, int]]:
    """(node id, depth) of every node in tree order (0 for a root), in one walk that goes no
    deeper than `max_depth` when given."""
    order: list[tuple[int, int]] = []
    stack = [(root, 0) for root in reversed(tree.roots)]
    while stack:
        node_id, depth = stack.pop()
        order.append((node_id, depth))
        if max_depth is None or depth < max_depth:
            stack.extend((kid, depth + 1) for kid in reversed(tree.children.get(node_id, ())))
    return order
