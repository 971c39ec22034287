"""The weekly report (周报) as leaders read it: four short parts and the ledger as an annex.

一、总体情况 (a paragraph generated from the figures, and a chart of progress against 序时进度
by work area), 二、本周进展 (by area), 三、存在问题 (red and yellow items, moved deadlines,
indicators off track), 四、下步安排 (items due soon, units to chase), 附件 (the ledger).
Built once as a `WeeklyPaper`; laid out as .docx/PDF (`paper_document`) and as the txt, md and
html sections (`paper_sections`), so every format says the same thing.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from planner.core.model import PlanTree
from planner.core.rollup import Colour
from planner.core.status import Status
from planner.i18n import label, list_separator, paren
from planner.reports.chart import Bar, bar_chart, can_label
from planner.reports.ledger import Ledger
from planner.reports.numbering import chinese_date, heading_number
from planner.reports.sections import Cell, Section, header_lines, number, percent
from planner.reports.tree import warning_text
from planner.reports.weekly import ItemLine, UpdateLine, WeeklyReport

if TYPE_CHECKING:  # the office layout (python-docx's module) is imported only to write one
    from planner.reports.officedoc import Fonts, OfficeDocument, Table

UPDATES_PER_AREA = 8
"""Updates spelt out under each area; the rest are counted (the annex has every item)."""
YELLOW_LISTED = 5
"""Yellow items listed by name, furthest behind first; the rest are counted."""
RED_LISTED = DUE_LISTED = 20
"""Red items (longest overdue first) and items due soon listed by name; the rest counted."""
CODES_LISTED = 5
"""Open items named per unit to chase; more are counted."""
ANNEX_PT = 9.0
ANNEX_ROWS = 45
"""The annex shows the ledger down to the deepest level that keeps it within this many rows
(about a page and a half at 小五)."""
CHART_WIDTH_MM = 140.0


@dataclass(slots=True)
class PaperTable:
    """A table of the paper: columns and rows of cells."""

    columns: list[str]
    rows: list[list[Cell]]


@dataclass(slots=True)
class Part:
    """A numbered part (一、) or sub-part (（一）): paragraphs, a table, more paragraphs."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: PaperTable | None = None
    after: list[str] = field(default_factory=list)
    parts: list["Part"] = field(default_factory=list)


@dataclass(slots=True)
class WeeklyPaper:
    """Everything the redesigned weekly report says, in its order."""

    title: str
    subtitle: str
    info: list[str]
    """The text layouts' lines under the title: week, dates, unit."""
    parts: list[Part]
    bars: list[Bar]
    areas: PaperTable
    """The chart's figures as a table (the text formats' chart)."""
    annex_title: str
    annex: PaperTable


def long_date(day: date, lang: str) -> str:
    """2021年7月2日 / 2021-07-02."""
    return day.isoformat() if lang == "en" else chinese_date(day)


def _count_change(change: int, lang: str) -> str:
    if change > 0:
        return label("paper_more", lang, n=change)
    if change < 0:
        return label("paper_fewer", lang, n=-change)
    return label("paper_flat", lang)


def overview_paragraph(report: WeeklyReport, lang: str) -> str:
    """一、总体情况's paragraph: items by state, progress against 序时进度 and its change from
    last week, red and yellow counts and their change, and the week's activity."""
    overview = report.overview
    by_status = overview.by_status
    rest = "".join(label(key, lang, n=by_status[status]) for key, status in (
        ("paper_blocked", Status.BLOCKED), ("paper_not_started", Status.NOT_STARTED),
        ("paper_cancelled", Status.CANCELLED)) if by_status[status] or status is
        Status.NOT_STARTED)
    total = label("paper_total", lang, day=long_date(report.as_of, lang),
                  total=sum(by_status.values()),
                  done=by_status[Status.DONE] + by_status[Status.CLOSED],
                  in_progress=by_status[Status.IN_PROGRESS], rest=rest)
    progress, expected = round(overview.plan.progress), round(overview.plan.expected)
    gap = (label("paper_behind", lang, n=expected - progress) if expected > progress
           else label("paper_ahead", lang, n=progress - expected) if progress > expected
           else label("paper_on_pace", lang))
    change = round(overview.progress_change)
    moved = (label("paper_up", lang, n=change) if change > 0
             else label("paper_down", lang, n=-change) if change < 0
             else label("paper_flat", lang))
    pace = label("paper_pace", lang, progress=f"{progress}%", expected=f"{expected}%",
                 gap=gap, change=moved)
    warnings = label(
        "paper_warnings", lang,
        red=overview.by_colour[Colour.RED],
        red_change=_count_change(overview.by_colour_change[Colour.RED], lang),
        yellow=overview.by_colour[Colour.YELLOW],
        yellow_change=_count_change(overview.by_colour_change[Colour.YELLOW], lang))
    updates = sum(len(group.updates) for group in report.updates)
    moves = label("paper_week_moves", lang, n=len(report.due_moves)) if report.due_moves else ""
    week = label("paper_week", lang, updates=updates, completed=len(report.completed),
                 moves=moves)
    joiner = " " if lang == "en" else ""
    return joiner.join((total, pace, warnings, week))


