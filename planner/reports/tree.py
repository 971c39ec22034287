"""The plan tree as aligned text: progress bars, 序时进度, warning colour, lead and due."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from planner.core.model import PlanTree
from planner.core.outline import Criteria, kept_ids, visible_rows
from planner.core.rollup import Colour, Rollup
from planner.core.text import terminal_text
from planner.core.textwidth import cell_width, fit, rjust
from planner.i18n import label
from planner.store.dbapi import Db, as_db, read_tree, read_unit_names
from planner.store.rollup_cache import read_shown

if TYPE_CHECKING:
    from sqlmodel import Session

WARNING_SYMBOL = {Colour.RED: "▲", Colour.YELLOW: "◆", Colour.BLUE: "●", Colour.GREEN: "○"}
ANSI = {Colour.RED: "\x1b[31m", Colour.YELLOW: "\x1b[33m", Colour.BLUE: "\x1b[34m",
        Colour.GREEN: "\x1b[32m"}
RESET = "\x1b[0m"
BAR_CELLS = 10


def progress_bar(percent: float, cells: int = BAR_CELLS) -> str:
    """A bar of full and empty blocks, e.g. ███░░░░░░░ for 30%."""
    full = round(max(0.0, min(100.0, percent)) / 100 * cells)
    return "█" * full + "░" * (cells - full)


def warning_text(colour: Colour, lang: str, *, ansi: bool = False) -> str:
    """Symbol and name of a warning colour, readable without colour too."""
    text = f"{WARNING_SYMBOL[colour]}{colour.label(lang)}"
    return f"{ANSI[colour]}{text}{RESET}" if ansi else text


def render_tree(tree: PlanTree, rollup: Rollup, unit_names: dict[str, str], *, lang: str,
                today: date, criteria: Criteria, root_code: str | None = None,
                max_depth: int | None = None, ansi: bool = False) -> str:
    """The tree as text lines with a header row: a subtree, filtered, cut at a depth. Text
    from the database is shown with control characters escaped (`terminal_text`)."""
    within = tree.by_code[root_code] if root_code else None
    kept = None
    if criteria.active:
        kept = kept_ids(tree, rollup, criteria, unit_names=unit_names, today=today,
                        within=within)[1]
    rows = visible_rows(tree, expanded=None, kept=kept,
                        roots=None if within is None else [within], max_depth=max_depth)
    code_width = max([len(label("code", lang)) + 2,
                      *(cell_width(terminal_text(tree.nodes[i].code)) + 2 * depth
                        for i, depth in rows)])
    code_width = min(code_width, 28)
    widths = {"title": 34, "lead": 14, "due": 10, "progress": BAR_CELLS + 5, "expected": 5,
              "status": 7, "warning": 4, "done_total": 7}
    if lang == "en":
        widths |= {"expected": 8, "status": 11, "warning": 7}
    header = "  ".join([
        fit(label("code", lang), code_width), fit(label("title", lang), widths["title"]),
        fit(label("lead", lang), widths["lead"]), fit(label("due", lang), widths["due"]),
        fit(label("progress", lang), widths["progress"]),
        rjust(label("expected", lang), widths["expected"]),
        fit(label("status", lang), widths["status"]),
        fit(label("warning", lang), widths["warning"]),
        rjust(label("done_total", lang), widths["done_total"]), label("flags", lang),
    ])
    lines = [terminal_text(tree.settings.title) + f"  ({label('today', lang)} {today.isoformat()})",
             header]
    for node_id, depth in rows:
        lines.append(_row(tree, rollup, node_id, unit_names, lang=lang, depth=depth,
                          code_width=code_width, widths=widths, ansi=ansi))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _row(tree: PlanTree, rollup: Rollup, node_id: int, unit_names: dict[str, str], *,
         lang: str, depth: int, code_width: int, widths: dict[str, int], ansi: bool) -> str:
    node, figures = tree.nodes[node_id], rollup[node_id]
    is_leaf = rollup.is_leaf(node_id)
    indent = "  " * depth
    status = node.status.label(lang) if is_leaf else ""
    done_total = "" if is_leaf else f"{figures.done}/{figures.leaves}"
    warning = warning_text(figures.colour, lang, ansi=ansi)
    return "  ".join([
        fit(indent + terminal_text(node.code), code_width),
        fit(terminal_text(node.title), widths["title"]),
        fit(terminal_text(unit_names.get(node.lead or "", node.lead or "")), widths["lead"]),
        fit(node.due.isoformat(), widths["due"]),
        f"{progress_bar(figures.progress)}{rjust(f'{figures.progress:.0f}%', 5)}",
        rjust(f"{figures.expected:.0f}%", widths["expected"]),
        fit(status, widths["status"]),
        warning + " " * (widths["warning"] - cell_width(warning_text(figures.colour, lang))),
        rjust(done_total, widths["done_total"]),
        " ".join(flags(tree, rollup, node_id, lang)),
    ])


def flags(tree: PlanTree, rollup: Rollup, node_id: int, lang: str) -> Iterable[str]:
    """Short notes on a row: unreported, postponed, needs coordination."""
    node = tree.nodes[node_id]
    if rollup.is_unreported(node_id):
        yield label("unreported", lang)
    if node.postponements:
        yield label("postponed", lang, n=node.postponements)
    if node.needs_coordination:
        yield label("coordination", lang)


@dataclass(frozen=True, slots=True)
class PlanView:
    """The plan as both front ends show it: the tree, its rollup as of one day, and the unit
    names by id."""

    tree: PlanTree
    rollup: Rollup
    unit_names: dict[str, str]


def plan_view(source: "Session | Db", *, today: date, branch: str | None = None) -> PlanView:
    """The plan with its rollup as of `today` and the unit names (`planner tree`, `planner
    show` and the TUI's snapshot); with `branch`, only that item, its ancestors and its
    subtree, which is all that subtree's figures need."""
    db = as_db(source)
    tree = read_tree(db, branch=branch)
    return PlanView(tree, Rollup(tree, today), read_unit_names(db))


def shown_view(db: Db, *, today: date, root: str | None, depth: int) -> PlanView | None:
    """Only the rows `planner tree [ROOT] --depth DEPTH` shows, with their stored rollup
    figures (store/rollup_cache.py); None when those are not current for `today`."""
    shown = read_shown(db, today=today, root=root, depth=depth)
    if shown is None:
        return None
    tree, figures = shown
    return PlanView(tree, Rollup.of_figures(tree, today, figures), read_unit_names(db))


def view_of(db: Db, rollup: Rollup) -> PlanView:
    """The plan view of a rollup just computed in `db`'s transaction."""
    return PlanView(rollup.tree, rollup, read_unit_names(db))
