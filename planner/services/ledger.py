"""A ledger (台账) workbook a unit filled in: read it, compare it with the database, record it.

`read_ledger` bounds the workbook before parsing it (see `LedgerLimits`), reads the plan
identity `ledger export` wrote into it, finds the code, status, progress and note columns by
their header (Chinese or English) and checks every row; `plan_ledger_changes` refuses a ledger
from another plan or database, keeps the rows that differ from the database, refuses what
cannot be recorded (including items the reporting unit neither leads nor supports);
`apply_ledger` records each change as a history entry in the caller's transaction, so one
refused row means nothing is recorded. Every error names the workbook, sheet and cell, e.g.
`ledger.xlsx:台账!H7`, or the limit a workbook exceeds.
"""

import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from planner.core.errors import ConflictError, PlannerError
from planner.core.rollup import Rollup
from planner.core.status import (
    DONE_STATUSES,
    Status,
    check_transition,
    parse_status,
    require_leaf,
)
from planner.core.text import NOTE, clean_text
from planner.core.textwidth import shorten
from planner.services.updates import UpdateResult, record_update
from planner.store.ledger_queries import LatestNote, archived_items, latest_notes, plan_uid
from planner.store.queries import load_tree, load_units

PROGRESS_TOLERANCE = 0.005
"""Progress figures closer than this (in points) are the same (floats survive Excel ±1e-13)."""
HEADER_SCAN_ROWS = 10
"""How far down a sheet the header row is looked for (a unit may add a title above it)."""
TITLE_CELLS = 24
"""Display cells of an item's title in a change line."""
LISTED_CODES = 20
"""Codes named in one refusal line before the rest are counted."""

IDENTITY_SHEET = "planner_plan"
"""The very hidden sheet in which `ledger export` writes the plan's identity."""
IDENTITY_FIELDS = ("plan_uid", "plan_title")
"""Its rows: a field name in column A, its value in column B."""

MiB = 1024 * 1024
MAX_FILE_BYTES = 64 * MiB
"""The workbook file (zip) itself; also bounds every part's compressed size."""
MAX_PARTS = 1000
"""Parts (files) in the zip: a ledger saved by Excel or WPS has about a dozen."""
MAX_PART_BYTES = 128 * MiB
"""One sheet, uncompressed: a 100,000-item ledger's sheet is about 90 MiB."""
MAX_OTHER_PART_BYTES = 16 * MiB
"""Any other part (styles, workbook, relationships…), which the reader parses whole."""
MAX_TOTAL_BYTES = 192 * MiB
"""All parts together, uncompressed."""
MAX_SHARED_STRINGS_BYTES = 64 * MiB
"""The shared strings part, which the reader holds in memory whole."""
MAX_ROWS = 200_000
"""Rows of the ledger sheet (twice the largest plan planner is built for)."""
MAX_CELL_CHARS = 32_767
"""Characters in a cell read back: Excel's own cell limit."""

HEADERS: dict[str, frozenset[str]] = {
    "code": frozenset({"编码", "code", "事项编码", "编号", "itemcode"}),
    "status": frozenset({"状态", "status", "当前状态", "事项状态"}),
    "progress": frozenset({"进度", "progress", "完成进度", "进度(%)", "progress(%)", "当前进度"}),
    "note": frozenset({"进展说明", "note", "notes", "最新进展", "进展情况", "最新进展说明"}),
    "version": frozenset({"版本", "version"}),
    "exported_status": frozenset({"导出时状态", "exportedstatus"}),
    "exported_progress": frozenset({"导出时进度", "exportedprogress"}),
    "exported_note": frozenset({"导出时说明", "exportednote"}),
}
"""Accepted header texts, compared without spaces, case or full-width brackets."""
READ_FIELDS = ("status", "progress", "note")

