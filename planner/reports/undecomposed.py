"""Five-year items no annual plan carries out this year (未分解): the list coordinators are
asked about when the year's annual plan is drawn up.

An open leaf of the plan counts as broken down (分解) when an item of an open annual plan
whose period holds the report day names it, or one of its ancestors, in `implements`.
"""

from datetime import date

from planner.core.model import TaskNode
from planner.i18n import field, label
from planner.reports.document import render_document
from planner.reports.sections import Cell, Section
from planner.store.dbapi import Db, read_settings, read_tree, read_unit_names
from planner.store.links import implemented_this_year


def undecomposed_items(db: Db, *, today: date) -> list[TaskNode]:
    """The plan's open leaves that no open annual plan carries out on `today`, in tree order."""
    tree = read_tree(db)
    covered = implemented_this_year(db, today)
    return [node for node in tree.open_leaves()
            if node.id not in covered and not covered.intersection(tree.ancestors(node.id))]


def write_undecomposed(db: Db, *, today: date, fmt: str, lang: str) -> str:
    """The list as text, Markdown or HTML."""
    settings = read_settings(db)
    names = read_unit_names(db)
    items = undecomposed_items(db, today=today)
    section = Section("undecomposed", label("undecomposed_title", lang, year=today.year),
                      paragraphs=[label("undecomposed_count", lang, count=len(items))],
                      columns=[label("weekly_code", lang), label("weekly_item", lang),
                               label("weekly_lead", lang), label("weekly_due", lang),
                               label("xlsx_status", lang)],
                      empty=label("weekly_none", lang))
    section.rows = [[Cell(node.code), Cell(node.title),
                     Cell(names.get(node.lead or "", node.lead or "")),
                     Cell(node.due.isoformat()), Cell(node.status.label(lang))]
                    for node in items]
    header = [f"{settings.title} {label('undecomposed_report', lang)}",
              f"{field('weekly_as_of', lang)}{today.isoformat()}"]
    return render_document(header, [section], fmt=fmt, lang=lang)
