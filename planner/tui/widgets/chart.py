"""A dated line chart: a title, a legend and the plot (textual-plotext), or a clear note when
there is nothing to draw.

Only ASCII goes into the plot (dates and numbers): plotext counts characters, not terminal
cells, so a Chinese title or legend inside it would push its frame out of line. The title
and the legend are therefore drawn above the plot, in the UI language. Imported only by the
chart screens, so the plotting library loads when a chart is first opened, not at start-up.
"""

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from planner.core.charts import Point

#: The most date labels under the plot.
X_TICKS = 5
#: The most points whose days are each labelled (a year's months).
MAX_POINT_TICKS = 12


@dataclass(frozen=True, slots=True)
class ChartLine:
    """One series as drawn: its name in the legend, points, colour (a name both plotext and
    Rich know), whether it holds its value until the next point (a step, as reported
    progress does) and whether its points are marked."""

    name: str
    points: tuple[Point, ...]
    colour: str
    step: bool = False
    marked: bool = False


class Chart(Vertical):
    """A chart with its title and legend; `lines` is what it draws (empty: the note)."""

    DEFAULT_CSS = """
    Chart { height: auto; margin-bottom: 1; }
    Chart > .chart-title { text-style: bold; }
    Chart > PlotextPlot { height: 16; }
    Chart > .chart-note { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.lines: tuple[ChartLine, ...] = ()
        self.note = ""

    def compose(self) -> ComposeResult:
        yield Static("", classes="chart-title", markup=False)
        yield Static("", classes="chart-legend", markup=False)
        yield PlotextPlot()
        yield Static("", classes="chart-note", markup=False)

    def show(self, title: str, lines: list[ChartLine], *, note: str = "",
             y_range: tuple[float, float] | None = None, today: date | None = None,
             label_points: bool = False) -> None:
        """Draw `lines` under `title`, with a vertical rule on `today` when it falls inside
        them; with no point to draw, only the title and `note`. `label_points`: each point's
        day is labelled (a year's months), else a few evenly spaced days."""
        self.title, self.note = title, note
        self.lines = tuple(line for line in lines if line.points)
        self.query_one(".chart-title", Static).update(title)
        self.query_one(".chart-note", Static).update(note)
        self.query_one(".chart-note", Static).display = bool(note)
        plot = self.query_one(PlotextPlot)
        legend = self.query_one(".chart-legend", Static)
        plot.display = legend.display = bool(self.lines)
        if not self.lines:
            return
        legend.update(Text("  ").join(
            Text.assemble(("●" if line.marked else "━", line.colour), f" {line.name}")
            for line in self.lines))
        plt = plot.plt
        plt.clear_figure()
        days = [point.day.toordinal() for line in self.lines for point in line.points]
        for line in self.lines:
            points = _steps(line.points) if line.step else line.points
            xs = [point.day.toordinal() for point in points]
            ys = [point.value for point in points]
            plt.plot(xs, ys, color=line.colour, marker="braille")
            if line.marked:
                plt.scatter([p.day.toordinal() for p in line.points],
                            [p.value for p in line.points], color=line.colour, marker="dot")
        if today is not None and min(days) < today.toordinal() < max(days):
            plt.vertical_line(today.toordinal(), color="gray")
        distinct = sorted(set(days))
        ticks = distinct if label_points and len(distinct) <= MAX_POINT_TICKS \
            else _ticks(distinct[0], distinct[-1])
        span = distinct[-1] - distinct[0]
        plt.xticks([float(tick) for tick in ticks], [_day_text(tick, span) for tick in ticks])
        if y_range is not None:
            low, high = y_range
            plt.ylim(low, high)
            plt.yticks([low + (high - low) * k / 4 for k in range(5)],
                       [f"{low + (high - low) * k / 4:g}" for k in range(5)])
        plot.refresh()


def _steps(points: tuple[Point, ...]) -> list[Point]:
    """The points with each value held until the day before the next point."""
    stepped: list[Point] = []
    for point in points:
        if stepped and (point.day - stepped[-1].day).days > 1:
            stepped.append(Point(date.fromordinal(point.day.toordinal() - 1),
                                 stepped[-1].value))
        stepped.append(point)
    return stepped


def _ticks(first: int, last: int) -> list[int]:
    """Up to X_TICKS day numbers spread from `first` to `last`."""
    if first == last:
        return [first]
    return sorted({first + round((last - first) * k / (X_TICKS - 1)) for k in range(X_TICKS)})


def _day_text(ordinal: int, span: int) -> str:
    """A tick's label: the month over a long span, the day over a short one."""
    day = date.fromordinal(ordinal)
    return day.strftime("%Y-%m") if span > 120 else day.isoformat()
