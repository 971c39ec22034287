"""督办 and 催办 notices (督办通知单, 催办通知单): choose what each unit's notice names
(`draft_notices`, a read), then issue them (`issue_notices`, the write): each notice takes
the next number of its series under the counter's lock, is recorded with the items it names
(their history shows it), and a 催办 records the cycle's 催办 step (services/cycle.py) on
each of its items. Both run inside the caller's writing transaction, which also writes the
document (reports/notice.py): a notice whose document cannot be written is never recorded.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from planner.core.dates import add_working_days
from planner.core.errors import PlannerError
from planner.core.model import PlanTree
from planner.core.notice import (
    DUE_COLOURS,
    MAX_FEEDBACK_DAYS,
    NoticeKind,
    notice_number,
)
from planner.core.rollup import Colour, Rollup
from planner.core.status import Status
from planner.i18n import msg
from planner.services.access import actor_for, require_plan_editor
from planner.services.changes import bump_revision, require_open_plan
from planner.services.cycle import urge
from planner.services.updates import status_name
from planner.store.dbapi import Db, read_settings, read_tree, read_unit_names
from planner.store.notices import (
    DecisionSource,
    insert_notice,
    insert_notice_item,
    read_decision_sources,
    read_requirements,
    take_serial,
)

#: `--unit all`: every unit with items due for a notice of the kind.
ALL_UNITS = "all"
LEAD, SUPPORT = "lead", "support"


@dataclass(frozen=True, slots=True)
class NoticeLine:
    """One item of a notice, with what the notice says about it."""

    task_id: int
    code: str
    title: str
    role: str
    """The addressed unit's role on the item: lead (主办) or support (协办)."""
    lead: str | None
    support: tuple[str, ...]
    due: date
    status: Status
    progress: float
    expected: float
    colour: Colour
    requirement: str
    """What the item asks for: its description, else the report's words."""
    decision: DecisionSource | None
    """The meeting decision that assigned it (会议交办事项); None: the plan itself."""


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """The notice one unit would get: the unit and the items, in the plan's order."""

    unit_id: str
    lines: tuple[NoticeLine, ...]


@dataclass(frozen=True, slots=True)
class NoticeBatch:
    """The notices of one run, before they are numbered."""

    kind: NoticeKind
    plan_title: str
    unit_names: dict[str, str]
    drafts: tuple[NoticeDraft, ...]
    today: date
    feedback_days: int
    feedback_by: date


@dataclass(frozen=True, slots=True)
class IssuedNotice:
    """A notice as issued: its draft, its number and its record's id."""

    draft: NoticeDraft
    year: int
    serial: int
    number: str
    notice_id: int


def draft_notices(db: Db, *, kind: NoticeKind, units: Sequence[str], codes: Sequence[str],
                  today: date, feedback_days: int) -> NoticeBatch:
    """What a run would issue: for each unit named (or every unit with items due, `all`),
    the items named (`codes`, those the unit leads or supports), else the open items it
    leads whose warning calls for the kind (core.notice.DUE_COLOURS); with items named and
    no unit, one notice per lead unit. Anything unknown, closed or not the unit's is refused
    before anything is written."""
    if not 1 <= feedback_days <= MAX_FEEDBACK_DAYS:
        raise PlannerError("notice_bad_feedback_days", days=feedback_days,
                           most=MAX_FEEDBACK_DAYS)
    names = read_unit_names(db)
    every = ALL_UNITS in units
    named = list(dict.fromkeys(unit for unit in units if unit != ALL_UNITS))
    for unit in named:
        if unit not in names:
            raise PlannerError("record_unknown_unit", unit=unit)
    if not codes and not every and not named:
        raise PlannerError("notice_nothing_named")
    tree = read_tree(db)
    rollup = Rollup(tree, today)
    if codes:
        chosen = _named_items(tree, codes)
        groups = (_by_lead(tree, chosen) if every or not named
                  else _by_unit(tree, chosen, named))
    else:
        due = DUE_COLOURS[kind]
        leaves = [node_id for node_id in tree.preorder() if tree.is_leaf(node_id)
                  and tree.nodes[node_id].status.is_open and rollup[node_id].colour in due]
        wanted = list(names) if every else named
        groups = {unit: [i for i in leaves if tree.nodes[i].lead == unit] for unit in wanted}
        for unit in named:
            if not groups[unit]:
                raise PlannerError("notice_unit_nothing_due", unit=unit,
                                   kind=msg(f"notice_kind_{kind.value}"))
        groups = {unit: ids for unit, ids in groups.items() if ids}
        if not groups:
            raise PlannerError("notice_nothing_due", kind=msg(f"notice_kind_{kind.value}"))
    decisions = read_decision_sources(db)
    requirements = read_requirements(db, sorted({i for ids in groups.values() for i in ids}))
    drafts = []
    for unit, ids in groups.items():
        lines = []
        for node_id in ids:
            node, figures = tree.nodes[node_id], rollup[node_id]
            source = next((decisions[each] for each in (node_id, *tree.ancestors(node_id))
                           if each in decisions), None)
            lines.append(NoticeLine(node_id, node.code, node.title,
                                    LEAD if node.lead == unit else SUPPORT, node.lead,
                                    node.support, node.due, node.status, figures.progress,
                                    figures.expected, figures.colour,
                                    requirements.get(node_id, ""), source))
        drafts.append(NoticeDraft(unit, tuple(lines)))
    return NoticeBatch(kind, read_settings(db).title, names, tuple(drafts), today,
                       feedback_days, add_working_days(today, feedback_days))