_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
"""A formula element in sheet XML (with or without a namespace prefix)."""
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY")
"""A document type declaration: never in a real workbook, the way into entity bombs."""
_SCAN_CHUNK = MiB
_SCAN_OVERLAP = 64
"""Bytes kept from the previous chunk, so a tag split between two chunks is still found."""


@dataclass(frozen=True, slots=True)
class LedgerLimits:
    """How large a workbook `read_ledger` accepts (the module constants by default)."""

    file_bytes: int = MAX_FILE_BYTES
    parts: int = MAX_PARTS
    part_bytes: int = MAX_PART_BYTES
    other_part_bytes: int = MAX_OTHER_PART_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    shared_strings_bytes: int = MAX_SHARED_STRINGS_BYTES
    rows: int = MAX_ROWS
    cell_chars: int = MAX_CELL_CHARS


@dataclass(frozen=True, slots=True)
class Exported:
    """A row's status, progress and note as the ledger was exported (hidden columns)."""

    status: Status | None = None
    progress: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One filled-in row: what it says, and where it is (for error messages).

    `status`, `progress` and `note` are None when the cell is blank (or the column absent).
    `version` and `exported` come from the hidden columns of an exported ledger (None in a
    sheet without them): the item's version and values when the ledger was written.
    """

    file: str
    sheet: str
    row: int
    code: str
    status: Status | None = None
    progress: float | None = None
    note: str | None = None
    version: int | None = None
    exported: Exported | None = None
    columns: dict[str, str] = field(default_factory=dict, compare=False)

    def where(self, column: str = "code") -> str:
        """The cell of `column` in this row, e.g. `ledger.xlsx:台账!H7`."""
        letter = self.columns.get(column) or self.columns.get("code", "A")
        return f"{self.file}:{self.sheet}!{letter}{self.row}"


@dataclass(frozen=True, slots=True)
class LedgerIdentity:
    """The plan a ledger was exported from, as written in its identity sheet."""

    plan_uid: str
    plan_title: str


@dataclass(frozen=True, slots=True)
class LedgerFile:
    """A filled-in ledger as read: its rows and the plan identity it carries (None: none)."""

    file: str
    entries: list[LedgerEntry]
    identity: LedgerIdentity | None


@dataclass(frozen=True, slots=True)
class LedgerChange:
    """What recording one row will do, checked against the item as read during planning."""

    code: str
    title: str
    where: str
    old_status: Status
    new_status: Status
    old_progress: float
    new_progress: float
    note: str | None
    expected_version: int
    progress_to_record: float | None
    """The progress to record (None: keep it, or 100 when the item becomes done)."""

    def describe(self, lang: str) -> str:
        """One line, e.g. `5.1.4 打击商标…：未启动→推进中 0%→30% 「已部署」`."""
        parts = []
        if self.new_status != self.old_status:
            parts.append(f"{self.old_status.label(lang)}→{self.new_status.label(lang)}")
        if not _same(self.old_progress, self.new_progress):
            parts.append(f"{_percent(self.old_progress)}→{_percent(self.new_progress)}")
        if self.note:
            note = " ".join(self.note.split())
            parts.append(f"“{note}”" if lang == "en" else f"「{note}」")
        separator = ": " if lang == "en" else "："
        return f"{self.code} {shorten(self.title, TITLE_CELLS)}{separator}{' '.join(parts)}"


# ---------------------------------------------------------------------------------------------
# Reading the workbook


def read_ledger(path: Path, *, limits: LedgerLimits = LedgerLimits()) -> LedgerFile:
    """The rows of a filled-in ledger, every one checked, and its plan identity; the first bad
    row, or a workbook beyond `limits`, raises."""
    from openpyxl import load_workbook

    name = path.name
    if path.is_dir():
        raise PlannerError("这是一个目录，不是台账文件", "this is a directory, not a ledger file",
                           where=str(path))
    if not path.is_file():
        raise PlannerError("文件不存在", "no such file", where=str(path))
    if path.suffix.lower() == ".xls":
        raise PlannerError("无法读取旧版 .xls 文件：请在 Excel 中另存为 .xlsx 后再导入",
                           "cannot read an old .xls file: save it as .xlsx in Excel first",
                           where=name)
    if path.stat().st_size > limits.file_bytes:
        raise _over_limit(name, "文件大小", "the file's size", limits.file_bytes)
    has_formulas = _check_archive(path, name, limits)
    workbooks = []
    try:
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
            workbooks.append(workbook)
            formulas = None
            if has_formulas:  # a second view of the same sheets, with formulas instead of values
                formulas = load_workbook(path, read_only=True, data_only=False)
                workbooks.append(formulas)
        except Exception as exc:  # openpyxl raises zip, XML, key and value errors alike
            raise _unreadable(name, exc) from None
        try:
            entries = list(_read_entries(workbook, formulas, name, limits))
            return LedgerFile(name, entries, _read_identity(workbook))
        except PlannerError:
            raise
        except Exception as exc:
            raise _unreadable(name, exc) from None
    finally:
        for opened in workbooks:
            opened.close()


def _unreadable(name: str, exc: Exception) -> PlannerError:
    detail = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return PlannerError(f"无法读取：不是有效的 Excel 工作簿（.xlsx）（{detail}）",
                        f"cannot read it: not a valid Excel workbook (.xlsx) ({detail})",
                        where=name)


def _size(count: int, lang: str) -> str:
    if count >= MiB and count % MiB == 0:
        return f"{count // MiB} MiB"
    return f"{count:,} 字节" if lang == "zh" else f"{count:,} bytes"


def _over_limit(where: str, what_zh: str, what_en: str, limit: int, *,
                unit: str | tuple[str, str] = "bytes") -> PlannerError:
    """A workbook refused for exceeding a limit: which one, and its value."""
    if unit == "bytes":
        zh_limit, en_limit = _size(limit, "zh"), _size(limit, "en")
    else:
        zh_limit, en_limit = f"{limit:,} {unit[0]}", f"{limit:,} {unit[1]}"
    return PlannerError(f"工作簿超出导入限制：{what_zh}超过 {zh_limit}",
                        f"the workbook exceeds an import limit: {what_en} is over {en_limit}",
                        where=where)


def _check_archive(path: Path, name: str, limits: LedgerLimits) -> bool:
    """Bound the zip before any XML is parsed: part count, each part's compressed and
    uncompressed size (as the directory says, and as actually read, so a directory that lies
    does not help), the total, and the shared strings. Refuses document type declarations
    (entity expansion). Returns whether any sheet holds a formula."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > limits.parts:
                raise _over_limit(name, "部件（文件）数", "the number of parts (files)",
                                  limits.parts, unit=("个", "parts"))
            total = sum(part.file_size for part in parts)
            if total > limits.total_bytes:
                raise _over_limit(name, "各部件解压后合计", "all parts uncompressed",
                                  limits.total_bytes)
            has_formulas = False
            read_total = 0
            for part in parts:
                bound = _part_bound(part.filename, limits)
                where = f"{name}:{part.filename}"
                if part.compress_size > limits.file_bytes:
                    raise _over_limit(where, "压缩后大小", "its compressed size",
                                      limits.file_bytes)
                if part.file_size > bound:
                    raise _over_limit(where, "解压后大小", "its uncompressed size", bound)
                found, size = _scan_part(archive, part, where, bound)
                read_total += size
                if read_total > limits.total_bytes:
                    raise _over_limit(name, "各部件解压后合计", "all parts uncompressed",
                                      limits.total_bytes)
                has_formulas |= found and part.filename.startswith("xl/worksheets/")
            return has_formulas
    except PlannerError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError,
            ValueError, RuntimeError) as exc:
        raise _unreadable(name, exc) from None


