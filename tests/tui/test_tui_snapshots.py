"""Snapshot tests: the main screen, detail pane, update dialog and a filtered view, zh and en.

Regenerate after an intended change with `pytest tests/tui/test_tui_snapshots.py --snapshot-update`
and look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui_support import go_to, make_app, seeded_engine, settle

SIZE = (150, 40)


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return seeded_engine(tmp_path / "plan.db")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_main_screen_with_detail_pane(snap_compare, engine, lang: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot.app, pilot)
        await go_to(pilot.app, pilot, "3.1")

    assert snap_compare(make_app(engine, lang=lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_update_dialog(snap_compare, engine, lang: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot.app, pilot)
        await go_to(pilot.app, pilot, "5.1.4")
        await pilot.press("u")
        await pilot.pause()

    assert snap_compare(make_app(engine, lang=lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filtered_view(snap_compare, engine, lang: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one("#search", Input).value = "鄂尔多斯"
        await settle(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(engine, lang=lang), terminal_size=SIZE, run_before=run_before)


def test_small_terminal(snap_compare, engine) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot.app, pilot)
        await go_to(pilot.app, pilot, "5.1.4")

    assert snap_compare(make_app(engine), terminal_size=(80, 24), run_before=run_before)
