"""Key latencies of the TUI on a large plan, through Textual's Pilot (issue 12: under 50 ms at
100,000 items for expand, move, find and filter).

Each figure is the median time from pressing a key to the screen having handled it (every
message it caused processed: Pilot's `press`), over `--runs` presses; between presses the
app is let go idle (its workers done), so no key pays for the one before. "results" rows
are the time from the last keystroke of a search (or the filter dialog's save) to the
filtered rows on screen: on a large plan the search waits for a pause in typing and both
filter in a worker, keeping the keys themselves quick.

Run: `.venv/bin/python benchmarks/tui_keys.py DATABASE [--runs 5] [--today 2023-06-30]`
(a database made by `benchmarks.generate.plan_database`, e.g. of 100,000 items).
"""

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.core.clock import Clock
from planner.core.outline import Criteria
from planner.core.rollup import Colour
from planner.tui.app import PlannerApp
from planner.tui.screens.main import MainScreen
from planner.tui.widgets.plan_table import PlanTable


async def timed(action: Callable[[], Awaitable[object]], settle: Callable[[], Awaitable[object]]
                ) -> float:
    """Milliseconds `action` takes; then `settle` (not counted) lets the app go idle."""
    started = time.perf_counter()
    await action()
    elapsed = (time.perf_counter() - started) * 1000
    await settle()
    return elapsed


async def measure(database: Path, runs: int, today: date) -> dict[str, list[float]]:
    """Each key's latencies in ms."""
    from planner.store.db import make_engine

    url = f"sqlite:///{database}"
    app = PlannerApp(engine=lambda: make_engine(url), sqlite_file=str(database),
                     clock=Clock(today, time_of_day=lambda: clock_time(10)), lang="zh",
                     user=None, poll_seconds=3600)
    figures: dict[str, list[float]] = {}
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        table = screen.query_one(PlanTable)
        for _ in range(6000):  # the first load: until rows show
            if table.model is not None:
                break
            await pilot.pause(0.01)
        assert table.model is not None, "the plan never showed"
        figures["items"] = [float(len(table.model.tree.nodes))]

        async def press(*keys: str) -> float:
            return await timed(lambda: pilot.press(*keys), pilot.pause)

        await press("down")  # onto the first root's first child (the roots start open)
        for name, key in (("move (down)", "down"), ("move (up)", "up")):
            figures[name] = [await press(key) for _ in range(runs)]
        figures["expand (right)"], figures["collapse (left)"] = [], []
        for _ in range(runs):
            figures["expand (right)"].append(await press("right"))
            figures["collapse (left)"].append(await press("left"))
        figures["page down"] = [await press("pagedown") for _ in range(runs)]
        await press("home")
        figures["find: open (/)"] = [await press("slash")]
        figures["find: keystroke"] = []
        for character in "1.2.3"[:max(runs, 1)]:
            figures["find: keystroke"].append(await timed(lambda key=character: pilot.press(key),
                                                          _nothing))
        started = time.perf_counter()
        for _ in range(6000):  # the rows of the search, after the pause in typing
            if screen.criteria.text and screen.shown_criteria == screen.criteria:
                break
            await pilot.pause(0.005)
        figures["find: results"] = [(time.perf_counter() - started) * 1000]
        await press("enter")
        await press("escape")

        figures["filter: apply (red)"] = []
        for _ in range(runs):
            figures["filter: apply (red)"].append(await timed(
                lambda: _apply(screen, Criteria(colours=frozenset({Colour.RED}))), _nothing))
            started = time.perf_counter()
            for _ in range(6000):
                if screen.shown_criteria == screen.criteria:
                    break
                await pilot.pause(0.005)
            figures.setdefault("filter: results", []).append(
                (time.perf_counter() - started) * 1000)
            await press("escape")
        await pilot.press("q")
    return figures


async def _nothing() -> None:
    """No settling: the next step waits for itself."""


async def _apply(screen: MainScreen, criteria: Criteria) -> None:
    """What the filter dialog's save does with its criteria."""
    screen.apply_filter(criteria)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2023, 6, 30))
    args = parser.parse_args()
    figures = asyncio.run(measure(args.database, args.runs, args.today))
    items = int(figures.pop("items")[0])
    print(f"| key ({items:,} items) | median ms | max ms | presses |")
    print("|---|---|---|---|")
    for name, values in figures.items():
        print(f"| {name} | {statistics.median(values):.1f} | {max(values):.1f} | {len(values)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