def _part_bound(filename: str, limits: LedgerLimits) -> int:
    """The uncompressed size allowed for a part: sheets are streamed, the rest read whole."""
    name = filename.lower()
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return limits.part_bytes
    if name.endswith("sharedstrings.xml"):
        return limits.shared_strings_bytes
    return limits.other_part_bytes


def _scan_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, where: str,
               bound: int) -> tuple[bool, int]:
    """Read one part in chunks, stopping past `bound`: (holds a formula element, its size)."""
    size = 0
    found = False
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            size += len(chunk)
            if size > bound:
                raise _over_limit(where, "解压后大小", "its uncompressed size", bound)
            window = tail + chunk
            if _DTD.search(window):
                raise PlannerError("工作簿含文档类型声明（DTD），Excel 不会写入，拒绝读取",
                                   "the workbook holds a document type declaration (DTD), "
                                   "which Excel never writes: refused", where=where)
            found = found or _FORMULA_TAG.search(window) is not None
            tail = window[-_SCAN_OVERLAP:]
    return found, size


def _read_identity(workbook: Any) -> LedgerIdentity | None:
    """The plan identity from the identity sheet, None when there is none (or it is broken)."""
    if IDENTITY_SHEET not in workbook.sheetnames:
        return None
    values: dict[str, str] = {}
    for row in workbook[IDENTITY_SHEET].iter_rows(max_row=len(IDENTITY_FIELDS) + 5, max_col=2,
                                                  values_only=True):
        if len(row) == 2 and isinstance(row[0], str) and isinstance(row[1], str):
            values[row[0]] = row[1]
    uid = values.get("plan_uid")
    if not uid:
        return None
    return LedgerIdentity(uid, values.get("plan_title", ""))


