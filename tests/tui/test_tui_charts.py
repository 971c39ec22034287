"""The chart screen (key t) and the assessment screen (key S) through App.run_test() and
Pilot, on a real SQLite file: the charts' data (not their pixels) for an item with history,
an area, an indicator, an item with no history, and a unit's score by month."""

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from planner.core.charts import Point
from planner.core.status import Status
from planner.i18n import label
from planner.services.updates import record_reading, record_update
from planner.store.db import session_scope
from planner.tui.app import PlannerApp
from planner.tui.screens.assessment import AssessmentScreen, RankingTable
from planner.tui.screens.charts import ChartScreen
from planner.tui.screens.main import MainScreen
from planner.tui.widgets.chart import Chart
from tests.tui_support import TODAY, go_to, make_app, seeded_engine, settle, wait_until


def at(month: int, day: int) -> datetime:
    return datetime(2021, month, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = seeded_engine(tmp_path / "plan.db")
    with session_scope(engine, write=True) as session:
        record_update(session=session, code="1.1.1", at=at(3, 15), status=Status.IN_PROGRESS,
                      progress=20, by_unit="amr")
        record_update(session=session, code="1.1.1", at=at(5, 10), progress=50, by_unit="amr")
        record_update(session=session, code="1.1.2", at=at(4, 1), status=Status.IN_PROGRESS,
                      progress=30, by_unit="amr")
        record_update(session=session, code="1.1.2", at=at(4, 20), status=Status.DONE,
                      progress=100, by_unit="amr")  # on time: +1 to amr in April
        record_reading(session=session, code="I1", value=30, on=date(2021, 3, 31),
                       at=at(4, 1))
        record_reading(session=session, code="I1", value=25, on=date(2021, 6, 1), at=at(6, 2))
    return engine


async def open_chart(app: PlannerApp, pilot, code: str) -> ChartScreen:  # type: ignore[no-untyped-def]
    """Put the cursor on `code`, press t and wait for the charts to be drawn."""
    await settle(app, pilot)
    await go_to(app, pilot, code)
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, ChartScreen)
                     and app.screen.view is not None, f"the charts of {code}")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ChartScreen)
    return screen


def summary(screen: ChartScreen) -> str:
    return str(screen.query_one("#chart-summary").render())


