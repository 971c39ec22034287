"""Benchmarks against the floor (a raw sqlite3 read of the same rows). Medians of several runs.

Run: `make bench` or `.venv/bin/python benchmarks/bench.py [--items 100000] [--runs 5]`.
"""

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import load_bench, report_bench, tui_bench
from benchmarks.generate import median_ms, synthetic_plan
from planner.core.model import building_snapshot
from planner.core.rollup import Rollup
from planner.services.plan_file import import_plan
from planner.services.updates import record_update
from planner.store.db import create_schema, make_engine, session_scope
from planner.store.queries import load_tree

TODAY = date(2023, 6, 30)
AT = datetime(2023, 6, 30, 9, 0, tzinfo=UTC)


def build_database(path: Path, items: int) -> float:
    """Create a synthetic plan database; returns the import time in ms."""
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    spec = synthetic_plan(items)
    started = time.perf_counter()
    with session_scope(engine, write=True) as session:
        import_plan(spec, session=session, origin="synthetic", at=AT)
    return (time.perf_counter() - started) * 1000


def floor_read(path: Path) -> None:
    """The floor: the same rows fetched with the sqlite3 module and nothing else."""
    connection = sqlite3.connect(path)
    connection.execute(
        "SELECT id, code, title, parent_id, position, start, due, status, progress, weight, "
        "rollup_rule, original_due, needs_coordination, coordination_reason, version "
        "FROM task WHERE archived = 0").fetchall()
    connection.execute("SELECT task_id, unit_id, role FROM taskunit ORDER BY position").fetchall()
    connection.close()


def main() -> None:
    """Print a Markdown table of the measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        rows.append((f"import {args.items:,} items (services, one transaction)",
                     build_database(path, args.items), "once"))
        engine = make_engine(f"sqlite:///{path}")

        def read_tree():  # type: ignore[no-untyped-def]
            with building_snapshot(), session_scope(engine) as session:
                return load_tree(session=session)

        floor = median_ms(lambda: floor_read(path), args.runs)
        rows.append(("floor: raw sqlite3 fetch of task + taskunit rows", floor, "floor"))
        load = median_ms(read_tree, args.runs)
        rows.append(("load_tree snapshot (store)", load, f"{load / floor:.1f}× floor"))
        tree = read_tree()
        def full_rollup() -> None:
            with building_snapshot():
                Rollup(tree, TODAY)

        rows.append(("full rollup (core, one pass)", median_ms(full_rollup, args.runs), ""))
        rollup = Rollup(tree, TODAY)
        leaf = max(tree.nodes, key=lambda node_id: tree.depth(node_id) if tree.is_leaf(
            node_id) else -1)
        code = tree.nodes[leaf].code
        progress = iter(range(1, 10_000))

        def update_and_refresh() -> None:
            with session_scope(engine, write=True) as session:
                result = record_update(session=session, code=code, at=AT,
                                       progress=float(next(progress) % 100), note="bench")
            tree.nodes[leaf].progress = result.progress
            rollup.refresh(leaf)

        rows.append((f"record_update + ancestor refresh ({code})",
                     median_ms(update_and_refresh, args.runs), ""))
        rows += tui_bench.measure(path, args.runs)
    rows += report_bench.measure(args.runs)
    print(f"| measurement ({args.items:,} items, median of {args.runs}) | ms | note |")
    print("|---|---:|---|")
    for name, value, note in rows:
        print(f"| {name} | {value:,.1f} | {note} |")
    print()
    print("Load: 47 units submit their weekly reports against a 10,000-item plan "
          f"({load_bench.WORKERS} processes)")
    print()
    print(load_bench.table(load_bench.measure()))


if __name__ == "__main__":
    main()
