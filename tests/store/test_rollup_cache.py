"""The stored rollup cache (store/rollup_cache.py): `planner tree --depth N` reads only its
rows and their stored figures, which are never served stale: not after another write, not
for another day, not after two processes interleaved their updates; what it prints is what a
full recomputation prints."""

import multiprocessing
import queue
import random
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psycopg
import pytest

from planner.cli import main
from planner.core.outline import Criteria
from planner.core.rollup import Rollup
from planner.reports.tree import plan_view, render_tree
from planner.store.db import make_engine, session_scope
from planner.store.dbapi import Db, read_tree
from planner.store.rollup_cache import plan_revision, stored_figures
from tests.conftest import BUNDLED_PLAN, CliResult
from tests.services import test_access

TODAY = date(2021, 7, 1)
LEAVES = ("5.1.1", "5.1.2", "5.1.3", "3.2.2", "1.1.1", "3.1")
WORKERS = 2
ROUNDS = 12
LAST_FLAG = 6  # worker 0's own cut tree in the round after stores the figures again


def full_tree_text(url: str, today: date, *, depth: int, root: str | None = None) -> str:
    """What `planner tree [ROOT] --depth DEPTH` prints, from the whole plan rolled up afresh."""
    with session_scope(make_engine(url)) as session:
        view = plan_view(session, today=today)
    return render_tree(view.tree, view.rollup, view.unit_names, lang="zh", today=today,
                       criteria=Criteria(), root_code=root, max_depth=depth)


def cache_state(url: str) -> tuple[int, int | None, str | None]:
    """(the plan's revision, the cache's revision, the cache's day) of a database."""
    with session_scope(make_engine(url)) as session:
        db = Db.of_session(session)
        row = db.one("SELECT revision, today FROM rollupstate")
        return (plan_revision(db)[1], *(row or (None, None)))


def assert_cache_is_the_full_rollup(url: str, today: date) -> None:
    """The stored figures are current and equal, item by item, to a full recomputation."""
    plan, cached, day = cache_state(url)
    assert (cached, str(day)) == (plan, today.isoformat())
    with session_scope(make_engine(url)) as session:
        db = Db.of_session(session)
        tree = read_tree(db)
        stored = stored_figures(db)
    fresh = Rollup(tree, today)
    assert set(stored) == set(fresh.figures)
    for node_id, figures in fresh.figures.items():
        assert stored[node_id] == figures, tree.nodes[node_id].code


def tree(cli: Callable[..., CliResult], db: Path | str, today: date, *args: str) -> str:
    result = cli("--db", db, "--today", today.isoformat(), "tree", *args)
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize(("root", "depth"), [(None, 1), (None, 2), (None, 3), ("5", 2),
                                             ("5.1", 1), ("3.2.2", 4)])
def test_a_cut_tree_prints_what_a_full_recomputation_prints_and_is_then_served_stored(
        bundled_db: Path, cli: Callable[..., CliResult], root: str | None, depth: int) -> None:
    url = f"sqlite:///{bundled_db}"
    args = ([root] if root else []) + ["--depth", str(depth)]
    expected = full_tree_text(url, TODAY, depth=depth, root=root)
    assert cache_state(url)[1] is None
    assert tree(cli, bundled_db, TODAY, *args) == expected  # computes and stores
    assert_cache_is_the_full_rollup(url, TODAY)
    assert tree(cli, bundled_db, TODAY, *args) == expected  # read from the cache
    # Served from the cache indeed: a stored figure changed by hand shows.
    poison(bundled_db, root or "5")
    assert tree(cli, bundled_db, TODAY, *args) != expected


def poison(database: Path, code: str | None = None) -> None:
    """Change stored figures by hand (of one item, or all): a cache read shows it."""
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE rollupcache SET progress = 100 - progress, colour = 'red'"
                           + ("" if code is None else
                              " WHERE task_id = (SELECT id FROM task WHERE code = ?)"),
                           () if code is None else (code,))
    connection.close()


def test_a_write_other_than_an_update_invalidates_the_cache(
        bundled_db: Path, cli: Callable[..., CliResult], tmp_path: Path) -> None:
    url = f"sqlite:///{bundled_db}"
    tree(cli, bundled_db, TODAY, "--depth", "2")
    poison(bundled_db)  # were it read again, the test would see it
    assert cli("--db", bundled_db, "--today", TODAY.isoformat(), "flag", "5.1",
               "--reason", "需会商").code == 0
    assert tree(cli, bundled_db, TODAY, "--depth", "2") == full_tree_text(url, TODAY, depth=2)
    assert_cache_is_the_full_rollup(url, TODAY)
    poison(bundled_db)
    edited = tmp_path / "edited.yaml"
    edited.write_text(BUNDLED_PLAN.read_text(encoding="utf-8").replace(
        "建设中国（内蒙古）知识产权保护中心\n", "建设中国（内蒙古）知识产权保护中心（改）\n", 1),
        encoding="utf-8")
    result = cli("--db", bundled_db, "--today", TODAY.isoformat(), "import", edited)
    assert result.code == 0, result.err
    assert tree(cli, bundled_db, TODAY, "--depth", "2") == full_tree_text(url, TODAY, depth=2)
    assert_cache_is_the_full_rollup(url, TODAY)


