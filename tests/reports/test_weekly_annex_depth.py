"""How deep the weekly paper's annex goes, found without walking the whole plan."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.model import PlanSettings, PlanTree, TaskNode
from planner.reports.ledger import tree_depths
from planner.reports.weekly_paper import ANNEX_ROWS, depth_within, tree_annex_depth


def forest(parents: list[int | None]) -> PlanTree:
    """Items 1…n, item i under `parents[i-1]` (an earlier item, or none)."""
    nodes = [TaskNode(i, str(i), f"事项{i}", parent, i, date(2023, 1, 1), date(2023, 12, 31))
             for i, parent in enumerate(parents, start=1)]
    return PlanTree.build(PlanSettings("计划", date(2023, 1, 1), date(2023, 12, 31)), nodes)


@st.composite
def forests(draw: st.DrawFn) -> PlanTree:
    """Up to 3×ANNEX_ROWS items, wide or deep, so the annex's limit falls at any level."""
    count = draw(st.integers(1, 3 * ANNEX_ROWS))
    parents: list[int | None] = [None]
    for index in range(2, count + 1):
        parents.append(draw(st.none() | st.integers(max(1, index - 8), index - 1)))
    return forest(parents)


@settings(max_examples=40, deadline=None)
@given(forests())
def test_annex_depth_is_that_of_every_row(tree: PlanTree) -> None:
    assert tree_annex_depth(tree) == depth_within(d for _node, d in tree_depths(tree))


def test_a_wide_first_level_stops_the_annex_at_the_top() -> None:
    tree = forest([None] * (ANNEX_ROWS + 1) + [1, 1])
    assert tree_annex_depth(tree) == 0
