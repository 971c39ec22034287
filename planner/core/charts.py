"""The series the TUI's charts draw (pure): an item's or an area's actual progress over time
against its 序时进度, an indicator's readings against its baseline → target path, and a
unit's cumulative assessment score by month.

Progress over time is the plan's own rollup (`core.rollup.Rollup`) on past days: the item's
branch is put back as it stood before its first recorded change, then the recorded changes
are replayed day by day, so a parent's curve follows the same weights, rule and 序时进度 the
tree and the weekly report use (tests/core/test_charts.py checks it against `Rollup`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from heapq import heappop, heappush
from itertools import pairwise

from planner.core.assessment import UnitScore
from planner.core.indicators import IndicatorSnapshot
from planner.core.model import PlanTree, TaskNode
from planner.core.rollup import SET_ASIDE
from planner.core.status import DONE_STATUSES, Status


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a series: a day and a value (a percentage, a reading or a score)."""

    day: date
    value: float


@dataclass(frozen=True, slots=True)
class ProgressChange:
    """A recorded progress update as the chart replays it: its item, local day and values."""

    task_id: int
    day: date
    old_status: Status
    new_status: Status
    old_progress: float
    new_progress: float


@dataclass(frozen=True, slots=True)
class DueChange:
    """A recorded deadline move: its item, local day, and the due date before and after."""

    task_id: int
    day: date
    old_due: date
    new_due: date


@dataclass(frozen=True, slots=True)
class ProgressSeries:
    """An item's (or an area's) progress over time against its 序时进度, in percent.

    `actual` has a point at `start` (the progress before the first change), one at each day
    with a recorded change, and one at `today`; `expected` is the 序时进度 line from `start`
    to `end` (the latest due date, or today when later), with a point wherever it bends.
    `changes` counts the recorded changes replayed (0: nothing was ever reported)."""

    code: str
    title: str
    start: date
    end: date
    today: date
    actual: tuple[Point, ...]
    expected: tuple[Point, ...]
    changes: int

    @property
    def empty(self) -> bool:
        """Nothing recorded: there is no curve to draw."""
        return self.changes == 0

    def expected_on(self, day: date) -> float:
        """序时进度 on `day`, read off the line (its first value before it, its last after)."""
        points = self.expected
        for before, after in pairwise(points):
            if before.day <= day <= after.day:
                share = (day - before.day).days / ((after.day - before.day).days or 1)
                return before.value + (after.value - before.value) * share
        if not points:
            return 0.0
        return points[0].value if day < points[0].day else points[-1].value


@dataclass(frozen=True, slots=True)
class IndicatorSeries:
    """An indicator's readings against its path: the baseline at the plan's start, each
    year's target at that year's end (within the plan), the final target at the plan's end."""

    code: str
    name: str
    unit: str
    direction: str
    readings: tuple[Point, ...]
    path: tuple[Point, ...]
    has_target: bool

    @property
    def empty(self) -> bool:
        """No reading recorded."""
        return not self.readings


# --- progress over time ----------------------------------------------------------------------

def branch_tree(tree: PlanTree, node_id: int) -> PlanTree:
    """The subtree of `node_id` as a plan of its own (the node its only top-level item, with
    the rollup rule it has in `tree`), so its figures are those it has in the whole plan.
    The progress a leaf follows from other plans is left out: its history is not recorded
    here, so past days show the leaf's own reported progress."""
    ids = list(tree.preorder(node_id))
    nodes = {i: tree.nodes[i] for i in ids}
    rule = None
    for i in [node_id, *tree.ancestors(node_id)]:
        rule = tree.nodes[i].rollup_rule
        if rule:
            break
    nodes[node_id] = replace(tree.nodes[node_id], parent_id=None,
                             rollup_rule=rule or tree.settings.rollup)
    children: dict[int | None, list[int]] = {None: [node_id]}
    children.update({i: list(tree.kids(i)) for i in ids if tree.kids(i)})
    return PlanTree(tree.settings, nodes, children, {nodes[i].code: i for i in ids})