def _clause(text: str) -> str:
    """A note as the tail of a sentence: trailing punctuation dropped."""
    return text.strip().rstrip("。；;，,.")


def update_sentence(line: UpdateLine, lang: str) -> str:
    """3.1 建设……（报送单位）：由未启动转为推进中，进度由10%提高到25%，方案报批。"""
    changes = []
    if line.old_status != line.new_status:
        changes.append(label("paper_status_move", lang, old=line.old_status.label(lang),
                             new=line.new_status.label(lang)))
    old, new = percent(line.old_progress), percent(line.new_progress)
    if line.old_progress == line.new_progress:
        changes.append(label("paper_progress_at", lang, now=new))
    elif line.new_progress > line.old_progress:
        changes.append(label("paper_progress_up", lang, old=old, new=new))
    else:
        changes.append(label("paper_progress_moved", lang, old=old, new=new))
    comma = ", " if lang == "en" else "，"
    note = _clause(line.note or "")
    return label("paper_update", lang, code=line.code, title=_clause(line.title),
                 unit=line.unit or "—", change=comma.join(changes),
                 note=comma + note if note else "")


def _item_table(items: list[ItemLine], lang: str, days_key: str) -> PaperTable:
    columns = [label(key, lang) for key in ("weekly_code", "weekly_item", "weekly_lead",
                                            "weekly_due", "weekly_progress",
                                            "weekly_expected", days_key)]
    rows = [[Cell(i.code), Cell(i.title), Cell(i.lead), Cell(i.due.isoformat()),
             Cell(percent(i.progress), numeric=True), Cell(percent(i.expected), numeric=True),
             Cell(str(i.days), numeric=True)] for i in items]
    return PaperTable(columns, rows)


def _progress_part(report: WeeklyReport, lang: str) -> Part:
    part = Part("progress", label("paper_progress", lang))
    if not report.updates:
        part.paragraphs.append(label("paper_no_updates", lang))
    completed = {line.code for line in report.completed}
    for group in report.updates:
        done = sum(1 for line in group.updates if line.code in completed)
        summary = label("paper_area_summary", lang, n=len(group.updates),
                        done=label("paper_area_done", lang, n=done) if done else "")
        shown = group.updates[:UPDATES_PER_AREA]
        area = Part(f"area-{group.code}", f"{group.code} {group.title}",
                    paragraphs=[summary, *(update_sentence(line, lang) for line in shown)])
        if len(group.updates) > len(shown):
            area.paragraphs.append(label("paper_more_updates", lang,
                                         n=len(group.updates) - len(shown)))
        part.parts.append(area)
    return part


def _problems_part(report: WeeklyReport, lang: str) -> Part:
    part = Part("problems", label("paper_problems", lang))
    if not report.red and not report.yellow:
        part.paragraphs.append(label("paper_no_warnings", lang))
    if report.red:
        listed = report.red[:RED_LISTED]
        rest = report.red[len(listed):]
        part.parts.append(Part(
            "red", label("paper_red", lang),
            paragraphs=[label("paper_red_intro", lang, n=len(report.red))],
            table=_item_table(listed, lang, "weekly_overdue_days"),
            after=[label("paper_red_rest", lang, n=len(rest),
                         most=max(item.days for item in rest))] if rest else []))
    if report.yellow:
        listed = report.yellow[:YELLOW_LISTED]
        rest = report.yellow[len(listed):]
        intro = (label("paper_yellow_top", lang, n=len(report.yellow), k=len(listed)) if rest
                 else label("paper_yellow_all", lang, n=len(report.yellow)))
        part.parts.append(Part(
            "yellow", label("paper_yellow", lang), paragraphs=[intro],
            table=_item_table(listed, lang, "weekly_behind"),
            after=[label("paper_yellow_rest", lang, n=len(rest),
                         most=max(item.days for item in rest))] if rest else []))
    if report.due_moves:
        part.parts.append(Part("due_moves", label("paper_moves", lang), paragraphs=[
            label("paper_move", lang, code=m.code, title=_clause(m.title),
                  old=long_date(m.old_due, lang), new=long_date(m.new_due, lang),
                  reason=_clause(m.reason), times=m.times_moved) for m in report.due_moves]))
    off_track = [i for i in report.indicators if i.off_track and i.latest is not None]
    if off_track:
        part.parts.append(Part("indicators", label("paper_indicators", lang), paragraphs=[
            label("paper_indicator", lang, name=f"{i.code} {i.name}",
                  latest=number(i.latest.value if i.latest else None), measure=i.measure,
                  target=number(i.year_target)) for i in off_track]))
    return part


