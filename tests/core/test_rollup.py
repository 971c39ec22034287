"""Tests for planner.core.rollup: progress rollups, 序时进度, 三色预警, counts and refresh."""

import copy
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planner.core.model import FollowedItem, PlanSettings, PlanTree, TaskNode
from planner.core.rollup import (
    SET_ASIDE,
    Colour,
    Rollup,
    cycle_start,
    explain,
    plan_progress,
    plan_standing,
)
from planner.core.status import Status

D = date
SLACK = 1e-9
PROPERTY = settings(max_examples=60, deadline=None)


def make_settings(**overrides: object) -> PlanSettings:
    """Plan settings for the 14th FYP period, with overrides."""
    values: dict[object, object] = {
        "title": "十四五知识产权重点任务", "start": D(2021, 1, 1), "end": D(2025, 12, 31),
    }
    values.update(overrides)
    return PlanSettings(**values)  # type: ignore[arg-type]


def make_tree(rows: list[tuple], **plan: object) -> PlanTree:
    """A tree from (id, parent_id, fields) rows; codes are the ids as text."""
    nodes = []
    for position, (node_id, parent_id, fields) in enumerate(rows):
        values = {"start": D(2021, 1, 1), "due": D(2025, 12, 31), **fields}
        nodes.append(TaskNode(id=node_id, code=str(node_id), title=f"事项{node_id}",
                              parent_id=parent_id, position=position, **values))
    return PlanTree.build(make_settings(**plan), nodes)


def leaf_one(today: date, *, plan: dict | None = None, **fields: object) -> Rollup:
    """The rollup of a one-leaf plan."""
    return Rollup(make_tree([(1, None, fields)], **(plan or {})), today)


# ---------------------------------------------------------------------------
# The random tree strategy
# ---------------------------------------------------------------------------

statuses = st.sampled_from(list(Status))
rules = st.sampled_from([None, None, None, "weighted", "leaf_count"])
weights = st.floats(0.1, 10, exclude_min=True, exclude_max=True)
progresses = st.floats(0, 100, allow_nan=False)


@st.composite
def trees(draw: st.DrawFn) -> tuple[PlanTree, date]:
    """A random forest of 1–60 items with a random `today`.

    Node i's parent is None or an earlier node, so the links always form a forest.
    """
    today = draw(st.dates(D(2019, 6, 1), D(2027, 6, 30)))
    count = draw(st.integers(1, 60))
    nodes = []
    for node_id in range(1, count + 1):
        parent = draw(st.none() | st.integers(1, node_id - 1)) if node_id > 1 else None
        start = draw(st.dates(D(2020, 1, 1), D(2026, 12, 31)))
        due = start + timedelta(days=draw(st.integers(0, 800)))
        last_report = draw(st.none() | st.integers(0, 70).map(lambda n: today - timedelta(n)))
        nodes.append(TaskNode(
            id=node_id, code=str(node_id), title=f"事项{node_id}", parent_id=parent,
            position=draw(st.integers(0, 5)), start=start, due=due, status=draw(statuses),
            progress=draw(progresses), weight=draw(weights), rollup_rule=draw(rules),
            last_report=last_report,
        ))
    plan = make_settings(
        rollup=draw(st.sampled_from(["weighted", "leaf_count"])),
        report_cycle=draw(st.sampled_from(["weekly", "biweekly", "monthly"])),
        tolerance=draw(st.floats(0, 30)),
        due_soon_days=draw(st.integers(0, 30)),
    )
    return PlanTree.build(plan, nodes), today


def leaves_under(tree: PlanTree, node_id: int) -> list[int]:
    """The leaves of the subtree rooted at `node_id`."""
    return [n for n in tree.preorder(node_id) if tree.is_leaf(n)]


def parents(tree: PlanTree) -> list[int]:
    """Every node with children."""
    return [n for n in tree.nodes if not tree.is_leaf(n)]


def counted_kids(tree: PlanTree, rollup: Rollup, node_id: int) -> list[int]:
    """Children with at least one active (not cancelled or carried over) leaf."""
    return [k for k in tree.kids(node_id) if rollup[k].active_leaves > 0]


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

