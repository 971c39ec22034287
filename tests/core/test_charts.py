"""The chart series (core/charts.py) on fixed data, every point computed by hand: progress
over time against 序时进度 for an item and an area, an indicator's path, a unit's score by
month."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.assessment import Line, UnitScore
from planner.core.charts import (
    DueChange,
    Point,
    ProgressChange,
    branch_tree,
    cut,
    indicator_series,
    month_ends,
    progress_series,
    score_by_month,
)
from planner.core.indicators import IndicatorSnapshot, Reading
from planner.core.model import PlanSettings, PlanTree, TaskNode
from planner.core.rollup import Rollup
from planner.core.status import Status

NS, IP, DONE = Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE
TODAY = date(2021, 6, 30)
SETTINGS = PlanSettings("十四五", date(2021, 1, 1), date(2025, 12, 31))


def tree(*nodes: TaskNode) -> PlanTree:
    return PlanTree.build(SETTINGS, list(nodes))


def change(task_id: int, on: date, old: tuple[Status, float],
           new: tuple[Status, float]) -> ProgressChange:
    return ProgressChange(task_id, on, old[0], new[0], old[1], new[1])


def points(*pairs: tuple[date, float]) -> tuple[Point, ...]:
    return tuple(Point(day, pytest.approx(value, abs=1e-6)) for day, value in pairs)  # type: ignore[arg-type]


def test_an_item_steps_at_each_report_against_a_straight_elapsed_line() -> None:
    # 2021 has 365 days: on 1 January 1/365 of the window has passed, on 31 December all.
    # The report of 15 July is after today: not replayed (the tree holds its value, 60).
    item = TaskNode(1, "3.1", "建设保护中心", None, 0, date(2021, 1, 1), date(2021, 12, 31),
                    IP, 60.0)
    changes = [change(1, date(2021, 3, 15), (NS, 0), (IP, 20)),
               change(1, date(2021, 5, 10), (IP, 20), (IP, 50)),
               change(1, date(2021, 7, 15), (IP, 50), (IP, 60))]
    series = progress_series(tree(item), 1, changes, [], TODAY)
    assert (series.start, series.end, series.changes, series.empty) == \
        (date(2021, 1, 1), date(2021, 12, 31), 2, False)
    assert series.actual == points((date(2021, 1, 1), 0), (date(2021, 3, 15), 20),
                                   (date(2021, 5, 10), 50), (date(2021, 6, 30), 50))
    assert series.expected == points((date(2021, 1, 1), 100 / 365), (date(2021, 12, 31), 100))
    assert series.expected_on(TODAY) == pytest.approx(100 * 181 / 365, abs=1e-4)


def test_an_area_follows_its_weighted_leaves_and_their_deadline_moves() -> None:
    # A (weight 1): 1 Jan – 10 Apr (100 days), moved on 15 Feb to 30 Apr (120 days), 40% on
    # 1 Feb, done on 1 Mar. B (weight 3): the year (365 days), 10% on 1 Mar; its move of
    # 1 July is after today. The area's figure is (1·A + 3·B) / 4.
    area = TaskNode(10, "5", "领域", None, 0, date(2021, 1, 1), date(2021, 12, 31))
    a = TaskNode(11, "5.1", "A", 10, 0, date(2021, 1, 1), date(2021, 4, 30), DONE, 100.0)
    b = TaskNode(12, "5.2", "B", 10, 1, date(2021, 1, 1), date(2022, 6, 30), IP, 10.0,
                 weight=3.0)
    changes = [change(11, date(2021, 2, 1), (NS, 0), (IP, 40)),
               change(11, date(2021, 3, 1), (IP, 40), (DONE, 100)),
               change(12, date(2021, 3, 1), (NS, 0), (IP, 10))]
    moves = [DueChange(11, date(2021, 2, 15), date(2021, 4, 10), date(2021, 4, 30)),
             DueChange(12, date(2021, 7, 1), date(2021, 12, 31), date(2022, 6, 30))]
    series = progress_series(tree(area, a, b), 10, changes, moves, TODAY)
    assert series.changes == 3
    assert series.end == date(2021, 12, 31)  # B's move is not in force today
    assert series.actual == points((date(2021, 1, 1), 0), (date(2021, 2, 1), 40 / 4),
                                   (date(2021, 3, 1), (100 + 3 * 10) / 4),
                                   (date(2021, 6, 30), (100 + 3 * 10) / 4))
    # Day n of the year: A's share n/100 (n/120 from the move), B's n/365. The line bends
    # where the move jumps it (14 → 15 Feb) and where A is due (30 Apr).
    assert series.expected == points(
        (date(2021, 1, 1), 100 * (1 / 100 + 3 * 1 / 365) / 4),
        (date(2021, 2, 14), 100 * (45 / 100 + 3 * 45 / 365) / 4),
        (date(2021, 2, 15), 100 * (46 / 120 + 3 * 46 / 365) / 4),
        (date(2021, 4, 30), 100 * (1 + 3 * 120 / 365) / 4),
        (date(2021, 12, 31), 100.0))


def test_an_item_without_history_is_empty_and_flat() -> None:
    item = TaskNode(1, "1.1", "x", None, 0, date(2021, 4, 1), date(2021, 5, 30), IP, 30.0)
    series = progress_series(tree(item), 1, [], [], TODAY)
    assert series.empty and series.changes == 0
    assert series.actual == points((date(2021, 4, 1), 30), (date(2021, 6, 30), 30))
    # Overdue: the line reaches 100 on its due date and the chart runs on to today.
    assert series.end == TODAY
    assert series.expected == points((date(2021, 4, 1), 100 / 60), (date(2021, 5, 30), 100),
                                     (date(2021, 6, 30), 100))


@st.composite
def histories(draw: st.DrawFn) -> tuple[PlanTree, int, list[ProgressChange], list[DueChange],
                                        date]:
    """A small plan of early 2021 (random shape, weights, rules and statuses), one of its nodes,
    and a recorded history of its leaves: updates and deadline moves, some after today."""
    count = draw(st.integers(1, 8))
    parents = [None] + [draw(st.integers(0, k - 1)) for k in range(1, count)]
    day = st.integers(0, 75).map(lambda n: date.fromordinal(date(2021, 1, 1).toordinal() + n))
    nodes = [TaskNode(k, f"c{k}", "t", parents[k], k, draw(day), draw(day),
                      weight=draw(st.sampled_from([0.0, 0.5, 1.0, 3.0])),
                      rollup_rule=draw(st.sampled_from([None, "weighted", "leaf_count"])))
             for k in range(count)]
    leaves = [k for k in range(count) if k not in parents]
    changes: list[ProgressChange] = []
    moves: list[DueChange] = []
    for on in sorted(draw(st.lists(day, max_size=12))):
        leaf = draw(st.sampled_from(leaves))
        node = nodes[leaf]
        if draw(st.booleans()):
            new_status = draw(st.sampled_from(list(Status)))
            new_progress = float(draw(st.integers(0, 100)))
            changes.append(ProgressChange(leaf, on, node.status, new_status, node.progress,
                                          new_progress))
            node.status, node.progress = new_status, new_progress
        else:
            new_due = draw(day)
            moves.append(DueChange(leaf, on, node.due, new_due))
            node.due = new_due
    return tree(*nodes), draw(st.integers(0, count - 1)), changes, moves, draw(day)


def rollup_on(plan: PlanTree, node_id: int, changes: list[ProgressChange],
              moves: list[DueChange], day: date, today: date) -> tuple[float, float]:
    """The node's (progress, 序时进度) by `Rollup` over its branch on `day`, as recorded by
    `today`: each leaf at the new values of its last change by then, else the old of its
    first."""
    on = min(day, today)
    branch = branch_tree(plan, node_id)
    nodes = dict(branch.nodes)
    for task_id in nodes:
        done = [c for c in changes if c.task_id == task_id and c.day <= on]
        later = [c for c in changes if c.task_id == task_id and c.day > on]
        if done:
            nodes[task_id] = replace(nodes[task_id], status=done[-1].new_status,
                                     progress=done[-1].new_progress)
        elif later:
            nodes[task_id] = replace(nodes[task_id], status=later[0].old_status,
                                     progress=later[0].old_progress)
        moved = [m for m in moves if m.task_id == task_id and m.day <= on]
        pending = [m for m in moves if m.task_id == task_id and m.day > on]
        if moved:
            nodes[task_id] = replace(nodes[task_id], due=moved[-1].new_due)
        elif pending:
            nodes[task_id] = replace(nodes[task_id], due=pending[0].old_due)
    figures = Rollup(PlanTree(plan.settings, nodes, branch.children, branch.by_code),
                     day)[node_id]
    return figures.progress, figures.expected


def on_line(points: tuple[Point, ...], day: date) -> float:
    """The polyline's value on `day` (between its points, linearly)."""
    for before, after in pairwise(points):
        if before.day <= day <= after.day:
            share = (day - before.day).days / ((after.day - before.day).days or 1)
            return before.value + (after.value - before.value) * share
    assert len(points) == 1 and points[0].day == day
    return points[0].value