def _next_part(report: WeeklyReport, lang: str) -> Part:
    days = report.due_soon_days
    due = sorted((item for item in [*report.blue, *report.yellow]
                  if 0 <= (item.due - report.as_of).days <= days),
                 key=lambda item: (item.due, item.code))
    due_lines = [ItemLine(i.code, i.title, i.lead, i.due, i.status, i.progress, i.expected,
                          (i.due - report.as_of).days) for i in due]
    due_part = Part("due", label("paper_due", lang))
    if due_lines:
        due_part.paragraphs.append(label("paper_due_intro", lang, days=days, n=len(due_lines)))
        due_part.table = _item_table(due_lines[:DUE_LISTED], lang, "paper_days_to_due")
        if len(due_lines) > DUE_LISTED:
            due_part.after.append(label("paper_due_rest", lang, n=len(due_lines) - DUE_LISTED))
    else:
        due_part.paragraphs.append(label("paper_due_none", lang, days=days))
    chase = Part("chase", label("paper_chase", lang))
    if report.silent_units:
        units = list_separator(lang).join(
            label("paper_chase_unit", lang, unit=u.name, n=len(u.open_items),
                  codes=list_separator(lang).join(u.open_items[:CODES_LISTED])
                  + (label("paper_and_more", lang) if len(u.open_items) > CODES_LISTED else ""))
            for u in report.silent_units)
        chase.paragraphs.append(label("paper_chase_intro", lang, n=len(report.silent_units),
                                      units=units))
    else:
        chase.paragraphs.append(label("paper_chase_none", lang))
    return Part("next", label("paper_next", lang), parts=[due_part, chase])


def annex_depth(ledger: Ledger) -> int:
    """The deepest level shown in the annex: every level that keeps it within ANNEX_ROWS
    rows, at least the work areas (a leader's annex; the workbook has every item)."""
    return depth_within(row.depth for row in ledger.rows)


def depth_within(depths: Iterable[int]) -> int:
    """The deepest level of rows at `depths` that keeps them within ANNEX_ROWS, at least 0
    (`annex_depth` of a ledger with rows at these depths)."""
    rows_at = Counter(depths)
    deepest = max(rows_at, default=0)
    depth = 0
    while deepest > depth and sum(n for d, n in rows_at.items() if d <= depth + 1) <= ANNEX_ROWS:
        depth += 1
    return depth


def tree_annex_depth(tree: PlanTree) -> int:
    """`depth_within` the rows of the whole `tree`, reading it level by level only as deep
    as the annex could go (the first level past ANNEX_ROWS ends the walk)."""
    depths: list[int] = []
    level, depth = list(tree.roots), 0
    while level:
        depths.extend([depth] * len(level))
        if len(depths) > ANNEX_ROWS:
            break
        level = [kid for node_id in level for kid in tree.kids(node_id)]
        depth += 1
    return depth_within(depths)


def _annex(ledger: Ledger, lang: str) -> PaperTable:
    columns = [label(key, lang) for key in ("weekly_code", "weekly_item", "weekly_lead",
                                            "weekly_due", "weekly_status_change",
                                            "weekly_progress", "weekly_warning")]
    rows = []
    depth = annex_depth(ledger)
    for row in ledger.rows:
        if row.depth > depth:
            continue
        status = row.status.label(lang) if row.status is not None else ""
        colour = row.colour if row.status is None or row.status.is_open else None
        rows.append([Cell(row.code), Cell(row.title), Cell(row.lead), Cell(row.due.isoformat()),
                     Cell(status), Cell(percent(row.progress), numeric=True),
                     Cell(warning_text(colour, lang) if colour else "", colour=colour)])
    return PaperTable(columns, rows)