def progress_series(tree: PlanTree, node_id: int, changes: Iterable[ProgressChange],
                    moves: Iterable[DueChange], today: date) -> ProgressSeries:
    """The progress of `node_id` over time against its 序时进度 (see `ProgressSeries`).

    `changes` and `moves` are the recorded updates and deadline moves of the node's branch,
    oldest first (others are ignored); those after `today` are not replayed. `tree` holds
    the items as they stand now. The figures are `Rollup`'s on each day (see `_Sweep`)."""
    branch = branch_tree(tree, node_id)
    leaves = [i for i in branch.nodes if branch.is_leaf(i)]
    leaf_set = set(leaves)
    changes = [c for c in changes if c.task_id in leaf_set]
    moves = [m for m in moves if m.task_id in leaf_set]
    nodes = _as_before(branch.nodes, changes, moves)
    changes = [c for c in changes if c.day <= today]
    moves = [m for m in moves if m.day <= today]
    starts = [nodes[i].start for i in leaves]
    start = min([*starts, *(c.day for c in changes[:1])])
    due_now = {i: nodes[i].due for i in leaves} | {m.task_id: m.new_due for m in moves}
    end = max(*due_now.values(), today)
    actual_days = {start, *(c.day for c in changes)} | ({today} if today >= start else set())
    # 序时进度 bends the day before and on a window's first day (its start, or its due date
    # when that is earlier), on its due date, and where a move or a change of which leaves
    # count (a cancellation) takes effect.
    edges = {*starts, *(nodes[i].due for i in leaves), *(m.new_due for m in moves),
             *(m.day for m in moves), *(c.day for c in changes)}
    bends = {start, end, *edges, *(d - timedelta(days=1) for d in edges)}
    expected_days = {d for d in bends if start <= d <= end}
    sweep = _Sweep(branch, node_id, nodes, start)
    actual: list[Point] = []
    expected: list[Point] = []
    pending_changes = list(reversed(changes))
    pending_moves = list(reversed(moves))
    for day in sorted(actual_days | expected_days):
        today_changes: list[ProgressChange] = []
        while pending_changes and pending_changes[-1].day <= day:
            today_changes.append(pending_changes.pop())
        today_moves: list[DueChange] = []
        while pending_moves and pending_moves[-1].day <= day:
            today_moves.append(pending_moves.pop())
        sweep.apply(day, today_changes, today_moves)
        if day in actual_days and day <= today:
            actual.append(Point(day, round(sweep.progress, 6)))
        if day in expected_days:
            expected.append(Point(day, round(sweep.expected(day), 6)))
    root = tree.nodes[node_id]
    return ProgressSeries(root.code, root.title, start, end, today, tuple(actual),
                          tuple(_bends_only(expected)), len(changes))


