"""Progress rollups, 序时进度 and 三色预警 computed in one pass over a snapshot."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property

from planner.core.dates import elapsed_fraction
from planner.core.model import FollowedItem, PlanTree, TaskNode
from planner.core.status import DONE_STATUSES, OPEN_STATUSES, Status
from planner.i18n import label


class Colour(StrEnum):
    """Warning colour; parents show the worst of their children."""

    GREEN = "green"
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"

    @property
    def severity(self) -> int:
        """0 for green up to 3 for red."""
        return _SEVERITY[self]

    def label(self, lang: str) -> str:
        """红/黄/蓝/绿, or the English name, from the message catalogue (`colour_<value>`)."""
        return label(f"colour_{self.value}", lang)


_SEVERITY = {Colour.GREEN: 0, Colour.BLUE: 1, Colour.YELLOW: 2, Colour.RED: 3}
LEAF_RULE = "leaf"
"""The `rule` of a leaf's figures (a parent's is its rollup rule)."""
SET_ASIDE = frozenset({Status.CANCELLED, Status.CARRIED_OVER})
"""Leaves counted in their parent's status counts but not in its progress: the work was
dropped, or goes on in another plan."""


@dataclass(slots=True)
class Figures:
    """What the tree shows for one node, leaf or parent."""

    progress: float
    expected: float
    colour: Colour
    rule: str
    status_counts: dict[Status, int] = field(default_factory=dict)
    earliest_open_due: date | None = None
    unreported: int = 0
    active_leaves: int = 0
    leaf_progress_sum: float = 0.0
    leaf_expected_sum: float = 0.0

    @property
    def leaves(self) -> int:
        """Leaves in the subtree, cancelled ones included."""
        return sum(self.status_counts.values())

    def count(self, status: Status) -> int:
        """Leaves in `status`."""
        return self.status_counts.get(status, 0)

    @property
    def done(self) -> int:
        """Leaves done or closed."""
        return self.count(Status.DONE) + self.count(Status.CLOSED)

    @property
    def lag(self) -> float:
        """How far actual progress trails 序时进度 (negative when ahead)."""
        return self.expected - self.progress


def cycle_start(today: date, report_cycle: str) -> date:
    """The first day of the current reporting window ending today."""
    if report_cycle == "monthly":
        from dateutil.relativedelta import relativedelta  # only monthly cycles need it

        return today - relativedelta(months=1) + timedelta(days=1)
    days = 14 if report_cycle == "biweekly" else 7
    return today - timedelta(days=days - 1)


def leaf_colour(node: TaskNode, progress: float, expected: float, *, today: date,
                tolerance: float, due_soon_days: int) -> Colour:
    """Red overdue, yellow lagging 序时进度 beyond `tolerance`, blue due soon, else green."""
    if node.status not in OPEN_STATUSES:
        return Colour.GREEN
    if today > node.due:
        return Colour.RED
    if expected - progress > tolerance:
        return Colour.YELLOW
    if (node.due - today).days <= due_soon_days:
        return Colour.BLUE
    return Colour.GREEN


def leaf_values(tree: PlanTree, node: TaskNode, today: date) -> tuple[float, float, Colour]:
    """A leaf's (progress, 序时进度, colour) on `today`: 100 when done, else its own progress
    or that of the items it follows (`following`)."""
    settings = tree.settings
    done = node.status in DONE_STATUSES
    progress = 100.0 if done else node.progress
    if settings.follow_annual and not done:
        followed = following(tree, node.id)
        total = sum(item.weight for item in followed)
        if total > 0:
            progress = sum(item.weight * item.progress for item in followed) / total
    expected = 100.0 * elapsed_fraction(node.start, node.due, today)
    colour = leaf_colour(node, progress, expected, today=today,
                         tolerance=settings.tolerance, due_soon_days=settings.due_soon_days)
    return progress, expected, colour


def inherited_rules(tree: PlanTree, order: list[int]) -> dict[int, str]:
    """Each node's rollup rule: its own, else its parent's, else the plan's (`order` lists
    every node after its parent)."""
    rules: dict[int, str] = {}
    for node_id in order:
        node = tree.nodes[node_id]
        rules[node_id] = node.rollup_rule or (
            rules[node.parent_id] if node.parent_id is not None else tree.settings.rollup)
    return rules


class Rollup:
    """Per-node figures for a tree at a date, with incremental refresh after an update."""

    def __init__(self, tree: PlanTree, today: date, *,
                 known: dict[int, Figures] | None = None) -> None:
        """Figures for every node of `tree`, children before parents. Nodes in `known` keep
        the figures given (computed before, e.g. the stored rollup cache): a partial tree
        holding only a path and the children along it then rolls up exactly as the whole."""
        self.tree = tree
        self.today = today
        self.figures: dict[int, Figures] = {}
        order = list(tree.preorder())
        self._rules = inherited_rules(tree, order)
        known = known or {}
        for node_id in reversed(order):
            self.figures[node_id] = known[node_id] if node_id in known \
                else self._compute(node_id)

    @classmethod
    def of_figures(cls, tree: PlanTree, today: date, figures: dict[int, Figures]) -> "Rollup":
        """A rollup of figures computed before (the stored cache) for the nodes of `tree`,
        which may hold only the rows on show: leaves are told by their figures' rule."""
        rollup = cls.__new__(cls)
        rollup.tree, rollup.today, rollup.figures = tree, today, figures
        rollup._rules = {node_id: each.rule for node_id, each in figures.items()}
        return rollup

    def __getitem__(self, node_id: int) -> Figures:
        return self.figures[node_id]

    def refresh(self, node_id: int) -> list[int]:
        """Recompute one node and its ancestors only; returns the ids recomputed."""
        path = [node_id, *self.tree.ancestors(node_id)]
        for each in path:
            self.figures[each] = self._compute(each)
        return path

    def _compute(self, node_id: int) -> Figures:
        tree = self.tree
        kids = tree.kids(node_id)
        if not kids:
            return self._leaf(tree.nodes[node_id])
        figures = Figures(0.0, 0.0, Colour.GREEN, self._rules[node_id])
        counts = figures.status_counts
        weighted_progress = weighted_expected = weight_total = 0.0
        severity = 0
        for kid_id in kids:
            kid = self.figures[kid_id]
            for status, count in kid.status_counts.items():
                counts[status] = counts.get(status, 0) + count
            figures.unreported += kid.unreported
            figures.active_leaves += kid.active_leaves
            figures.leaf_progress_sum += kid.leaf_progress_sum
            figures.leaf_expected_sum += kid.leaf_expected_sum
            if kid.active_leaves == 0:
                continue
            weight = tree.nodes[kid_id].weight
            weighted_progress += weight * kid.progress
            weighted_expected += weight * kid.expected
            weight_total += weight
            if _SEVERITY[kid.colour] > severity:
                figures.colour, severity = kid.colour, _SEVERITY[kid.colour]
            earliest = figures.earliest_open_due
            if kid.earliest_open_due and (earliest is None or kid.earliest_open_due < earliest):
                figures.earliest_open_due = kid.earliest_open_due
        if figures.rule == "leaf_count" and figures.active_leaves:
            figures.progress = figures.leaf_progress_sum / figures.active_leaves
            figures.expected = figures.leaf_expected_sum / figures.active_leaves
        elif weight_total > 0:
            figures.progress = weighted_progress / weight_total
            figures.expected = weighted_expected / weight_total
        return figures

    @cached_property
    def _cycle_start(self) -> date:
        """The first day of the reporting window a leaf in progress must have reported in."""
        return cycle_start(self.today, self.tree.settings.report_cycle)

    def _leaf(self, node: TaskNode) -> Figures:
        status = node.status
        progress, expected, colour = leaf_values(self.tree, node, self.today)
        figures = Figures(progress, expected, colour, LEAF_RULE, {status: 1})
        if status in SET_ASIDE:
            return figures
        figures.active_leaves = 1
        figures.leaf_progress_sum = progress
        figures.leaf_expected_sum = expected
        if status in OPEN_STATUSES:
            figures.earliest_open_due = node.due
        if status == Status.IN_PROGRESS and (
            node.last_report is None or node.last_report < self._cycle_start
        ):
            figures.unreported = 1
        return figures

    def is_leaf(self, node_id: int) -> bool:
        """Whether the node is a leaf of the plan (also in a tree holding only the rows on
        show, whose last level has no children loaded)."""
        return self.figures[node_id].rule == LEAF_RULE

    def is_unreported(self, node_id: int) -> bool:
        """A leaf in progress with no update within the report cycle."""
        return self.is_leaf(node_id) and self.figures[node_id].unreported == 1


