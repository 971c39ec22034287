"""The assessment screen (考核评分): the units ranked by score for the year to date, as
`planner assess` computes them with its defaults, and under the table the highlighted
unit's cumulative score by month. Escape closes it."""

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from planner.core.assessment import BASE, UnitScore
from planner.core.charts import score_by_month
from planner.core.errors import PlannerError
from planner.i18n import label
from planner.reports.assessment import Assessment, number_text, signed_text
from planner.tui.keys import Key, key_bindings
from planner.tui.screens.hosted import HostedScreen
from planner.tui.widgets.chart import Chart, ChartLine
from planner.tui.widgets.rows import RowTable
from planner.tui.widgets.title_bar import TitleBar

KEYS: list[Key] = [
    ("ctrl+r", "reload", "key_reload", False),
    ("escape,q", "back", "key_back", True),
]
SCORE_COLOUR = "blue"


class RankingTable(RowTable):
    """The units in rank order, one row each, keyed by unit id."""

    def on_mount(self) -> None:
        for key in ("assess_col_rank", "assess_col_unit", "assess_col_score",
                    "assess_col_plus", "assess_col_minus"):
            self.add_column(label(key, self.lang), key=key)

    def show(self, scores: list[UnitScore]) -> None:
        """One row per unit, best first."""
        self.clear()
        for score in scores:
            plus = sum((line.points for line in score.lines
                        if line.kind != BASE and line.points > 0), Decimal(0))
            minus = sum((line.points for line in score.lines
                         if line.kind != BASE and line.points < 0), Decimal(0))
            self.add_row(Text(str(score.rank)), Text(score.name),
                         Text(number_text(score.score), justify="right"),
                         Text(signed_text(plus), justify="right"),
                         Text(signed_text(minus), justify="right"), key=score.unit)


class AssessmentScreen(HostedScreen):
    """The ranking of the year to date and the highlighted unit's score over the months."""

    DEFAULT_CSS = """
    #ranking {
        height: 1fr;
    }
    #score-chart {
        height: auto;
        padding: 0 1;
    }
    """

    KEYS = KEYS
    BINDINGS: ClassVar[list[BindingType]] = key_bindings(KEYS)

    class Loaded(Message):
        """The assessment was computed in a worker."""

        def __init__(self, report: Assessment) -> None:
            super().__init__()
            self.report = report

    class Failed(Message):
        """The assessment could not be computed."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.report: Assessment | None = None
        self.current: UnitScore | None = None
        """The unit whose chart is shown."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="assess-period", markup=False)
        yield RankingTable(lang=self.lang, id="ranking")
        yield Chart(id="score-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = label("key_assessment", self.lang)
        self.query_one(RankingTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="assessment")
    def load(self) -> None:
        """Score the year to date."""
        try:
            report = self.gateway.read_assessment()
        except PlannerError as exc:
            self.post_message(self.Failed(exc.message(self.lang)))
            return
        self.post_message(self.Loaded(report))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#assess-period", Static).update(message.message)
        self.notify(message.message, title=label("error", self.lang), severity="error",
                    timeout=8)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.report = report = message.report
        period = label("assess_screen_period", self.lang, start=report.start.isoformat(),
                       end=report.end.isoformat())
        self.query_one("#assess-period", Static).update(
            period if report.scores else f"{period}\n{label('assess_none', self.lang)}")
        table = self.query_one(RankingTable)
        table.show(report.scores)
        self._chart(report.scores[0] if report.scores else None)

    @on(DataTable.RowHighlighted, "#ranking")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.report is None or event.row_key.value is None:
            return
        unit = event.row_key.value
        self._chart(next((s for s in self.report.scores if s.unit == unit), None))

    def _chart(self, score: UnitScore | None) -> None:
        """The cumulative score of `score`'s unit at the end of each month of the period."""
        self.current = score
        chart = self.query_one("#score-chart", Chart)
        if score is None or self.report is None:
            chart.show("", [])
            return
        points = score_by_month(score, self.report.start, self.report.end)
        chart.show(label("chart_score", self.lang, unit=score.name),
                   [ChartLine(label("chart_score_line", self.lang), points, SCORE_COLOUR,
                              marked=True)], label_points=True)

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)
