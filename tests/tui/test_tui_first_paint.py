"""The first screen of a large plan: its first levels from the stored rollups, then the whole
plan from a worker, keeping the cursor and the open branches; a stale cache falls back to
the computed tree and is stored again for the next start."""

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from planner.core.rollup import Figures, Rollup
from planner.services.rollups import refresh_rollups
from planner.store.db import make_engine, session_scope
from planner.store.dbapi import sqlite_transaction
from planner.store.queries import load_tree
from planner.tui import gateway
from planner.tui.app import PlannerApp
from planner.tui.dialogs.form import FormDialog
from planner.tui.gateway import PlanGateway, Snapshot
from planner.tui.screens.main import MainScreen
from tests.conftest import BUNDLED_PLAN, CliResult
from tests.tui_support import (
    CLOCK,
    TODAY,
    row_text,
    seeded_engine,
    settle,
    table,
    visible_codes,
    wait_until,
)

READING = "正在读取整个计划，请稍候…"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return seeded_engine(tmp_path / "plan.db")


@pytest.fixture
def whole_plan_held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The bundled plan counts as large (first levels from the cache: the top items and their
    children), and reading it whole waits until the returned event is set, so the test sees
    the screen between the first paint and the completion."""
    monkeypatch.setattr(gateway, "WHOLE_FIRST", 10)
    monkeypatch.setattr(gateway, "FIRST_LEVELS", 2)
    release = threading.Event()
    read_whole = PlanGateway.read_snapshot

    def held(self: PlanGateway) -> Snapshot:
        assert release.wait(30), "the test never released the whole read"
        return read_whole(self)

    monkeypatch.setattr(PlanGateway, "read_snapshot", held)
    yield release
    release.set()


def path_of(engine: Engine) -> str:
    assert engine.url.database is not None
    return engine.url.database


def store_rollups(engine: Engine, *, days_before: int = 0) -> None:
    """The plan's rollups stored as `planner tree --depth N` stores them, as of TODAY (or as
    of `days_before` days earlier: stale today)."""
    with sqlite_transaction(path_of(engine), write=True) as db:
        refresh_rollups(db, today=TODAY - timedelta(days=days_before))


def full_figures(engine: Engine) -> dict[str, Figures]:
    """Every item's figures by code, rolled up afresh through the ORM."""
    with session_scope(engine) as session:
        tree = load_tree(session=session)
    rollup = Rollup(tree, TODAY)
    return {node.code: rollup[node_id] for node_id, node in tree.nodes.items()}


def cli_like_app(engine: Engine) -> PlannerApp:
    """The app as `planner tui` makes it on a SQLite file (no engine until the first write)."""
    return PlannerApp(engine=lambda: engine, clock=CLOCK, lang="zh", user="tester",
                      poll_seconds=60.0, sqlite_file=path_of(engine))