@dataclass(slots=True)
class ExplanationRow:
    """One child's part in its parent's figure."""

    code: str
    title: str
    weight: float
    progress: float
    share: float
    counted: bool


@dataclass(slots=True)
class Explanation:
    """How a parent's progress was computed (shown by `planner show`)."""

    rule: str
    progress: float
    rows: list[ExplanationRow]
    active_leaves: int


def following(tree: PlanTree, node_id: int) -> list[FollowedItem]:
    """The items of other plans a leaf's progress follows, those that count: none unless
    the plan says so (`follow_annual`), its leaf is carried out by such items and some of
    them are neither cancelled nor carried over."""
    if not tree.settings.follow_annual:
        return []
    return [item for item in tree.followed.get(node_id, ()) if item.counted]


#: The `rule` of the explanation of a leaf that follows the items carrying it out.
FOLLOW_RULE = "follow_annual"


def explain(rollup: Rollup, node_id: int) -> Explanation | None:
    """The computation behind a parent's progress, or a following leaf's (`following`);
    None for another leaf."""
    tree = rollup.tree
    kids = tree.kids(node_id)
    if not kids:
        return _explain_following(rollup, node_id) if rollup.is_leaf(node_id) else None
    figures = rollup[node_id]
    counted = [k for k in kids if rollup[k].active_leaves > 0]
    weight_total = sum(tree.nodes[k].weight for k in counted) or 1.0
    rows = []
    for kid_id in kids:
        kid, kid_figures = tree.nodes[kid_id], rollup[kid_id]
        is_counted = kid_id in counted
        if figures.rule == "leaf_count":
            share = kid_figures.active_leaves / max(figures.active_leaves, 1)
        else:
            share = kid.weight / weight_total if is_counted else 0.0
        rows.append(ExplanationRow(kid.code, kid.title, kid.weight, kid_figures.progress,
                                   share, is_counted))
    return Explanation(figures.rule, figures.progress, rows, figures.active_leaves)