@settings(max_examples=80, deadline=None)
@given(histories())
def test_the_series_is_the_rollup_on_every_day(history: tuple[
        PlanTree, int, list[ProgressChange], list[DueChange], date]) -> None:
    plan, node_id, changes, moves, today = history
    series = progress_series(plan, node_id, changes, moves, today)
    for point in series.actual:
        assert point.value == pytest.approx(rollup_on(plan, node_id, changes, moves,
                                                      point.day, today)[0], abs=1e-4)
    replayed = [c for c in changes if c.day <= today]
    assert series.changes == len([c for c in replayed
                                  if plan.is_leaf(c.task_id)
                                  and c.task_id in set(plan.preorder(node_id))])
    day = series.start
    while day <= series.end:  # every day, also those between the line's bends
        truth = rollup_on(plan, node_id, changes, moves, day, today)
        assert on_line(series.expected, day) == pytest.approx(truth[1], abs=1e-4), day
        day += timedelta(days=1)


def test_an_indicator_path_runs_from_baseline_through_year_targets_to_target() -> None:
    indicator = IndicatorSnapshot("I1", "发明专利授权周期", "月", 36, 3, "down",
                                  year_targets={2021: 30, 2023: 15, 2030: 1},
                                  readings=[Reading(date(2021, 6, 30), 34),
                                            Reading(date(2022, 12, 31), 25)])
    series = indicator_series(indicator, date(2021, 1, 1), date(2025, 12, 31))
    assert series.path == (Point(date(2021, 1, 1), 36), Point(date(2021, 12, 31), 30),
                           Point(date(2023, 12, 31), 15), Point(date(2025, 12, 31), 3))
    assert series.readings == (Point(date(2021, 6, 30), 34), Point(date(2022, 12, 31), 25))
    assert series.has_target and not series.empty
    bare = indicator_series(IndicatorSnapshot("I9", "x", "件", 5, None, "up"),
                            date(2021, 1, 1), date(2025, 12, 31))
    assert bare.path == (Point(date(2021, 1, 1), 5),) and not bare.has_target and bare.empty


