"""The weekly report as titled sections of plain tables: every output format lays these out."""

from dataclasses import dataclass, field

from planner.core.indicators import share_text
from planner.core.rollup import Colour
from planner.core.status import Status
from planner.i18n import field as field_label
from planner.i18n import label, list_separator, paren
from planner.reports.tree import warning_text
from planner.reports.weekly import COLOURS, IndicatorLine, ItemLine, UpdateLine, WeeklyReport


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


def _labels(lang: str, *keys: str) -> list[str]:
    """Column headers: the labels `keys` in `lang`."""
    return [label(key, lang) for key in keys]


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
    week_range = label("weekly_range", lang, start=report.week_start.isoformat(),
                       end=report.week_end.isoformat())
    lines = [f"{report.plan_title} {label('weekly_report', lang)}",
             field_label("weekly_week", lang) + report.week_label + paren(week_range, lang),
             f"{field_label('weekly_generated', lang)}{report.generated.isoformat()}    "
             f"{field_label('weekly_as_of', lang)}{report.as_of.isoformat()}"]
    if report.unit_name:
        lines.append(field_label("weekly_for_unit", lang) + report.unit_name
                     + paren(report.unit_id or "", lang))
    return lines


def weekly_sections(report: WeeklyReport, lang: str) -> list[Section]:
    """The report's sections in their printed order."""
    none = label("weekly_none", lang)
    overview = report.overview
    plan = overview.plan
    first = Section("overview", label("weekly_overview", lang), paragraphs=[
        label("weekly_plan_progress", lang, progress=percent(plan.progress),
              expected=percent(plan.expected), change=signed(overview.progress_change, "%")),
        label("weekly_leaf_total", lang, total=plan.leaves, done=plan.done),
    ], columns=_labels(lang, "weekly_by_status", "weekly_count", "weekly_change",
                       "weekly_by_colour", "weekly_count", "weekly_change"))
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
    areas = Section("areas", label("weekly_areas", lang), columns=_labels(
        lang, "weekly_code", "weekly_area", "weekly_progress", "weekly_expected",
        "weekly_warning", "weekly_done"), empty=none)
    areas.rows = [[Cell(a.code), Cell(a.title), Cell(percent(a.progress), bar=a.progress),
                   Cell(percent(a.expected), numeric=True),
                   Cell(warning_text(a.colour, lang), colour=a.colour),
                   Cell(f"{a.done}/{a.leaves}", numeric=True)] for a in report.areas]
    updates = Section("updates", label("weekly_updates", lang),
                      columns=_update_columns(lang, area=True), empty=none)
    for group in report.updates:
        updates.rows += [_update_row(line, lang, area=f"{group.code} {group.title}")
                         for line in group.updates]
    completed = Section("completed", label("weekly_completed", lang),
                        columns=_update_columns(lang, area=False), empty=none,
                        rows=[_update_row(line, lang) for line in report.completed])
    moves = Section("due_moves", label("weekly_due_moves", lang), columns=_labels(
        lang, "weekly_date", "weekly_code", "weekly_item", "weekly_old_due", "weekly_new_due",
        "weekly_reason", "weekly_times_moved"), empty=none,
        rows=[[Cell(m.day.isoformat()), Cell(m.code), Cell(m.title),
               Cell(m.old_due.isoformat()), Cell(m.new_due.isoformat()), Cell(m.reason),
               Cell(str(m.times_moved), numeric=True)] for m in report.due_moves])
    return [
        first, areas, updates, completed, moves,
        _item_section("red", report.red, lang, "overdue_days", Colour.RED),
        _item_section("yellow", report.yellow, lang, "behind", Colour.YELLOW),
        _item_section("blue", report.blue, lang, "days_left", Colour.BLUE,
                      days=report.due_soon_days),
        Section("silent", label("weekly_silent", lang), columns=_labels(
            lang, "weekly_unit", "weekly_open_items"), empty=none,
            rows=[[Cell(u.name), Cell(list_separator(lang).join(u.open_items))]
                  for u in report.silent_units]),
        Section("indicators", label("weekly_indicators", lang), columns=_labels(
            lang, "weekly_indicator", "weekly_measure", "weekly_baseline", "weekly_target",
            "weekly_year_target", "weekly_latest", "weekly_share", "weekly_direction"),
            empty=none, rows=[_indicator_row(i, lang) for i in report.indicators]),
    ]


def _update_columns(lang: str, *, area: bool) -> list[str]:
    columns = _labels(lang, "weekly_date", "weekly_code", "weekly_item", "weekly_unit",
                      "weekly_status_change", "weekly_progress_change", "weekly_note")
    return [label("weekly_area", lang), *columns] if area else columns


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
    section = Section(key, label(f"weekly_{key}", lang, **title_values), columns=_labels(
        lang, "weekly_code", "weekly_item", "weekly_lead", "weekly_due", "weekly_progress",
        "weekly_expected", f"weekly_{days_key}", "weekly_warning"),
        empty=label("weekly_none", lang))
    section.rows = [[Cell(i.code), Cell(i.title), Cell(i.lead), Cell(i.due.isoformat()),
                     Cell(percent(i.progress), numeric=True),
                     Cell(percent(i.expected), numeric=True), Cell(str(i.days), numeric=True),
                     Cell(warning_text(colour, lang), colour=colour)] for i in items]
    return section


def _indicator_row(line: IndicatorLine, lang: str) -> list[Cell]:
    latest = "—"
    if line.latest is not None:
        latest = number(line.latest.value) + paren(line.latest.on.isoformat(), lang)
    share = share_text(line.share)
    if line.off_track:
        share += f" ▲{label('weekly_off_track', lang)}"
    return [Cell(f"{line.code} {line.name}"), Cell(line.measure), Cell(number(line.baseline),
                                                                       numeric=True),
            Cell(number(line.target), numeric=True), Cell(number(line.year_target), numeric=True),
            Cell(latest), Cell(share, colour=Colour.RED if line.off_track else None),
            Cell(label(f"weekly_{line.direction}", lang))]

