"""The plan table sizes its columns from what it shows, and every status name is drawn whole.

Pilot tests read the drawn lines; snapshot tests pin the main screen at 80×24, 120×40 and
160×45 (regenerate with `--snapshot-update` and look at the SVGs in tests/tui/__snapshots__/).
"""

from datetime import date
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import OptionList, Select, SelectionList

from planner.core.model import PlanSettings, PlanTree, TaskNode
from planner.core.rollup import Rollup
from planner.core.status import Status
from planner.core.textwidth import cell_width
from planner.tui.widgets.plan_table import PlanTable, TableModel
from tests.tui_support import go_to, make_app, row_text, seeded_engine, settle, table

REPO = Path(__file__).resolve().parents[2]
SIZES = [(80, 24), (120, 40), (160, 45)]


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return seeded_engine(tmp_path / "plan.db")


async def test_the_code_column_is_as_wide_as_the_widest_code_on_screen(engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        # at the top the widest code is "     1.1.1" (depth 2, marker, code): 10 cells
        header = table(app).render_line(0).text
        assert header.startswith("编码" + " " * 7 + "事项"), header
        assert row_text(app, "1.1.1").startswith("     1.1.1 梳理贯彻落实《意见》清单")
        # a recurring item's occurrences have long codes; on screen, they are drawn whole
        await go_to(app, pilot, "7.2.3@2025-04-26")
        line = row_text(app, "7.2.3@2025-04-26")
        assert line.startswith("       7.2.3@2025-04-26 发布全区"), line
        assert table(app).render_line(0).text.startswith("编码" + " " * 20 + "事项")


class TableApp(App[None]):
    """Only the plan table, fed a plan too big to seed through the database quickly."""

    def __init__(self, model: TableModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        yield PlanTable(lang="zh", id="table")

    def on_mount(self) -> None:
        self.query_one(PlanTable).show(self.model)


def big_plan(leaves: int, done: int) -> TableModel:
    """One item with `leaves` leaves, `done` of them done, shown closed."""
    day = date(2021, 1, 1)
    settings = PlanSettings("大计划", day, date(2025, 12, 31))
    nodes = [TaskNode(1, "1", "汇总事项", None, 0, day, date(2025, 12, 31))]
    nodes += [TaskNode(index + 2, f"1.{index + 1}", "叶子", 1, index, day, date(2025, 12, 31),
                       status=Status.DONE if index < done else Status.NOT_STARTED,
                       progress=100.0 if index < done else 0.0)
              for index in range(leaves)]
    tree = PlanTree.build(settings, nodes)
    return TableModel(tree, Rollup(tree, date(2021, 6, 30)), {}, [(1, 0)], set())


async def test_a_long_count_is_drawn_whole() -> None:
    app = TableApp(big_plan(28310, 7169))
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        widget = app.query_one(PlanTable)
        header, row = widget.render_line(0).text, widget.render_line(1).text
        assert row.rstrip().endswith(" 7169/28310"), row
        # the column is exactly as wide as the count: its header starts where the count does
        column_start = cell_width(row.rstrip()) - len("7169/28310")
        assert cell_width(header[:header.index("完成")]) == column_start, (header, row)


@pytest.mark.parametrize(("lang", "size"), [("zh", (80, 24)), ("en", (120, 40))])
async def test_status_names_are_drawn_whole(engine, lang: str, size: tuple[int, int]) -> None:
    app = make_app(engine, lang=lang)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "4.1.1")
        assert f" {Status.DONE.label(lang)} " in row_text(app, "4.1.1")
        assert f" {Status.NOT_STARTED.label(lang)} " in row_text(app, "4.1.2")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_update_dialogs_status_choices_show_full_names(engine, lang: str) -> None:
    app = make_app(engine, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await go_to(app, pilot, "4.1.1")  # done: stay, back to in progress, or close
        await pilot.press("u")
        await pilot.pause()
        select = app.screen.query_one("#field-status", Select)
        select.expanded = True
        await pilot.pause()
        overlay = select.query_one("SelectOverlay", OptionList)  # the drop-down list
        drawn = "\n".join(overlay.render_line(y).text for y in range(overlay.size.height))
        for status in (Status.DONE, Status.IN_PROGRESS, Status.CLOSED):
            assert f" {status.label(lang)} " in drawn, drawn


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_filter_dialog_shows_every_status_in_full(engine, lang: str) -> None:
    app = make_app(engine, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        choices = app.screen.query_one("#field-statuses", SelectionList)
        assert choices.size.height >= len(Status)
        drawn = [choices.render_line(y).text for y in range(choices.size.height)]
        for status in Status:
            assert any(line.rstrip().endswith(f" {status.label(lang)}") for line in drawn), drawn


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_main_screen_at_common_sizes(snap_compare, engine, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
        await go_to(pilot.app, pilot, "4.1.1")  # type: ignore[arg-type]

    assert snap_compare(make_app(engine), terminal_size=size, run_before=run_before)


def test_the_readme_screenshot_is_the_main_screen_snapshot() -> None:
    snapshot = (REPO / "tests" / "tui" / "__snapshots__" / "test_tui_snapshots"
                / "test_main_screen_with_detail_pane[zh].svg")
    assert (REPO / "docs" / "tui-main.svg").read_bytes() == snapshot.read_bytes(), (
        "copy the updated snapshot to docs/tui-main.svg")