def _normalise(header: object) -> str:
    text = str(header).translate(str.maketrans("（）％", "()%"))
    return re.sub(r"\s+", "", text).lower()


def _header_columns(values: tuple[Any, ...], where: str) -> dict[str, int]:
    """Field → 0-based column index of the headers found in one row; a field found twice
    is refused, naming both columns (`where`: the row, e.g. `ledger.xlsx:台账!1:1`)."""
    from openpyxl.utils import get_column_letter

    found: dict[str, int] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        key = _normalise(value)
        for name, accepted in HEADERS.items():
            if key not in accepted:
                continue
            if name in found:
                row = where.rsplit(":", 1)[-1]
                first = f"{get_column_letter(found[name] + 1)}{row}"
                second = f"{get_column_letter(index + 1)}{row}"
                shown = f"“{values[found[name]]}”（{first}）与“{value}”（{second}）"
                raise PlannerError(f"表头有两列表示同一内容：{shown}，无法确定读哪一列，"
                                   "请删除或改名其中一列",
                                   f'the header has two columns for the same thing: '
                                   f'"{values[found[name]]}" ({first}) and "{value}" '
                                   f"({second}); delete or rename one", where=where)
            found[name] = index
    return found


def _find_table(workbook: Any, name: str) -> tuple[Any, int, dict[str, int]]:
    """(sheet, header row number, columns) of the first sheet with a code column."""
    sheets = [sheet for sheet in workbook.worksheets if sheet.title != IDENTITY_SHEET]
    if not sheets:
        raise PlannerError("工作簿中没有工作表", "the workbook has no sheets", where=name)
    for sheet in sheets:
        sheet.reset_dimensions()  # read to the last row, whatever size the file claims
        for number, values in enumerate(
                sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), 1):
            if not any(_normalise(v) in HEADERS["code"] for v in values if v is not None):
                continue
            where = f"{name}:{sheet.title}!{number}:{number}"
            columns = _header_columns(values, where)
            if not any(f in columns for f in READ_FIELDS):
                raise PlannerError(
                    "表头中没有“状态”“进度”“进展说明”中的任何一列",
                    "the header has none of the Status, Progress or Note columns", where=where)
            return sheet, number, columns
    first = sheets[0].title
    raise PlannerError("找不到“编码”列：表头（第 1 行）应有“编码”及“状态”“进度”“进展说明”等列",
                       "no Code column: the header (row 1) should have Code and Status, "
                       "Progress or Note columns", where=f"{name}:{first}!1:1")


