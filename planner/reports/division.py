"""The plan as a 分工方案 / 任务分工表: the table a coordinator sends to the units, written as
.xlsx, .docx and PDF from one content (`division_of`), and read back by `planner intake`.

    <plan title>任务分工方案（2021—2025年）          the period only when the title names none
    序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限
    一、<top item>                                   one cell across the table
      1 | （一）<second level>  | <third level> | lead | supports | 2026年6月底前
        |   (merged down over   | （1）<fourth>  | …
      2 |    its measures)      | <third level> | …
      3 | （二）<second level without sub-items, across 具体措施> | …
    注：…

A plan of two levels has no 具体措施 column (序号 | 工作任务 | …); of one level, no area rows.
A top item without sub-items among areas is a row numbered like them (序号 三).
A cell holds the item's title, then `。` and its description, as intake splits them; a unit
group's members, in the group's order, are written as the group (各盟市). Time
limits are written in the words intake reads (`time_limit_text`): 2026年6月底前, 2026年底前,
2026年6月15日前; 长期坚持 for an item intake marked ongoing; 每季度, 每月, 每年4月20日前 for a
recurring item (with its last deadline when that is not the plan's end).

An area or a 重点任务 whose units or due date are not what intake would give it (the lead
of most of its items, no supports, its parent's due date) ends in a responsibility clause,
`（A牵头，B配合，2026年6月底前）`, as a heading does in a 推进计划. What the table cannot
carry, by its shape: areas' descriptions, start dates, a fifth level (listed with the fourth,
said in a 注), a rule no time-limit words state (its due date written, the rule in a 注).
"""

import calendar
from collections import Counter, defaultdict
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from planner.core.errors import PlannerError
from planner.core.intake import plan_year
from planner.core.intake_limits import read_limit
from planner.core.textwidth import cell_width
from planner.reports.officedoc import (
    Fonts,
    OfficeDocument,
    Table,
    chinese_numeral,
    write_office,
)
from planner.services.intake import split_ongoing
from planner.services.plan_yaml import PlanSpec, TaskSpec

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FULL_COLUMNS = ("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限")
FLAT_COLUMNS = ("序号", "工作任务", "牵头单位", "配合单位", "完成时限")
DOCX_WIDTHS_MM = {6: (9.0, 28.0, 53.0, 24.0, 24.0, 18.0), 5: (9.0, 75.0, 26.0, 26.0, 20.0)}
XLSX_WIDTHS = {6: (6, 26, 50, 24, 24, 16), 5: (6, 64, 26, 26, 16)}
"""Column widths in the workbook, in characters of the default font (a Chinese one is two)."""
CENTRED = ("序号", "完成时限")
#: The recurring forms intake reads, by the rule each gives (the yearly ones are built).
RECURRING_WORDS = ("每月", "每季度", "每半年", "每周")
NOTE_ONGOING = "“长期坚持”“持续推进”的事项持续至计划期末（{end}）"
NOTE_RECURRING = "“每月”“每季度”“每年×月”等为定期事项，每期末前完成，至计划期末"
NOTE_RULES = "第{codes}项按重复规则 {rules} 定期开展，表中为其最后期限"
NOTE_DEEP = "第{codes}项为第五层及以下事项，列于其上级事项之后"


@dataclass(slots=True)
class Division:
    """The table's content: title, columns, rows (an area row is one cell, the others one
    cell a column), merged cells as (row, column, rows down, columns across), notes."""

    title: str
    columns: tuple[str, ...]
    rows: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def due_text(due: date) -> str:
    """A due date in the words of a 完成时限: 2026年底前, 2026年6月底前, 2026年6月15日前."""
    if (due.month, due.day) == (12, 31):
        return f"{due.year}年底前"
    if due.day == calendar.monthrange(due.year, due.month)[1]:
        return f"{due.year}年{due.month}月底前"
    return f"{due.year}年{due.month}月{due.day}日前"


def recurrence_text(rule: str) -> str | None:
    """The time-limit words intake reads as `rule` (每季度, 每年4月20日前), or None."""
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";"))
    candidates = list(RECURRING_WORDS)
    if parts.get("FREQ") == "YEARLY" and parts.get("BYMONTH", "").isdigit():
        day = parts.get("BYMONTHDAY", "")
        candidates.append(f"每年{parts['BYMONTH']}月{day}日前" if day.isdigit()
                          else f"每年{parts['BYMONTH']}月底前")
    far = date(2099, 12, 31)
    for words in candidates:
        found = read_limit(words, year=2099, plan_end=far)
        if found is not None and found.rule == rule.upper():
            return words
    return None


