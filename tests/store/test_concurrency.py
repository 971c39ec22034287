"""Many processes updating the same few items at once: no update is lost or doubled.

8 processes ('spawn') × 200 attempts on 4 leaves of the bundled plan. Each attempt reads
the item's version in one short transaction, then calls `record_update(expected_version=…)`
in its own write transaction (`session_scope(engine, write=True)`); a ConflictError counts as
a rejection and the next attempt reads afresh. Afterwards the history must hold exactly the
accepted updates, chained old → new with no gap, and each item must show its last one.

SQLite: WAL and the busy timeout, and BEGIN IMMEDIATE for writers, so writers queue.

PostgreSQL: writers queue too (session_scope takes an advisory transaction lock), but the
version check does not depend on that, and the third run leaves the lock out to show it.
At READ COMMITTED the check is sound on its own: it is a single
`UPDATE task … WHERE id = :id AND version = :v`; a concurrent writer that updated the row
first holds its row lock, and when it commits PostgreSQL re-evaluates the WHERE clause
against the new row version (EvalPlanQual) before updating: the version no longer matches,
0 rows are updated and record_update raises ConflictError. Two writers can therefore never
both succeed from the same version; and the old status/progress that the history records
were read in the same transaction at that same version, so they are current too.
"""

import multiprocessing
import queue
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from planner.core.errors import ConflictError
from planner.core.rollup import Rollup
from planner.core.status import Status
from planner.services.plan_file import import_plan, load_plan_file
from planner.services.updates import record_update
from planner.store.db import create_schema, make_engine, session_scope
from planner.store.models import ProgressUpdate, Task
from planner.store.queries import load_tree

BUNDLED = Path(__file__).resolve().parents[2] / "tasks.yaml"
CODES = ("5.1.1", "5.1.2", "5.1.3", "5.1.4")
WORKERS = 8
ATTEMPTS = 200
STATUSES = (Status.IN_PROGRESS, Status.BLOCKED)
TODAY = date(2021, 6, 30)
TIME_LIMIT = 120.0


@dataclass(frozen=True, slots=True)
class Accepted:
    """One update a worker had accepted."""

    code: str
    status: str
    progress: float
    note: str
    version: int
    at: datetime


@dataclass(slots=True)
class WorkerResult:
    """What one worker did."""

    index: int
    accepted: list[Accepted] = field(default_factory=list)
    rejected: int = 0
    attempts: int = 0
    error: str | None = None



def run_worker(url: str, index: int, queue_writers: bool,  # type: ignore[no-untyped-def]
               barrier, results) -> None:
    """One process: ATTEMPTS read-version-then-update rounds on random items of CODES."""
    outcome = WorkerResult(index)
    try:
        engine = make_engine(url)
        with session_scope(engine) as session:  # connect before the start line
            session.execute(select(Task.id)).first()
        rng = random.Random(index)
        barrier.wait(timeout=60)
        for attempt in range(ATTEMPTS):
            code = rng.choice(CODES)
            with session_scope(engine) as session:
                version = session.execute(
                    select(Task.version).where(Task.code == code)).scalar_one()
            status, progress = rng.choice(STATUSES), float(rng.randrange(1, 100))
            note = f"worker {index} attempt {attempt}"
            at = datetime.now(UTC)
            outcome.attempts += 1
            try:
                # Without queue_writers: a plain READ COMMITTED transaction, row locks only.
                with session_scope(engine, write=queue_writers) as session:
                    result = record_update(session=session, code=code, at=at, status=status,
                                           progress=progress, note=note,
                                           by_user=f"worker{index}", expected_version=version)
            except ConflictError:
                outcome.rejected += 1
            else:
                outcome.accepted.append(Accepted(code, status.value, progress, note,
                                                 result.version, at))
        engine.dispose()
    except BaseException as exc:  # reported to the parent, which fails the test
        outcome.error = f"{type(exc).__name__}: {exc}"
    results.put(outcome)


def seed(url: str) -> None:
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine, write=True) as session:
        import_plan(load_plan_file(BUNDLED), session=session, origin="tasks.yaml",
                    at=datetime(2021, 1, 4, 9, 0, tzinfo=UTC))
    engine.dispose()


