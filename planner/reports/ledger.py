"""The item ledger (台账) as data: one row per item in tree order, parents with rolled-up figures.

Laid out by `planner.reports.xlsx`; read back (filled in by a unit) by `planner.services.ledger`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from planner.core.model import PlanTree
from planner.core.rollup import Colour, Rollup
from planner.core.status import Status
from planner.reports.weekly import restrict_to_unit
from planner.store.ledger_queries import latest_notes, plan_uid
from planner.store.queries import load_tree, load_units, local_midnight


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


def build_ledger(*, session: Session, today: date, unit_id: str | None = None,
                 tree: PlanTree | None = None, rollup: Rollup | None = None) -> Ledger:
    """Every non-archived item in tree order with owners, dates, figures and its latest note
    as of `today`; with `unit_id`, only the items that unit leads or supports (and their
    ancestors). A given `tree` (e.g. a past week's, rebuilt from history) is used as is, and
    so is a given `rollup` of it as of `today` (the weekly report has one already)."""
    if tree is None:
        tree = load_tree(session=session)
        if unit_id is not None:
            tree = restrict_to_unit(tree, unit_id)
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    notes = latest_notes(session=session, before=local_midnight(today + timedelta(days=1)))
    if rollup is None:
        rollup = Rollup(tree, today)
    rows = []
    for node_id in tree.preorder():
        node, figures = tree.nodes[node_id], rollup[node_id]
        leaf = tree.is_leaf(node_id)
        latest = notes.get(node_id)
        rows.append(LedgerRow(
            code=node.code, title=node.title, depth=tree.depth(node_id), is_leaf=leaf,
            lead=names.get(node.lead or "", node.lead or ""),
            support=tuple(names.get(unit, unit) for unit in node.support),
            start=node.start, due=node.due, status=node.status if leaf else None,
            progress=figures.progress, expected=figures.expected, colour=figures.colour,
            note=latest.note if latest else None,
            note_day=local_day(latest.at) if latest else None, version=node.version,
        ))
    return Ledger(tree.settings.title, today, rows, plan_uid(session=session))
