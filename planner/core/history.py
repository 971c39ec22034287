"""The plan as it stood on a past day, rebuilt from the append-only history (pure)."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Protocol

from planner.core.model import PlanTree
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
    first_update: dict[int, PastUpdate] = {}
    for update in later_updates:
        if update.at.astimezone().date() > day and update.task_id not in first_update:
            first_update[update.task_id] = update
    first_move: dict[int, PastDueMove] = {}
    postponed_later: Counter[int] = Counter()
    for move in later_moves or []:
        if move.at.astimezone().date() > day:
            first_move.setdefault(move.task_id, move)
            postponed_later[move.task_id] += move.new_due > move.old_due
    if not first_update and not first_move:
        return tree
    nodes = dict(tree.nodes)
    for task_id, update in first_update.items():
        if task_id in nodes:
            nodes[task_id] = replace(nodes[task_id], status=update.old_status,
                                     progress=update.old_progress)
    for task_id, move in first_move.items():
        if task_id in nodes:
            node = nodes[task_id]
            nodes[task_id] = replace(node, due=move.old_due, postponements=max(
                0, node.postponements - postponed_later[task_id]))
    return PlanTree(tree.settings, nodes, tree.children, tree.by_code)
