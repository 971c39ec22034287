"""Reading plan documents for intake: .docx (python-docx: paragraphs and tables in document
order), .xlsx (openpyxl: every sheet, merged ranges filled), .txt and .md.

The only module that opens those files for intake. What it cannot read gets one line saying
what to do instead: a legacy .doc / .xls, a PDF (scanned or not), a password-protected
document, a damaged file.
"""

import zipfile
from pathlib import Path

from planner.core.errors import PlannerError
from planner.core.intake import Block, Paragraph, Table

MAX_INTAKE_BYTES = 50 * 1024 * 1024
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: legacy Office or encrypted
_TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def read_blocks(path: Path) -> list[Block]:
    """The document at `path` as paragraphs and tables in order (see the module)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            size = path.stat().st_size
    except OSError as exc:
        raise PlannerError("intake_unreadable", reason=exc.strerror, where=str(path)) from None
    if size > MAX_INTAKE_BYTES:
        raise PlannerError("intake_too_large", where=str(path))
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        raise PlannerError("intake_pdf", where=str(path))
    if head == _CFB:
        if suffix in (".docx", ".xlsx", ".xlsm"):
            raise PlannerError("intake_encrypted", where=str(path))
        raise PlannerError("intake_legacy_excel" if suffix in (".xls", ".et") else
                           "intake_legacy_word", where=str(path))
    if suffix in _TEXT_SUFFIXES:
        return _text_blocks(path)
    if not head.startswith(b"PK"):
        if suffix in (".docx", ".xlsx", ".xlsm"):
            raise PlannerError("intake_damaged", where=str(path))
        if suffix in (".doc", ".wps", ".rtf"):
            raise PlannerError("intake_legacy_word", where=str(path))
        if suffix in (".xls", ".et", ".csv"):
            raise PlannerError("intake_legacy_excel", where=str(path))
        raise PlannerError("intake_unknown_format", suffix=suffix or "-", where=str(path))
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        raise PlannerError("intake_damaged", where=str(path)) from None
    try:
        if "word/document.xml" in names:
            return _docx_blocks(path)
        if "xl/workbook.xml" in names:
            return _xlsx_blocks(path)
    except PlannerError:
        raise
    except Exception:  # a damaged part inside the archive: lxml, KeyError, zlib, ValueError
        raise PlannerError("intake_damaged", where=str(path)) from None
    raise PlannerError("intake_unknown_format", suffix=suffix or "-", where=str(path))


def _text_blocks(path: Path) -> list[Block]:
    """A text file's lines (UTF-8, else GB18030 as Chinese offices save them); a Markdown
    heading's `#` marks and list bullets are dropped."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise PlannerError("intake_not_text", where=str(path)) from None
    blocks: list[Block] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().lstrip("#").strip()
        if line.startswith(("- ", "* ")):
            line = line[2:].strip()
        blocks.append(Paragraph(line.replace("**", ""), number))
    return blocks


def _docx_blocks(path: Path) -> list[Block]:
    """Paragraphs and tables of the body in document order; a table's merged cells repeat
    their text in every cell they span (python-docx's rows do so)."""
    import docx
    from docx.table import Table as DocxTable

    document = docx.Document(str(path))
    blocks: list[Block] = []
    paragraphs = tables = 0
    for part in document.iter_inner_content():
        if isinstance(part, DocxTable):
            tables += 1
            rows = [[cell.text for cell in row.cells] for row in part.rows]
            blocks.append(Table(f"表{tables}", rows))
        else:
            paragraphs += 1
            blocks.append(Paragraph(part.text, paragraphs))
    return blocks


def _xlsx_blocks(path: Path) -> list[Block]:
    """Every sheet as a table, a merged range's text in each of its cells."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=False, data_only=True)
    try:
        blocks: list[Block] = []
        for sheet in workbook.worksheets:
            rows = [["" if value is None else str(value) for value in row]
                    for row in sheet.iter_rows(values_only=True)]
            for merged in sheet.merged_cells.ranges:
                value = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(
                    rows) else ""
                for row in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                    for column in range(merged.min_col - 1, min(merged.max_col,
                                                                len(rows[row]))):
                        rows[row][column] = value
            blocks.append(Table(sheet.title, rows))
        return blocks
    finally:
        workbook.close()