@PROPERTY
@given(trees())
def test_parent_progress_lies_within_its_counted_children(case: tuple[PlanTree, date]) -> None:
    tree, today = case
    rollup = Rollup(tree, today)
    for figures in rollup.figures.values():
        assert -SLACK <= figures.progress <= 100 + SLACK
        assert -SLACK <= figures.expected <= 100 + SLACK
    for node_id in parents(tree):
        figures = rollup[node_id]
        if figures.rule == "leaf_count":
            members = [n for n in leaves_under(tree, node_id)
                       if tree.nodes[n].status not in SET_ASIDE]
        else:
            assert figures.rule == "weighted"
            members = counted_kids(tree, rollup, node_id)
        if not members:
            assert figures.progress == 0.0
            assert figures.expected == 0.0
            continue
        for attr in ("progress", "expected"):
            values = [getattr(rollup[m], attr) for m in members]
            assert min(values) - SLACK <= getattr(figures, attr) <= max(values) + SLACK
            if figures.rule == "leaf_count":
                mean = sum(values) / len(values)
                assert getattr(figures, attr) == pytest.approx(mean, rel=1e-9, abs=1e-9)


@PROPERTY
@given(trees(), st.data())
def test_an_update_changes_only_the_item_and_its_ancestors(
    case: tuple[PlanTree, date], data: st.DataObject
) -> None:
    tree, today = case
    leaves = [n for n in tree.nodes if tree.is_leaf(n)]
    leaf = data.draw(st.sampled_from(leaves))
    old = Rollup(tree, today)
    before = copy.deepcopy(old.figures)
    node = tree.nodes[leaf]
    tree.nodes[leaf] = replace(node, status=data.draw(statuses),
                               progress=data.draw(progresses))
    full = Rollup(tree, today)
    allowed = {leaf, *tree.ancestors(leaf)}
    changed = {n for n in tree.nodes if full[n] != before[n]}
    assert changed <= allowed
    recomputed = old.refresh(leaf)
    assert recomputed == [leaf, *tree.ancestors(leaf)]
    assert old.figures == full.figures


@PROPERTY
@given(trees(), st.floats(0.01, 100, exclude_min=True, exclude_max=True))
def test_weights_are_scale_invariant(case: tuple[PlanTree, date], factor: float) -> None:
    tree, today = case
    base = Rollup(tree, today)
    scaled_nodes = [replace(n, weight=n.weight * factor) for n in tree.nodes.values()]
    scaled = Rollup(PlanTree.build(tree.settings, scaled_nodes), today)
    for node_id, figures in base.figures.items():
        assert scaled[node_id].progress == pytest.approx(figures.progress, rel=1e-9, abs=1e-9)
        assert scaled[node_id].expected == pytest.approx(figures.expected, rel=1e-9, abs=1e-9)
        assert scaled[node_id].colour == figures.colour


@PROPERTY
@given(trees())
def test_parent_colour_counts_and_earliest_due_come_from_children(
    case: tuple[PlanTree, date]
) -> None:
    tree, today = case
    rollup = Rollup(tree, today)
    for node_id in parents(tree):
        figures = rollup[node_id]
        kids = tree.kids(node_id)
        counted = counted_kids(tree, rollup, node_id)
        worst = max((rollup[k].colour for k in counted), key=lambda c: c.severity,
                    default=Colour.GREEN)
        assert figures.colour == worst
        kid_counts: Counter[Status] = Counter()
        for kid in kids:
            kid_counts.update(rollup[kid].status_counts)
        assert Counter(figures.status_counts) == kid_counts
        assert figures.status_counts == {s: n for s, n in kid_counts.items() if n}
        assert figures.unreported == sum(rollup[k].unreported for k in kids)
        leaves = leaves_under(tree, node_id)
        assert figures.leaves == len(leaves)
        assert figures.active_leaves == sum(
            tree.nodes[n].status not in SET_ASIDE for n in leaves)
        open_dues = [tree.nodes[n].due for n in leaves if tree.nodes[n].status.is_open]
        assert figures.earliest_open_due == min(open_dues, default=None)