def time_limit_text(task: TaskSpec, plan_end: date) -> tuple[str, str | None, bool]:
    """An item's 完成时限, its description without the line recording an ongoing limit when
    that limit is written instead, and whether its rule is one no words state."""
    ongoing, rest = split_ongoing(task.description)
    due = task.due or plan_end
    if ongoing is not None and due == plan_end and not task.repeat_rule:
        return ongoing, rest, False
    if task.repeat_rule:
        words = recurrence_text(task.repeat_rule)
        if words is None:
            return due_text(due), task.description, True
        return (words if due == plan_end else f"{words}，{due_text(due)}"), task.description, False
    return due_text(due), task.description, False


def division_title(spec: PlanSpec) -> str:
    """The plan's title as a 分工方案's, with the plan's years when the title names others."""
    title = spec.title
    if not title.endswith(("分工方案", "分工表")):
        title += "分工方案" if title.endswith("任务") else "任务分工方案"
    try:
        first, last, _kind = plan_year(title, None)
    except PlannerError:  # the title names no year
        first = last = 0
    if (first, last) != (spec.start.year, spec.end.year):
        years = (f"{spec.start.year}年" if spec.start.year == spec.end.year
                 else f"{spec.start.year}—{spec.end.year}年")
        title += f"（{years}）"
    return title


def division_of(spec: PlanSpec) -> Division:
    """The plan's 分工方案 (see the module's docstring)."""
    names = {unit.id: unit.name for unit in spec.units}
    recurring = {task.code for task in spec.tasks if task.repeat_rule}
    children: dict[str | None, list[TaskSpec]] = defaultdict(list)
    for task in spec.tasks:
        if task.parent not in recurring:  # an occurrence: regenerated from the rule
            children[task.parent].append(task)
    depth = _depth(children)
    full = depth >= 3
    division = Division(division_title(spec), FULL_COLUMNS if full else FLAT_COLUMNS)
    rules: dict[str, str] = {}
    deep: list[str] = []
    number = 0

    def cells(task: TaskSpec, prefix: str = "") -> tuple[str, list[str]]:
        """The item's text (title, then its description) and its unit and time-limit cells."""
        limit, description, unstated = time_limit_text(task, spec.end)
        if unstated and task.repeat_rule:
            rules[task.code] = task.repeat_rule
        text = f"{prefix}{task.title}" + (f"。{' '.join(description.split())}"
                                          if description else "")
        return text, [names.get(task.lead or "", task.lead or ""), unit_list(task.support), limit]

    def unit_list(units: list[str]) -> str:
        """Unit names joined by 、, a group's members (in its order) by the group's name."""
        written, index = [], 0
        while index < len(units):
            group = next((g for g in spec.groups if len(g.members) > 1
                          and units[index:index + len(g.members)] == list(g.members)), None)
            written.append(group.name if group else names.get(units[index], units[index]))
            index += len(group.members) if group else 1
        return "、".join(written)

    def heading(task: TaskSpec, prefix: str, parent_due: date, *, described: bool) -> str:
        """An area's or a 重点任务's text, and the responsibility clause it needs: none when
        intake gives it its units and due date anyway (the lead of most of its items, no
        supports, its parent's due date)."""
        text = f"{prefix}{task.title}" + (f"。{' '.join(task.description.split())}"
                                          if task.description and described else "")
        leads = Counter(child.lead for child in children[task.code] if child.lead)
        due = task.due or spec.end
        limit = "" if due == parent_due else f"，{due_text(due)}"
        if not task.support and leads and task.lead == leads.most_common(1)[0][0] and not limit:
            return text
        lead = names.get(task.lead or "", task.lead or "")
        units = f"{lead}牵头，{unit_list(task.support)}配合" if task.support else f"{lead}负责"
        return f"{text}（{units}{limit}）"

    def leaf_row(task: TaskSpec, prefix: str, shown: str | None = None) -> None:
        nonlocal number
        number += 1
        text, rest = cells(task, prefix)
        if full:  # a 重点任务 without measures: across 具体措施 too
            division.merges.append((len(division.rows), 1, 1, 2))
            division.rows.append([shown or str(number), text, text, *rest])
        else:
            division.rows.append([shown or str(number), text, *rest])

    def task_rows(task: TaskSpec, prefix: str, parent_due: date) -> None:
        nonlocal number
        first = len(division.rows)
        group = heading(task, prefix, parent_due, described=True)
        for measure in children[task.code]:
            number += 1
            text, rest = cells(measure)
            division.rows.append([str(number), group, text, *rest])
            for index, (sub, level) in enumerate(_descendants(children, measure.code), start=1):
                if level > 4:
                    deep.append(sub.code)
                text, rest = cells(sub, f"（{index}）")
                division.rows.append(["", group, text, *rest])
        if len(division.rows) - first > 1:
            division.merges.append((first, 1, len(division.rows) - first, 1))

    areas = 0
    has_areas = any(children[root.code] for root in children[None])
    for root in children[None]:
        if not children[root.code]:  # numbered like the areas, so it stays a top item
            areas += has_areas
            leaf_row(root, "", chinese_numeral(areas) if has_areas else None)
            continue
        areas += 1
        division.rows.append([heading(root, f"{chinese_numeral(areas)}、", spec.end,
                                      described=False)])
        for position, child in enumerate(children[root.code], start=1):
            prefix = f"（{chinese_numeral(position)}）" if full else ""
            if full and children[child.code]:
                task_rows(child, prefix, root.due or spec.end)
            else:
                leaf_row(child, prefix)
    division.notes = _notes(spec, division, rules, deep)
    return division