class _Sweep:
    """A branch's rollup walked forward in time, day by day, in time linear in its size and
    history rather than days × items.

    Given which leaves count (not cancelled or carried over), the root's progress is a fixed
    linear combination of its leaves' progress, and its 序时进度 the same combination of
    theirs: `Rollup` weighs the counted children of a weighted parent by their weights and
    averages the counted leaves of a leaf-count parent. The coefficients are recomputed only
    when a leaf starts or stops counting. Each leaf's 序时进度 is 0 before its window,
    rises linearly through it and stays at 100 after, so the sum is kept as a slope and an
    intercept over day numbers, changed by differences filed on the days a leaf's piece
    starts or ends (a deadline move or new coefficient files its piece again from that day).
    """

    def __init__(self, branch: PlanTree, root: int, nodes: dict[int, TaskNode],
                 start: date) -> None:
        self.branch, self.root = branch, root
        self.order = list(branch.preorder(root))
        self.kids = {i: branch.kids(i) for i in self.order}
        self.leaves = [i for i in self.order if not self.kids[i]]
        # The leaves' changing values, kept apart from the (frozen) nodes: copying a node
        # for each change would cost more than the whole sweep.
        self.status = {leaf: nodes[leaf].status for leaf in self.leaves}
        self.value = {leaf: _value(nodes[leaf].status, nodes[leaf].progress)
                      for leaf in self.leaves}
        self.first_day = {leaf: nodes[leaf].start.toordinal() for leaf in self.leaves}
        self.due = {leaf: nodes[leaf].due.toordinal() for leaf in self.leaves}
        self.rules = _rules(branch, root)
        self.slope_diff: dict[int, float] = {}
        self.intercept_diff: dict[int, float] = {}
        self.pending: list[int] = []  # day numbers with differences not yet summed
        self.slope = self.intercept = 0.0
        self.coefficients = self._coefficients()
        for leaf in self.leaves:
            self._file(leaf, self.coefficients.get(leaf, 0.0), start.toordinal())
        self.progress = self._total()

    def apply(self, day: date, changes: Sequence[ProgressChange],
              moves: Sequence[DueChange]) -> None:
        """Replay the changes and moves recorded up to `day` (not replayed yet)."""
        ordinal = day.toordinal()
        recount = False
        for change in changes:
            leaf = change.task_id
            recount |= (self.status[leaf] in SET_ASIDE) != (change.new_status in SET_ASIDE)
            value = _value(change.new_status, change.new_progress)
            self.progress += self.coefficients.get(leaf, 0.0) * (value - self.value[leaf])
            self.status[leaf], self.value[leaf] = change.new_status, value
        for move in moves:
            coefficient = self.coefficients.get(move.task_id, 0.0)
            self._file(move.task_id, -coefficient, ordinal)
            self.due[move.task_id] = move.new_due.toordinal()
            self._file(move.task_id, coefficient, ordinal)
        if recount:
            old = self.coefficients
            self.coefficients = self._coefficients()
            for leaf in self.leaves:
                before, after = old.get(leaf, 0.0), self.coefficients.get(leaf, 0.0)
                if before != after:
                    self._file(leaf, after - before, ordinal)
            self.progress = self._total()

    def expected(self, day: date) -> float:
        """序时进度 of the root at the end of `day` (no earlier than the last `apply`)."""
        ordinal = day.toordinal()
        while self.pending and self.pending[0] <= ordinal:
            key = heappop(self.pending)
            self.slope += self.slope_diff.pop(key, 0.0)
            self.intercept += self.intercept_diff.pop(key, 0.0)
        return self.slope * ordinal + self.intercept

    def _total(self) -> float:
        return sum(coefficient * self.value[leaf]
                   for leaf, coefficient in self.coefficients.items())

    def _add(self, ordinal: int, slope: float, intercept: float) -> None:
        if ordinal not in self.slope_diff:
            heappush(self.pending, ordinal)
            self.slope_diff[ordinal] = self.intercept_diff[ordinal] = 0.0
        self.slope_diff[ordinal] += slope
        self.intercept_diff[ordinal] += intercept

    def _file(self, leaf: int, coefficient: float, since: int) -> None:
        """Add `coefficient` × the leaf's 序时进度 (`dates.elapsed_fraction`, in percent) to
        the sum from day number `since` on."""
        if not coefficient:
            return
        due = self.due[leaf]
        first = min(self.first_day[leaf], due)
        window = due - first + 1
        ramp_from = max(since, first)
        if ramp_from <= due:  # (d − first + 1) / window on [ramp_from, due]
            slope = 100.0 * coefficient / window
            self._add(ramp_from, slope, slope * (1 - first))
            self._add(due + 1, -slope, -slope * (1 - first))
        self._add(max(since, due + 1), 0.0, 100.0 * coefficient)

    def _coefficients(self) -> dict[int, float]:
        """What each counted leaf's progress is multiplied by in the root's figure."""
        nodes, status, kids_of = self.branch.nodes, self.status, self.kids
        if not kids_of[self.root]:
            return {self.root: 1.0}
        counted: dict[int, list[int]] = {}  # the counted leaves below each node
        for node_id in reversed(self.order):
            kids = kids_of[node_id]
            if not kids:
                counted[node_id] = [] if status[node_id] in SET_ASIDE else [node_id]
            else:
                counted[node_id] = [leaf for kid in kids for leaf in counted[kid]]
        coefficients: dict[int, float] = {}
        stack = [(self.root, 1.0)]
        while stack:
            node_id, share = stack.pop()
            kids = kids_of[node_id]
            if not kids:
                coefficients[node_id] = coefficients.get(node_id, 0.0) + share
            elif self.rules[node_id] == "leaf_count" and counted[node_id]:
                for leaf in counted[node_id]:
                    coefficients[leaf] = coefficients.get(leaf, 0.0) + share / len(
                        counted[node_id])
            else:
                weighed = [kid for kid in kids if counted[kid]]
                total = sum(nodes[kid].weight for kid in weighed)
                if total > 0:
                    stack += [(kid, share * nodes[kid].weight / total) for kid in weighed]
        return coefficients


