"""Build the weekly report once and lay it out in the asked format (shared by CLI and TUI)."""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planner.reports.document import render_document, write_text_file
from planner.reports.weekly import build_weekly
from planner.store.dbapi import Db, as_db

if TYPE_CHECKING:
    from sqlmodel import Session

    from planner.reports.officedoc import Fonts

OFFICE_FORMATS = ("docx", "pdf")


def write_weekly(*, session: "Session | Db", today: date, week_start: date, unit_id: str | None,
                 fmt: str, lang: str, output: Path | None,
                 fonts: "Fonts | None" = None) -> str | None:
    """The report text (txt, md, html), also written to `output` when given; xlsx, docx and
    pdf need a file. The txt, md, html, docx and pdf layouts share one content
    (`weekly_paper`); the workbook keeps its own sheets (and the whole ledger with its
    notes, where the paper's annex shows only the upper levels, without notes)."""
    from planner.reports.ledger import build_ledger

    db = as_db(session)
    report = build_weekly(session=db, today=today, week_start=week_start, unit_id=unit_id)
    if fmt == "xlsx":
        from planner.reports.xlsx import write_weekly_xlsx

        assert output is not None
        write_weekly_xlsx(report, build_ledger(session=db, today=report.as_of,
                                               tree=report.tree, rollup=report.rollup),
                          output, lang=lang)
        return None
    from planner.reports.weekly_paper import build_paper, paper_sections, tree_annex_depth

    assert report.tree is not None
    shown = tree_annex_depth(report.tree)
    ledger = build_ledger(session=db, today=report.as_of, tree=report.tree,
                          rollup=report.rollup, max_depth=shown, with_notes=False)
    paper = build_paper(report, ledger, lang)
    if fmt in OFFICE_FORMATS:
        from planner.reports.officedoc import write_office
        from planner.reports.weekly_paper import paper_document

        assert output is not None
        write_office(paper_document(paper, lang, fonts), output, fmt)
        return None
    header, sections = paper_sections(paper, lang)
    content = render_document(header, sections, fmt=fmt, lang=lang)
    if output is not None:
        write_text_file(output, content)
    return content
