"""The plan as it stood on a past day (core.history), rebuilt from later changes."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from planner.core.history import state_at, states_at
from planner.core.model import PlanSettings, PlanTree, TaskNode
from planner.core.status import Status

D = date


@dataclass
class Update:
    """A recorded progress update, as the store reads it."""

    task_id: int
    at: datetime
    old_status: Status
    old_progress: float


@dataclass
class Move:
    """A recorded deadline move."""

    task_id: int
    at: datetime
    old_due: date
    new_due: date


def noon(day: date) -> datetime:
    """Midday UTC on `day` (the same local date in any zone within ±11 hours)."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def plan() -> PlanTree:
    """One area with two leaves, as they stand today."""
    nodes = [TaskNode(1, "1", "领域", None, 0, D(2023, 1, 1), D(2023, 12, 31)),
             TaskNode(2, "1.1", "甲", 1, 0, D(2023, 1, 1), D(2023, 9, 30), Status.DONE, 100.0,
                      postponements=2),
             TaskNode(3, "1.2", "乙", 1, 1, D(2023, 1, 1), D(2023, 12, 31),
                      Status.IN_PROGRESS, 70.0)]
    return PlanTree.build(PlanSettings("计划", D(2023, 1, 1), D(2023, 12, 31)), nodes)


UPDATES = [Update(2, noon(D(2023, 6, 20)), Status.IN_PROGRESS, 40.0),
           Update(2, noon(D(2023, 6, 28)), Status.IN_PROGRESS, 60.0),
           Update(3, noon(D(2023, 6, 28)), Status.NOT_STARTED, 0.0)]
MOVES = [Move(2, noon(D(2023, 6, 27)), D(2023, 6, 30), D(2023, 8, 31)),
         Move(2, noon(D(2023, 6, 29)), D(2023, 8, 31), D(2023, 9, 30))]


def test_a_leaf_stands_at_the_old_values_of_its_first_later_change() -> None:
    then = state_at(plan(), UPDATES, D(2023, 6, 25), MOVES)
    first, second = then.nodes[2], then.nodes[3]
    assert (first.status, first.progress, first.due) == (Status.IN_PROGRESS, 60.0, D(2023, 6, 30))
    assert first.postponements == 0  # both later moves were postponements
    assert (second.status, second.progress) == (Status.NOT_STARTED, 0.0)
    assert first.title == "甲" and first.parent_id == 1  # the rest of the item as it is


def test_changes_on_the_day_itself_count_and_the_given_tree_is_left_as_it_is() -> None:
    tree = plan()
    then = state_at(tree, UPDATES, D(2023, 6, 28), MOVES)
    assert (then.nodes[2].status, then.nodes[2].due) == (Status.DONE, D(2023, 8, 31))
    assert then.nodes[2].postponements == 1
    assert then.nodes[3].progress == 70.0
    assert (tree.nodes[2].status, tree.nodes[2].due, tree.nodes[2].postponements) == \
        (Status.DONE, D(2023, 9, 30), 2)
    assert state_at(tree, UPDATES, D(2023, 6, 29), MOVES) is tree  # nothing later: no copy


def test_states_at_several_days_are_each_days_state() -> None:
    tree = plan()
    days = [D(2023, 6, 28), D(2023, 6, 19), D(2023, 6, 25)]
    for day, state in zip(days, states_at(tree, UPDATES, days, MOVES), strict=True):
        assert state.nodes == state_at(tree, UPDATES, day, MOVES).nodes