def test_another_day_recomputes(bundled_db: Path, cli: Callable[..., CliResult]) -> None:
    url = f"sqlite:///{bundled_db}"
    later = date(2022, 3, 15)
    first = tree(cli, bundled_db, TODAY, "--depth", "2")
    second = tree(cli, bundled_db, later, "--depth", "2")
    assert second == full_tree_text(url, later, depth=2) != first
    assert_cache_is_the_full_rollup(url, later)
    assert tree(cli, bundled_db, TODAY, "--depth", "2") == first


def test_an_update_patches_the_path_so_the_cache_stays_current(
        bundled_db: Path, cli: Callable[..., CliResult]) -> None:
    url = f"sqlite:///{bundled_db}"
    tree(cli, bundled_db, TODAY, "--depth", "3")
    for code, progress in (("5.1.1", "35"), ("5.1.2", "80"), ("3.2.2", "10")):
        result = cli("--db", bundled_db, "--today", TODAY.isoformat(), "update", code,
                     "--progress", progress, "--note", "进展")
        assert result.code == 0, result.err
        assert_cache_is_the_full_rollup(url, TODAY)
    result = cli("--db", bundled_db, "--today", TODAY.isoformat(), "update", "5.1.3",
                 "--status", "done", "--due", "2021-12-31", "--reason", "顺延")
    assert result.code == 0, result.err
    assert_cache_is_the_full_rollup(url, TODAY)
    assert tree(cli, bundled_db, TODAY, "--depth", "3") == full_tree_text(url, TODAY, depth=3)


def worker(url: str, index: int, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """One process: rounds of updates of random leaves through the real command; now and
    then a cut tree (storing the figures when they are stale) and, in worker 0's first
    rounds, a flag set or cleared (a write that is not an update: it leaves them stale)."""
    try:
        rng = random.Random(index)
        flagged = False
        barrier.wait(timeout=60)
        for round_number in range(ROUNDS):
            common = ["--db", url, "--today", TODAY.isoformat()]
            if round_number % 4 == 3:
                argv = [*common, "tree", "--depth", "2"]
            elif round_number % 4 == 2 and index == 0 and round_number <= LAST_FLAG:
                argv = [*common, "unflag", "5.1"] if flagged else \
                    [*common, "flag", "5.1", "--reason", "需会商"]
                flagged = not flagged
            else:
                argv = [*common, "update", rng.choice(LEAVES), "--progress",
                        str(rng.randrange(1, 100)), "--note", f"worker {index} {round_number}"]
            if main(argv) != 0:
                results.put(f"worker {index}: {' '.join(argv[4:])} failed")
                return
        results.put(None)
    except BaseException as exc:  # reported to the parent, which fails the test
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_writers_interleaving_updates_leave_the_cache_equal_to_a_full_rollup(
        backend: str, make_database: Callable[[str], str],
        cli: Callable[..., CliResult]) -> None:
    url = make_database(backend)
    assert cli("--db", url, "--today", "2021-01-04", "init", "--file", BUNDLED_PLAN).code == 0
    tree(cli, url, TODAY, "--depth", "2")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS + 1)
    results = context.Queue()
    processes = [context.Process(target=worker, args=(url, index, barrier, results))
                 for index in range(WORKERS)]
    for process in processes:
        process.start()
    try:
        barrier.wait(timeout=90)
        errors = [results.get(timeout=120) for _ in processes]
    except (queue.Empty, multiprocessing.BrokenBarrierError):
        pytest.fail("the workers did not finish in time")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    assert errors == [None] * WORKERS
    # Stored again after the last flag, then patched by every update since: current.
    assert_cache_is_the_full_rollup(url, TODAY)
    assert tree(cli, url, TODAY, "--depth", "2") == full_tree_text(url, TODAY, depth=2)
    assert_cache_is_the_full_rollup(url, TODAY)


pg = test_access.pg  # the fixtures: the small plan, a coordinator and a user of hhht
plan_file = test_access.plan_file


def test_pg_a_units_role_reads_the_cache_but_never_writes_it(pg: test_access.PgPlan,
                                                             cli: Callable[..., CliResult]) -> None:
    """Figures everyone reads are written only by roles that may change the plan: a unit's
    update leaves them stale, its cut tree is recomputed without storing, and the unit's
    role cannot write them directly; a coordinator's read stores them, its update patches."""
    day = date.fromisoformat(test_access.TODAY)
    boss, unit = pg.url_as(pg.coordinator), pg.url_as(pg.unit_user)
    assert tree(cli, boss, day, "--depth", "1") == full_tree_text(pg.admin_url, day, depth=1)
    assert_cache_is_the_full_rollup(pg.admin_url, day)
    test_access.ok(cli, unit, "update", "1", "--progress", "40")
    plan, cached, _day = cache_state(pg.admin_url)
    assert cached == plan - 1  # stale, not patched
    assert tree(cli, unit, day, "--depth", "1") == full_tree_text(pg.admin_url, day, depth=1)
    assert cache_state(pg.admin_url)[1] == plan - 1
    with pg.connect(pg.unit_user) as connection:
        for statement in ("UPDATE rollupcache SET progress = 0", "DELETE FROM rollupstate",
                          "INSERT INTO rollupstate VALUES (2, 1, '2021-06-30', 'x')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)  # type: ignore[arg-type]  # a literal
    assert tree(cli, boss, day, "--depth", "1") == full_tree_text(pg.admin_url, day, depth=1)
    assert_cache_is_the_full_rollup(pg.admin_url, day)
    test_access.ok(cli, boss, "update", "4.1", "--progress", "70")
    assert_cache_is_the_full_rollup(pg.admin_url, day)