def _explain_following(rollup: Rollup, node_id: int) -> Explanation | None:
    tree, figures = rollup.tree, rollup[node_id]
    if not following(tree, node_id) or tree.nodes[node_id].status in DONE_STATUSES:
        return None
    items = tree.followed[node_id]
    total = sum(item.weight for item in items if item.counted) or 1.0
    rows = [ExplanationRow(item.name, item.title, item.weight, item.progress,
                           item.weight / total if item.counted else 0.0, item.counted)
            for item in items]
    return Explanation(FOLLOW_RULE, figures.progress, rows, figures.active_leaves)


def plan_progress(tree: PlanTree, rollup: Rollup) -> tuple[float, float]:
    """(progress, 序时进度) of the whole plan: its top-level items combined by the plan's
    rule (weighted by their weights, or by leaf count), items with no active leaf left out."""
    roots = [r for r in tree.roots if rollup[r].active_leaves]
    if tree.settings.rollup == "leaf_count":
        leaves = sum(rollup[r].active_leaves for r in roots) or 1
        return (sum(rollup[r].leaf_progress_sum for r in roots) / leaves,
                sum(rollup[r].leaf_expected_sum for r in roots) / leaves)
    total = sum(tree.nodes[r].weight for r in roots) or 1.0
    return (sum(tree.nodes[r].weight * rollup[r].progress for r in roots) / total,
            sum(tree.nodes[r].weight * rollup[r].expected for r in roots) / total)


@dataclass(slots=True)
class Standing:
    """What the weekly overview compares with an earlier day: the plan's (progress, 序时进度)
    as `plan_progress` gives them and each leaf's colour, without a Rollup's per-node
    figures (status counts, earliest due, unreported leaves)."""

    progress: float
    expected: float
    leaf_colours: dict[int, Colour]


def plan_standing(tree: PlanTree, today: date) -> Standing:
    """The plan's standing on `today`: the same numbers as `plan_progress(tree,
    Rollup(tree, today))` and the leaves' colours of that rollup, in a lighter pass (the
    sums are taken in the same order, so the figures are identical to the last bit)."""
    order = list(tree.preorder())
    rules = inherited_rules(tree, order)
    colours: dict[int, Colour] = {}
    # Per node: progress, expected, active leaves, leaf progress sum, leaf expected sum.
    values: dict[int, tuple[float, float, int, float, float]] = {}
    for node_id in reversed(order):
        kids = tree.kids(node_id)
        if not kids:
            node = tree.nodes[node_id]
            progress, expected, colours[node_id] = leaf_values(tree, node, today)
            values[node_id] = ((progress, expected, 0, 0.0, 0.0) if node.status in SET_ASIDE
                               else (progress, expected, 1, progress, expected))
            continue
        active, progress_sum, expected_sum = 0, 0.0, 0.0
        weighted_progress = weighted_expected = weight_total = 0.0
        for kid_id in kids:
            kid_progress, kid_expected, kid_active, kid_progress_sum, kid_expected_sum = \
                values[kid_id]
            active += kid_active
            progress_sum += kid_progress_sum
            expected_sum += kid_expected_sum
            if kid_active == 0:
                continue
            weight = tree.nodes[kid_id].weight
            weighted_progress += weight * kid_progress
            weighted_expected += weight * kid_expected
            weight_total += weight
        if rules[node_id] == "leaf_count" and active:
            progress, expected = progress_sum / active, expected_sum / active
        elif weight_total > 0:
            progress, expected = weighted_progress / weight_total, weighted_expected / weight_total
        else:
            progress, expected = 0.0, 0.0
        values[node_id] = (progress, expected, active, progress_sum, expected_sum)
    roots = [r for r in tree.roots if values[r][2]]
    if tree.settings.rollup == "leaf_count":
        leaves = sum(values[r][2] for r in roots) or 1
        return Standing(sum(values[r][3] for r in roots) / leaves,
                        sum(values[r][4] for r in roots) / leaves, colours)
    total = sum(tree.nodes[r].weight for r in roots) or 1.0
    return Standing(sum(tree.nodes[r].weight * values[r][0] for r in roots) / total,
                    sum(tree.nodes[r].weight * values[r][1] for r in roots) / total, colours)
