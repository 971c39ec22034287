"""Which rows a tree view shows: filter criteria, kept ancestors, expanded branches."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from planner.core.model import PlanTree
from planner.core.rollup import Colour, Rollup
from planner.core.status import Status


@dataclass(frozen=True, slots=True)
class Criteria:
    """A filter over leaves (and, for text and unit, any item); empty means no filter."""

    text: str = ""
    unit: str | None = None
    colours: frozenset[Colour] = frozenset()
    statuses: frozenset[Status] = frozenset()
    due_within_days: int | None = None
    needs_coordination: bool = False

    @property
    def active(self) -> bool:
        """True when anything is being filtered."""
        return bool(self.text or self.unit or self.colours or self.statuses
                    or self.due_within_days is not None or self.needs_coordination)


def node_matches(tree: PlanTree, rollup: Rollup, node_id: int, criteria: Criteria, *,
                 unit_names: dict[str, str], today: date) -> bool:
    """Whether one item satisfies every part of `criteria`."""
    node = tree.nodes[node_id]
    if criteria.text:
        needle = criteria.text.casefold()
        haystack = [node.code, node.title, unit_names.get(node.lead or "", ""),
                    *(unit_names.get(unit, unit) for unit in node.support)]
        if not any(needle in text.casefold() for text in haystack):
            return False
    if criteria.unit is not None and criteria.unit != node.lead \
            and criteria.unit not in node.support:
        return False
    is_leaf = tree.is_leaf(node_id)
    figures = rollup[node_id]
    if criteria.colours and (not is_leaf or figures.colour not in criteria.colours
                             or figures.active_leaves == 0):
        return False
    if criteria.statuses and (not is_leaf or node.status not in criteria.statuses):
        return False
    if criteria.due_within_days is not None and (
        not is_leaf or not node.status.is_open
        or not 0 <= (node.due - today).days <= criteria.due_within_days
    ):
        return False
    return not criteria.needs_coordination or node.needs_coordination


#: Between the texts of one item in `search_texts` (no needle typed in a field holds it).
TEXT_SEPARATOR = "\0"


def search_texts(tree: PlanTree, unit_names: dict[str, str]) -> dict[int, str]:
    """Each item's searchable texts as `node_matches` reads them (code, title, lead's and
    supporting units' names), casefolded and joined: made once per snapshot, so a search of
    a large plan is one substring test per item."""
    texts = {}
    for node_id, node in tree.nodes.items():
        texts[node_id] = TEXT_SEPARATOR.join(
            (node.code, node.title, unit_names.get(node.lead or "", ""),
             *(unit_names.get(unit, unit) for unit in node.support))).casefold()
    return texts


def kept_ids(tree: PlanTree, rollup: Rollup, criteria: Criteria, *, unit_names: dict[str, str],
             today: date, within: int | None = None,
             texts: dict[int, str] | None = None) -> tuple[set[int], set[int]]:
    """(matching ids, matching ids plus their ancestors) under `within` (whole plan if None).

    `texts` (`search_texts` of the same tree) makes the text part one test per item."""
    candidates: Iterable[int] = tree.preorder(within)
    if criteria.text and texts is not None:
        needle = criteria.text.casefold()
        candidates = [node_id for node_id, text in texts.items() if needle in text] \
            if within is None else [node_id for node_id in candidates
                                    if needle in texts[node_id]]
        criteria = replace(criteria, text="")
    matches = {
        node_id for node_id in candidates
        if node_matches(tree, rollup, node_id, criteria, unit_names=unit_names, today=today)
    }
    kept = set(matches)
    for node_id in matches:
        parent = tree.nodes[node_id].parent_id
        while parent is not None and parent not in kept:
            kept.add(parent)
            parent = tree.nodes[parent].parent_id
    if within is not None:
        kept.add(within)
    return matches, kept


def visible_rows(tree: PlanTree, *, expanded: set[int] | None, kept: set[int] | None = None,
                 roots: Iterable[int] | None = None,
                 max_depth: int | None = None) -> list[tuple[int, int]]:
    """(id, depth) rows in display order.

    `expanded=None` shows every branch open; otherwise only the children of expanded nodes.
    With `kept`, only kept nodes are shown and every kept branch is open. `max_depth` cuts
    rows at that many levels below the roots.
    """
    rows: list[tuple[int, int]] = []
    stack = [(node_id, 0) for node_id in reversed(list(tree.roots if roots is None else roots))]
    children = tree.children
    while stack:
        node_id, depth = stack.pop()
        if kept is not None and node_id not in kept:
            continue
        rows.append((node_id, depth))
        if max_depth is not None and depth + 1 >= max_depth:
            continue
        if kept is None and expanded is not None and node_id not in expanded:
            continue
        stack.extend((kid, depth + 1) for kid in reversed(children.get(node_id, ())))
    return rows
