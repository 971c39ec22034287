"""Load: 47 units submit their weekly reports (about 2,000 updates) against a 10,000-item plan,
on SQLite and on PostgreSQL; throughput, p50/p99 latency, and no lost or duplicated history.

Run alone: `.venv/bin/python benchmarks/load_bench.py` (starts its own PostgreSQL server when
the binaries are there, like the test suite).
"""

import multiprocessing
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import synthetic_plan
from planner.core.status import Status
from planner.services.plan_file import import_plan
from planner.store.db import create_schema, make_engine, session_scope
from planner.store.queries import load_tree

ITEMS = 10_000
UNITS = 47
UPDATES = 2_000
WORKERS = 8
AT = datetime(2023, 6, 28, 10, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One backend's run."""

    backend: str
    updates: int
    seconds: float
    p50_ms: float
    p99_ms: float
    lost: int
    duplicated: int
    refused: int

    @property
    def per_second(self) -> float:
        """Accepted updates per second."""
        return self.updates / self.seconds


def seed(url: str) -> dict[str, list[str]]:
    """The synthetic plan; for each of the 47 units, the open items it will report on."""
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine, write=True) as session:
        import_plan(synthetic_plan(ITEMS), session=session, origin="load", at=AT)
    with session_scope(engine) as session:
        tree = load_tree(session=session)
    engine.dispose()
    by_unit: dict[str, list[str]] = {}
    for node_id, node in tree.nodes.items():
        if tree.is_leaf(node_id) and node.status in (Status.NOT_STARTED, Status.IN_PROGRESS):
            by_unit.setdefault(node.lead or "", []).append(node.code)
    per_unit = UPDATES // UNITS + 1
    units = sorted(by_unit)[:UNITS]
    jobs = {unit: by_unit[unit][:per_unit] for unit in units}
    while sum(len(codes) for codes in jobs.values()) > UPDATES:
        longest = max(jobs, key=lambda unit: len(jobs[unit]))
        jobs[longest].pop()
    return jobs


def _submit(args: tuple[str, list[tuple[str, list[str]]]]) -> tuple[list[float], list[str], int]:
    """One process: several units, each submitting its reports one update per transaction."""
    from planner.core.errors import PlannerError
    from planner.services.updates import record_update

    url, units = args
    engine = make_engine(url)
    latencies, notes, refused = [], [], 0
    for unit, codes in units:
        for number, code in enumerate(codes):
            note = f"{unit}|{code}|{number}"
            started = time.perf_counter()
            try:
                with session_scope(engine, write=True) as session:
                    record_update(session=session, code=code, at=AT, status=Status.IN_PROGRESS,
                                  progress=float(10 + number % 80), note=note, by_unit=unit,
                                  by_user=f"load-{unit}")
            except PlannerError:
                refused += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            notes.append(note)
    engine.dispose()
    return latencies, notes, refused


def run_load(url: str, backend: str) -> LoadResult:
    """Seed, submit from WORKERS processes, then check the history row by row."""
    from sqlmodel import select

    from planner.store.models import ProgressUpdate

    jobs = seed(url)
    units = list(jobs.items())
    shares = [(url, units[index::WORKERS]) for index in range(WORKERS)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        results = pool.map(_submit, shares)
    seconds = time.perf_counter() - started
    latencies = [value for result in results for value in result[0]]
    accepted = [note for result in results for note in result[1]]
    engine = make_engine(url)
    with session_scope(engine) as session:
        recorded = Counter(session.exec(select(ProgressUpdate.note)).all())
    engine.dispose()
    lost = sum(1 for note in accepted if recorded[note] == 0)
    duplicated = sum(count - 1 for count in recorded.values() if count > 1)
    ranked = sorted(latencies)
    return LoadResult(backend, len(accepted), seconds, statistics.median(ranked),
                      ranked[min(len(ranked) - 1, int(len(ranked) * 0.99))], lost, duplicated,
                      sum(result[2] for result in results))


def measure() -> list[LoadResult]:
    """Both backends (PostgreSQL only where a server can run here)."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(run_load(f"sqlite:///{Path(folder) / 'load.db'}", "SQLite (WAL)"))
    try:
        from tests import pg_support

        server = pg_support.start()
    except Exception as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return results
    try:
        results.append(run_load(server.create_database(), "PostgreSQL 15"))
    finally:
        server.stop()
    return results


def table(results: list[LoadResult]) -> str:
    """A Markdown table of the results."""
    lines = ["| backend | updates | seconds | updates/s | p50 ms | p99 ms | lost | duplicated |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.backend} | {r.updates:,} | {r.seconds:.1f} | {r.per_second:,.0f} | "
              f"{r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.lost} | {r.duplicated} |" for r in results]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(measure()))
