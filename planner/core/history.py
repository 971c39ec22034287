"""The plan as it stood on a past day, rebuilt from the append-only history (pure)."""

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from planner.core.model import PlanTree, TaskNode
from planner.core.status import Status


class PastUpdate(Protocol):
    """What state_at needs of a recorded progress update."""

    @property
    def task_id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def old_status(self) -> Status: ...
    @property
    def old_progress(self) -> float: ...


class PastDueMove(Protocol):
    """What state_at needs of a recorded deadline move."""

    @property
    def task_id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def old_due(self) -> date: ...
    @property
    def new_due(self) -> date: ...


def state_at(tree: PlanTree, later_updates: Sequence[PastUpdate], day: date,
             later_moves: Sequence[PastDueMove] | None = None) -> PlanTree:
    """The tree with each leaf's status, progress and due date as they stood at the end of
    `day`.

    `later_updates` (and `later_moves`) must hold every update (and deadline move) after
    `day`, oldest first: an item changed since then stood at the old values of its first
    later change.
    """
    return states_at(tree, later_updates, [day], later_moves)[0]


def states_at(tree: PlanTree, later_updates: Sequence[PastUpdate], days: Sequence[date],
              later_moves: Sequence[PastDueMove] | None = None) -> list[PlanTree]:
    """`state_at` for each of `days` (the history must hold every change after the earliest
    of them), each change's local date taken once for all."""
    updates = [(update.at.astimezone().date(), update) for update in later_updates]
    moves = [(move.at.astimezone().date(), move) for move in later_moves or []]
    return [_state_at(tree, updates, day, moves) for day in days]


def _state_at(tree: PlanTree, updates: list[tuple[date, PastUpdate]], day: date,
              moves: list[tuple[date, PastDueMove]]) -> PlanTree:
    first_update: dict[int, PastUpdate] = {}
    for on, update in updates:
        if on > day and update.task_id not in first_update:
            first_update[update.task_id] = update
    first_move: dict[int, PastDueMove] = {}
    postponed_later: Counter[int] = Counter()
    for on, move in moves:
        if on > day:
            first_move.setdefault(move.task_id, move)
            postponed_later[move.task_id] += move.new_due > move.old_due
    if not first_update and not first_move:
        return tree
    nodes = dict(tree.nodes)
    for task_id, update in first_update.items():
        if task_id in nodes:
            node = nodes[task_id] = _copy(nodes[task_id])
            node.status, node.progress = update.old_status, update.old_progress
    for task_id, move in first_move.items():
        if task_id in nodes:
            node = nodes[task_id] = _copy(nodes[task_id])
            node.due = move.old_due
            node.postponements = max(0, node.postponements - postponed_later[task_id])
    return PlanTree(tree.settings, nodes, tree.children, tree.by_code)


def _copy(node: TaskNode) -> TaskNode:
    """A copy of a node to change (field by field: dataclasses.replace costs twice as much,
    felt over the thousands of items a busy week changes)."""
    twin = object.__new__(TaskNode)
    for name in TaskNode.__slots__:
        setattr(twin, name, getattr(node, name))
    return twin