def main_screen(app: PlannerApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def messages(app: PlannerApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_first_levels_from_the_cache_then_the_whole_plan_keeping_cursor_and_branches(
        engine: Engine, whole_plan_held: threading.Event) -> None:
    store_rollups(engine)
    expected = full_figures(engine)
    app = cli_like_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(pilot, lambda: table(app).model is not None, "the first rows")
        screen = main_screen(app)
        snapshot = screen.snapshot
        assert snapshot is not None and not snapshot.complete
        model = table(app).model
        assert model is not None
        assert {node.code for node in model.tree.nodes.values()} == {
            code for code in expected if code.count(".") <= 1}  # two levels only
        assert {model.tree.nodes[i].code: model.rollup[i] for i in model.tree.nodes} == {
            code: figures for code, figures in expected.items() if code.count(".") <= 1}
        # a branch whose children are not read yet is drawn as a branch, with its counts
        figures = expected["4.1"]
        assert row_text(app, "4.1").lstrip().startswith("▸4.1")
        assert f"{figures.done}/{figures.leaves}" in row_text(app, "4.1")
        assert "25%" in row_text(app, "4") and "1/5" in row_text(app, "4")

        # the keys work before the whole plan is there: move, open and close a branch
        await pilot.press("down", "down")
        assert visible_codes(app)[table(app).cursor] == "1.2"
        await pilot.press("left")  # to the parent
        assert visible_codes(app)[table(app).cursor] == "1"
        await pilot.press("left")  # close it
        assert "1.1" not in visible_codes(app)
        await pilot.press("right")
        assert "1.1" in visible_codes(app)
        await pilot.press("down", "right")  # open 1.1: its children come with the whole plan
        assert screen.expanded >= {model.tree.by_code["1"], model.tree.by_code["1.1"]}
        # what needs the whole plan says so instead of acting on part of it
        await pilot.press("u")
        await pilot.press("f")
        assert not isinstance(app.screen, FormDialog)
        assert messages(app).count(READING) == 2
        await pilot.press("slash", "恶", "意", "抢", "注", "enter")
        assert screen.criteria.text == "恶意抢注" and not screen.shown_criteria.text

        whole_plan_held.set()
        await wait_until(pilot, lambda: screen.snapshot is not None
                         and screen.snapshot.complete, "the whole plan")
        await settle(app, pilot)
        # the search typed meanwhile is applied to the whole plan
        assert screen.shown_criteria.text == "恶意抢注"
        assert visible_codes(app) == ["5", "5.1", "5.1.4"]
        await pilot.press("escape")
        await settle(app, pilot)
        # the branches opened before the whole plan came are open, the cursor where it was
        codes = visible_codes(app)
        assert codes[codes.index("1.1"):codes.index("1.1") + 3] == ["1.1", "1.1.1", "1.1.2"]
        model = table(app).model
        assert model is not None
        assert {model.tree.nodes[i].code: model.rollup[i] for i in model.tree.nodes} == expected


async def test_the_cursor_stays_on_its_item_when_the_whole_plan_arrives(
        engine: Engine, whole_plan_held: threading.Event) -> None:
    store_rollups(engine)
    app = cli_like_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(pilot, lambda: table(app).model is not None, "the first rows")
        screen = main_screen(app)
        await pilot.press("end")  # the last top item's last child
        model = table(app).model
        assert model is not None
        on = model.tree.nodes[table(app).current].code  # type: ignore[index]
        whole_plan_held.set()
        await wait_until(pilot, lambda: screen.snapshot is not None
                         and screen.snapshot.complete, "the whole plan")
        model = table(app).model
        assert model is not None and table(app).current is not None
        assert model.tree.nodes[table(app).current].code == on  # type: ignore[index]
        await pilot.press("u")  # and the keys that need the whole plan work now
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the update form")


async def test_a_stale_cache_falls_back_to_the_computed_tree_and_is_stored_again(
        engine: Engine, whole_plan_held: threading.Event) -> None:
    """Figures stored yesterday are not shown today: the first screen is the whole plan rolled
    up afresh (the held whole read is never needed), and its figures are stored for today, so
    the next start paints from them."""
    store_rollups(engine, days_before=1)
    expected = full_figures(engine)
    app = cli_like_app(engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_until(pilot, lambda: table(app).model is not None, "the first rows")
        screen = main_screen(app)
        assert screen.snapshot is not None and screen.snapshot.complete
        model = table(app).model
        assert model is not None
        assert {model.tree.nodes[i].code: model.rollup[i] for i in model.tree.nodes} == expected
        await settle(app, pilot)
    reader = PlanGateway(lambda: engine, clock=CLOCK, lang="zh", user=None,
                         sqlite_file=path_of(engine))
    again = reader.read_first()
    assert not again.complete
    assert {again.tree.nodes[i].code: again.rollup[i] for i in again.tree.nodes} == {
        code: figures for code, figures in expected.items() if code.count(".") <= 1}


async def test_figures_changed_after_they_were_read_are_not_stored(engine: Engine) -> None:
    """The whole plan's figures are stored only as of the revision they were computed at: a
    write in between leaves the cache as it was (stale, never wrong)."""
    reader = PlanGateway(lambda: engine, clock=CLOCK, lang="zh", user=None,
                         sqlite_file=path_of(engine))
    snapshot = reader.read_snapshot()
    with sqlite_transaction(path_of(engine), write=True) as db:
        db.execute("UPDATE plan SET revision = revision + 1")
    assert not reader.store_figures(dict(snapshot.rollup.figures), snapshot.revision)
    with sqlite_transaction(path_of(engine)) as db:
        assert db.one("SELECT count(*) FROM rollupstate") == (0,)
    fresh = reader.read_snapshot()
    assert reader.store_figures(dict(fresh.rollup.figures), fresh.revision)
    assert not reader.store_figures(dict(fresh.rollup.figures), fresh.revision)  # current


def test_the_first_read_stores_and_then_uses_the_rollups_on_both_backends(
        backend_url: str, cli: Callable[..., CliResult],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateway's reads as the TUI makes them, on SQLite through `sqlite3` and on
    PostgreSQL through the engine: no current rollups, the whole plan; stored, the first
    levels with the same figures as a full rollup."""
    monkeypatch.setattr(gateway, "WHOLE_FIRST", 10)
    monkeypatch.setattr(gateway, "FIRST_LEVELS", 2)
    assert cli("--db", backend_url, "init", "--file", BUNDLED_PLAN).code == 0
    engine = make_engine(backend_url)
    reader = PlanGateway(engine, clock=CLOCK, lang="zh", user=None)
    first = reader.read_first()
    assert first.complete and not first.stored_figures
    assert first.items == len(first.tree.nodes)
    assert reader.store_figures(dict(first.rollup.figures), first.revision)
    again = reader.read_first()
    assert not again.complete and again.stored_figures and again.items == first.items
    expected = {node.code: first.rollup[node_id] for node_id, node in first.tree.nodes.items()}
    assert {again.tree.nodes[i].code: again.rollup[i] for i in again.tree.nodes} == {
        code: figures for code, figures in expected.items() if code.count(".") <= 1}
