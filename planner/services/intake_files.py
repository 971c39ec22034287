"""Reading plan documents for intake: .docx (python-docx: paragraphs and tables in document
order), .xlsx (openpyxl: every sheet, merged ranges filled), .txt and .md.

The only module that opens those files for intake. What it cannot read gets one line saying
what to do instead: a legacy .doc / .xls, a PDF (scanned or not), a password-protected
document, a damaged file.
"""

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError
from planner.core.intake import Block, Paragraph, Table
from planner.core.numerals import chinese_numeral

MAX_INTAKE_BYTES = 50 * 1024 * 1024
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: legacy Office or encrypted
_TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
    number_of = _list_numbers(document)
    blocks: list[Block] = []
    paragraphs = tables = 0
    for part in document.iter_inner_content():
        if isinstance(part, DocxTable):
            tables += 1
            rows = [[cell.text for cell in row.cells] for row in part.rows]
            blocks.append(Table(f"表{tables}", rows))
        else:
            paragraphs += 1
            blocks.append(Paragraph(number_of(part) + part.text, paragraphs))
    return blocks


def _list_numbers(document: Any) -> Callable[[Any], str]:
    """The number Word's automatic numbering shows before each paragraph (`一、`, `（一）`,
    `1.`), which python-docx's text leaves out: counted per list and level from the
    document's numbering definitions, for the paragraph's own numbering or its style's."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return lambda paragraph: ""
    abstract_of = {num.get(f"{_W}numId"): num.find(f"{_W}abstractNumId").get(f"{_W}val")
                   for num in numbering.iter(f"{_W}num")}
    levels: dict[tuple[str, str], tuple[str, str, int]] = {}
    for abstract in numbering.iter(f"{_W}abstractNum"):
        for level in abstract.iter(f"{_W}lvl"):
            fmt, text, start = level.find(f"{_W}numFmt"), level.find(f"{_W}lvlText"), \
                level.find(f"{_W}start")
            levels[abstract.get(f"{_W}abstractNumId"), level.get(f"{_W}ilvl")] = (
                fmt.get(f"{_W}val") if fmt is not None else "decimal",
                text.get(f"{_W}val") if text is not None else "",
                int(start.get(f"{_W}val")) if start is not None else 1)
    counters: dict[str, list[int]] = {}
    # a style's numbering by style id, read once (python-docx's `paragraph.style` looks the
    # style up anew for every paragraph: most of a large document's reading time)
    style_numbers = {style.get(f"{_W}styleId"): style.find(f"{_W}pPr/{_W}numPr")
                     for style in document.styles.element.iter(f"{_W}style")}

    def number_of(paragraph: Any) -> str:
        found = paragraph._p.find(f"{_W}pPr/{_W}numPr")
        if found is None:
            style = paragraph._p.find(f"{_W}pPr/{_W}pStyle")
            found = style_numbers.get(style.get(f"{_W}val")) if style is not None else None
        if found is None or found.find(f"{_W}numId") is None:
            return ""
        num_id = found.find(f"{_W}numId").get(f"{_W}val")
        ilvl_node = found.find(f"{_W}ilvl")
        level = int(ilvl_node.get(f"{_W}val")) if ilvl_node is not None else 0
        abstract = abstract_of.get(num_id)
        if abstract is None or (abstract, str(level)) not in levels:
            return ""
        counts = counters.setdefault(abstract, [0] * 9)
        fmt, text, start = levels[abstract, str(level)]
        counts[level] = counts[level] + 1 if counts[level] else start
        counts[level + 1:] = [0] * (8 - level)

        def shown(found_level: re.Match[str]) -> str:
            index = int(found_level[1]) - 1
            value = counts[index] or levels.get((abstract, str(index)), ("", "", 1))[2]
            level_fmt = levels.get((abstract, str(index)), ("decimal", "", 1))[0]
            chinese = level_fmt.startswith(("chinese", "ideograph"))
            return chinese_numeral(value) if chinese else str(value)

        return re.sub(r"%([1-9])", shown, text) if fmt != "bullet" else ""

    return number_of


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
