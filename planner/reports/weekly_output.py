"""Build the weekly report once and lay it out in the asked format (shared by CLI and TUI)."""

from datetime import date
from pathlib import Path

from sqlmodel import Session

from planner.reports.document import render_document, write_text_file
from planner.reports.sections import header_lines, weekly_sections
from planner.reports.weekly import build_weekly


def write_weekly(*, session: Session, today: date, week_start: date, unit_id: str | None,
                 fmt: str, lang: str, output: Path | None) -> str | None:
    """The report text (txt, md, html), also written to `output` when given; xlsx needs a file."""
    report = build_weekly(session=session, today=today, week_start=week_start, unit_id=unit_id)
    if fmt == "xlsx":
        from planner.reports.ledger import build_ledger
        from planner.reports.xlsx import write_weekly_xlsx

        assert output is not None
        ledger = build_ledger(session=session, today=report.as_of, tree=report.tree)
        write_weekly_xlsx(report, ledger, output, lang=lang)
        return None
    content = render_document(header_lines(report, lang), weekly_sections(report, lang),
                              fmt=fmt, lang=lang)
    if output is not None:
        write_text_file(output, content)
    return content