def _read_entries(workbook: Any, formulas: Any, name: str,
                  limits: LedgerLimits) -> Iterator[LedgerEntry]:
    """Each filled-in row; `formulas` (when the sheets hold any) is the same workbook read
    with formulas, to refuse a formula cell that has no computed value."""
    from openpyxl.utils import get_column_letter

    sheet, header_row, columns = _find_table(workbook, name)
    letters = {f: get_column_letter(index + 1) for f, index in columns.items()}
    width = max(columns.values()) + 1
    rows = sheet.iter_rows(min_row=header_row + 1, max_col=width)
    formula_rows: Iterator[tuple[Any, ...]] = iter(())
    if formulas is not None:
        formula_sheet = formulas[sheet.title]
        formula_sheet.reset_dimensions()
        formula_rows = formula_sheet.iter_rows(min_row=header_row + 1, max_col=width)

    def cell_of(row: tuple[Any, ...], column: str) -> Any:
        index = columns.get(column)
        return row[index] if index is not None and index < len(row) else None

    for number, row in enumerate(rows, header_row + 1):
        if number > limits.rows:
            raise _over_limit(f"{name}:{sheet.title}", "行数", "the number of rows",
                              limits.rows, unit=("行", "rows"))
        _check_cells(row, next(formula_rows, ()), f"{name}:{sheet.title}", number, limits)
        cells = {f: cell_of(row, f) for f in ("code", *READ_FIELDS)}
        if all(_blank(c.value if c is not None else None) for c in cells.values()):
            continue

        def where(column: str, number: int = number) -> str:
            return f"{name}:{sheet.title}!{letters.get(column, letters['code'])}{number}"

        code = _code(cells["code"], where("code"))
        status = _status(cells["status"], where("status"))
        progress = _progress(cells["progress"], where("progress"))
        note = _note(cells["note"])
        version_cell = cell_of(row, "version")
        exported = None
        if "exported_progress" in columns:
            exported = Exported(_status(cell_of(row, "exported_status"), where("exported_status")),
                                _progress(cell_of(row, "exported_progress"),
                                          where("exported_progress")),
                                _note(cell_of(row, "exported_note")))
        if note is not None and (exported is None or note != exported.note):
            note = clean_text(note, NOTE, where=where("note"))  # as --apply will record it
        yield LedgerEntry(name, sheet.title, number, code, status, progress, note,
                          _version(version_cell.value if version_cell is not None else None),
                          exported, letters)


def _check_cells(row: tuple[Any, ...], formula_row: tuple[Any, ...], where: str, number: int,
                 limits: LedgerLimits) -> None:
    """Refuse a cell longer than a cell holds, or a formula without a computed value."""
    from openpyxl.utils import get_column_letter

    for index, cell in enumerate(row):
        value = getattr(cell, "value", None)
        if isinstance(value, str) and len(value) > limits.cell_chars:
            raise _over_limit(f"{where}!{get_column_letter(index + 1)}{number}",
                              "单元格文字长度", "the cell's text", limits.cell_chars,
                              unit=("字", "characters"))
        formula = formula_row[index] if index < len(formula_row) else None
        if value is None and getattr(formula, "data_type", None) == "f":
            raise PlannerError("单元格是公式但没有计算结果，无法读取（请在 Excel 中打开并保存，"
                               "或把公式换成数值）",
                               "the cell holds a formula without a computed value (open and "
                               "save the workbook in Excel, or replace the formula by its "
                               "value)", where=f"{where}!{get_column_letter(index + 1)}{number}")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _code(cell: Any, where: str) -> str:
    value = cell.value if cell is not None else None
    if _blank(value):
        raise PlannerError("编码为空：填写了状态、进度或说明的行必须有事项编码",
                           "the code is empty: a row with a status, progress or note needs "
                           "the item's code", where=where)
    if isinstance(value, bool | datetime | date):
        raise PlannerError(f"编码“{value}”无效（请将编码列设为文本格式）",
                           f'invalid code "{value}" (format the code column as text)',
                           where=where)
    if isinstance(value, float):
        if not value.is_integer():  # 3.10 typed into a number cell arrives as 3.1
            raise PlannerError(f"编码 {value:g} 被存成了数字，可能已丢失末尾的 0（请将编码列设为"
                               "文本格式后重填）",
                               f"the code {value:g} was stored as a number and may have lost a "
                               "trailing 0 (format the code column as text and enter it again)",
                               where=where)
        return str(int(value))
    return str(value).strip()