def _named_items(tree: PlanTree, codes: Sequence[str]) -> list[int]:
    """The ids of the items named, in the plan's order; an unknown or finished one refused."""
    chosen: list[int] = []
    for code in dict.fromkeys(codes):
        if code not in tree.by_code:
            raise PlannerError("db_no_item", code=code, where=code)
        node = tree.node(code)
        if not node.status.is_open:
            raise PlannerError("notice_item_not_open", where=code,
                               status=status_name(node.status))
        chosen.append(node.id)
    order = {node_id: index for index, node_id in enumerate(tree.preorder())}
    return sorted(chosen, key=order.__getitem__)


def _by_lead(tree: PlanTree, chosen: list[int]) -> dict[str, list[int]]:
    """The items named, grouped by their lead unit (in the order first met)."""
    groups: dict[str, list[int]] = {}
    for node_id in chosen:
        node = tree.nodes[node_id]
        if node.lead is None:
            raise PlannerError("notice_item_no_lead", where=node.code)
        groups.setdefault(node.lead, []).append(node_id)
    return groups


def _by_unit(tree: PlanTree, chosen: list[int], units: list[str]) -> dict[str, list[int]]:
    """For each unit named, the items named that it leads or supports; an item none of
    them has, or a unit with none of the items, is refused."""
    groups: dict[str, list[int]] = {unit: [] for unit in units}
    for node_id in chosen:
        node = tree.nodes[node_id]
        involved = [unit for unit in units if unit == node.lead or unit in node.support]
        if not involved:
            raise PlannerError("notice_item_not_of_unit", where=node.code, units=units)
        for unit in involved:
            groups[unit].append(node_id)
    for unit, ids in groups.items():
        if not ids:
            raise PlannerError("notice_unit_no_item_named", unit=unit)
    return groups


def issue_notices(db: Db, batch: NoticeBatch, *, at: datetime,
                  by_user: str | None) -> list[IssuedNotice]:
    """Issue the batch's notices in the caller's transaction: each takes the next number of
    its series (督办 or 催办, in the year of `batch.today`) and is recorded with its items;
    a 催办 records the cycle's 催办 step on each item the unit leads (a step concerns the
    lead unit), its note naming the notice.
    Coordinators only; a closed plan refuses it."""
    require_plan_editor(db, actor_for(db, by_user))
    require_open_plan(session=db)
    actor = actor_for(db, by_user)
    year = batch.today.year
    issued = []
    for draft in batch.drafts:
        serial = take_serial(db, batch.kind.value, year)
        number = notice_number(batch.kind, year, serial)
        notice_id = insert_notice(db, kind=batch.kind.value, year=year, serial=serial,
                                  number=number, unit_id=draft.unit_id, at=at,
                                  by_user=actor.name, feedback_by=batch.feedback_by)
        for position, line in enumerate(draft.lines):
            event_id = None
            if batch.kind == NoticeKind.URGE and line.role == LEAD:
                event_id = urge(session=db, code=line.code, at=at, by_user=by_user,
                                note=f"催办通知单 {number}").event_id
            insert_notice_item(db, notice_id=notice_id, task_id=line.task_id,
                               position=position, role=line.role, event_id=event_id)
        issued.append(IssuedNotice(draft, year, serial, number, notice_id))
    bump_revision(session=db)  # the items' history changed: open screens notice it
    db.wrote()
    return issued