@PROPERTY
@given(trees(), st.data())
def test_cancelled_leaves_never_affect_the_parent(
    case: tuple[PlanTree, date], data: st.DataObject
) -> None:
    tree, today = case
    before = Rollup(tree, today)
    candidates = [
        n for n in tree.nodes
        if tree.is_leaf(n) and tree.nodes[n].parent_id is not None
        and tree.nodes[n].status not in SET_ASIDE
        and any(before[k].active_leaves for k in tree.kids(tree.nodes[n].parent_id) if k != n)
    ]
    assume(candidates)
    leaf = data.draw(st.sampled_from(candidates))
    parent = tree.nodes[leaf].parent_id
    assert parent is not None
    others = [k for k in tree.kids(parent) if k != leaf and before[k].active_leaves]
    tree.nodes[leaf] = replace(tree.nodes[leaf], status=Status.CANCELLED)
    after = Rollup(tree, today)
    figures = after[parent]
    if figures.rule == "weighted":
        total = sum(tree.nodes[k].weight for k in others)
        mean = sum(tree.nodes[k].weight * before[k].progress for k in others) / total
    else:
        active = before[parent].active_leaves - 1
        mean = (before[parent].leaf_progress_sum - before[leaf].progress) / active
    assert figures.progress == pytest.approx(mean, rel=1e-9, abs=1e-9)
    # Once cancelled, the leaf's own progress figure no longer matters to anyone else.
    tree.nodes[leaf] = replace(tree.nodes[leaf], progress=100 - tree.nodes[leaf].progress)
    again = Rollup(tree, today)
    assert all(again[n] == after[n] for n in tree.nodes if n != leaf)


def test_cancelling_a_leaf_leaves_the_weighted_mean_of_the_others() -> None:
    rows = [
        (1, None, {}),
        (2, 1, {"progress": 20, "weight": 1, "status": Status.IN_PROGRESS}),
        (3, 1, {"progress": 80, "weight": 3, "status": Status.IN_PROGRESS}),
        (4, 1, {"progress": 0, "weight": 4, "status": Status.CANCELLED}),
    ]
    rollup = Rollup(make_tree(rows), D(2021, 6, 1))
    assert rollup[1].progress == pytest.approx((20 * 1 + 80 * 3) / 4)
    assert rollup[1].active_leaves == 2
    assert rollup[1].leaves == 3


# ---------------------------------------------------------------------------
# 序时进度 (expected progress)
# ---------------------------------------------------------------------------

WINDOW = {"start": D(2021, 3, 1), "due": D(2021, 3, 10), "status": Status.IN_PROGRESS}


@pytest.mark.parametrize(("today", "expected"), [
    (D(2021, 2, 28), 0.0),     # before the start
    (D(2021, 3, 1), 10.0),     # the start day counts as one of ten days passed
    (D(2021, 3, 5), 50.0),     # the middle
    (D(2021, 3, 10), 100.0),   # the due date
    (D(2021, 4, 1), 100.0),    # after the due date
])
def test_expected_progress_follows_elapsed_time(today: date, expected: float) -> None:
    assert leaf_one(today, **WINDOW)[1].expected == pytest.approx(expected)


def test_parent_expected_is_the_weighted_mean_of_its_children() -> None:
    rows = [
        (1, None, {}),
        (2, 1, {**WINDOW, "weight": 1}),                                    # 50 % on 3/5
        (3, 1, {"start": D(2021, 3, 1), "due": D(2021, 3, 5), "weight": 3}),  # 100 %
    ]
    rollup = Rollup(make_tree(rows), D(2021, 3, 5))
    assert rollup[1].expected == pytest.approx((50 + 3 * 100) / 4)


# ---------------------------------------------------------------------------
# 三色预警 (warning colours)
# ---------------------------------------------------------------------------

YEAR = {"start": D(2021, 1, 1), "due": D(2021, 12, 31)}


def test_open_item_past_due_is_red() -> None:
    for status in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED):
        rollup = leaf_one(D(2022, 1, 1), status=status, progress=99, **YEAR)
        assert rollup[1].colour == Colour.RED