def _status(cell: Any, where: str) -> Status | None:
    value = cell.value if cell is not None else None
    if _blank(value):
        return None
    try:
        return parse_status(str(value))
    except PlannerError as exc:
        raise PlannerError(exc.zh, exc.en, where=where) from None


def _progress(cell: Any, where: str) -> float | None:
    """A 0–100 figure from a number (a fraction in a %-formatted cell) or text like 45%."""
    value = cell.value if cell is not None else None
    if _blank(value):
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        is_percent = "%" in (getattr(cell, "number_format", None) or "")
        number = float(value) * (100 if is_percent else 1)
    elif isinstance(value, str):
        text = value.strip().replace("％", "%").removesuffix("%").strip()
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise PlannerError(f"进度应为 0–100 的数字或百分比（读到“{value}”）",
                           f'progress must be a number from 0 to 100 or a percentage '
                           f'(got "{value}")', where=where)
    number = round(number, 6)
    if not 0 <= number <= 100:
        raise PlannerError(f"进度必须在 0–100 之间（读到 {number:g}%）",
                           f"progress must be between 0 and 100 (got {number:g}%)", where=where)
    return number


def _note(cell: Any) -> str | None:
    value = cell.value if cell is not None else None
    if _blank(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _version(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


# ---------------------------------------------------------------------------------------------
# Comparing with the database


@dataclass(frozen=True, slots=True)
class _Wanted:
    """What a row asks of an item."""

    old_status: Status
    new_status: Status
    old_progress: float
    new_progress: float
    progress_to_record: float | None
    note: str | None

    @property
    def moves(self) -> bool:
        """Status or progress change (a new note alone only adds to the history)."""
        return self.new_status != self.old_status or self.progress_to_record is not None

    @property
    def any(self) -> bool:
        return self.moves or self.note is not None

    @property
    def first_column(self) -> str:
        if self.new_status != self.old_status:
            return "status"
        return "progress" if self.progress_to_record is not None else "note"


def _same(a: float, b: float) -> bool:
    return abs(a - b) < PROGRESS_TOLERANCE


def _percent(value: float) -> str:
    return f"{round(value, 2):g}%"



@dataclass(frozen=True, slots=True)
class _Given:
    """What a row asks for: the cells the unit filled in (or, in a ledger with its export
    columns, changed since the export); None where it asks nothing."""

    status: Status | None
    progress: float | None
    note: str | None


def _given(entry: LedgerEntry) -> _Given:
    exported = entry.exported
    if exported is None:
        return _Given(entry.status, entry.progress, entry.note)
    status = entry.status if entry.status != exported.status else None
    progress = entry.progress
    if progress is not None and exported.progress is not None and _same(progress,
                                                                         exported.progress):
        progress = None
    return _Given(status, progress, entry.note if entry.note != exported.note else None)


def _new_note(given: _Given, latest: LatestNote | None) -> str | None:
    if given.note is None or (latest is not None and given.note == latest.note.strip()):
        return None
    return given.note


def _wanted(entry: LedgerEntry, given: _Given, status: Status, stored: float,
            latest: LatestNote | None) -> _Wanted:
    """Compare a row with an item's state as the ledger shows it (a done item shows 100%)."""
    shown = 100.0 if status in DONE_STATUSES else stored
    new_status = given.status or status
    to_record = None
    if new_status in DONE_STATUSES:
        new_progress = 100.0
        if (given.progress is not None and not _same(given.progress, shown)
                and not _same(given.progress, 100.0)):
            raise PlannerError(
                f"状态为{new_status.zh}时进度应为 100% 或留空（读到 {_percent(given.progress)}）",
                f"a {new_status.value} item's progress is 100% or blank "
                f"(got {_percent(given.progress)})", where=entry.where("progress"))
    elif given.progress is not None and not _same(given.progress, stored):
        to_record = new_progress = given.progress
    else:
        new_progress = stored
    return _Wanted(status, new_status, shown, new_progress, to_record, _new_note(given, latest))


def plan_ledger_changes(ledger: LedgerFile, *, session: Session, by_unit: str | None,
                        today: date) -> list[LedgerChange]:
    """The rows that differ from the database, each checked; the first refused row raises.

    A ledger that does not carry this plan's identity (another database, another plan, or
    a workbook `ledger export` did not write) is refused. In a ledger written by `planner
    ledger export`, only the cells a unit changed count, so values someone else has updated
    since the export are neither reverted nor refused. Unknown or repeated codes, edits on a
    parent (summary) row or an archived item, forbidden status transitions, and status or
    progress edits on an item changed since the export are errors naming the cell. With
    `by_unit`, every changed item must be one that unit leads or supports: the others are
    refused together, listed by code (whoever imports, with or without users defined).
    """
    if by_unit is not None and by_unit not in load_units(session=session):
        raise PlannerError(f"未知单位“{by_unit}”（--by）", f'unknown unit "{by_unit}" (--by)')
    check_identity(ledger, session=session)
    entries = ledger.entries
    tree = load_tree(session=session)
    rollup = Rollup(tree, today)
    notes = latest_notes(session=session)
    archived = None
    seen: dict[str, LedgerEntry] = {}
    changes = []
    not_theirs: list[str] = []
    for entry in entries:
        if entry.code in seen:
            raise PlannerError(f"编码 {entry.code} 重复（已在第 {seen[entry.code].row} 行）",
                               f"code {entry.code} appears twice (also row "
                               f"{seen[entry.code].row})", where=entry.where("code"))
        seen[entry.code] = entry
        given = _given(entry)
        node_id = tree.by_code.get(entry.code)
        if node_id is None:
            archived = archived_items(session=session) if archived is None else archived
            item = archived.get(entry.code)
            if item is None:
                raise PlannerError(f"没有编码为 {entry.code} 的事项",
                                   f"no item with code {entry.code}", where=entry.where("code"))
            wanted = _wanted(entry, given, item.status, item.progress, notes.get(item.id))
            if wanted.any:
                raise PlannerError(f"{entry.code} 已归档，不能填报（请删除该行或重新导出台账）",
                                   f"{entry.code} is archived and cannot be updated (delete the "
                                   "row or export the ledger again)",
                                   where=entry.where(wanted.first_column))
            continue
        node = tree.nodes[node_id]
        latest = notes.get(node_id)
        if not tree.is_leaf(node_id):
            column = _parent_edit(entry, given, rollup[node_id].progress, latest)
            if column is not None:
                require_leaf(entry.code, has_children=True, where=entry.where(column))
            continue
        wanted = _wanted(entry, given, node.status, node.progress, latest)
        if not wanted.any:
            continue
        try:
            check_transition(node.status, wanted.new_status, code=node.code)
        except PlannerError as exc:
            raise PlannerError(f"{node.code}：{exc.zh}", f"{node.code}: {exc.en}",
                               where=entry.where("status")) from None
        if wanted.moves and entry.version is not None and entry.version != node.version:
            raise ConflictError(
                f"{node.code} 在导出台账后已被修改（版本 {entry.version} → {node.version}，现为"
                f"{node.status.zh} {_percent(node.progress)}），请重新导出台账后填报",
                f"{node.code} changed after the ledger was exported (version {entry.version} → "
                f"{node.version}, now {node.status.value} {_percent(node.progress)}); export "
                "the ledger again and fill that in", where=entry.where(wanted.first_column))
        if by_unit is not None and by_unit != node.lead and by_unit not in node.support:
            not_theirs.append(node.code)
        changes.append(LedgerChange(
            node.code, node.title, entry.where(wanted.first_column), wanted.old_status,
            wanted.new_status, wanted.old_progress, wanted.new_progress, wanted.note,
            node.version, wanted.progress_to_record))
    if not_theirs:
        raise _not_theirs(ledger.file, by_unit or "", not_theirs)
    return changes


def check_identity(ledger: LedgerFile, *, session: Session) -> None:
    """Refuse a ledger that was not exported from this database's plan."""
    identity = ledger.identity
    if identity is None:
        raise PlannerError("该工作簿不是本系统导出的台账（缺少计划标识），不能导入：请在 "
                           "planner ledger export 导出的台账上填报",
                           "this workbook is not a ledger exported by planner (it carries no "
                           "plan identity): fill in a ledger written by `planner ledger export`",
                           where=ledger.file)
    if identity.plan_uid != plan_uid(session=session):
        title = shorten("".join(ch for ch in " ".join(identity.plan_title.split())
                                if ch.isprintable()), TITLE_CELLS * 2)
        raise PlannerError(f"该台账导出自另一计划或另一数据库（“{title}”），不能导入本数据库",
                           f'this ledger was exported from another plan or database ("{title}") '
                           "and cannot be imported here", where=ledger.file)


def _not_theirs(file: str, by_unit: str, codes: list[str]) -> PlannerError:
    """Items `by_unit` neither leads nor supports, listed (the first LISTED_CODES)."""
    listed = "、".join(codes[:LISTED_CODES])
    listed_en = ", ".join(codes[:LISTED_CODES])
    more = len(codes) - LISTED_CODES
    if more > 0:
        listed += f" 等 {len(codes)} 项"
        listed_en += f" and {more} more"
    return PlannerError(f"单位 {by_unit} 既不牵头也不配合以下事项，不能以其名义填报，"
                        f"未应用任何变更：{listed}",
                        f"unit {by_unit} neither leads nor supports these items, so they cannot "
                        f"be reported in its name; nothing applied: {listed_en}", where=file)


def _parent_edit(entry: LedgerEntry, given: _Given, progress: float,
                 latest: LatestNote | None) -> str | None:
    """The column in which a parent's row was edited, if any (its status cell is blank)."""
    if given.status is not None:
        return "status"
    if given.progress is not None and (entry.exported is not None
                                       or not _same(given.progress, progress)):
        return "progress"
    if _new_note(given, latest) is not None:
        return "note"
    return None


# ---------------------------------------------------------------------------------------------
# Recording


def apply_ledger(changes: Iterable[LedgerChange], *, session: Session, by_unit: str | None,
                 by_user: str | None, at: datetime) -> list[UpdateResult]:
    """Record each change as a history entry, in the caller's transaction.

    Each is saved against the version read during planning, so an item changed in between
    raises ConflictError (and the caller's rollback leaves nothing recorded).
    """
    results = []
    for change in changes:
        try:
            results.append(record_update(
                session=session, code=change.code, at=at,
                status=change.new_status if change.new_status != change.old_status else None,
                progress=change.progress_to_record, note=change.note, by_unit=by_unit,
                by_user=by_user, expected_version=change.expected_version))
        except ConflictError as exc:
            raise ConflictError(exc.zh, exc.en, where=change.where) from None
        except PlannerError as exc:
            raise PlannerError(exc.zh, exc.en, where=change.where) from None
    return results
