"""TUI measurements on a large plan: time to a usable first screen, cursor move, save."""

import asyncio
import statistics
import time
from datetime import date
from datetime import time as clock_time
from pathlib import Path

from planner.core.clock import Clock
from planner.core.status import Status
from planner.store.db import make_engine
from planner.tui.app import PlannerApp
from planner.tui.forms import UpdateRequest
from planner.tui.widgets.plan_table import PlanTable

TODAY = date(2023, 6, 30)
CLOCK = Clock(TODAY, time_of_day=lambda: clock_time(12))


async def _open_once(path: Path) -> tuple[float, PlannerApp | None]:
    """Seconds from creating the app to the table showing rows with rollups."""
    started = time.perf_counter()
    app = PlannerApp(engine=make_engine(f"sqlite:///{path}"), clock=CLOCK)
    async with app.run_test(size=(160, 40)):
        while True:
            await asyncio.sleep(0.005)
            tables = app.screen.query(PlanTable)
            if tables and tables.first().model is not None:
                return time.perf_counter() - started, None
    raise RuntimeError("the table never showed rows")


async def _interactions(path: Path, runs: int) -> tuple[float, float]:
    """Median ms of one cursor move (handler + redraw of the table) and of one save."""
    app = PlannerApp(engine=make_engine(f"sqlite:///{path}"), clock=CLOCK)
    async with app.run_test(size=(160, 40)) as pilot:
        while not (app.screen.query(PlanTable) and app.screen.query_one(PlanTable).model):
            await asyncio.sleep(0.01)
        await app.workers.wait_for_complete()
        table = app.screen.query_one(PlanTable)
        screen = app.screen
        screen.action_expand_all()  # type: ignore[attr-defined]
        moves = []
        for _ in range(runs * 4):
            started = time.perf_counter()
            table.action_cursor(1)
            for y in range(table.size.height):
                table.render_line(y)
            moves.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
        assert table.model is not None
        tree = table.model.tree
        leaf = next(i for i in tree.preorder() if tree.is_leaf(i)
                    and tree.nodes[i].status == Status.IN_PROGRESS)
        saves = []
        for step in range(runs):
            node = tree.nodes[leaf]
            request = UpdateRequest(Status.IN_PROGRESS, float(step + 1), "bench", None)
            started = time.perf_counter()
            result, revision = app.gateway.write_update(node.code, request, node.version)
            screen.post_message(screen.Saved(leaf, result, revision))  # type: ignore[attr-defined]
            await pilot.pause()
            saves.append((time.perf_counter() - started) * 1000)
        return statistics.median(moves), statistics.median(saves)


def measure(path: Path, runs: int) -> list[tuple[str, float, str]]:
    """Rows for the benchmark table."""
    opens = [asyncio.run(_open_once(path))[0] * 1000 for _ in range(runs)]
    move, save = asyncio.run(_interactions(path, runs))
    return [
        ("TUI: app start to first screen with rollups", statistics.median(opens), "target < 1500"),
        ("TUI: cursor move (handler + table redraw)", move, "target < 50"),
        ("TUI: save an update + ancestor refresh + redraw", save, "target < 100"),
    ]
