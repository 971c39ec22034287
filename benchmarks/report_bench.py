"""Weekly report benchmark: a 10,000-item plan with 2,000 updates in one ISO week.

Times writing that week's report as HTML (target < 2000 ms) and as text, through the same
`write_weekly` the CLI and TUI call, in a read transaction with `building_snapshot` as the CLI
does; also the three stages of the HTML report on their own. Medians of several runs.

Run: `.venv/bin/python benchmarks/report_bench.py [--runs 5] [--profile]`.
"""

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import median_ms, synthetic_plan
from planner.core.model import building_snapshot
from planner.core.status import Status
from planner.reports.render_html import render_html
from planner.reports.sections import header_lines, weekly_sections
from planner.reports.weekly import build_weekly
from planner.reports.weekly_output import write_weekly
from planner.services.plan_file import import_plan
from planner.services.updates import record_update
from planner.store.db import create_schema, make_engine, session_scope

ITEMS = 10_000
UPDATES = 2_000
BATCHES = 4
TARGET_MS = 2000.0
WEEK_START = date(2023, 6, 26)  # ISO week 2023-W26, Monday to Sunday 2 July
TODAY = date(2023, 6, 30)  # the report is read on Friday, as of that day
IMPORTED_AT = datetime(2023, 6, 1, 9, 0).astimezone()


def build_database(path: Path) -> tuple[float, float]:
    """The synthetic plan and the week's updates; returns (import ms, updates ms)."""
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    spec = synthetic_plan(ITEMS)
    started = time.perf_counter()
    with session_scope(engine, write=True) as session:
        import_plan(spec, session=session, origin="synthetic", at=IMPORTED_AT)
    imported = (time.perf_counter() - started) * 1000
    parents = {task.parent for task in spec.tasks}
    leaves = [task for task in spec.tasks if task.code not in parents]
    step = len(leaves) / UPDATES
    chosen = [leaves[int(index * step)] for index in range(UPDATES)]
    started = time.perf_counter()
    per_batch = -(-UPDATES // BATCHES)
    for batch in range(BATCHES):
        with session_scope(engine, write=True) as session:
            for index in range(batch * per_batch, min(UPDATES, (batch + 1) * per_batch)):
                _record(session, chosen[index], index)
    updated = (time.perf_counter() - started) * 1000
    engine.dispose()
    return imported, updated


def _record(session, task, index: int) -> None:  # type: ignore[no-untyped-def]
    """One unit's report on a leaf, on a weekday of the week at a local time of day."""
    day = WEEK_START + timedelta(days=index % 5)
    at = datetime.combine(day, clock(9 + index % 8, index % 60)).astimezone()
    status = task.status or Status.NOT_STARTED
    new_status, progress = None, min(100.0, float(task.progress or 0) + 5 + index % 20)
    if status == Status.NOT_STARTED:
        new_status = Status.IN_PROGRESS
    elif status == Status.IN_PROGRESS and index % 10 == 0:
        new_status, progress = Status.DONE, 100.0
    elif status in (Status.DONE, Status.CLOSED, Status.CANCELLED, Status.BLOCKED):
        progress = None  # a note only: the unit reports without changing figures
    record_update(session=session, code=task.code, at=at, status=new_status, progress=progress,
                  note=f"第{index + 1}条进展：已按计划推进，形成阶段性成果", by_unit=task.lead)


def measure(runs: int) -> list[tuple[str, float, str]]:
    """Rows of (measurement, median ms, note) for the weekly report of a 10,000-item plan."""
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report_bench.db"
        imported, updated = build_database(path)
        rows.append((f"import {ITEMS:,} items (services, one transaction)", imported, "once"))
        rows.append((f"record {UPDATES:,} updates in {WEEK_START:%G-W%V} "
                     f"({BATCHES} transactions)", updated, "once, setup"))
        engine = make_engine(f"sqlite:///{path}")

        def write(fmt: str) -> Callable[[], object]:
            output = Path(folder) / f"weekly.{fmt}"

            def action() -> object:
                with building_snapshot(), session_scope(engine) as session:
                    return write_weekly(session=session, today=TODAY, week_start=WEEK_START,
                                        unit_id=None, fmt=fmt, lang="zh", output=output)
            return action

        html_ms = median_ms(write("html"), runs)
        verdict = "within" if html_ms < TARGET_MS else "OVER"
        size = (Path(folder) / "weekly.html").stat().st_size
        rows.append(("weekly report → HTML file (write_weekly)", html_ms,
                     f"target < {TARGET_MS:,.0f} ms: {verdict}; {size / 1024:,.0f} KiB"))
        rows.append(("weekly report → txt file (write_weekly)", median_ms(write("txt"), runs),
                     ""))
        with building_snapshot(), session_scope(engine) as session:
            report = build_weekly(session=session, today=TODAY, week_start=WEEK_START)

            def build() -> object:
                with building_snapshot():
                    return build_weekly(session=session, today=TODAY, week_start=WEEK_START)

            rows.append(("  of which build_weekly (history → data)", median_ms(build, runs),
                         f"{sum(len(a.updates) for a in report.updates):,} updates, "
                         f"{len(report.red):,} red, {len(report.yellow):,} yellow, "
                         f"{len(report.blue):,} blue"))
        header = header_lines(report, "zh")
        rows.append(("  of which weekly_sections (data → cells)",
                     median_ms(lambda: weekly_sections(report, "zh"), runs), ""))
        sections = weekly_sections(report, "zh")
        rows.append(("  of which render_html (cells → HTML)",
                     median_ms(lambda: render_html(header, sections, lang="zh"), runs),
                     f"{sum(len(s.rows) for s in sections):,} table rows"))
        engine.dispose()
    return rows


def profile(top: int = 25) -> None:
    """cProfile of one HTML report on the benchmark database, by cumulative time."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report_bench.db"
        build_database(path)
        engine = make_engine(f"sqlite:///{path}")
        profiler = cProfile.Profile()
        with building_snapshot(), session_scope(engine) as session:
            profiler.enable()
            write_weekly(session=session, today=TODAY, week_start=WEEK_START, unit_id=None,
                         fmt="html", lang="zh", output=Path(folder) / "weekly.html")
            profiler.disable()
        engine.dispose()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> None:
    """Print a Markdown table of the measurements (and a profile with --profile)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="also cProfile one HTML report")
    args = parser.parse_args()
    rows = measure(args.runs)
    print(f"| measurement ({ITEMS:,} items, {UPDATES:,} updates in a week, median of "
          f"{args.runs}) | ms | note |")
    print("|---|---:|---|")
    for name, value, note in rows:
        print(f"| {name} | {value:,.1f} | {note} |")
    if args.profile:
        profile()


if __name__ == "__main__":
    main()
