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
from planner.i18n import label, msg
from planner.services.changes import require_open_plan
from planner.services.updates import UpdateResult, record_update, status_name
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
            parts.append(label("ledger_change_note", lang, note=" ".join(self.note.split())))
        return label("ledger_change_line", lang, code=self.code,
                     title=shorten(self.title, TITLE_CELLS), change=" ".join(parts))


# ---------------------------------------------------------------------------------------------
# Reading the workbook


def read_ledger(path: Path, *, limits: LedgerLimits = LedgerLimits()) -> LedgerFile:
    """The rows of a filled-in ledger, every one checked, and its plan identity; the first bad
    row, or a workbook beyond `limits`, raises."""
    from openpyxl import load_workbook

    name = path.name
    if path.is_dir():
        raise PlannerError("ledger_is_directory", where=str(path))
    if not path.is_file():
        raise PlannerError("ledger_no_file", where=str(path))
    if path.suffix.lower() == ".xls":
        raise PlannerError("ledger_old_xls", where=name)
    if path.stat().st_size > limits.file_bytes:
        raise _over_limit(name, "ledger_limit_file_size", limits.file_bytes)
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
    return PlannerError("ledger_unreadable", where=name, detail=detail)


def _located(exc: PlannerError, where: str, *, code: str | None = None,
             kind: type[PlannerError] = PlannerError) -> PlannerError:
    """An error from checking or recording a row, located at its cell (`where`) and, with
    `code`, naming the item first; the inner message still renders in the reader's language."""
    if code is not None:
        return kind("ledger_item_refused", where=where, code=code, error=exc.msg)
    return kind("message", where=where, message=exc.msg)


def _over_limit(where: str, what: str, limit: int, *,
                unit: str = "ledger_count_bytes") -> PlannerError:
    """A workbook refused for exceeding a limit: which one (`what`, a catalogue key), and its
    value counted in `unit` (a catalogue key; whole MiB are shown as such)."""
    shown: object = msg(unit, count=limit)
    if unit == "ledger_count_bytes" and limit >= MiB and limit % MiB == 0:
        shown = f"{limit // MiB} MiB"
    return PlannerError("ledger_over_limit", where=where, what=msg(what), limit=shown)


