"""The weekly report as titled sections of plain tables: every output format lays these out."""

from dataclasses import dataclass, field

from planner.core.indicators import share_text
from planner.core.rollup import Colour
from planner.core.status import Status
from planner.reports.tree import warning_text
from planner.reports.weekly import COLOURS, IndicatorLine, ItemLine, UpdateLine, WeeklyReport

TEXT: dict[str, tuple[str, str]] = {
    "report": ("工作进展周报", "Weekly progress report"),
    "week": ("周次", "Week"),
    "range": ("{start} 至 {end}", "{start} to {end}"),
    "generated": ("生成日期", "Generated"),
    "as_of": ("统计截至", "Figures as of"),
    "for_unit": ("单位", "Unit"),
    "overview": ("一、总体进展", "1. Overall progress"),
    "areas": ("二、各工作领域进展", "2. Progress by work area"),
    "updates": ("三、本周工作进展", "3. This week's progress"),
    "completed": ("四、本周完成及销号事项", "4. Completed or closed this week"),
    "due_moves": ("五、本周调整截止日期的事项", "5. Deadlines moved this week"),
    "red": ("六、红色预警：逾期事项", "6. Red: overdue items"),
    "yellow": ("七、黄色预警：滞后于序时进度的事项", "7. Yellow: behind expected progress"),
    "blue": ("八、蓝色预警：{days}天内到期的事项", "8. Blue: due within {days} days"),
    "silent": ("九、本周未报送进展的单位（催报）", "9. Units that have not reported this week"),
    "indicators": ("十、指标监测", "10. Indicators"),
    "none": ("（无）", "(none)"),
    "plan_progress": ("计划总体进度 {progress}，序时进度 {expected}，较上周 {change}",
                      "Plan progress {progress} against {expected} expected; {change} since "
                      "last week"),
    "leaf_total": ("共 {total} 项具体事项，已完成/销号 {done} 项",
                   "{total} work items, {done} done or closed"),
    "by_status": ("按状态", "By status"),
    "by_colour": ("按预警", "By warning"),
    "count": ("数量", "Count"),
    "change": ("较上周", "Change"),
    "code": ("编码", "Code"),
    "item": ("事项", "Item"),
    "area": ("工作领域", "Work area"),
    "progress": ("进度", "Progress"),
    "expected": ("序时进度", "Expected"),
    "warning": ("预警", "Warning"),
    "done": ("完成", "Done"),
    "date": ("日期", "Date"),
    "unit": ("报送单位", "Unit"),
    "status_change": ("状态", "Status"),
    "progress_change": ("进度变化", "Progress"),
    "note": ("进展说明", "Note"),
    "lead": ("牵头单位", "Lead"),
    "due": ("截止日期", "Due"),
    "overdue_days": ("逾期天数", "Days overdue"),
    "behind": ("滞后（百分点）", "Behind (points)"),
    "days_left": ("剩余天数", "Days left"),
    "old_due": ("原截止", "From"),
    "new_due": ("新截止", "To"),
    "reason": ("原因", "Reason"),
    "times_moved": ("累计调整次数", "Times moved"),
    "open_items": ("牵头未完成事项", "Open items led"),
    "indicator": ("指标", "Indicator"),
    "measure": ("单位", "Unit"),
    "baseline": ("基线", "Baseline"),
    "target": ("目标", "Target"),
    "year_target": ("本年目标", "This year"),
    "latest": ("最新读数", "Latest"),
    "share": ("完成度", "Of the way"),
    "direction": ("方向", "Direction"),
    "up": ("↑越高越好", "↑ higher is better"),
    "down": ("↓越低越好", "↓ lower is better"),
    "off_track": ("未达年度目标", "off track"),
}


def text(key: str, lang: str, **values: object) -> str:
    """A report label in `lang`."""
    zh, en = TEXT[key]
    chosen = en if lang == "en" else zh
    return chosen.format(**values) if values else chosen


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text, and optionally a warning colour or a progress bar value."""

    text: str
    colour: Colour | None = None
    bar: float | None = None
    numeric: bool = False


@dataclass(slots=True)
class Section:
    """A titled part of the report: paragraphs, then an optional table."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = ""


def percent(value: float) -> str:
    """45%, from a 0–100 figure."""
    return f"{value:.0f}%"


def signed(value: float, suffix: str = "") -> str:
    """+3, −2, 0 with a suffix."""
    if round(value, 1) == 0:
        return f"0{suffix}"
    return f"{value:+.0f}{suffix}".replace("-", "−")


def number(value: float | None) -> str:
    """12 rather than 12.0; — for none."""
    return "—" if value is None else f"{value:g}"


def header_lines(report: WeeklyReport, lang: str) -> list[str]:
    """Title block: plan, week, generated date, unit."""
    colon, left, right = (": ", " (", ")") if lang == "en" else ("：", "（", "）")
    week_range = text("range", lang, start=report.week_start.isoformat(),
                      end=report.week_end.isoformat())
    lines = [f"{report.plan_title} {text('report', lang)}",
             f"{text('week', lang)}{colon}{report.week_label}{left}{week_range}{right}",
             f"{text('generated', lang)}{colon}{report.generated.isoformat()}    "
             f"{text('as_of', lang)}{colon}{report.as_of.isoformat()}"]
    if report.unit_name:
        lines.append(f"{text('for_unit', lang)}{colon}{report.unit_name}{left}{report.unit_id}"
                     f"{right}")
    return lines