def test_red_on_the_day_after_due_not_on_due() -> None:
    on_due = leaf_one(D(2021, 12, 31), status=Status.IN_PROGRESS, progress=100, **YEAR)
    assert on_due[1].colour == Colour.BLUE
    after = leaf_one(D(2022, 1, 1), status=Status.IN_PROGRESS, progress=100, **YEAR)
    assert after[1].colour == Colour.RED


def test_lagging_beyond_tolerance_is_yellow() -> None:
    today = D(2021, 7, 2)  # 183 of 365 days: expected ≈ 50.1
    expected = leaf_one(today, **YEAR)[1].expected
    assert expected == pytest.approx(100 * 183 / 365)
    lagging = leaf_one(today, status=Status.IN_PROGRESS, progress=30, **YEAR)
    assert lagging[1].colour == Colour.YELLOW
    assert lagging[1].lag == pytest.approx(expected - 30)
    keeping_up = leaf_one(today, status=Status.IN_PROGRESS, progress=45, **YEAR)
    assert keeping_up[1].colour == Colour.GREEN


def test_lag_equal_to_tolerance_is_not_yellow() -> None:
    plan = {"tolerance": 10.0, "due_soon_days": 2}
    today = D(2021, 3, 5)  # expected 50
    at_limit = leaf_one(today, plan=plan, progress=40, **WINDOW)
    assert at_limit[1].colour == Colour.GREEN
    beyond = leaf_one(today, plan=plan, progress=39.5, **WINDOW)
    assert beyond[1].colour == Colour.YELLOW


def test_due_within_due_soon_days_is_blue() -> None:
    fields = {"status": Status.IN_PROGRESS, "progress": 100, **YEAR}
    assert leaf_one(D(2021, 12, 17), **fields)[1].colour == Colour.BLUE    # 14 days left
    assert leaf_one(D(2021, 12, 16), **fields)[1].colour == Colour.GREEN   # 15 days left
    plan = {"due_soon_days": 30}
    assert leaf_one(D(2021, 12, 1), plan=plan, **fields)[1].colour == Colour.BLUE


def test_red_beats_yellow_and_yellow_beats_blue() -> None:
    overdue_lagging = leaf_one(D(2022, 3, 1), status=Status.NOT_STARTED, **YEAR)
    assert overdue_lagging[1].colour == Colour.RED
    lagging_due_soon = leaf_one(D(2021, 12, 25), status=Status.IN_PROGRESS, progress=10,
                                **YEAR)
    assert lagging_due_soon[1].colour == Colour.YELLOW


@pytest.mark.parametrize("status", [Status.DONE, Status.CLOSED, Status.CANCELLED])
def test_finished_item_past_due_is_green(status: Status) -> None:
    rollup = leaf_one(D(2023, 1, 1), status=status, progress=10, **YEAR)
    assert rollup[1].colour == Colour.GREEN
    assert rollup[1].earliest_open_due is None


def test_parent_shows_the_worst_colour() -> None:
    rows = [
        (1, None, {}),
        (2, 1, {"status": Status.IN_PROGRESS, "progress": 100, "due": D(2021, 6, 10)}),  # blue
        (3, 1, {"status": Status.IN_PROGRESS, "progress": 0, "due": D(2021, 5, 1)}),     # red
        (4, 1, {"status": Status.DONE, "due": D(2021, 1, 1)}),                           # green
    ]
    rollup = Rollup(make_tree(rows), D(2021, 6, 1))
    assert [rollup[n].colour for n in (2, 3, 4)] == [Colour.BLUE, Colour.RED, Colour.GREEN]
    assert rollup[1].colour == Colour.RED
    assert rollup[1].earliest_open_due == D(2021, 5, 1)


def test_colour_labels_and_severity() -> None:
    assert [c.label("zh") for c in Colour] == ["绿", "蓝", "黄", "红"]
    assert Colour.RED.label("en") == "red"
    assert sorted(Colour, key=lambda c: c.severity) == [
        Colour.GREEN, Colour.BLUE, Colour.YELLOW, Colour.RED]


