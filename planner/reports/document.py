"""A titled document (header lines and sections) laid out in a text format or as an office
document (.docx, .pdf), and written out."""

from pathlib import Path
from typing import TYPE_CHECKING

from planner.core.errors import PlannerError
from planner.reports.render_text import render_markdown, render_text
from planner.reports.sections import Section

if TYPE_CHECKING:
    from planner.reports.officedoc import Fonts, OfficeDocument

TEXT_FORMATS = ("txt", "md", "html")
OFFICE_FORMATS = ("docx", "pdf")


def render_document(header: list[str], sections: list[Section], *, fmt: str, lang: str) -> str:
    """The document as plain text, Markdown or printable HTML."""
    if fmt == "html":
        from planner.reports.render_html import render_html  # with its stylesheet: html only

        return render_html(header, sections, lang=lang)
    if fmt == "md":
        return render_markdown(header, sections)
    return render_text(header, sections)


def check_folder(path: Path) -> None:
    """Refuse an output path whose folder does not exist, before any work is done."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise PlannerError("report_no_folder", folder=folder)


#: Characters encoded and written at a time: a long report (an assessment's 20 MB) is never
#: encoded whole, which would take as much memory again, in fresh pages.
WRITE_CHUNK = 1 << 20


def write_text_file(path: Path, text: str) -> None:
    """Write UTF-8 text; a missing folder or a refused write is a PlannerError, not a crash."""
    try:
        with path.open("w", encoding="utf-8") as file:
            for start in range(0, len(text), WRITE_CHUNK):
                file.write(text[start:start + WRITE_CHUNK])
    except OSError as exc:
        raise PlannerError("report_write_failed", path=path,
                           reason=exc.strerror or exc) from None


def office_document(header: list[str], sections: list[Section],
                    fonts: "Fonts | None" = None) -> "OfficeDocument":
    """The same header and sections in the official layout: the first header line as the
    title, the others under it; each section a numbered heading of its level, its paragraphs,
    its table (or its empty note) and its notes."""
    from planner.reports.officedoc import OfficeDocument, Table

    doc = OfficeDocument(fonts)
    doc.title(header[0] if header else "", subtitle="\n".join(header[1:]) or None)
    for section in sections:
        doc.heading(min(max(section.level, 1), 4), section.title)
        for paragraph in section.paragraphs:
            doc.paragraph(paragraph)
        rows = section.table_rows()
        if section.columns and rows:
            numeric = [all(i >= len(r) or r[i].numeric or not r[i].text for r in rows)
                       for i in range(len(section.columns))]
            doc.table(Table(section.columns, [[cell.text for cell in row] for row in rows],
                            align=["right" if n else "left" for n in numeric]))
        elif section.columns:
            doc.paragraph(section.empty)
        for note in section.notes:
            doc.paragraph(note)
    return doc


def write_office_document(header: list[str], sections: list[Section], *, fmt: str, path: Path,
                          fonts: "Fonts | None" = None) -> None:
    """Write the document as .docx or .pdf (through LibreOffice) at `path`."""
    from planner.reports.officedoc import write_office

    write_office(office_document(header, sections, fonts), path, fmt)
