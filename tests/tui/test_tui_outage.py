"""The TUI when the PostgreSQL server goes away and comes back, through App.run_test() and
Pilot against a real server of its own (tests/outage_support.py), stopped and started here.

At its next poll the app says "connection lost, retrying" instead of dying; what the user
tries meanwhile fails with a message in the UI; when the server is back the app notices by
itself, reloads and clears the message.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from planner.store.db import make_engine
from planner.tui.app import PlannerApp
from tests.conftest import CliResult
from tests.outage_support import (
    BUNDLED,
    TODAY,
    OutageServer,
    outage_db,  # noqa: F401  (fixture)
    outage_server,  # noqa: F401  (fixture)
)
from tests.tui_support import fill_and_save, go_to, make_app, settle, wait_until

LOST_ZH = "数据库连接中断，正在重试……"


@pytest.fixture
def engine(outage_db: str, cli: Callable[..., CliResult]) -> Iterator:  # type: ignore[type-arg]  # noqa: F811
    """An engine on a database of the private server, initialised from the bundled plan."""
    result = cli("--db", outage_db, "--today", TODAY, "init", "--file", Path(BUNDLED))
    assert result.code == 0, result.err
    engine = make_engine(outage_db)
    yield engine
    engine.dispose()


def outage_bar(app: PlannerApp) -> str | None:
    """The text of the main screen's connection bar while it shows, else None."""
    bars = app.screen.query("#connection-bar")
    return str(bars.first(Static).content) if bars and bars.first().display else None


def messages(app: PlannerApp) -> list[str]:
    """The text of every notification shown so far."""
    return [str(notification.message) for notification in app._notifications]


async def test_the_tui_says_connection_lost_and_recovers_by_itself(
        outage_server: OutageServer, engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    app = make_app(engine, poll_seconds=0.1)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert outage_bar(app) is None
        await go_to(app, pilot, "3.1")
        outage_server.stop()
        try:
            await wait_until(pilot, lambda: outage_bar(app) is not None, "the outage bar")
            assert outage_bar(app) == LOST_ZH
            assert any("无法连接 PostgreSQL 服务器" in m for m in messages(app))
            # an update attempted meanwhile fails in the UI, nothing crashes
            await pilot.press("u")
            await fill_and_save(pilot, {"progress": "55"})
            await wait_until(pilot, lambda: sum("无法连接 PostgreSQL 服务器" in m
                                                for m in messages(app)) >= 2,
                             "the update's error message")
            # so does reading the indicators (the reading form) of the item
            await pilot.press("escape")
            await pilot.press("r")
            await wait_until(pilot, lambda: sum("无法连接 PostgreSQL 服务器" in m
                                                for m in messages(app)) >= 3,
                             "the reading's error message")
            assert app.is_running and app.return_code is None
            lost_snapshot = screen.snapshot
        finally:
            outage_server.start()
        await wait_until(pilot, lambda: outage_bar(app) is None
                         and screen.snapshot is not lost_snapshot,
                         "the reload after the server came back")
        assert "数据库连接已恢复" in messages(app)
        assert app.is_running and app.return_code is None
        await go_to(app, pilot, "3.1")
        await pilot.press("u")
        await fill_and_save(pilot, {"progress": "55"})
        await wait_until(pilot, lambda: any("已保存" in m and "55%" in m for m in messages(app)),
                         "the update after the outage")


async def test_the_tui_in_english_says_connection_lost(
        outage_server: OutageServer, engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    app = make_app(engine, lang="en", poll_seconds=0.1)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        outage_server.stop()
        try:
            await wait_until(pilot, lambda: outage_bar(app) is not None, "the outage bar")
            assert outage_bar(app) == "connection lost, retrying…"
        finally:
            outage_server.start()
        await wait_until(pilot, lambda: outage_bar(app) is None, "the bar to clear")