def _depth(children: dict[str | None, list[TaskSpec]]) -> int:
    """How many levels the tree has."""
    deepest, pending = 0, [(task, 1) for task in children[None]]
    while pending:
        task, level = pending.pop()
        deepest = max(deepest, level)
        pending += [(child, level + 1) for child in children.get(task.code, [])]
    return deepest


def _descendants(children: dict[str | None, list[TaskSpec]],
                 code: str) -> list[tuple[TaskSpec, int]]:
    """Every item under `code` in document order, with its level (a measure's are 4, …)."""
    found: list[tuple[TaskSpec, int]] = []
    pending = [(task, 4) for task in reversed(children.get(code, []))]
    while pending:
        task, level = pending.pop()
        found.append((task, level))
        pending += [(child, level + 1) for child in reversed(children.get(task.code, []))]
    return found


def _notes(spec: PlanSpec, division: Division, rules: dict[str, str],
           deep: list[str]) -> list[str]:
    """The 注 lines: what the time-limit words mean, and what the table could not state."""
    limits = [row[-1] for row in division.rows if len(row) > 1]
    lines = []
    if any(limit.startswith(("长期", "持续", "常态化")) for limit in limits):
        lines.append(NOTE_ONGOING.format(end=f"{spec.end.year}年{spec.end.month}月"
                                         f"{spec.end.day}日"))
    if any(limit.startswith("每") for limit in limits):
        lines.append(NOTE_RECURRING)
    if rules:
        lines.append(NOTE_RULES.format(codes="、".join(rules),
                                       rules="；".join(dict.fromkeys(rules.values()))))
    if deep:
        lines.append(NOTE_DEEP.format(codes="、".join(deep)))
    if len(lines) == 1:
        return [f"注：{lines[0]}。"]
    return [f"注{number}：{line}。" for number, line in enumerate(lines, start=1)]


def plan_division(session: Session) -> Division:
    """The current plan's 分工方案, from the plan as `planner export` writes it."""
    from planner.services.plan_export import export_plan
    from planner.services.plan_yaml import parse_plan

    return division_of(parse_plan(export_plan(session), "export"))


# --- .docx and PDF ------------------------------------------------------------------------


def division_document(division: Division, fonts: Fonts | None = None) -> OfficeDocument:
    """The 分工方案 in the official layout: title, the table (header repeated on every page,
    merged cells), the 注 lines."""
    doc = OfficeDocument(fonts)
    doc.title(division.title)
    count = len(division.columns)
    doc.table(Table(division.columns, division.rows, widths_mm=DOCX_WIDTHS_MM[count],
                    align=["center" if name in CENTRED else "left"
                           for name in division.columns],
                    merges=division.merges))
    for note in division.notes:
        doc.paragraph(note, indent=False)
    return doc


# --- .xlsx --------------------------------------------------------------------------------

LINE_HEIGHT_PT = 15.0
TITLE_HEIGHT_PT = 36.0