async def test_an_items_chart_steps_at_each_report_against_its_elapsed_line(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_chart(app, pilot, "1.1.1")
        node = screen.plan_tree.node("1.1.1")
        chart = screen.query_one("#progress-chart", Chart)
        actual, expected = chart.lines
        assert actual.name == "实际进度" and expected.name == "序时进度"
        start = min(node.start, date(2021, 3, 15))
        assert actual.points == (Point(start, 0.0), Point(date(2021, 3, 15), 20.0),
                                 Point(date(2021, 5, 10), 50.0), Point(TODAY, 50.0))
        window = (node.due - node.start).days + 1
        assert expected.points[0] == Point(node.start, round(100 / window, 6))
        assert expected.points[-1] == Point(max(node.due, TODAY), 100.0)
        assert "进度记录 2 条" in summary(screen)

        await pilot.press("z")  # up to today: the elapsed line ends today, where it stands
        await settle(app, pilot)
        actual, expected = chart.lines
        assert actual.points[-1].day == TODAY
        assert expected.points[-1] == Point(TODAY, round(100 * ((TODAY - node.start).days + 1)
                                                         / window, 6))
        await pilot.press("z")
        await settle(app, pilot)
        assert chart.lines[1].points[-1] == Point(max(node.due, TODAY), 100.0)

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")


async def test_an_areas_chart_ends_at_the_figure_the_tree_shows(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen) and main.snapshot is not None
        area = main.snapshot.tree.by_code["1"]
        shown = main.snapshot.rollup[area]
        screen = await open_chart(app, pilot, "1")
        actual, expected = screen.query_one("#progress-chart", Chart).lines
        assert expected.points[-1] == Point(date(2025, 12, 31), 100.0)
        assert [p.day for p in actual.points][1:] == [date(2021, 3, 15), date(2021, 4, 1),
                                                      date(2021, 4, 20), date(2021, 5, 10),
                                                      TODAY]
        assert actual.points[-1].value == pytest.approx(shown.progress, abs=1e-4)
        assert screen.view is not None
        assert screen.view.progress.expected_on(TODAY) == pytest.approx(shown.expected,
                                                                       abs=1e-4)


async def test_an_indicators_readings_against_its_path(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine)
    async with app.run_test(size=(140, 60)) as pilot:
        screen = await open_chart(app, pilot, "3.1")
        charts = {chart.title.split()[1]: chart for chart in screen.query(Chart)
                  if chart.id and chart.id.startswith("indicator-chart")}
        assert {"I1", "I2", "I3"} <= set(charts)
        path, readings = charts["I1"].lines
        assert path.points == (Point(date(2021, 1, 1), 36), Point(date(2025, 12, 31), 3))
        assert readings.points == (Point(date(2021, 3, 31), 30), Point(date(2021, 6, 1), 25))
        assert charts["I1"].note == ""
        assert [line.name for line in charts["I2"].lines] == ["目标路径"]  # no reading yet
        assert charts["I2"].note == label("chart_no_readings", "zh")


async def test_an_item_without_history_shows_an_empty_state(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_chart(app, pilot, "2.1")
        chart = screen.query_one("#progress-chart", Chart)
        assert chart.lines == ()
        assert summary(screen).startswith("尚无进度记录：2.1 自 ")
        assert not chart.query_one("PlotextPlot").display


async def test_the_chart_speaks_english_with_lang_en(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine, lang="en")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_chart(app, pilot, "1.1.1")
        assert [line.name for line in screen.query_one("#progress-chart", Chart).lines] == \
            ["progress", "time elapsed"]
        assert "2 recorded changes" in summary(screen)


async def test_the_assessment_screen_charts_the_highlighted_units_score(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(app.screen, AssessmentScreen)
                         and app.screen.report is not None, "the assessment")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AssessmentScreen) and screen.report is not None
        scores = screen.report.scores
        table = screen.query_one(RankingTable)
        assert table.row_count == len(scores) >= 2
        assert (screen.report.start, screen.report.end) == (date(2021, 1, 1), TODAY)

        def drawn() -> tuple[str, tuple[Point, ...]]:
            chart = screen.query_one("#score-chart", Chart)
            return chart.title, chart.lines[0].points

        title, points = drawn()  # the first row's unit, until the cursor moves
        assert scores[0].name in title and points[-1].value == float(scores[0].score)

        amr = next(index for index, score in enumerate(scores) if score.unit == "amr")
        table.move_cursor(row=amr)
        await settle(app, pilot)
        title, points = drawn()
        score = scores[amr]
        assert score.name in title
        month_ends = [date(2021, m, 28 if m == 2 else 30 if m in (4, 6) else 31)
                      for m in range(1, 7)]
        # Each month's point: the base and every explanation line dated by its end (amr's
        # missed weekly reports, and +1 in April for 1.1.2 done on time).
        assert points == tuple(Point(end, float(sum(
            line.points for line in score.lines if line.day is None or line.day <= end)))
            for end in month_ends)
        assert ("on_time", date(2021, 4, 20)) in [(line.kind, line.day) for line in score.lines]
        assert points[-1].value == float(score.score) < 100

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")


async def test_the_palette_offers_the_chart_and_the_assessment(engine) -> None:  # type: ignore[no-untyped-def]
    app = make_app(engine)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "趋势图" in titles and "考核评分" in titles


def test_the_plotting_library_is_not_loaded_at_start_up() -> None:
    """The first screen does not pay for plotext: it loads with the first chart."""
    code = ("import sys\nimport planner.cli.tui\nimport planner.tui.app\n"
            "import planner.tui.screens.main\n"
            "loaded = {'plotext', 'textual_plotext'} & {m.split('.')[0] for m in sys.modules}\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code], check=True)
