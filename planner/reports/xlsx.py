"""The ledger (台账) and the weekly report as Excel workbooks.

Each sheet is one table: a frozen header row, an autofilter, widths fitted to Chinese text
(wide characters count twice), wrapped long titles and notes, real dates, percentages as
numbers with a % format, and warning cells filled in their colour and marked ▲◆●○ so the
printout reads in black and white too. Sheets are streamed (write-only), so a 100,000-item
ledger does not hold a million cell objects in memory. Every value goes into its cell through
`planner.reports.xlsx_cells.put_value`, so text from the database is never a formula.
"""

from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.errors import PlannerError
from planner.core.rollup import Colour
from planner.core.status import Status
from planner.core.textwidth import cell_width
from planner.i18n import label, list_separator
from planner.reports.ledger import Ledger, LedgerRow
from planner.reports.sections import percent
from planner.reports.tree import warning_text
from planner.reports.weekly import UpdateLine, WeeklyReport
from planner.reports.xlsx_cells import put_value, storable_text
from planner.services.ledger import IDENTITY_FIELDS, IDENTITY_SHEET

FILL: dict[Colour, str] = {
    Colour.RED: "FFC7CE", Colour.YELLOW: "FFEB9C", Colour.BLUE: "BDD7EE", Colour.GREEN: "C6EFCE",
}
"""Background of a warning cell (Excel's light fills), by colour."""
INK: dict[Colour, str] = {
    Colour.RED: "9C0006", Colour.YELLOW: "9C5700", Colour.BLUE: "1F4E78", Colour.GREEN: "006100",
}
"""Text colour on that background."""
HEADER_FILL = "D9D9D9"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"
MIN_WIDTH = 6
PADDING = 2
INDENT_CELLS = 2
"""Display cells one indent level takes (for the width of an indented title column)."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a sheet: its header and how its values are shown.

    kind: text, wrap (long text that wraps beyond `cap`), date, percent (a 0–100 figure),
    warning (a Colour), number.
    """

    header: str
    kind: str = "text"
    cap: int = 30
    least: int = MIN_WIDTH
    hidden: bool = False


@dataclass(slots=True)
class Row:
    """A row's values in column order, bold for summary rows, and an indent for one column."""

    values: Sequence[object]
    bold: bool = False
    indent: int = 0


@dataclass(slots=True)
class Table:
    """One sheet: title (sheet name), a caption for the printed page header, columns, rows."""

    title: str
    caption: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    indent_column: int | None = None
    status_column: int | None = None
    lang: str = "zh"


def write_ledger_xlsx(ledger: Ledger, path: Path, *, lang: str) -> None:
    """Write the ledger as a workbook with one sheet, plus the plan's identity in a very
    hidden sheet (`ledger import` refuses a workbook from another plan or database)."""
    workbook = Workbook(write_only=True)
    _write_table(workbook, ledger_table(ledger, lang))
    _write_identity(workbook, ledger, lang)
    _save(workbook, path)


def write_weekly_xlsx(report: WeeklyReport, ledger: Ledger, path: Path, *, lang: str) -> None:
    """Write the ledger as sheet 1 and the week's updates as sheet 2."""
    workbook = Workbook(write_only=True)
    _write_table(workbook, ledger_table(ledger, lang))
    _write_table(workbook, updates_table(report, lang))
    _save(workbook, path)


def _write_identity(workbook: Workbook, ledger: Ledger, lang: str) -> None:
    """The plan identity sheet: field names in column A, values in column B. Very hidden: a
    unit does not see it in Excel or WPS, and re-saving the workbook keeps it."""
    sheet: Worksheet = workbook.create_sheet(IDENTITY_SHEET)
    sheet.sheet_state = "veryHidden"
    values = {"plan_uid": ledger.plan_uid, "plan_title": ledger.plan_title}
    for name in IDENTITY_FIELDS:
        row = [WriteOnlyCell(sheet), WriteOnlyCell(sheet)]
        put_value(row[0], name, lang)
        put_value(row[1], values[name], lang)
        sheet.append(row)


