"""A ledger (台账) workbook a unit filled in: read it, compare it with the database, record it.

`read_ledger` finds the code, status, progress and note columns by their header (Chinese or
English) and checks every row; `plan_ledger_changes` keeps the rows that differ from the
database and refuses what cannot be recorded; `apply_ledger` records each change as a history
entry in the caller's transaction, so one refused row means nothing is recorded. Every error
names the workbook, sheet and cell, e.g. `ledger.xlsx:台账!H7`.
"""

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from planner.core.errors import ConflictError, PlannerError
from planner.core.rollup import Rollup
from planner.core.status import DONE_STATUSES, Status, check_transition, parse_status
from planner.core.textwidth import shorten
from planner.services.updates import UpdateResult, record_update
from planner.store.ledger_queries import LatestNote, archived_items, latest_notes
from planner.store.queries import load_tree, load_units

PROGRESS_TOLERANCE = 0.005
"""Progress figures closer than this (in points) are the same (floats survive Excel ±1e-13)."""
HEADER_SCAN_ROWS = 10
"""How far down a sheet the header row is looked for (a unit may add a title above it)."""
TITLE_CELLS = 24
"""Display cells of an item's title in a change line."""

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


def read_ledger(path: Path) -> list[LedgerEntry]:
    """The rows of a filled-in ledger, every one checked; the first bad row raises."""
    from openpyxl import load_workbook

    name = path.name
    if not path.is_file():
        raise PlannerError("文件不存在", "no such file", where=str(path))
    if path.suffix.lower() == ".xls":
        raise PlannerError("无法读取旧版 .xls 文件：请在 Excel 中另存为 .xlsx 后再导入",
                           "cannot read an old .xls file: save it as .xlsx in Excel first",
                           where=name)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors alike
        raise _unreadable(name, exc) from None
    try:
        return list(_read_entries(workbook, name))
    except PlannerError:
        raise
    except Exception as exc:
        raise _unreadable(name, exc) from None
    finally:
        workbook.close()


def _unreadable(name: str, exc: Exception) -> PlannerError:
    detail = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return PlannerError(f"无法读取：不是有效的 Excel 工作簿（.xlsx）（{detail}）",
                        f"cannot read it: not a valid Excel workbook (.xlsx) ({detail})",
                        where=name)


def _normalise(header: object) -> str:
    text = str(header).translate(str.maketrans("（）％", "()%"))
    return re.sub(r"\s+", "", text).lower()


def _header_columns(values: tuple[Any, ...]) -> dict[str, int]:
    """Field → 0-based column index of the headers found in one row (first of each)."""
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        if value is None:
            continue
        key = _normalise(value)
        for name, accepted in HEADERS.items():
            if key in accepted and name not in found:
                found[name] = index
    return found


def _find_table(workbook: Any, name: str) -> tuple[Any, int, dict[str, int]]:
    """(sheet, header row number, columns) of the first sheet with a code column."""
    sheets = workbook.worksheets
    if not sheets:
        raise PlannerError("工作簿中没有工作表", "the workbook has no sheets", where=name)
    for sheet in sheets:
        sheet.reset_dimensions()  # read to the last row, whatever size the file claims
        for number, values in enumerate(
                sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), 1):
            columns = _header_columns(values)
            if "code" not in columns:
                continue
            if not any(f in columns for f in READ_FIELDS):
                raise PlannerError(
                    "表头中没有“状态”“进度”“进展说明”中的任何一列",
                    "the header has none of the Status, Progress or Note columns",
                    where=f"{name}:{sheet.title}!{number}:{number}")
            return sheet, number, columns
    first = sheets[0].title
    raise PlannerError("找不到“编码”列：表头（第 1 行）应有“编码”及“状态”“进度”“进展说明”等列",
                       "no Code column: the header (row 1) should have Code and Status, "
                       "Progress or Note columns", where=f"{name}:{first}!1:1")


def _read_entries(workbook: Any, name: str) -> Iterator[LedgerEntry]:
    from openpyxl.utils import get_column_letter

    sheet, header_row, columns = _find_table(workbook, name)
    letters = {f: get_column_letter(index + 1) for f, index in columns.items()}

    def cell_of(row: tuple[Any, ...], column: str) -> Any:
        index = columns.get(column)
        return row[index] if index is not None and index < len(row) else None

    for number, row in enumerate(sheet.iter_rows(min_row=header_row + 1), header_row + 1):
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
        yield LedgerEntry(name, sheet.title, number, code, status, progress, note,
                          _version(version_cell.value if version_cell is not None else None),
                          exported, letters)


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


def plan_ledger_changes(entries: Iterable[LedgerEntry], *, session: Session,
                        by_unit: str | None) -> list[LedgerChange]:
    """The rows that differ from the database, each checked; the first refused row raises.

    In a ledger written by `planner ledger export`, only the cells a unit changed count, so
    values someone else has updated since the export are neither reverted nor refused. Unknown
    or repeated codes, edits on a parent (summary) row or an archived item, forbidden status
    transitions, and status or progress edits on an item changed since the export are errors
    naming the cell.
    """
    if by_unit is not None and by_unit not in load_units(session=session):
        raise PlannerError(f"未知单位“{by_unit}”（--by）", f'unknown unit "{by_unit}" (--by)')
    tree = load_tree(session=session)
    # Only progress is read from the rollup, and it does not depend on the date.
    rollup = Rollup(tree, date.today())
    notes = latest_notes(session=session)
    archived = None
    seen: dict[str, LedgerEntry] = {}
    changes = []
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
                raise PlannerError(
                    f"{entry.code} 是汇总项（有下级事项），状态和进度由下级汇总，"
                    "请在具体事项行填报",
                    f"{entry.code} has children: its status and progress are rolled up from "
                    "them; fill in the rows of its items instead", where=entry.where(column))
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
        changes.append(LedgerChange(
            node.code, node.title, entry.where(wanted.first_column), wanted.old_status,
            wanted.new_status, wanted.old_progress, wanted.new_progress, wanted.note,
            node.version, wanted.progress_to_record))
    return changes


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
