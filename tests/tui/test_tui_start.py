"""How the TUI starts and filters a large plan: the first screen needs no engine and shows
rows only with their complete rollup; a large plan is searched and filtered in a worker."""

import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from textual.widgets import Input

from planner.core.outline import Criteria, kept_ids, search_texts
from planner.core.rollup import Colour, Rollup
from planner.store.db import session_scope
from planner.store.queries import load_tree, load_units
from planner.tui.app import PlannerApp
from planner.tui.dialogs.help import HelpDialog
from planner.tui.gateway import PlanGateway, Snapshot
from planner.tui.screens import main
from planner.tui.screens.main import MainScreen
from tests.tui_support import (
    CLOCK,
    TODAY,
    fill_and_save,
    go_to,
    row_text,
    seeded_engine,
    settle,
    table,
    visible_codes,
    wait_until,
)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return seeded_engine(tmp_path / "plan.db")


def sqlite_file(engine: Engine) -> str:
    """The SQLite file under a test engine."""
    assert engine.url.database is not None
    return engine.url.database


def full_rollup(engine: Engine) -> tuple[dict[str, object], set[str]]:
    """Every item's figures by code, read and rolled up through the ORM (the slow path the
    first screen no longer takes), and the codes of the roots."""
    with session_scope(engine) as session:
        tree = load_tree(session=session)
    rollup = Rollup(tree, TODAY)
    return ({node.code: rollup[node_id] for node_id, node in tree.nodes.items()},
            {tree.nodes[root].code for root in tree.roots})


async def test_the_screen_answers_before_the_plan_is_read_and_shows_only_whole_figures(
        engine: Engine) -> None:
    """While the first read is still under way (the future the CLI started before Textual is
    not done) the screen is up and takes keys, but shows no rows: rows come only with the
    complete snapshot, whose figures are the full rollup's."""
    pending: Future[Snapshot] = Future()
    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester",
                     poll_seconds=60.0, first_snapshot=pending)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert table(app).model is None  # nothing partial on screen
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpDialog), "the help dialog")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "back to the plan")
        assert table(app).model is None
        reader = PlanGateway(engine, clock=CLOCK, lang="zh", user=None)
        pending.set_result(reader.read_snapshot())
        await wait_until(pilot, lambda: table(app).model is not None, "the rows")
        model = table(app).model
        assert model is not None
        expected, roots = full_rollup(engine)
        assert {model.tree.nodes[node_id].code: model.rollup[node_id]
                for node_id in model.tree.nodes} == expected
        assert roots <= set(visible_codes(app))
        assert f"{expected['4'].progress:.0f}%" in row_text(app, "4")  # type: ignore[attr-defined]