def build_paper(report: WeeklyReport, ledger: Ledger, lang: str) -> WeeklyPaper:
    """The weekly paper from the week's report and the ledger as of its date."""
    year, week, _ = report.week_start.isocalendar()
    subtitle = label("paper_subtitle", lang, year=year, week=week,
                     start=long_date(report.week_start, lang),
                     end=long_date(report.week_end, lang))
    if report.unit_name:
        subtitle += paren(report.unit_name, lang)
    title = f"{report.plan_title}{' ' if lang == 'en' else ''}{label('weekly_report', lang)}"
    labels = [area.code if can_label(area.code) else str(index)
              for index, area in enumerate(report.areas, start=1)]
    bars = [Bar(text, area.progress, area.expected)
            for text, area in zip(labels, report.areas, strict=True)]
    areas = PaperTable(
        [label(key, lang) for key in ("weekly_code", "weekly_area", "weekly_progress",
                                      "weekly_expected", "weekly_warning", "weekly_done")],
        [[Cell(a.code), Cell(a.title), Cell(percent(a.progress), bar=a.progress),
          Cell(percent(a.expected), numeric=True),
          Cell(warning_text(a.colour, lang), colour=a.colour),
          Cell(f"{a.done}/{a.leaves}", numeric=True)] for a in report.areas])
    overview = Part("overview", label("paper_overview", lang),
                    paragraphs=[overview_paragraph(report, lang)])
    return WeeklyPaper(
        title=title, subtitle=subtitle, info=header_lines(report, lang)[1:],
        parts=[overview, _progress_part(report, lang), _problems_part(report, lang),
               _next_part(report, lang)],
        bars=bars, areas=areas,
        annex_title=label("paper_annex_title", lang, day=long_date(ledger.today, lang)),
        annex=_annex(ledger, lang))


def _office_table(table: PaperTable, size_pt: float) -> "Table":
    from planner.reports.officedoc import Table

    align = ["right" if table.rows and all(row[i].numeric or not row[i].text
                                           for row in table.rows) else "left"
             for i in range(len(table.columns))]
    return Table(table.columns, [[cell.text for cell in row] for row in table.rows],
                 size_pt=size_pt, align=align)


LEAD_COLUMN = 2


def _grouped_by_lead(table: "Table", lang: str) -> "Table":
    """The annex without its lead column: a spanning 牵头单位 row wherever the lead changes
    (most rows of a ledger share their lead, so this saves a wrapped column on every row)."""
    from planner.reports.officedoc import Table

    rows: list[list[str]] = []
    previous: str | None = None
    for row in table.rows:
        lead = row[LEAD_COLUMN]
        if lead != previous:
            rows.append([label("weekly_lead", lang) + ("：" if lang != "en" else ": ")
                         + (lead or "—")])
            previous = lead
        rows.append([cell for i, cell in enumerate(row) if i != LEAD_COLUMN])
    drop = [i for i in range(len(table.columns)) if i != LEAD_COLUMN]
    return Table([table.columns[i] for i in drop], rows, size_pt=table.size_pt,
                 align=[table.align[i] for i in drop] if table.align else None)


def paper_document(paper: WeeklyPaper, lang: str,
                   fonts: "Fonts | None" = None) -> "OfficeDocument":
    """The paper as an official-layout document: title, the four parts, the chart, the annex
    on its own page."""
    from planner.reports.officedoc import OfficeDocument, Span

    doc = OfficeDocument(fonts)
    doc.title(paper.title, subtitle=paper.subtitle)

    def add(part: Part, level: int) -> None:
        doc.heading(level, part.title)
        for paragraph in part.paragraphs:
            doc.paragraph(paragraph)
        if part.key == "overview" and paper.bars:
            doc.image(bar_chart(paper.bars), width_mm=CHART_WIDTH_MM,
                      caption=label("paper_chart_caption", lang))
        if part.table is not None:
            doc.table(_office_table(part.table, 10.5))
        for paragraph in part.after:
            doc.paragraph(paragraph)
        for sub in part.parts:
            add(sub, level + 1)

    for part in paper.parts:
        add(part, 1)
    doc.paragraph([Span(label("paper_annex", lang), role="heading1")], indent=False,
                  new_page=True)
    doc.title(paper.annex_title)
    doc.table(_grouped_by_lead(_office_table(paper.annex, ANNEX_PT), lang))
    return doc


def paper_sections(paper: WeeklyPaper, lang: str) -> tuple[list[str], list[Section]]:
    """The paper as a header and sections for the txt, md and html layouts: numbered titles,
    sub-parts as sections of level 2, the chart as the areas' table."""
    sections: list[Section] = []

    def add(part: Part, level: int, index: int) -> None:
        title = heading_number(level, index) + part.title if lang != "en" \
            else f"{index}. {part.title}" if level == 1 else f"({index}) {part.title}"
        section = Section(part.key, title, paragraphs=list(part.paragraphs), level=level)
        if part.key == "overview":
            section.columns, section.rows = paper.areas.columns, paper.areas.rows
        elif part.table is not None:
            section.columns, section.rows = part.table.columns, part.table.rows
        section.notes = list(part.after)
        sections.append(section)
        for sub_index, sub in enumerate(part.parts, start=1):
            add(sub, level + 1, sub_index)

    for index, part in enumerate(paper.parts, start=1):
        add(part, 1, index)
    sections.append(Section("annex", f"{label('paper_annex', lang)} {paper.annex_title}",
                            columns=paper.annex.columns, rows=paper.annex.rows,
                            empty=label("weekly_none", lang)))
    return [paper.title, *paper.info], sections