def write_division_xlsx(division: Division, path: Path, *, lang: str) -> None:
    """The 分工方案 as a workbook: the title merged across, the header row repeated on every
    printed page and frozen, area rows and merged 重点任务 cells, borders, wrapped text, rows
    as high as their text, A4 landscape one page wide. Every text through `put_value`."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange
    from openpyxl.worksheet.worksheet import Worksheet

    from planner.reports.xlsx_cells import put_value

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = "任务分工"
    count = len(division.columns)
    widths = XLSX_WIDTHS[count]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    thin = Side(style="thin")
    wrapped = Alignment(wrap_text=True, vertical="center")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    looks = {  # kind: alignment, font, framed, fill
        "body": (wrapped, None, True, None), "centred": (centred, None, True, None),
        "area": (wrapped, Font(bold=True), True, None), "frame": (None, None, True, None),
        "header": (centred, Font(bold=True), True, PatternFill("solid", fgColor="D9D9D9")),
        "title": (centred, Font(bold=True, size=16), False, None),
        "note": (wrapped, None, False, None)}
    arrays: dict[str, StyleArray] = {}

    def style(cell: Cell, kind: str) -> None:
        """Give `cell` the look of `kind`: styled once, then the style copied (openpyxl's
        style setters hash every style object: most of a big table's time otherwise)."""
        if kind in arrays:
            cell._style = copy(arrays[kind])  # type: ignore[attr-defined]  # private in openpyxl, absent from its stub
            return
        alignment, font, framed, fill = looks[kind]
        if alignment is not None:
            cell.alignment = alignment
        if font is not None:
            cell.font = font
        if framed:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if fill is not None:
            cell.fill = fill
        arrays[kind] = copy(cell._style)  # type: ignore[attr-defined]  # private in openpyxl, absent from its stub

    def merge(top: int, left: int, bottom: int, right: int) -> None:
        """Merge the range, its covered cells left as they are (empty, framed):
        `sheet.merge_cells` would style every cell on the range's edges anew, minutes for a
        big table."""
        sheet.merged_cells.add(MergedCellRange(sheet, f"{get_column_letter(left)}{top}:"
                                                      f"{get_column_letter(right)}{bottom}"))

    def put(row: int, column: int, text: str | None, kind: str) -> None:
        cell = sheet.cell(row, column)
        assert isinstance(cell, Cell)  # written before any merge covers it
        style(cell, kind)  # first: put_value marks a formula-like text in the style
        if text is not None:
            put_value(cell, text, lang)

    put(1, 1, division.title, "title")
    merge(1, 1, 1, count)
    sheet.row_dimensions[1].height = TITLE_HEIGHT_PT
    for column, name in enumerate(division.columns, start=1):
        put(2, column, name, "header")
    first = 3
    covered = {(top + down, left + across)
               for top, left, rows, columns in division.merges
               for down in range(rows) for across in range(columns) if down or across}
    heights = _heights(division, widths)
    kinds = ["centred" if name in CENTRED else "body" for name in division.columns]
    for index, row in enumerate(division.rows):
        number = first + index
        if len(row) == 1:
            put(number, 1, row[0], "area")
            for column in range(2, count + 1):
                put(number, column, None, "frame")
            merge(number, 1, number, count)
            continue
        for column, text in enumerate(row):
            covering = (index, column) in covered
            put(number, column + 1, None if covering else text,
                "frame" if covering else kinds[column])
        sheet.row_dimensions[number].height = heights[index]
    for top, left, rows, columns in division.merges:
        merge(first + top, left + 1, first + top + rows - 1, left + columns)
    number = first + len(division.rows)
    for note in division.notes:
        put(number, 1, note, "note")
        merge(number, 1, number, count)
        sheet.row_dimensions[number].height = LINE_HEIGHT_PT * _lines(note, sum(widths))
        number += 1
    _print_setup(sheet, Worksheet.PAPERSIZE_A4)
    try:
        workbook.save(path)
    except OSError as exc:
        raise PlannerError("report_write_failed", path=path, reason=exc.strerror or exc) from None


def _lines(text: str, width: float) -> int:
    """Lines `text` takes in a column `width` characters wide (a Chinese character is two)."""
    return max(1, ceil(cell_width(text) / max(1.0, width - 1)))


def _heights(division: Division, widths: tuple[int, ...]) -> list[float]:
    """Each body row's height: its tallest cell that does not span rows (a spreadsheet does
    not fit wrapped rows' heights itself); a cell merged across counts its columns' width."""
    across = {(top, left): columns for top, left, rows, columns in division.merges
              if rows == 1}
    tall = {(top + down, left) for top, left, rows, _columns in division.merges if rows > 1
            for down in range(rows)}
    heights = []
    for index, row in enumerate(division.rows):
        lines = 1
        for column, text in enumerate(row):
            if len(row) > 1 and (index, column) not in tall:
                width = sum(widths[column:column + across.get((index, column), 1)])
                lines = max(lines, _lines(text, width))
        heights.append(LINE_HEIGHT_PT * lines + 4)
    return heights


def _print_setup(sheet: "Worksheet", paper: str) -> None:
    """A4 landscape, one page wide, the header row on every page, frozen under it."""
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = paper
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]  # a new sheet has its page set-up properties
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


# --- writing ------------------------------------------------------------------------------

DIVISION_FORMATS = ("xlsx", "docx", "pdf")


def write_division(session: Session, *, fmt: str, path: Path, lang: str,
                   fonts: Fonts | None = None) -> None:
    """Write the current plan's 分工方案 at `path` as .xlsx, .docx or .pdf (`fmt`)."""
    division = plan_division(session)
    if fmt == "xlsx":
        write_division_xlsx(division, path, lang=lang)
    else:
        write_office(division_document(division, fonts), path, fmt)
