"""The chart screen (趋势图) of the highlighted item or area: its actual progress over time
against 序时进度, replayed from its history, then each indicator of its branch with its
readings against the baseline → target path. Escape closes it."""

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static

from planner.core.charts import IndicatorSeries, Point, ProgressSeries, cut
from planner.core.errors import PlannerError
from planner.core.model import PlanTree
from planner.i18n import label
from planner.tui.keys import Key, key_bindings
from planner.tui.screens.hosted import HostedScreen
from planner.tui.views import ChartView
from planner.tui.widgets.chart import Chart, ChartLine
from planner.tui.widgets.title_bar import TitleBar

KEYS: list[Key] = [
    ("z", "zoom", "key_chart_zoom", True),
    ("escape,q", "back", "key_back", True),
]
ACTUAL_COLOUR, EXPECTED_COLOUR = "blue", "red"
READING_COLOUR, PATH_COLOUR = "green", "magenta"


def percent(value: float) -> str:
    """A percentage as the tree shows it (no decimals)."""
    return f"{value:.0f}"


class ChartScreen(HostedScreen):
    """Charts of one item or area, read in a worker when the screen opens."""

    DEFAULT_CSS = """
    #charts {
        height: 1fr;
        padding: 0 1;
    }
    #chart-heading {
        text-style: bold;
    }
    """

    KEYS = KEYS
    BINDINGS: ClassVar[list[BindingType]] = key_bindings(KEYS)

    class Loaded(Message):
        """The series were computed in a worker."""

        def __init__(self, view: ChartView) -> None:
            super().__init__()
            self.view = view

    class Failed(Message):
        """The history could not be read."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, tree: PlanTree, node_id: int) -> None:
        super().__init__()
        self.plan_tree = tree
        self.node_id = node_id
        self.view: ChartView | None = None
        self.to_today = False
        """Zoomed in: the charts end today instead of at the end of the period."""

    def compose(self) -> ComposeResult:
        node = self.plan_tree.nodes[self.node_id]
        yield TitleBar()
        with VerticalScroll(id="charts"):
            yield Static(label("chart_title", self.lang, code=node.code, title=node.title),
                         id="chart-heading", markup=False)
            yield Static(label("chart_loading", self.lang), id="chart-summary", markup=False)
            yield Chart(id="progress-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = label("key_chart", self.lang)
        self.query_one("#charts").focus()
        self.load()

    @work(thread=True, exclusive=True, group="charts")
    def load(self) -> None:
        """Read the branch's history and compute the series."""
        try:
            view = self.gateway.read_charts(self.plan_tree, self.node_id)
        except PlannerError as exc:
            self.post_message(self.Failed(exc.message(self.lang)))
            return
        self.post_message(self.Loaded(view))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#chart-summary", Static).update(message.message)
        self.notify(message.message, title=label("error", self.lang), severity="error",
                    timeout=8)

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        self.view = view = message.view
        charts = self.query_one("#charts", VerticalScroll)
        await charts.mount_all(Chart(id=f"indicator-chart-{index}")
                               for index in range(len(view.indicators)))
        self._draw()

    def _draw(self) -> None:
        """Draw every chart over the whole period, or up to today when zoomed in."""
        if self.view is None:
            return
        self._show_progress(self.view.progress)
        for index, indicator in enumerate(self.view.indicators):
            self._show_indicator(self.query_one(f"#indicator-chart-{index}", Chart), indicator)

    def action_zoom(self) -> None:
        """Toggle between the whole period and the period up to today."""
        self.to_today = not self.to_today
        self._draw()

    def _until(self, points: tuple[Point, ...]) -> tuple[Point, ...]:
        return cut(points, self.gateway.today()) if self.to_today else points

    def _show_progress(self, series: ProgressSeries) -> None:
        lang = self.lang
        progress = series.actual[-1].value if series.actual else 0.0
        expected = series.expected_on(series.today)
        summary = self.query_one("#chart-summary", Static)
        chart = self.query_one("#progress-chart", Chart)
        if series.empty:
            summary.update(label("chart_no_history", lang, code=series.code,
                                 start=series.start.isoformat(), progress=percent(progress),
                                 expected=percent(expected)))
            chart.show(label("chart_progress", lang), [])
            return
        summary.update(label("chart_progress_summary", lang, start=series.start.isoformat(),
                             end=series.end.isoformat(), today=series.today.isoformat(),
                             progress=percent(progress), expected=percent(expected),
                             n=series.changes))
        chart.show(label("chart_progress", lang), [
            ChartLine(label("chart_actual", lang), series.actual, ACTUAL_COLOUR, step=True),
            ChartLine(label("chart_expected", lang), self._until(series.expected),
                      EXPECTED_COLOUR),
        ], y_range=(0, 100), today=series.today)

    def _show_indicator(self, chart: Chart, series: IndicatorSeries) -> None:
        lang = self.lang
        target = f"{series.path[-1].value:g}" if series.has_target else \
            label("chart_no_target", lang)
        title = label("chart_indicator", lang, code=series.code, name=series.name,
                      unit=series.unit, baseline=f"{series.path[0].value:g}", target=target)
        chart.show(title, [
            ChartLine(label("chart_path", lang), self._until(series.path), PATH_COLOUR),
            ChartLine(label("chart_readings", lang), series.readings if not self.to_today
                      else tuple(p for p in series.readings if p.day <= self.gateway.today()),
                      READING_COLOUR, marked=True),
        ], note=label("chart_no_readings", lang) if series.empty else "",
           today=self.gateway.today())

    def action_back(self) -> None:
        self.dismiss(None)