# ---------------------------------------------------------------------------
# Progress figures
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("status", [Status.DONE, Status.CLOSED])
def test_done_and_closed_count_as_full_progress(status: Status) -> None:
    rows = [
        (1, None, {}),
        (2, 1, {"status": status, "progress": 40}),
        (3, 1, {"status": Status.IN_PROGRESS, "progress": 50}),
    ]
    rollup = Rollup(make_tree(rows), D(2021, 6, 1))
    assert rollup[2].progress == 100.0
    assert rollup[1].progress == pytest.approx(75.0)
    assert rollup[1].done == 1


UNBALANCED = [
    (1, None, {}),
    (2, 1, {"status": Status.DONE, "weight": 3}),                   # A: 100
    (3, 1, {"weight": 1}),                                          # B: three leaves
    (4, 3, {"status": Status.NOT_STARTED, "progress": 0}),
    (5, 3, {"status": Status.IN_PROGRESS, "progress": 0}),
    (6, 3, {"status": Status.IN_PROGRESS, "progress": 60}),
    (7, 1, {"weight": 5}),                                          # C: only cancelled
    (8, 7, {"status": Status.CANCELLED, "progress": 90}),
]


def test_weighted_and_leaf_count_differ_on_an_unbalanced_tree() -> None:
    today = D(2021, 6, 1)
    weighted = Rollup(make_tree(UNBALANCED, rollup="weighted"), today)
    assert weighted[3].progress == pytest.approx(20.0)
    assert weighted[1].progress == pytest.approx((3 * 100 + 1 * 20) / 4)   # 80
    assert weighted[1].rule == "weighted"
    leaf_count = Rollup(make_tree(UNBALANCED, rollup="leaf_count"), today)
    assert leaf_count[3].progress == pytest.approx(20.0)
    assert leaf_count[1].progress == pytest.approx((100 + 0 + 0 + 60) / 4)  # 40
    assert leaf_count[1].rule == "leaf_count"
    assert leaf_count[7].progress == 0.0 and leaf_count[7].active_leaves == 0


def test_rollup_rule_override_is_inherited_by_the_subtree() -> None:
    rows = [
        (1, None, {"rollup_rule": "leaf_count"}),
        (2, 1, {"status": Status.DONE}),
        (3, 1, {"rollup_rule": "weighted"}),
        (4, 3, {"progress": 0, "weight": 2}),
        (5, 3, {"progress": 0}),
        (6, 3, {"progress": 60}),
        (9, None, {}),
        (10, 9, {"progress": 10}),
    ]
    rollup = Rollup(make_tree(rows, rollup="weighted"), D(2021, 6, 1))
    assert rollup[3].rule == "weighted"
    assert rollup[3].progress == pytest.approx(60 / 4)
    assert rollup[1].rule == "leaf_count"
    assert rollup[1].progress == pytest.approx(160 / 4)
    assert rollup[9].rule == "weighted"
    assert rollup[10].rule == "leaf"


def test_explain_weighted_rows_and_shares() -> None:
    rollup = Rollup(make_tree(UNBALANCED, rollup="weighted"), D(2021, 6, 1))
    explanation = explain(rollup, 1)
    assert explanation is not None
    assert explanation.rule == "weighted"
    assert explanation.progress == pytest.approx(80.0)
    assert explanation.active_leaves == 4
    rows = {row.code: row for row in explanation.rows}
    assert [row.code for row in explanation.rows] == ["2", "3", "7"]
    assert rows["2"].share == pytest.approx(0.75) and rows["2"].counted
    assert rows["3"].share == pytest.approx(0.25) and rows["3"].progress == pytest.approx(20)
    assert rows["7"].share == 0.0 and not rows["7"].counted
    assert rows["7"].weight == 5
    assert sum(r.progress * r.share for r in explanation.rows) == pytest.approx(80.0)


def test_explain_leaf_count_rows_and_shares() -> None:
    rollup = Rollup(make_tree(UNBALANCED, rollup="leaf_count"), D(2021, 6, 1))
    explanation = explain(rollup, 1)
    assert explanation is not None
    assert explanation.rule == "leaf_count"
    shares = [row.share for row in explanation.rows]
    assert shares == pytest.approx([0.25, 0.75, 0.0])
    assert sum(r.progress * r.share for r in explanation.rows) == pytest.approx(40.0)


def test_explain_is_none_for_a_leaf() -> None:
    assert explain(Rollup(make_tree(UNBALANCED), D(2021, 6, 1)), 2) is None