def _check_archive(path: Path, name: str, limits: LedgerLimits) -> bool:
    """Bound the zip before any XML is parsed: part count, each part's compressed and
    uncompressed size (as the directory says, and as actually read, so a directory that lies
    does not help), the total, and the shared strings. Refuses document type declarations
    (entity expansion). Returns whether any sheet holds a formula."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > limits.parts:
                raise _over_limit(name, "ledger_limit_parts", limits.parts,
                                  unit="ledger_count_parts")
            total = sum(part.file_size for part in parts)
            if total > limits.total_bytes:
                raise _over_limit(name, "ledger_limit_total", limits.total_bytes)
            has_formulas = False
            read_total = 0
            for part in parts:
                bound = _part_bound(part.filename, limits)
                where = f"{name}:{part.filename}"
                if part.compress_size > limits.file_bytes:
                    raise _over_limit(where, "ledger_limit_compressed", limits.file_bytes)
                if part.file_size > bound:
                    raise _over_limit(where, "ledger_limit_uncompressed", bound)
                found, size = _scan_part(archive, part, where, bound)
                read_total += size
                if read_total > limits.total_bytes:
                    raise _over_limit(name, "ledger_limit_total", limits.total_bytes)
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
                raise _over_limit(where, "ledger_limit_uncompressed", bound)
            window = tail + chunk
            if _DTD.search(window):
                raise PlannerError("ledger_dtd", where=where)
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
                raise PlannerError("ledger_header_twice", where=where,
                                   header=values[found[name]], first=first, other=value,
                                   second=second)
            found[name] = index
    return found


def _find_table(workbook: Any, name: str) -> tuple[Any, int, dict[str, int]]:
    """(sheet, header row number, columns) of the first sheet with a code column."""
    sheets = [sheet for sheet in workbook.worksheets if sheet.title != IDENTITY_SHEET]
    if not sheets:
        raise PlannerError("ledger_no_sheets", where=name)
    for sheet in sheets:
        sheet.reset_dimensions()  # read to the last row, whatever size the file claims
        for number, values in enumerate(
                sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), 1):
            if not any(_normalise(v) in HEADERS["code"] for v in values if v is not None):
                continue
            where = f"{name}:{sheet.title}!{number}:{number}"
            columns = _header_columns(values, where)
            if not any(f in columns for f in READ_FIELDS):
                raise PlannerError("ledger_no_read_columns", where=where)
            return sheet, number, columns
    first = sheets[0].title
    raise PlannerError("ledger_no_code_column", where=f"{name}:{first}!1:1")


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
            raise _over_limit(f"{name}:{sheet.title}", "ledger_limit_rows", limits.rows,
                              unit="ledger_count_rows")
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
                              "ledger_limit_cell", limits.cell_chars,
                              unit="ledger_count_characters")
        formula = formula_row[index] if index < len(formula_row) else None
        if value is None and getattr(formula, "data_type", None) == "f":
            raise PlannerError("ledger_formula_no_value",
                               where=f"{where}!{get_column_letter(index + 1)}{number}")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _code(cell: Any, where: str) -> str:
    value = cell.value if cell is not None else None
    if _blank(value):
        raise PlannerError("ledger_code_empty", where=where)
    if isinstance(value, bool | datetime | date):
        raise PlannerError("ledger_code_invalid", where=where, value=value)
    if isinstance(value, float):
        if not value.is_integer():  # 3.10 typed into a number cell arrives as 3.1
            raise PlannerError("ledger_code_number", where=where, value=value)
        return str(int(value))
    return str(value).strip()


def _status(cell: Any, where: str) -> Status | None:
    value = cell.value if cell is not None else None
    if _blank(value):
        return None
    try:
        return parse_status(str(value))
    except PlannerError as exc:
        raise _located(exc, where) from None


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
        raise PlannerError("ledger_progress_not_number", where=where, value=value)
    number = round(number, 6)
    if not 0 <= number <= 100:
        raise PlannerError("ledger_progress_range", where=where, value=number)
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
            raise PlannerError("ledger_done_progress", where=entry.where("progress"),
                               status=status_name(new_status),
                               progress=_percent(given.progress))
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
        raise PlannerError("ledger_unknown_by_unit", unit=by_unit)
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
            raise PlannerError("ledger_code_twice", where=entry.where("code"), code=entry.code,
                               row=seen[entry.code].row)
        seen[entry.code] = entry
        given = _given(entry)
        node_id = tree.by_code.get(entry.code)
        if node_id is None:
            archived = archived_items(session=session) if archived is None else archived
            item = archived.get(entry.code)
            if item is None:
                raise PlannerError("ledger_unknown_code", where=entry.where("code"),
                                   code=entry.code)
            wanted = _wanted(entry, given, item.status, item.progress, notes.get(item.id))
            if wanted.any:
                raise PlannerError("ledger_archived", where=entry.where(wanted.first_column),
                                   code=entry.code)
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
            raise _located(exc, entry.where("status"), code=node.code) from None
        if wanted.moves and entry.version is not None and entry.version != node.version:
            raise ConflictError("ledger_changed_since_export",
                                where=entry.where(wanted.first_column), code=node.code,
                                old=entry.version, new=node.version,
                                status=status_name(node.status),
                                progress=_percent(node.progress))
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
        raise PlannerError("ledger_no_identity", where=ledger.file)
    if identity.plan_uid != plan_uid(session=session):
        title = shorten("".join(ch for ch in " ".join(identity.plan_title.split())
                                if ch.isprintable()), TITLE_CELLS * 2)
        raise PlannerError("ledger_other_plan", where=ledger.file, title=title)


def _not_theirs(file: str, by_unit: str, codes: list[str]) -> PlannerError:
    """Items `by_unit` neither leads nor supports, listed (the first LISTED_CODES)."""
    listed: object = codes[:LISTED_CODES]
    if len(codes) > LISTED_CODES:
        listed = msg("ledger_codes_and_more", codes=listed, total=len(codes))
    return PlannerError("ledger_not_theirs", where=file, unit=by_unit, codes=listed)


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
    raises ConflictError (and the caller's rollback leaves nothing recorded). A closed
    plan's ledger is refused even when it changes nothing.
    """
    require_open_plan(session=session)
    results = []
    for change in changes:
        try:
            results.append(record_update(
                session=session, code=change.code, at=at,
                status=change.new_status if change.new_status != change.old_status else None,
                progress=change.progress_to_record, note=change.note, by_unit=by_unit,
                by_user=by_user, expected_version=change.expected_version))
        except ConflictError as exc:
            raise _located(exc, change.where, kind=ConflictError) from None
        except PlannerError as exc:
            raise _located(exc, change.where) from None
    return results
