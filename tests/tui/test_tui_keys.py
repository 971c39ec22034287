"""What keeps the keys quick: a cursor move repaints only its two lines (and the right two
when the table is scrolled), and the detail pane follows a run of moves once it rests."""

from concurrent.futures import Future
from pathlib import Path

import pytest
from rich.color import ColorTriplet
from sqlalchemy.engine import Engine
from textual.geometry import Region
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from planner.tui.app import PlannerApp
from planner.tui.gateway import PlanGateway, Snapshot
from planner.tui.screens import main
from planner.tui.widgets.detail import DetailPane
from planner.tui.widgets.footer import KeyFooter
from tests.tui_support import (
    CLOCK,
    fill_and_save,
    make_app,
    row_text,
    seeded_engine,
    settle,
    table,
    visible_codes,
    wait_until,
)

CURSOR_BACKGROUND = ColorTriplet(0x1F, 0x4E, 0x79)  # the focused cursor row (plan_table._row)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return seeded_engine(tmp_path / "plan.db")


def highlighted_lines(app) -> list[int]:  # type: ignore[no-untyped-def]
    """The table's lines drawn with the cursor's background, as the screen shows them: through
    the widget's line cache, so a line not repainted after a move shows as it was."""
    widget = table(app)
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [y for y, strip in enumerate(strips)
            if any(segment.style is not None and segment.style.bgcolor is not None
                   and segment.style.bgcolor.triplet == CURSOR_BACKGROUND
                   for segment in strip)]


async def test_moves_repaint_the_cursor_lines_where_they_are_on_a_scrolled_table(
        engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 20)) as pilot:
        await settle(app, pilot)
        widget = table(app)
        await pilot.press("end")  # the last row: the table scrolls
        await settle(app, pilot)
        assert widget.scroll_y > 0
        for _ in range(3):
            await pilot.press("up")
            await settle(app, pilot)
            assert highlighted_lines(app) == [widget.cursor - int(widget.scroll_y) + 1]
        await pilot.press("home")
        await settle(app, pilot)
        assert widget.scroll_y == 0 and highlighted_lines(app) == [1]


@pytest.fixture
def read_for(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The codes whose detail pane the TUI reads, in order (the real read still runs)."""
    codes: list[str] = []
    detail_text = PlanGateway.detail_text

    def counted(self: PlanGateway, snapshot: Snapshot, node_id: int) -> str:
        codes.append(snapshot.tree.nodes[node_id].code)
        return detail_text(self, snapshot, node_id)

    monkeypatch.setattr(PlanGateway, "detail_text", counted)
    return codes


async def test_the_detail_pane_follows_a_run_of_moves_once_the_cursor_rests(
        engine: Engine, monkeypatch: pytest.MonkeyPatch, read_for: list[str]) -> None:
    """Moves closer together than DETAIL_PAUSE_S (long here, so every move of the test is in
    the run) read the detail of the item the cursor rests on, not of every item passed
    over."""
    monkeypatch.setattr(main, "DETAIL_PAUSE_S", 3.0)
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        read_for.clear()
        await pilot.press("down", "down", "down", "down", "down")
        await settle(app, pilot)
        codes = visible_codes(app)
        # the item it rests on; the first of the run only if the run began after a rest
        # (the first load's cursor counts as a move); none of those passed over
        assert read_for in ([codes[1], codes[5]], [codes[5]]), read_for
        pane = app.screen.query_one(DetailPane).query_one("#detail-text", Static)
        assert str(pane.content).startswith(codes[5] + " ")


async def test_rows_drawn_before_an_update_are_drawn_again_with_a_filter_on(
        engine: Engine) -> None:
    """Rows are drawn once and kept for repaints; an update under a filter redraws its path."""
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"恶意抢注", "enter")
        await settle(app, pilot)
        assert visible_codes(app) == ["5", "5.1", "5.1.4"]
        assert " 0%" in row_text(app, "5.1") and " 0%" in row_text(app, "5.1.4")
        await pilot.press("u")
        await fill_and_save(pilot, {"status": "in_progress", "progress": "40"})
        await settle(app, pilot)
        assert "40%" in row_text(app, "5.1.4") and "10%" in row_text(app, "5.1")


async def test_opening_and_closing_a_branch_does_not_read_the_detail_again(
        engine: Engine, read_for: list[str]) -> None:
    """The cursor stays on the item: its detail, already shown, is not read and laid out
    again (each pane shown re-lays out the whole screen)."""
    app = make_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert read_for == ["1"]
        await pilot.press("left")
        await settle(app, pilot)
        assert "1.1" not in visible_codes(app)
        await pilot.press("right")
        await settle(app, pilot)
        assert "1.1" in visible_codes(app) and read_for == ["1"]
        await pilot.press("down")
        await settle(app, pilot)
        assert read_for == ["1", "1.1"]


def footer_keys(app) -> list[FooterKey]:  # type: ignore[no-untyped-def]
    """The key widgets of the main screen's footer."""
    return list(app.screen.query_one(KeyFooter).query(FooterKey))


async def test_the_search_line_takes_the_footers_place_and_the_table_keeps_its_size(
        engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        widget, footer = table(app), app.screen.query_one(KeyFooter)
        size, region = widget.size, widget.region
        await pilot.press("slash")
        await settle(app, pilot)
        search = app.screen.query_one("#search", Input)
        assert search.has_focus and not footer.display
        assert search.region == Region(0, app.size.height - 1, app.size.width, 1)  # the last line
        assert (widget.size, widget.region) == (size, region)  # nothing below it to redraw
        await pilot.press("escape")
        await settle(app, pilot)
        assert footer.display and not search.display and widget.has_focus
        assert "查找" in " ".join(key.description for key in footer_keys(app))


async def test_the_footer_is_not_rebuilt_when_focus_moves_and_its_keys_stay(
        engine: Engine) -> None:
    """Textual's footer rebuilds its key widgets on every focus change; ours only when the
    keys it shows change (opening and closing the search moves the focus twice)."""
    app = make_app(engine)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        before = footer_keys(app)
        assert before, "the footer shows the keys"
        for _ in range(2):
            await pilot.press("slash")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
        assert footer_keys(app) == before  # the same widgets, not rebuilt
        await pilot.press("question_mark")  # a dialog over the screen, then back
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert footer_keys(app) == before


async def test_the_footer_keys_come_after_the_first_rows(engine: Engine) -> None:
    """The first rows do not wait for the footer's key widgets: it stays empty until the
    table has drawn them, then shows the keys."""
    pending: Future[Snapshot] = Future()
    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester",
                     poll_seconds=60.0, first_snapshot=pending)
    snapshot = PlanGateway(engine, clock=CLOCK, lang="zh", user=None).read_snapshot()
    async with app.run_test(size=(160, 30)) as pilot:
        for _ in range(5):
            await pilot.pause()
        keys_before_rows = footer_keys(app)
        assert table(app).model is None
        pending.set_result(snapshot)  # (before asserting: the app's worker waits on it)
        assert keys_before_rows == []
        await wait_until(pilot, lambda: bool(footer_keys(app)), "the footer's keys")
        assert table(app).model is not None
        assert "查找" in " ".join(key.description for key in footer_keys(app))
