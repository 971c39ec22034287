"""A titled document (header lines and sections) laid out in a text format, and written out."""

from pathlib import Path

from planner.core.errors import PlannerError
from planner.reports.render_html import render_html
from planner.reports.render_text import render_markdown, render_text
from planner.reports.sections import Section

TEXT_FORMATS = ("txt", "md", "html")


def render_document(header: list[str], sections: list[Section], *, fmt: str, lang: str) -> str:
    """The document as plain text, Markdown or printable HTML."""
    if fmt == "html":
        return render_html(header, sections, lang=lang)
    if fmt == "md":
        return render_markdown(header, sections)
    return render_text(header, sections)


def check_folder(path: Path) -> None:
    """Refuse an output path whose folder does not exist, before any work is done."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise PlannerError("report_no_folder", folder=folder)


def write_text_file(path: Path, text: str) -> None:
    """Write UTF-8 text; a missing folder or a refused write is a PlannerError, not a crash."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PlannerError("report_write_failed", path=path,
                           reason=exc.strerror or exc) from None