async def test_started_like_the_cli_the_first_screen_needs_no_engine(engine: Engine) -> None:
    """`planner tui` hands the app a function that makes the engine and a read begun before
    Textual was imported: the figures equal a full rollup, the engine is made only by the
    first write, and that write lands."""
    made: list[Engine] = []

    def open_engine() -> Engine:
        made.append(engine)
        return engine

    path = sqlite_file(engine)
    reader = PlanGateway(open_engine, clock=CLOCK, lang="zh", user=None, sqlite_file=path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        app = PlannerApp(engine=open_engine, clock=CLOCK, lang="zh", user="tester",
                         poll_seconds=60.0, sqlite_file=path,
                         first_snapshot=pool.submit(reader.read_snapshot))
        async with app.run_test(size=(160, 40)) as pilot:
            await wait_until(pilot, lambda: table(app).model is not None, "the rows")
            await settle(app, pilot)
            model = table(app).model
            assert model is not None
            expected, _ = full_rollup(engine)
            assert {model.tree.nodes[node_id].code: model.rollup[node_id]
                    for node_id in model.tree.nodes} == expected
            await go_to(app, pilot, "5.1.1")  # the detail pane reads too
            assert made == []
            await pilot.press("u")
            await fill_and_save(pilot, {"progress": "61"})
            await wait_until(pilot, lambda: "61%" in row_text(app, "5.1.1"), "the update")
            assert made == [engine]


async def test_a_large_plan_is_searched_after_a_pause_in_a_worker(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above INSTANT_FILTER_ITEMS the search waits for a pause in typing and filters off the
    UI thread; the rows it shows are those of the instant path."""
    monkeypatch.setattr(main, "INSTANT_FILTER_ITEMS", 10)
    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester", poll_seconds=60.0)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("slash")
        search = screen.query_one("#search", Input)
        search.value = "恶意"
        search.value = "恶意抢注"
        await wait_until(pilot, lambda: screen.shown_criteria.text == "恶意抢注", "the search")
        assert visible_codes(app) == ["5", "5.1", "5.1.4"]
        assert table(app).current == table(app).model.tree.by_code["5.1.4"]  # type: ignore[union-attr]
        await pilot.press("enter", "escape")
        await settle(app, pilot)
        assert not screen.criteria.active and len(visible_codes(app)) > 50
        red = Criteria(colours=frozenset({Colour.RED}))
        screen.apply_filter(red)
        await wait_until(pilot, lambda: screen.shown_criteria == red, "the filter")
        assert screen.snapshot is not None
        matches, _ = kept_ids(screen.snapshot.tree, screen.snapshot.rollup, red,
                              unit_names=screen.snapshot.unit_names, today=TODAY)
        assert screen.match_count == len(matches) > 0


def test_search_texts_find_what_the_item_by_item_search_finds(engine: Engine) -> None:
    """The one-string-per-item search gives the same matches as testing each field."""
    with session_scope(engine) as session:
        tree = load_tree(session=session)
        names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    rollup = Rollup(tree, TODAY)
    texts = search_texts(tree, names)
    for needle in ("恶意抢注", "鄂尔多斯", "7.2.1@2023", "5.1", "ipr", "zz-none"):
        for within in (None, tree.by_code["5"]):
            criteria = Criteria(text=needle)
            assert kept_ids(tree, rollup, criteria, unit_names=names, today=TODAY,
                            within=within, texts=texts) == \
                kept_ids(tree, rollup, criteria, unit_names=names, today=TODAY, within=within)
    both = Criteria(text="5", colours=frozenset({Colour.RED}))
    assert kept_ids(tree, rollup, both, unit_names=names, today=TODAY, texts=texts) == \
        kept_ids(tree, rollup, both, unit_names=names, today=TODAY)


def test_the_first_screen_loads_neither_sqlalchemy_nor_openpyxl() -> None:
    """The app and its main screen (what `planner tui` imports before the first paint) leave
    SQLAlchemy, SQLModel, the ORM models and openpyxl to the first write or meetings read."""
    code = ("import sys\nimport planner.cli.tui\nimport planner.tui.app\n"
            "heavy = {'sqlalchemy', 'sqlmodel', 'openpyxl', 'yaml'} & "
            "{m.split('.')[0] for m in sys.modules}\n"
            "assert not heavy and 'planner.store.models' not in sys.modules, heavy\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_first_screen_leaves_dialogs_and_forms_to_their_keys() -> None:
    """The dialogs, the forms, what they hand to the gateway and the link list are imported
    on the first key that opens one, not before the first paint (their Textual widgets, CSS
    and frozen dataclasses cost the start time)."""
    code = ("import sys\nimport planner.cli.tui\nimport planner.tui.app\n"
            "early = sorted(m for m in sys.modules if m.startswith(("
            "'planner.tui.dialogs', 'planner.tui.forms', 'planner.tui.requests', "
            "'planner.reports.item')))\n"
            "assert not early, early\n")
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_opening_the_search_redraws_the_cursor_line_not_the_screen(
        engine: Engine) -> None:
    """Moving the focus to the search line and back redraws the table's cursor line in its
    other look, not the whole screen: at 100,000 items that repaint was most of the key."""
    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester", poll_seconds=60)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        plan_table = table(app)
        lines: list[int] = []
        full_repaints: list[int] = []
        draw_line, compositor = plan_table.render_line, app.screen._compositor
        repaint_all = compositor.render_full_update
        plan_table.render_line = lambda y: (lines.append(y), draw_line(y))[1]  # type: ignore[method-assign]  # counts the lines drawn
        compositor.render_full_update = lambda **options: (  # type: ignore[method-assign]  # counts whole-screen repaints
            full_repaints.append(1), repaint_all(**options))[1]
        cursor_line = plan_table.cursor + 1 - int(plan_table.scroll_y)  # the header is line 0
        for key, focused_look in (("slash", False), ("escape", True)):
            lines.clear()
            await pilot.press(key)
            await settle(app, pilot)
            assert (app.screen.focused is plan_table) == focused_look
            assert full_repaints == [] and set(lines) == {cursor_line}, (key, lines)
            styles = {segment.style for segment in draw_line(cursor_line)}
            assert any(style is not None and style.reverse for style in styles) \
                == (not focused_look), key  # without focus the cursor row is reversed


async def test_opening_the_search_leaves_the_table_scrollbar_alone(engine: Engine) -> None:
    """The search line opening and closing changes neither the table's size nor its styles,
    so its scrollbar is not drawn again: Textual redrew it after every layout and focus
    change, a second frame that doubled the time of `/` at 100,000 items."""
    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester", poll_seconds=60)
    async with app.run_test(size=(160, 12)) as pilot:  # more rows than lines: a scrollbar
        await settle(app, pilot)
        plan_table = table(app)
        assert plan_table.show_vertical_scrollbar
        scrollbar = plan_table.vertical_scrollbar
        redrawn: list[object] = []
        refresh_scrollbar = scrollbar.refresh
        scrollbar.refresh = lambda *regions, **options: (  # type: ignore[method-assign]  # counts its repaints
            redrawn.append(regions), refresh_scrollbar(*regions, **options))[1]
        for key in ("slash", "escape", "slash", "escape"):
            await pilot.press(key)
            await settle(app, pilot)
            assert redrawn == [], key


async def test_opening_a_branch_redraws_the_lines_from_it_down(engine: Engine) -> None:
    """Opening a branch redraws its own line and the lines below it, not the ones above;
    closing it keeps the columns as wide as they were, so opening it again draws no row
    afresh (each look of a row is drawn once)."""
    app = PlannerApp(engine=engine, clock=CLOCK, lang="zh", user="tester", poll_seconds=60)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        plan_table = table(app)
        assert plan_table.model is not None
        branches = [index for index, (node_id, _) in enumerate(plan_table.model.rows)
                    if index > 2 and not plan_table.model.rollup.is_leaf(node_id)]
        plan_table.move_to(branches[0])
        await pilot.press("left")  # closed: the test opens it
        await settle(app, pilot)
        branch_line = plan_table.cursor + 1 - int(plan_table.scroll_y)
        lines: list[int] = []
        rows_drawn: list[int] = []
        draw_line, draw_row = plan_table.render_line, plan_table._draw_row
        plan_table.render_line = lambda y: (lines.append(y), draw_line(y))[1]  # type: ignore[method-assign]  # counts the lines drawn
        plan_table._draw_row = lambda index: (  # type: ignore[method-assign]  # counts rows drawn afresh
            rows_drawn.append(index), draw_row(index))[1]
        for key in ("right", "left", "right"):
            lines.clear()
            rows_drawn.clear()
            await pilot.press(key)
            await settle(app, pilot)
            assert lines and min(lines) == branch_line, (key, sorted(lines))
        assert rows_drawn == [], "the second opening drew rows again"