def _rules(branch: PlanTree, root: int) -> dict[int, str]:
    """Each node's rollup rule: its own, else its parent's (the root has its own)."""
    rules: dict[int, str] = {}
    for node_id in branch.preorder(root):
        node = branch.nodes[node_id]
        inherited = branch.settings.rollup if node.parent_id is None else rules[node.parent_id]
        rules[node_id] = node.rollup_rule or inherited
    return rules


def _value(status: Status, progress: float) -> float:
    """A leaf's progress as its parents count it: 100 once done or closed."""
    return 100.0 if status in DONE_STATUSES else progress


def _as_before(nodes: dict[int, TaskNode], changes: Sequence[ProgressChange],
               moves: Sequence[DueChange]) -> dict[int, TaskNode]:
    """The branch's nodes as they stood before any recorded change: each item at the old
    values of its first update and the old due date of its first move."""
    before = dict(nodes)
    seen: set[int] = set()
    for change in changes:
        if change.task_id not in seen:
            seen.add(change.task_id)
            before[change.task_id] = replace(before[change.task_id], status=change.old_status,
                                             progress=change.old_progress)
    moved: set[int] = set()
    for move in moves:
        if move.task_id not in moved:
            moved.add(move.task_id)
            before[move.task_id] = replace(before[move.task_id], due=move.old_due)
    return before


def _bends_only(points: Sequence[Point]) -> list[Point]:
    """The points of a polyline without those lying on the straight line through their
    neighbours (the first and last always kept)."""
    kept: list[Point] = []
    for index, point in enumerate(points):
        if 0 < index < len(points) - 1:
            before, after = kept[-1], points[index + 1]
            run = (after.day - before.day).days
            on_line = before.value + (after.value - before.value) * (
                (point.day - before.day).days / run)
            if abs(on_line - point.value) < 1e-6:
                continue
        kept.append(point)
    return kept


def cut(points: Sequence[Point], last: date) -> tuple[Point, ...]:
    """A polyline's part up to `last`, ending on `last` with the value the line has there
    (when it runs past it)."""
    kept = [point for point in points if point.day <= last]
    following = next((point for point in points if point.day > last), None)
    if kept and following is not None and kept[-1].day < last:
        before = kept[-1]
        share = (last - before.day).days / (following.day - before.day).days
        kept.append(Point(last, round(before.value + (following.value - before.value) * share,
                                      6)))
    return tuple(kept)


# --- indicators ------------------------------------------------------------------------------

def indicator_series(indicator: IndicatorSnapshot, start: date, end: date) -> IndicatorSeries:
    """The indicator's readings (oldest first) and its path over the plan period [start,
    end]: the baseline on `start`, each year's target on 31 December of its year (the
    plan's end in its last year), then the final target on `end` when no year target is set
    for the last year. Without any target the path is the baseline alone."""
    path = [Point(start, indicator.baseline)]
    for year in sorted(indicator.year_targets):
        if start.year <= year <= end.year:
            path.append(Point(min(date(year, 12, 31), end), indicator.year_targets[year]))
    if indicator.target is not None and path[-1].day < end:
        path.append(Point(end, indicator.target))
    readings = tuple(Point(reading.on, reading.value) for reading in indicator.readings)
    return IndicatorSeries(indicator.code, indicator.name, indicator.unit, indicator.direction,
                           readings, tuple(path),
                           indicator.target is not None or len(path) > 1)


# --- assessment ------------------------------------------------------------------------------

def month_ends(start: date, end: date) -> list[date]:
    """The last day of each month from `start`'s to `end`'s, the last one cut to `end`."""
    days: list[date] = []
    first = start.replace(day=1)
    while first <= end:
        following = (first + timedelta(days=31)).replace(day=1)
        days.append(min(following - timedelta(days=1), end))
        first = following
    return days


def score_by_month(score: UnitScore, start: date, end: date) -> tuple[Point, ...]:
    """A unit's cumulative score at the end of each month of [start, end]: its base plus
    the points of its explanation lines dated by then. The last point is the score."""
    dated = sorted((line.day, line.points) for line in score.lines if line.day is not None)
    total = sum((line.points for line in score.lines if line.day is None), Decimal(0))
    points: list[Point] = []
    index = 0
    for month_end in month_ends(start, end):
        while index < len(dated) and dated[index][0] <= month_end:
            total += dated[index][1]
            index += 1
        points.append(Point(month_end, float(total)))
    return tuple(points)
