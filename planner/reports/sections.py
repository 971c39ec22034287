"""The weekly report as titled sections of plain tables: every output format lays these out."""

from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, itemgetter, not_

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


_TEXT = attrgetter("text")
_NUMERIC = attrgetter("numeric")


@dataclass(slots=True)
class PlainTable:
    """A table of plain cells kept a column at a time: each column's texts, and whether the
    column is numeric (right-aligned: every cell in it numeric or empty). A long table (an
    assessment's 130,000 lines) is made and laid out this way without a `Cell` or a row
    list per line."""

    texts: list[list[str]]
    numeric: list[bool]

    @classmethod
    def of_columns(cls, texts: list[list[str]], numeric_cells: list[bool]) -> "PlainTable":
        """Columns of texts whose cells are all numeric or all not (`numeric_cells`), under
        the rule `Section.plain_table` applies cell by cell: a column is numeric when it has
        cells and each is numeric or empty."""
        return cls(texts, [bool(column) and (numeric or not any(column))
                           for column, numeric in zip(texts, numeric_cells, strict=True)])

    def cells(self) -> list[list[Cell]]:
        """The same table as rows of cells."""
        columns = [[Cell(text, numeric=numeric) for text in texts]
                   for texts, numeric in zip(self.texts, self.numeric, strict=True)]
        return [list(row) for row in zip(*columns, strict=True)]


@dataclass(slots=True)
class Section:
    """A titled part of the report: paragraphs, an optional table (`rows`, or `plain` for a
    long table of plain cells), then notes."""

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
    plain: PlainTable | None = None
    """The table kept a column at a time (`rows` is then empty)."""

    def table_rows(self) -> list[list[Cell]]:
        """The table's rows of cells, whichever way it is kept."""
        return self.plain.cells() if self.plain is not None else self.rows

    def plain_table(self) -> PlainTable:
        """The table a column at a time, whichever way it is kept (rows of the same length)."""
        if self.plain is not None:
            return self.plain
        rows = self.rows
        texts = [list(map(_TEXT, map(itemgetter(i), rows))) for i in range(len(self.columns))]
        numeric = [bool(rows) and not any(set(compress(column, map(
            not_, map(_NUMERIC, map(itemgetter(i), rows)))))) for i, column in enumerate(texts)]
        return PlainTable(texts, numeric)


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


