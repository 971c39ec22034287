"""The list of plans (`planner plans`): id, kind, title, period, state, items, progress
against 序时进度 and the warnings, each plan's figures from its stored rollups when they
are current (store/rollup_cache.py), else rolled up afresh."""

from dataclasses import dataclass
from datetime import date

from planner.core.rollup import Colour, Figures, Rollup, plan_progress
from planner.core.text import terminal_text
from planner.core.textwidth import cell_width, fit
from planner.i18n import label
from planner.reports.tree import warning_text
from planner.store.dbapi import Db, day, read_tree, use_plan
from planner.store.rollup_cache import read_shown


@dataclass(slots=True)
class PlanRow:
    """One plan as `planner plans` lists it."""

    id: int
    code: str
    kind: str
    title: str
    start: date
    end: date
    state: str
    current: bool
    parent: str | None
    items: int
    """Work items (leaves: what is reported on), cancelled ones included."""
    done: int
    """Of them, done or closed."""
    progress: float
    expected: float
    colour: Colour
    unreported: int
    fresh: bool
    """Whether the figures came from current stored rollups (else they were computed)."""


def plan_rows(db: Db, *, today: date) -> list[PlanRow]:
    """Every plan, oldest first, with its figures as of `today`. Leaves the transaction
    working on the last plan listed."""
    rows = db.rows("SELECT p.id, p.code, p.kind, p.title, p.start, p.\"end\", p.state, "
                   "p.current, parent.code FROM plan AS p "
                   "LEFT OUTER JOIN plan AS parent ON parent.id = p.parent_id ORDER BY p.id")
    listed = []
    for plan_id, code, kind, title, start, end, state, current, parent in rows:
        use_plan(db, plan_id)
        shown = read_shown(db, today=today, root=None, depth=1)
        if shown is not None:
            tree, figures = shown
            rollup = Rollup.of_figures(tree, today, figures)
        else:
            tree = read_tree(db)
            rollup = Rollup(tree, today)
        progress, expected = plan_progress(tree, rollup)
        roots = [rollup[root] for root in tree.roots]
        listed.append(PlanRow(plan_id, code, kind, title, day(start), day(end),  # type: ignore[arg-type]  # NOT NULL columns
                              state, bool(current), parent, sum(f.leaves for f in roots),
                              sum(f.done for f in roots), progress, expected, _worst(roots),
                              sum(f.unreported for f in roots), shown is not None))
    return listed


def _worst(figures: list[Figures]) -> Colour:
    return max((f.colour for f in figures), key=lambda c: c.severity, default=Colour.GREEN)


def render_plans(rows: list[PlanRow], *, lang: str) -> str:
    """The list as aligned text, one line per plan; the current plan is marked with *."""
    columns = ("plans_col_id", "plans_col_kind", "plans_col_title", "plans_col_period",
               "plans_col_state", "plans_col_items", "plans_col_progress",
               "plans_col_expected", "plans_col_warning")
    table = [[label(key, lang) for key in columns]]
    for row in rows:
        warning = warning_text(row.colour, lang)
        if row.unreported:
            warning += " " + label("plans_unreported", lang, count=row.unreported)
        table.append([("*" if row.current else "") + terminal_text(row.code),
                      label(f"plan_kind_{row.kind}", lang), terminal_text(row.title),
                      f"{row.start.isoformat()}~{row.end.isoformat()}",
                      label(f"plan_state_{row.state}", lang), f"{row.done}/{row.items}",
                      f"{row.progress:.1f}%", f"{row.expected:.1f}%", warning])
    widths = [min(max(cell_width(line[index]) for line in table), TITLE_CELLS) + 2
              for index in range(len(columns))]
    return "".join("".join(fit(cell, width) for cell, width in zip(line, widths, strict=True))
                   .rstrip() + "\n" for line in table)


TITLE_CELLS = 40
