"""The plan as a plain snapshot: settings and a tree of task nodes, no database."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from planner.core.status import Status

ROLLUP_RULES = ("weighted", "leaf_count")
REPORT_CYCLES = ("weekly", "biweekly", "monthly")
#: The kinds of plan: 五年规划, 年度计划, 专项方案.
PLAN_KINDS = ("five-year", "annual", "programme")


@dataclass(slots=True)
class PlanSettings:
    """Plan-wide settings (from the `plan:` block of the plan file)."""

    title: str
    start: date
    end: date
    report_cycle: str = "weekly"
    rollup: str = "weighted"
    tolerance: float = 10.0
    due_soon_days: int = 14
    source: str | None = None
    follow_annual: bool = False
    """On: a leaf carried out by items of other plans (`implements`, 落实) takes its
    progress from them (`PlanTree.followed`), weighted as children are."""


@dataclass(frozen=True, slots=True)
class FollowedItem:
    """An item of another plan that carries out a leaf of this one (`implements`), as the
    leaf's progress follows it when the plan says so (`PlanSettings.follow_annual`)."""

    name: str
    """`PLAN:CODE`."""
    title: str
    weight: float
    progress: float
    """Its progress: 100 when done or closed, its active leaves' average when it has items
    below (a cancelled or carried-over item: the progress it reached, not counted)."""
    counted: bool
    """False when it was cancelled or carried over (its work goes on elsewhere, or not)."""


@dataclass(slots=True)
class TaskNode:
    """One work item as read from the store; parents' progress is never stored as truth."""

    id: int
    code: str
    title: str
    parent_id: int | None
    position: int
    start: date
    due: date
    status: Status = Status.NOT_STARTED
    progress: float = 0.0
    weight: float = 1.0
    lead: str | None = None
    support: tuple[str, ...] = ()
    rollup_rule: str | None = None
    original_due: date | None = None
    postponements: int = 0
    needs_coordination: bool = False
    coordination_reason: str | None = None
    last_report: date | None = None
    version: int = 1


@dataclass(slots=True)
class PlanTree:
    """Nodes by id, children in sibling order, and an index by code."""

    settings: PlanSettings
    nodes: dict[int, TaskNode] = field(default_factory=dict)
    children: dict[int | None, list[int]] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    followed: dict[int, list[FollowedItem]] = field(default_factory=dict)
    """The items of other plans each leaf's progress follows (`settings.follow_annual`),
    by the leaf's id; empty when the setting is off."""

    @classmethod
    def build(cls, settings: PlanSettings, nodes: list[TaskNode]) -> "PlanTree":
        """A tree from nodes in any order; siblings are ordered by position, then code."""
        tree = cls(settings)
        children = tree.children
        for node in nodes:
            tree.nodes[node.id] = node
            tree.by_code[node.code] = node.id
            children.setdefault(node.parent_id, []).append(node.id)
        by_id = tree.nodes
        for siblings in children.values():
            siblings.sort(key=lambda i: (by_id[i].position, by_id[i].code))
        return tree

    @property
    def roots(self) -> list[int]:
        """Top-level items in order."""
        return self.children.get(None, [])

    def kids(self, node_id: int) -> list[int]:
        """The children of a node in sibling order."""
        return self.children.get(node_id, [])

    def is_leaf(self, node_id: int) -> bool:
        """True when the node has no children."""
        return not self.children.get(node_id)

    def node(self, code: str) -> TaskNode:
        """The node with `code` (KeyError when absent)."""
        return self.nodes[self.by_code[code]]

    def ancestors(self, node_id: int) -> list[int]:
        """Parent, grandparent, … up to the root."""
        chain: list[int] = []
        parent = self.nodes[node_id].parent_id
        while parent is not None:
            chain.append(parent)
            parent = self.nodes[parent].parent_id
        return chain

    def preorder(self, start: int | None = None) -> Iterator[int]:
        """Ids in display order: each node before its children (the whole plan by default)."""
        stack = list(reversed(self.roots if start is None else [start]))
        while stack:
            node_id = stack.pop()
            yield node_id
            stack.extend(reversed(self.children.get(node_id, ())))

    def open_leaves(self) -> list[TaskNode]:
        """Leaves still to be done (not done, closed or cancelled), in display order."""
        return [self.nodes[i] for i in self.preorder()
                if self.is_leaf(i) and self.nodes[i].status.is_open]

    def depth(self, node_id: int) -> int:
        """0 for a top-level item."""
        return len(self.ancestors(node_id))


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for a bulk of objects without reference cycles
    (rows to insert, a snapshot being built), and restored as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def building_snapshot() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large snapshot is built, then freeze it.

    A snapshot is 100,000s of small objects with no reference cycles; without this the
    collector runs many full passes over them while they are created (about half the load
    time of a 100k plan), and again later, stalling the UI. Frozen objects are still freed by
    reference counting when the snapshot is dropped.
    """
    with collector_paused():
        yield
    gc.freeze()