def test_refresh_after_an_update_matches_a_full_recomputation() -> None:
    tree = make_tree(UNBALANCED)
    today = D(2021, 6, 1)
    rollup = Rollup(tree, today)
    tree.nodes[6] = replace(tree.nodes[6], status=Status.DONE)
    assert rollup.refresh(6) == [6, 3, 1]
    assert rollup[3].progress == pytest.approx(100 / 3)
    assert rollup.figures == Rollup(tree, today).figures


# ---------------------------------------------------------------------------
# Unreported items (催报)
# ---------------------------------------------------------------------------

TODAY = D(2021, 6, 30)


@pytest.mark.parametrize(("cycle", "first_day"), [
    ("weekly", D(2021, 6, 24)),
    ("biweekly", D(2021, 6, 17)),
    ("monthly", D(2021, 5, 31)),
])
def test_unreported_follows_the_report_cycle(cycle: str, first_day: date) -> None:
    assert cycle_start(TODAY, cycle) == first_day
    plan = {"report_cycle": cycle}

    def unreported(**fields: object) -> bool:
        rollup = leaf_one(TODAY, plan=plan, **fields)
        return rollup.is_unreported(1)

    in_progress = {"status": Status.IN_PROGRESS}
    assert unreported(**in_progress, last_report=first_day - timedelta(days=1))
    assert unreported(**in_progress, last_report=None)
    assert not unreported(**in_progress, last_report=first_day)
    assert not unreported(**in_progress, last_report=TODAY)
    assert not unreported(status=Status.NOT_STARTED, last_report=None)
    assert not unreported(status=Status.NOT_STARTED, last_report=D(2020, 1, 1))
    assert not unreported(status=Status.DONE, last_report=None)


def test_unreported_counts_roll_up_and_parents_are_not_unreported() -> None:
    rows = [
        (1, None, {}),
        (2, 1, {"status": Status.IN_PROGRESS, "last_report": D(2021, 6, 1)}),
        (3, 1, {"status": Status.IN_PROGRESS, "last_report": TODAY}),
        (4, 1, {"status": Status.IN_PROGRESS}),
        (5, 1, {"status": Status.NOT_STARTED}),
    ]
    rollup = Rollup(make_tree(rows), TODAY)
    assert [rollup.is_unreported(n) for n in (2, 3, 4, 5)] == [True, False, True, False]
    assert rollup[1].unreported == 2
    assert not rollup.is_unreported(1)


@PROPERTY
@given(trees())
def test_plan_standing_is_the_full_rollups_plan_figures_to_the_last_bit(
        case: tuple[PlanTree, date]) -> None:
    """The weekly overview's light pass over last week gives exactly what a full rollup
    gives: the plan's progress and 序时进度 (same float sums, compared with ==) and every
    leaf's colour."""
    tree, today = case
    rollup = Rollup(tree, today)
    standing = plan_standing(tree, today)
    assert (standing.progress, standing.expected) == plan_progress(tree, rollup)
    assert standing.leaf_colours == {n: rollup[n].colour for n in tree.nodes if tree.is_leaf(n)}


def test_plan_standing_follows_the_items_carrying_a_leaf_out() -> None:
    """With `follow_annual`, a leaf's progress (and so its colour and the plan's figure) in
    the light pass comes from the items that carry it out, as in the full rollup."""
    tree = make_tree([(1, None, {}), (2, 1, {"progress": 5.0, "weight": 2.0}),
                      (3, 1, {"progress": 80.0, "due": D(2021, 6, 30)})],
                     follow_annual=True)
    tree.followed = {2: [FollowedItem("y:1", "年度事项", 1.0, 90.0, True),
                         FollowedItem("y:2", "年度事项", 3.0, 30.0, True)]}
    today = D(2021, 6, 1)
    rollup = Rollup(tree, today)
    standing = plan_standing(tree, today)
    assert rollup[2].progress == 45.0  # followed, not its own 5
    assert (standing.progress, standing.expected) == plan_progress(tree, rollup)
    assert standing.leaf_colours == {2: rollup[2].colour, 3: rollup[3].colour}