def hammer(url: str, queue_writers: bool) -> tuple[list[WorkerResult], float]:
    """Run the workers against `url`; their results and the seconds they took."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS + 1)
    results = context.Queue()
    processes = [context.Process(target=run_worker,
                                 args=(url, index, queue_writers, barrier, results))
                 for index in range(WORKERS)]
    for process in processes:
        process.start()
    try:
        barrier.wait(timeout=90)
        started = time.monotonic()
        outcomes = [results.get(timeout=TIME_LIMIT) for _ in processes]
        elapsed = time.monotonic() - started
    except (queue.Empty, multiprocessing.BrokenBarrierError):
        pytest.fail("the workers did not finish in time")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    return sorted(outcomes, key=lambda o: o.index), elapsed


@pytest.mark.parametrize(("backend", "queue_writers"), [
    ("sqlite", True), ("postgresql", True), ("postgresql", False),
], ids=["sqlite", "postgresql", "postgresql-row-locks-only"])
def test_concurrent_updates_lose_nothing(backend: str, queue_writers: bool,
                                         make_database: Callable[[str], str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    url = make_database(backend)
    seed(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        before = load_tree(session=session)
        setting = "transaction_isolation" if backend == "postgresql" else "journal_mode"
        expected = "read committed" if backend == "postgresql" else "wal"
        assert session.execute(text(f"{'SHOW' if backend == 'postgresql' else 'PRAGMA'} "
                                    f"{setting}")).scalar() == expected
    outcomes, elapsed = hammer(url, queue_writers)

    assert [o.error for o in outcomes] == [None] * WORKERS
    accepted = [a for o in outcomes for a in o.accepted]
    rejected = sum(o.rejected for o in outcomes)
    assert sum(o.attempts for o in outcomes) == WORKERS * ATTEMPTS
    assert len(accepted) + rejected == WORKERS * ATTEMPTS
    assert rejected > 0, "no attempt ever conflicted: the test exercised nothing"
    with capsys.disabled():
        label = backend if queue_writers else f"{backend}, row locks only"
        print(f"\n[{label}] {len(accepted)} accepted, {rejected} rejected, {elapsed:.1f} s")

    with session_scope(engine) as session:
        rows = session.execute(
            select(ProgressUpdate.id, Task.code, ProgressUpdate.old_status,
                   ProgressUpdate.new_status, ProgressUpdate.old_progress,
                   ProgressUpdate.new_progress, ProgressUpdate.note)
            .join(Task, Task.id == ProgressUpdate.task_id).order_by(ProgressUpdate.id)).all()
        stored = {code: (status, progress, version) for code, status, progress, version
                  in session.execute(select(Task.code, Task.status, Task.progress, Task.version))}
        after = load_tree(session=session)
    engine.dispose()

    # Every accepted update is in the history exactly once, and nothing else is.
    by_note = {a.note: a for a in accepted}
    assert len(by_note) == len(accepted)
    assert Counter(row.note for row in rows) == Counter(a.note for a in accepted)
    for row in rows:
        update = by_note[row.note]
        assert (row.code, row.new_status, row.new_progress) == (
            update.code, update.status, update.progress)

    # Per item: versions 2, 3, … with no gap or repeat, each update starting from the state
    # the one before left, and the stored item equal to the last accepted update.
    for code in CODES:
        chain = [row for row in rows if row.code == code]
        versions = sorted(by_note[row.note].version for row in chain)
        assert versions == list(range(2, len(chain) + 2))
        assert [by_note[row.note].version for row in chain] == versions
        state = ("not_started", 0.0)
        for row in chain:
            assert (row.old_status, row.old_progress) == state
            state = (row.new_status, row.new_progress)
        assert stored[code] == (*state, len(chain) + 1)

    # Parents' rollups equal those recomputed from the leaves the workers left behind.
    rollup = Rollup(before, TODAY)
    for code in CODES:
        last = by_note[[row for row in rows if row.code == code][-1].note]
        node = before.node(code)
        node.status, node.progress = Status(last.status), last.progress
        node.version = stored[code][2]
        node.last_report = max(a.at for a in accepted if a.code == code).astimezone().date()
        rollup.refresh(before.by_code[code])
    fresh = Rollup(after, TODAY)
    assert after.nodes == before.nodes
    for node_id in after.nodes:
        assert fresh[node_id] == rollup[node_id], after.nodes[node_id].code