def ledger_columns(lang: str) -> list[Column]:
    """The ledger's columns; code, status, progress and note are the ones read back.

    Hidden at the end: the item's version and its status, progress and note as exported, so
    the import tells a unit's edits from values someone else has changed since.
    """
    return [
        Column(label("weekly_code", lang), cap=18),
        Column(label("weekly_item", lang), "wrap", cap=50),
        Column(label("xlsx_kind", lang), cap=10),
        Column(label("weekly_lead", lang), "wrap", cap=24),
        Column(label("xlsx_support", lang), "wrap", cap=30),
        Column(label("xlsx_start", lang), "date"),
        Column(label("weekly_due", lang), "date"),
        Column(label("xlsx_status", lang), cap=12, least=10),
        Column(label("weekly_progress", lang), "percent"),
        Column(label("weekly_expected", lang), "percent"),
        Column(label("weekly_warning", lang), "warning"),
        Column(label("weekly_note", lang), "wrap", cap=50, least=30),
        Column(label("xlsx_note_date", lang), "date"),
        Column(label("xlsx_version", lang), "number", hidden=True),
        Column(label("xlsx_exported_status", lang), hidden=True),
        Column(label("xlsx_exported_progress", lang), "percent", hidden=True),
        Column(label("xlsx_exported_note", lang), hidden=True),
    ]


def ledger_table(ledger: Ledger, lang: str) -> Table:
    """The ledger as a sheet table."""
    table = Table(label("xlsx_ledger_sheet", lang),
                  label("xlsx_ledger_title", lang, plan=ledger.plan_title,
                        today=ledger.today.isoformat()),
                  ledger_columns(lang), indent_column=1, status_column=7, lang=lang)
    table.rows = [Row(_ledger_values(row, lang), bold=not row.is_leaf, indent=row.depth)
                  for row in ledger.rows]
    return table


def _ledger_values(row: LedgerRow, lang: str) -> list[object]:
    status = row.status.label(lang) if row.status else None
    kind = label("xlsx_leaf" if row.is_leaf else "xlsx_parent", lang)
    support = list_separator(lang).join(row.support)
    return [row.code, row.title, kind, row.lead, support, row.start, row.due, status,
            row.progress, row.expected, row.colour, row.note, row.note_day, row.version, status,
            row.progress, row.note]


def updates_table(report: WeeklyReport, lang: str) -> Table:
    """The week's updates, grouped by work area in the report's order."""
    columns = [
        Column(label("weekly_date", lang), "date"),
        Column(label("weekly_area", lang), "wrap", cap=30),
        Column(label("weekly_code", lang), cap=12),
        Column(label("weekly_item", lang), "wrap", cap=40),
        Column(label("weekly_unit", lang), "wrap", cap=24),
        Column(label("xlsx_old_status", lang), cap=12),
        Column(label("xlsx_new_status", lang), cap=12),
        Column(label("xlsx_old_progress", lang), "percent"),
        Column(label("xlsx_new_progress", lang), "percent"),
        Column(label("weekly_note", lang), "wrap", cap=50, least=20),
    ]
    caption = label("xlsx_updates_title", lang, plan=report.plan_title, week=report.week_label,
                    start=report.week_start.isoformat(), end=report.week_end.isoformat())
    table = Table(label("xlsx_updates_sheet", lang), caption, columns, lang=lang)
    for group in report.updates:
        area = f"{group.code} {group.title}"
        table.rows += [Row(_update_values(line, area, lang)) for line in group.updates]
    return table


def _update_values(line: UpdateLine, area: str, lang: str) -> list[object]:
    return [line.day, area, line.code, line.title, line.unit, line.old_status.label(lang),
            line.new_status.label(lang), line.old_progress, line.new_progress, line.note]


def _shown(value: object, column: Column, lang: str) -> str:
    """The text a value displays as, for fitting the column width."""
    if value is None:
        return ""
    if column.kind == "date" and isinstance(value, date):
        return value.isoformat()
    if column.kind == "percent" and isinstance(value, int | float):
        return percent(value)
    if column.kind == "warning" and isinstance(value, Colour):
        return warning_text(value, lang)
    return str(value)


def column_widths(table: Table) -> list[float]:
    """Each column's width in Excel units (a wide character counts as two)."""
    widths: list[float] = []
    for index, column in enumerate(table.columns):
        if column.hidden:
            widths.append(column.least + PADDING)
            continue
        widest = cell_width(column.header)
        for row in table.rows:
            shown = cell_width(_shown(row.values[index], column, table.lang))
            if index == table.indent_column:
                shown += INDENT_CELLS * row.indent
            widest = max(widest, min(shown, column.cap))
        widths.append(max(column.least, min(widest, column.cap)) + PADDING)
    return widths