def test_month_ends_cut_the_last_month_at_the_end() -> None:
    assert month_ends(date(2024, 1, 15), date(2024, 3, 20)) == [
        date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 20)]


def test_a_units_score_by_month_adds_its_lines_and_ends_at_its_score() -> None:
    lines = [Line("base", Decimal(100), Decimal(100)),
             Line("on_time", Decimal(1), Decimal(1), date(2025, 1, 15)),
             Line("late", Decimal("-0.5"), Decimal("-0.5"), date(2025, 2, 3)),
             Line("on_time", Decimal(2), Decimal(1), date(2025, 2, 28)),
             Line("overdue", Decimal(-1), Decimal(-1), date(2025, 3, 20))]
    score = UnitScore("amr", "市场监管局", Decimal("101.5"), 1, lines)
    assert score_by_month(score, date(2025, 1, 1), date(2025, 3, 20)) == (
        Point(date(2025, 1, 31), 101.0), Point(date(2025, 2, 28), 102.5),
        Point(date(2025, 3, 20), 101.5))


def test_cut_ends_a_line_on_the_day_with_its_value_there() -> None:
    line = (Point(date(2021, 1, 1), 0.0), Point(date(2021, 1, 11), 100.0),
            Point(date(2021, 2, 1), 100.0))
    assert cut(line, date(2021, 1, 6)) == (Point(date(2021, 1, 1), 0.0),
                                           Point(date(2021, 1, 6), 50.0))
    assert cut(line, date(2021, 1, 11)) == line[:2]
    assert cut(line, date(2021, 3, 1)) == line
    assert cut(line, date(2020, 12, 31)) == ()