def weekly_sections(report: WeeklyReport, lang: str) -> list[Section]:
    """The report's sections in their printed order."""
    none = text("none", lang)
    overview = report.overview
    plan = overview.plan
    first = Section("overview", text("overview", lang), paragraphs=[
        text("plan_progress", lang, progress=percent(plan.progress),
             expected=percent(plan.expected), change=signed(overview.progress_change, "%")),
        text("leaf_total", lang, total=plan.leaves, done=plan.done),
    ], columns=[text("by_status", lang), text("count", lang), text("change", lang),
                text("by_colour", lang), text("count", lang), text("change", lang)])
    statuses = list(Status)
    for index in range(max(len(statuses), len(COLOURS))):
        row = [Cell(""), Cell(""), Cell("")]
        if index < len(statuses):
            status = statuses[index]
            row = [Cell(status.label(lang)), Cell(str(overview.by_status[status]), numeric=True),
                   Cell(signed(overview.by_status_change[status]), numeric=True)]
        if index < len(COLOURS):
            colour = COLOURS[index]
            row += [Cell(warning_text(colour, lang), colour=colour),
                    Cell(str(overview.by_colour[colour]), numeric=True),
                    Cell(signed(overview.by_colour_change[colour]), numeric=True)]
        else:
            row += [Cell(""), Cell(""), Cell("")]
        first.rows.append(row)
    areas = Section("areas", text("areas", lang), columns=[
        text("code", lang), text("area", lang), text("progress", lang), text("expected", lang),
        text("warning", lang), text("done", lang)], empty=none)
    areas.rows = [[Cell(a.code), Cell(a.title), Cell(percent(a.progress), bar=a.progress),
                   Cell(percent(a.expected), numeric=True),
                   Cell(warning_text(a.colour, lang), colour=a.colour),
                   Cell(f"{a.done}/{a.leaves}", numeric=True)] for a in report.areas]
    updates = Section("updates", text("updates", lang), columns=_update_columns(lang, area=True),
                      empty=none)
    for group in report.updates:
        updates.rows += [_update_row(line, lang, area=f"{group.code} {group.title}")
                         for line in group.updates]
    completed = Section("completed", text("completed", lang),
                        columns=_update_columns(lang, area=False), empty=none,
                        rows=[_update_row(line, lang) for line in report.completed])
    moves = Section("due_moves", text("due_moves", lang), columns=[
        text("date", lang), text("code", lang), text("item", lang), text("old_due", lang),
        text("new_due", lang), text("reason", lang), text("times_moved", lang)], empty=none,
        rows=[[Cell(m.day.isoformat()), Cell(m.code), Cell(m.title),
               Cell(m.old_due.isoformat()), Cell(m.new_due.isoformat()), Cell(m.reason),
               Cell(str(m.times_moved), numeric=True)] for m in report.due_moves])
    return [
        first, areas, updates, completed, moves,
        _item_section("red", report.red, lang, "overdue_days", Colour.RED),
        _item_section("yellow", report.yellow, lang, "behind", Colour.YELLOW),
        _item_section("blue", report.blue, lang, "days_left", Colour.BLUE,
                      days=report.due_soon_days),
        Section("silent", text("silent", lang), columns=[
            text("unit", lang), text("open_items", lang)], empty=none,
            rows=[[Cell(u.name), Cell("、".join(u.open_items))] for u in report.silent_units]),
        Section("indicators", text("indicators", lang), columns=[
            text("indicator", lang), text("measure", lang), text("baseline", lang),
            text("target", lang), text("year_target", lang), text("latest", lang),
            text("share", lang), text("direction", lang)], empty=none,
            rows=[_indicator_row(i, lang) for i in report.indicators]),
    ]


def _update_columns(lang: str, *, area: bool) -> list[str]:
    columns = [text("date", lang), text("code", lang), text("item", lang), text("unit", lang),
               text("status_change", lang), text("progress_change", lang), text("note", lang)]
    return [text("area", lang), *columns] if area else columns


def _update_row(line: UpdateLine, lang: str, area: str | None = None) -> list[Cell]:
    status = (line.new_status.label(lang) if line.old_status == line.new_status
              else f"{line.old_status.label(lang)}→{line.new_status.label(lang)}")
    progress = (percent(line.new_progress) if line.old_progress == line.new_progress
                else f"{percent(line.old_progress)}→{percent(line.new_progress)}")
    row = [Cell(line.day.isoformat()), Cell(line.code), Cell(line.title), Cell(line.unit),
           Cell(status), Cell(progress), Cell(line.note or "")]
    return [Cell(area), *row] if area is not None else row


def _item_section(key: str, items: list[ItemLine], lang: str, days_key: str,
                  colour: Colour, **title_values: object) -> Section:
    section = Section(key, text(key, lang, **title_values), columns=[
        text("code", lang), text("item", lang), text("lead", lang), text("due", lang),
        text("progress", lang), text("expected", lang), text(days_key, lang),
        text("warning", lang)], empty=text("none", lang))
    section.rows = [[Cell(i.code), Cell(i.title), Cell(i.lead), Cell(i.due.isoformat()),
                     Cell(percent(i.progress), numeric=True),
                     Cell(percent(i.expected), numeric=True), Cell(str(i.days), numeric=True),
                     Cell(warning_text(colour, lang), colour=colour)] for i in items]
    return section


def _indicator_row(line: IndicatorLine, lang: str) -> list[Cell]:
    latest = "—"
    if line.latest is not None:
        latest = f"{number(line.latest.value)}（{line.latest.on.isoformat()}）"
    share = share_text(line.share)
    if line.off_track:
        share += f" ▲{text('off_track', lang)}"
    return [Cell(f"{line.code} {line.name}"), Cell(line.measure), Cell(number(line.baseline),
                                                                       numeric=True),
            Cell(number(line.target), numeric=True), Cell(number(line.year_target), numeric=True),
            Cell(latest), Cell(share, colour=Colour.RED if line.off_track else None),
            Cell(text(line.direction, lang))]