class _Styles:
    """Style objects shared by every cell of a sheet, and the style of each kind of cell
    worked out once: openpyxl hashes every style object on assignment, which would otherwise
    be most of the time of writing a large ledger."""

    def __init__(self) -> None:
        thin = Side(style="thin", color="A6A6A6")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.header_font = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.bold = Font(bold=True)
        self.top = Alignment(vertical="top")
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.centre = Alignment(horizontal="center", vertical="top")
        self.fills = {c: PatternFill("solid", fgColor=FILL[c]) for c in Colour}
        self.inks = {(c, bold): Font(color=INK[c], bold=bold) for c in Colour
                     for bold in (False, True)}
        self._arrays: dict[tuple[object, ...], StyleArray] = {}

    def apply(self, cell: Cell, column: Column, *, bold: bool, indent: int | None,
              colour: Colour | None) -> None:
        """Style a data cell of `column` (indent: the level, in the indented column only)."""
        key = (id(column), bold, indent, colour)
        array = self._arrays.get(key)
        if array is not None:
            cell._style = copy(array)  # type: ignore[attr-defined]  # private in openpyxl, absent from its stub
            return
        cell.border = self.border
        cell.alignment = self.top
        if bold:
            cell.font = self.bold
        if column.kind == "date":
            cell.number_format = DATE_FORMAT
        elif column.kind == "percent":
            cell.number_format = PERCENT_FORMAT
        elif column.kind == "wrap":
            cell.alignment = self.wrap
        else:  # text: stays text when a unit types "3.10" into it
            cell.number_format = "@"
        if colour is not None:
            cell.fill = self.fills[colour]
            cell.font = self.inks[(colour, bold)]
            cell.alignment = self.centre
        if indent is not None:
            cell.alignment = Alignment(vertical="top", wrap_text=True, indent=indent)
        self._arrays[key] = copy(cell._style)  # type: ignore[attr-defined]  # private in openpyxl, absent from its stub


def _write_table(workbook: Workbook, table: Table) -> None:
    sheet: Worksheet = workbook.create_sheet(table.title)
    styles = _Styles()
    last_column = get_column_letter(len(table.columns))
    last_row = len(table.rows) + 1
    for index, (column, width) in enumerate(zip(table.columns, column_widths(table),
                                                strict=True), 1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = width
        dimension.hidden = column.hidden
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_column}{last_row}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]  # a new sheet has its page set-up properties
    sheet.oddHeader.center.text = storable_text(table.caption, table.lang).replace("&", "&&")  # type: ignore[union-attr]  # a new sheet has a header
    sheet.oddFooter.center.text = label("xlsx_page", table.lang)  # type: ignore[union-attr]  # and a footer
    if table.status_column is not None and table.rows:
        _add_status_choices(sheet, table, last_row)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet)
        put_value(cell, column.header, table.lang)
        cell.font, cell.fill = styles.header_font, styles.header_fill
        cell.alignment, cell.border = styles.header_align, styles.border
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_cell(sheet, styles, table, column, index, row)
                      for index, column in enumerate(table.columns)])


def _cell(sheet: Worksheet, styles: _Styles, table: Table, column: Column, index: int,
          row: Row) -> Cell:
    value = row.values[index]
    cell = WriteOnlyCell(sheet)
    colour = value if column.kind == "warning" and isinstance(value, Colour) else None
    styles.apply(cell, column, bold=row.bold, colour=colour,
                 indent=row.indent if index == table.indent_column else None)
    if value is None:
        return cell
    if column.kind == "percent":
        value = float(value) / 100  # type: ignore[arg-type]  # a percent column holds numbers
    elif colour is not None:
        value = warning_text(colour, table.lang)
    put_value(cell, value, table.lang)
    return cell


def _add_status_choices(sheet: Worksheet, table: Table, last_row: int) -> None:
    """A drop-down of status names on the status column (a unit can still type a key)."""
    assert table.status_column is not None
    letter = get_column_letter(table.status_column + 1)
    names = ",".join(status.label(table.lang) for status in Status)
    choices = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True,
                             showErrorMessage=False)
    choices.add(f"{letter}2:{letter}{last_row}")
    sheet.data_validations.append(choices)


def _save(workbook: Workbook, path: Path) -> None:
    """Save whole or not at all: the workbook is built in memory, then written beside `path`
    and renamed over it; a file-system error becomes a PlannerError the CLI prints."""
    content = BytesIO()
    workbook.save(content)
    special = path.exists() and not path.is_file() and not path.is_dir()  # a device, a pipe
    partial = path if special else path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(content.getvalue())
        if not special:
            partial.replace(path)
    except OSError as exc:
        if not special:
            partial.unlink(missing_ok=True)
        raise PlannerError("report_write_failed", path=path,
                           reason=exc.strerror or exc) from None


def write_tables_xlsx(tables: Sequence[Table], path: Path) -> None:
    """Write each table as a sheet of one workbook, in order, saved whole or not at all
    (reports with their own tables: the assessment, the evaluation)."""
    workbook = Workbook(write_only=True)
    for table in tables:
        _write_table(workbook, table)
    _save(workbook, path)
