"""Key latencies of the TUI on a large plan, through Textual's Pilot (issue 12: under 50 ms at
100,000 items for expand, move, find and filter).

Each figure is the median time from a key reaching the app to the screen showing its effect:
the key and every message it caused handled, and the compositor's repaint of the screen
done (not Pilot's `press`, which also waits for the whole process to look idle in 20 ms
steps, so no key could measure under 40 ms). Between presses the app is let go idle (its
workers done and the detail pane filled), so no key pays for the one before. "results" rows
are the time from the last keystroke of a search (or the filter dialog's save) to the
filtered rows on screen: on a large plan the search waits for a pause in typing and both
filter in a worker, keeping the keys themselves quick. The app is measured once the whole
plan is read (its first screen may come from the stored rollups, store/rollup_cache.py).

Run: `.venv/bin/python benchmarks/tui_keys.py DATABASE [--runs 5] [--today 2023-06-30]`
(a database made by `benchmarks.generate.plan_database`, e.g. of 100,000 items).
"""

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

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


class Repaints:
    """When the screen on top last repainted (its compositor refresh: what a terminal would be
    sent). Textual has no public hook for it, so the screen's method is wrapped."""

    def __init__(self, pilot: Pilot[None]) -> None:
        self.pilot = pilot
        self.at = 0.0
        self.done = asyncio.Event()
        screen = pilot.app.screen
        original = screen._compositor_refresh

        def refresh() -> None:
            original()
            self.at = time.perf_counter()
            self.done.set()

        screen._compositor_refresh = refresh  # type: ignore[method-assign]

    def pending(self) -> bool:
        """Whether the screen has changes not yet painted."""
        screen = self.pilot.app.screen
        return bool(screen._layout_required or screen._scroll_required
                    or screen._repaint_required or screen._dirty_widgets)

    async def key_ms(self, key: str) -> float:
        """Milliseconds from `key` reaching the app to its effect painted."""
        app = self.pilot.app
        char = {"slash": "/"}.get(key, key if len(key) == 1 else None)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)  # as Pilot names them: "." is full_stop
        started = time.perf_counter()
        app.post_message(events.Key(key, char))
        for _ in range(3):  # the key, the messages it posts, and theirs
            await self.pilot._wait_for_screen()
        while self.pending() or self.at < started:
            self.done.clear()
            try:
                await asyncio.wait_for(self.done.wait(), 10)
            except TimeoutError:
                break  # nothing to paint (the key changed nothing on screen)
        return (max(self.at, started) - started) * 1000


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

        for _ in range(6000):  # the whole plan (the first screen may show only its top)
            if screen.snapshot is not None and screen.snapshot.complete:
                break
            await pilot.pause(0.01)
        await idle(app, pilot)
        assert screen.snapshot is not None and screen.snapshot.complete, "never read whole"
        figures["items"] = [float(len(screen.snapshot.tree.nodes))]
        repaints = Repaints(pilot)

        async def press(key: str) -> float:
            elapsed = await repaints.key_ms(key)
            await idle(app, pilot)
            return elapsed

        await press("down")  # onto the first root's first child (the roots start open)
        for name, key in (("move (down)", "down"), ("move (up)", "up")):
            figures[name] = [await press(key) for _ in range(runs)]
        figures["expand (right)"], figures["collapse (left)"] = [], []
        for _ in range(runs):
            figures["expand (right)"].append(await press("right"))
            figures["collapse (left)"].append(await press("left"))
        figures["page down"] = [await press("pagedown") for _ in range(runs)]
        await press("home")
        figures["find: open (/)"] = []
        for _ in range(runs):  # a median of several, each closed again (escape, not timed)
            figures["find: open (/)"].append(await press("slash"))
            await press("escape")
        await press("slash")
        figures["find: keystroke"] = []
        for character in "1.2.3"[:max(runs, 1)]:
            figures["find: keystroke"].append(await repaints.key_ms(character))
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


async def idle(app: PlannerApp, pilot: Pilot[None]) -> None:
    """Let the app finish what the last key started (workers and their messages)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


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
    parser.add_argument("--json", action="store_true",
                        help="print each key's median ms as one JSON object (for bench.py)")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.database, args.runs, args.today))
    items = int(figures.pop("items")[0])
    if args.json:
        print(json.dumps({name: statistics.median(values) for name, values in figures.items()}))
        return 0
    print(f"| key ({items:,} items) | median ms | max ms | presses |")
    print("|---|---|---|---|")
    for name, values in figures.items():
        print(f"| {name} | {statistics.median(values):.1f} | {max(values):.1f} | {len(values)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
