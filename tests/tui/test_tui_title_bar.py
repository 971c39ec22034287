"""The title line: the screen's own title and subtitle where it has them, and the icon that
opens the command palette (what Textual's header did, drawn by one widget)."""

from pathlib import Path

from rich.cells import cell_len
from textual.command import CommandPalette

from planner.i18n import label
from planner.tui.app import PlannerApp
from planner.tui.widgets.title_bar import TitleBar
from tests.tui_support import CLOCK, seeded_engine, settle, wait_until


def title_line(app: PlannerApp) -> str:
    """The title line as drawn on the screen on top."""
    return app.screen.query_one(TitleBar).render().plain


async def test_the_title_line_shows_the_screen_subtitle_and_the_icon_opens_the_palette(
        tmp_path: Path) -> None:
    app = PlannerApp(engine=seeded_engine(tmp_path / "plan.db"), clock=CLOCK, lang="zh",
                     user="tester", poll_seconds=60, report_dir=tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        main_line = title_line(app)
        assert main_line.startswith(" ⭘      ") and f"— {app.sub_title}" in main_line
        assert cell_len(main_line) == 160
        await pilot.press("M")
        await settle(app, pilot)
        meetings_line = title_line(app)
        assert label("key_meetings", "zh") in meetings_line and meetings_line != main_line
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.click(TitleBar, offset=(1, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette),
                         "the command palette")
