"""The weekly report as titled sections of plain tables: every output format lays these out."""

from dataclasses import dataclass, field

from planner.core.rollup import Colour
from planner.i18n import field as field_label
from planner.i18n import label, paren
from planner.reports.weekly import WeeklyReport


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text, and optionally a warning colour or a progress bar value."""

    text: str
    colour: Colour | None = None
    bar: float | None = None
    numeric: bool = False


@dataclass(slots=True)
class Section:
    """A titled part of the report: paragraphs, an optional table, then notes."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = ""
    level: int = 1
    """1 for a part, 2 for a part within the one before it."""
    notes: list[str] = field(default_factory=list)
    """Paragraphs after the table."""


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


