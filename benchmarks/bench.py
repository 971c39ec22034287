"""Issue 12's table, measured as a user feels it: whole processes started from here, medians.

Each row runs `planner` (or Taskwarrior, or a floor) as a new process, once to warm the
caches and then `--runs` times, and reports the median wall time next to its floor (the least
a Python program could do for the same answer: `benchmarks/floors.py`), its goal, and, where
Taskwarrior 2.6 answers the same question, the ratio to it measured in the same run. The TUI
rows start `planner tui` in a real terminal (a private tmux server, 160×45) and time process
start to the first item rows showing their rollup figures. The warm-up start stays open until
the TUI has stored the plan's rollups for the day (as after a user's first start of the day),
so the timed starts paint from them; the "first start of the day" row deletes the stored
state before each start, so the whole plan is read and rolled up first. The keys row runs
`benchmarks/tui_keys.py` on the large plan (key → its effect painted, through Pilot).

Run: `make bench`, or `.venv/bin/python benchmarks/bench.py [--items 100000] [--runs 5]
[--quick] [--markdown] [--only ROW ...] [--skip ROW ...]`.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import (
    ASSESS_YEAR,
    PLANS_TODAY,
    REPORT_TODAY,
    WEEK_START,
    assessment_database,
    intake_docx,
    plan_database,
    plans_database,
    weekly_database,
)

FLOORS = Path(__file__).resolve().parent / "floors.py"
TODAY = "2023-06-30"
REPORT_ITEMS, REPORT_UPDATES = 10_000, 2_000
QUICK_ITEMS, QUICK_REPORT_ITEMS, QUICK_REPORT_UPDATES = 2_000, 1_000, 200
TUI_TIMEOUT_S = 120.0
#: A table row of the TUI with a code and a percentage: items shown with their rollup figures.
ROLLUP_ROW = re.compile(r"^\W*\d+(?:\.\d+)*\s.*\d+%")
ROW_KEYS = ("show", "update", "tree", "tui", "tui-big", "tui-big-cold", "tui-keys", "tree-big",
            "update-big", "export", "import", "report", "plans", "intake", "assess")
TUI_KEYS = Path(__file__).resolve().parent / "tui_keys.py"
#: The key rows of tui_keys.py that the 50 ms goal is about (its "results" rows are the
#: filtered rows arriving from a worker after the key, not the key).
GOAL_KEYS = ("move (down)", "move (up)", "expand (right)", "collapse (left)", "page down",
             "find: open (/)", "find: keystroke", "filter: apply (red)")
#: Issue 13's row: `tree` of one plan and `plans` among PLANS plans of PLAN_ITEMS items each,
#: against the same commands on one plan of PLAN_ITEMS items alone.
PLANS, PLAN_ITEMS, QUICK_PLANS, QUICK_PLAN_ITEMS = 20, 5_000, 4, 1_000
PLANS_GOAL = 1.2
INTAKE_ITEMS = 500
ASSESS_EVENTS, QUICK_ASSESS_EVENTS = 500_000, 10_000


class BenchError(Exception):
    """A measured process failed: the benchmark stops and says which and why."""


@dataclass(slots=True)
class Row:
    """One line of the table."""

    work: str
    figure: float | None
    floor: str
    goal: str
    peer: str
    verdict: str


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every measured process: bytecode caching on, as on a user's
    machine (a sandbox that sets PYTHONDONTWRITEBYTECODE would time compiling planner)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONDONTWRITEBYTECODE", "PLANNER_DB", "PLANNER_TODAY")}
    env.update(extra)
    return env


def run(argv: Sequence[str], env: dict[str, str] | None = None) -> None:
    """Run one process to its end; a failure stops the benchmark with the process's words."""
    done = subprocess.run(argv, env=env or child_env(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(map(str, argv))} exited {done.returncode}: "
                         f"{done.stderr.decode(errors='replace').strip()[-400:]}")


def median_s(argv: Callable[[int], Sequence[str]], runs: int, *,
             env: dict[str, str] | None = None,
             before: Callable[[int], None] | None = None, warm_up: bool = True) -> float:
    """Median wall seconds of `runs` whole processes (`argv(i)` for run i), after one warm-up
    run that is not counted (unless `warm_up` is False); `before(i)` prepares run i outside
    the timing."""
    times = []
    for index in range(0 if warm_up else 1, runs + 1):
        if before is not None:
            before(index)
        started = time.perf_counter()
        run(argv(index), env)
        if index:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def planner_argv() -> list[str]:
    """The installed `planner` command next to this Python, else `python -m planner`."""
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner"]


# --- Taskwarrior ---------------------------------------------------------------------------

def ensure_taskwarrior(*, install: bool = True) -> str | None:
    """None when `task` can run, else why not; installs it with apt-get when root."""
    if shutil.which("task"):
        return None
    if not install:
        return "not installed (--no-install)"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "not installed (needs root and apt-get to install taskwarrior)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in (["apt-get", "install", "-y", "-q", "taskwarrior"], ["apt-get", "update", "-q"],
                 ["apt-get", "install", "-y", "-q", "taskwarrior"]):
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        if argv[1] == "install" and done.returncode == 0 and shutil.which("task"):
            return None
    return f"not installed (apt-get install taskwarrior failed: {done.stderr.strip()[-200:]})"


@dataclass(slots=True)
class TaskData:
    """A private Taskwarrior database: its TASKRC and the ids of the imported items by code."""

    rc: Path
    folder: Path

    def env(self) -> dict[str, str]:
        """The environment that points `task` at this database only."""
        return child_env(TASKRC=str(self.rc), TASKDATA=str(self.folder))

    def task(self, *arguments: str) -> list[str]:
        """The argv of one `task` command on this database."""
        return ["task", f"rc:{self.rc}", *arguments]


TW_STATUS = {"done": "completed", "closed": "completed", "cancelled": "deleted"}


def taskwarrior_data(database: Path, folder: Path) -> TaskData:
    """The plan's items as Taskwarrior tasks (`task import` of one JSON file), each in the
    project named by its parent's code (a root in its own), so projects mirror the tree and
    `task summary` rolls up the same hierarchy."""
    folder.mkdir(parents=True)
    data = folder / "data"
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=no\nverbose=nothing\njson.array=on\n"
                  "news.version=2.6.2\nhooks=off\n", encoding="utf-8")
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT t.id, t.code, t.title, p.code, t.due, t.status FROM task t "
            "LEFT JOIN task p ON p.id = t.parent_id WHERE t.archived = 0").fetchall()
    tasks = []
    for _, code, title, parent_code, due, status in rows:
        task = {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"planner:{code}")),
                "description": f"{code} {title}", "project": parent_code or code,
                "status": TW_STATUS.get(status, "pending"), "entry": "20210101T000000Z",
                "due": str(due).replace("-", "") + "T000000Z"}
        if task["status"] != "pending":
            task["end"] = "20230101T000000Z"
        tasks.append(task)
    source = folder / "items.json"
    source.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    store = TaskData(rc, data)
    data.mkdir()
    run(store.task("import", str(source)), store.env())
    return store


def taskwarrior_id(store: TaskData, code: str) -> str:
    """The working id Taskwarrior gives the item `code` (what a user types after `task`)."""
    item = str(uuid.uuid5(uuid.NAMESPACE_URL, f"planner:{code}"))
    done = subprocess.run(store.task("_get", f"{item}.id"), env=store.env(), capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


# --- the TUI in a real terminal ------------------------------------------------------------

class Terminal:
    """A private tmux server whose sessions are 160×45 terminals."""

    def __init__(self) -> None:
        self.socket = f"planner-bench-{os.getpid()}"
        self.tmux(["new-session", "-d", "-s", "keep", "-x", "160", "-y", "45", "sleep 3600"])

    def tmux(self, arguments: list[str]) -> str:
        """One tmux command on this server."""
        done = subprocess.run(["tmux", "-L", self.socket, *arguments], capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            raise BenchError(f"tmux {' '.join(arguments)}: {done.stderr.strip()}")
        return done.stdout

    def first_rows_s(self, argv: Sequence[str], env: dict[str, str],
                     keep_open_until: Callable[[], bool] | None = None) -> float:
        """Seconds from starting `argv` in a new terminal to item rows with their figures;
        with `keep_open_until`, the TUI is then left running until that holds (bounded)."""
        command = " ".join(f"{key}='{value}'" for key, value in env.items()
                           if key in ("PATH", "HOME", "LANG", "TZ", "VIRTUAL_ENV"))
        command = f"env -i {command} TERM=xterm-256color " + " ".join(map(str, argv))
        started = time.perf_counter()
        self.tmux(["new-session", "-d", "-s", "tui", "-x", "160", "-y", "45", command])
        try:
            while time.perf_counter() - started < TUI_TIMEOUT_S:
                screen = self.tmux(["capture-pane", "-p", "-t", "tui"])
                if any(ROLLUP_ROW.match(line) for line in screen.splitlines()):
                    elapsed = time.perf_counter() - started
                    while keep_open_until is not None and not keep_open_until() \
                            and time.perf_counter() - started < TUI_TIMEOUT_S:
                        time.sleep(0.1)
                    return elapsed
                time.sleep(0.005)
            raise BenchError(f"no rows with figures after {TUI_TIMEOUT_S:.0f} s:\n{screen}")
        finally:
            self.tmux(["kill-session", "-t", "tui"])

    def median_s(self, argv: Sequence[str], runs: int, *,
                 warm_up_until: Callable[[], bool] | None = None,
                 before: Callable[[], None] | None = None) -> float:
        """Median of `runs` starts after a warm-up start (left open until `warm_up_until`
        holds); `before` prepares each timed start, outside the timing."""
        self.first_rows_s(argv, child_env(), warm_up_until)
        times = []
        for _ in range(runs):
            if before is not None:
                before()
            times.append(self.first_rows_s(argv, child_env()))
        return statistics.median(times)

    def close(self) -> None:
        """Stop this server (only this one: it has its own socket)."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       check=False)


def rollups_stored(database: Path, today: str) -> Callable[[], bool]:
    """Whether the plan's stored rollups are current for `today` (store/rollup_cache.py)."""
    def stored() -> bool:
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT s.revision = p.revision AND s.today = ? FROM rollupstate AS s "
                "JOIN plan AS p ON p.id = s.plan_id", (today,)).fetchone()
        return bool(row and row[0])
    return stored


def forget_rollups(database: Path) -> None:
    """Make the stored rollups stale (as on the first start of a day)."""
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM rollupstate")


def key_latencies(database: Path, runs: int) -> dict[str, float]:
    """Median ms of each key of benchmarks/tui_keys.py on `database`."""
    done = subprocess.run([sys.executable, str(TUI_KEYS), str(database), "--runs", str(runs),
                           "--today", TODAY, "--json"], env=child_env(), capture_output=True,
                          text=True, check=False, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise BenchError(f"tui_keys.py exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return {key: float(value) for key, value in json.loads(done.stdout).items()}


# --- the table -----------------------------------------------------------------------------

def seconds(value: float | None) -> str:
    """0.84 s, or a dash."""
    return "—" if value is None else f"{value:.3f} s"


def verdict(ok: bool) -> str:
    """The pass/fail column."""
    return "pass" if ok else "FAIL"


def deepest_open_leaf(database: Path) -> str:
    """The code of a deepest leaf in progress (an update there refreshes the most ancestors)."""
    with sqlite3.connect(database) as connection:
        return str(connection.execute(
            "SELECT code FROM task t WHERE status = 'in_progress' AND archived = 0 AND NOT EXISTS "
            "(SELECT 1 FROM task c WHERE c.parent_id = t.id) ORDER BY length(code) - "
            "length(replace(code, '.', '')) DESC, id LIMIT 1").fetchone()[0])


def measure(args: argparse.Namespace, folder: Path) -> tuple[list[Row], list[str]]:
    """Every chosen row; also notes on what could not be measured and why."""
    wanted = [key for key in ROW_KEYS if key in (args.only or ROW_KEYS) and key not in args.skip]
    items, runs = args.items, args.runs
    planner = planner_argv()
    python_start = median_s(lambda _: [sys.executable, "-c", "pass"], runs)
    py_floor = f"{seconds(python_start)} (Python start)"
    rows: list[Row] = []
    notes: list[str] = []

    def cli(database: Path, *arguments: str) -> list[str]:
        return [*planner, "--db", str(database), "--today", TODAY, *arguments]

    def absolute(work: str, figure: float, floor: str, goal_s: float) -> None:
        rows.append(Row(work, figure, floor, f"≤ {goal_s:g} s", "—",
                        verdict(figure <= goal_s)))

    bundled = folder / "bundled.db"
    run([*planner, "--db", str(bundled), "init"])
    if "show" in wanted:
        absolute("`planner show 3.2.2`, bundled plan",
                 median_s(lambda _: cli(bundled, "show", "3.2.2"), runs), py_floor, 0.25)
    if "update" in wanted:
        absolute("`planner update 5.1.1 --progress 60`, bundled plan",
                 median_s(lambda i: cli(bundled, "update", "5.1.1", "--progress",
                                        str(60 + i % 2)), runs), py_floor, 0.25)
    if "tree" in wanted:
        absolute("`planner tree`, bundled plan", median_s(lambda _: cli(bundled, "tree"), runs),
                 py_floor, 0.3)
    terminal = None
    if {"tui", "tui-big"} & set(wanted):
        if shutil.which("tmux"):
            terminal = Terminal()
        else:
            notes.append("TUI rows: tmux not installed, so no real terminal to time them in")
    try:
        if "tui" in wanted:
            if terminal is not None:
                textual_floor = terminal.median_s([sys.executable, str(FLOORS), "textual"],
                                                  runs)
                absolute("TUI start → first rows with rollups, bundled plan (tmux)",
                         terminal.median_s(cli(bundled, "tui"), runs),
                         f"{seconds(textual_floor)} (a bare Textual app's first frame, tmux)",
                         0.6)
            else:
                rows.append(Row("TUI start → first rows with rollups, bundled plan", None,
                                py_floor, "≤ 0.6 s", "—", "not measured: tmux not installed"))
        big = folder / "big.db"
        if {"tui-big", "tui-big-cold", "tui-keys", "tree-big", "update-big", "export",
                "import"} & set(wanted):
            plan_database(big, items)
            rollup_floor = median_s(lambda _: [sys.executable, str(FLOORS), "rollup", str(big)],
                                    runs)
            read_floor = median_s(lambda _: [sys.executable, str(FLOORS), "read", str(big)],
                                  runs)
            big_floor = (f"{seconds(rollup_floor)} (read {items:,} rows "
                         f"{seconds(read_floor)} + one-pass rollup)")
        if "tui-big" in wanted:
            if terminal is not None:
                absolute(f"TUI start → first rows with rollups, {items:,} items (tmux)",
                         terminal.median_s(cli(big, "tui"), runs,
                                           warm_up_until=rollups_stored(big, TODAY)),
                         big_floor, 1.0)
            else:
                rows.append(Row(f"TUI start → first rows with rollups, {items:,} items", None,
                                big_floor, "≤ 1 s", "—", "not measured: tmux not installed"))
        if "tui-big-cold" in wanted:
            work = f"TUI first start of a day (rollups not stored yet), {items:,} items"
            if terminal is not None:
                figure = terminal.median_s(cli(big, "tui"), runs,
                                           before=lambda: forget_rollups(big))
                rows.append(Row(f"{work} (tmux)", figure, big_floor, "— (not a goal row)", "—",
                                "info"))
            else:
                rows.append(Row(work, None, big_floor, "—", "—",
                                "not measured: tmux not installed"))
        if "tui-keys" in wanted:
            keys = key_latencies(big, runs)
            slowest = max(GOAL_KEYS, key=lambda key: keys[key])
            shown = ", ".join(f"{key} {keys[key]:.0f}" for key in GOAL_KEYS)
            rows.append(Row(f"TUI keys at {items:,} items, slowest median ({slowest}); "
                            f"ms: {shown}", keys[slowest] / 1000,
                            "— (Pilot, in process)", "≤ 0.05 s", "—",
                            verdict(keys[slowest] <= 50)))
    finally:
        if terminal is not None:
            terminal.close()
    if {"tree-big", "update-big"} & set(wanted):
        missing = ensure_taskwarrior(install=args.install)
        store = small = None
        if missing is None:
            store = taskwarrior_data(big, folder / "tw-big")
            small = taskwarrior_data(bundled, folder / "tw-small")
            tw_floor = median_s(lambda _: small.task("summary"), runs, env=small.env())
            big_floor += f"; task summary, bundled plan {seconds(tw_floor)}"
        else:
            notes.append(f"Taskwarrior rows: {missing}")

        def against_taskwarrior(work: str, ours: list[str] | Callable[[int], list[str]],
                                theirs: Callable[[int], list[str]], peer_name: str) -> None:
            figure = median_s(ours if callable(ours) else lambda _: ours, runs)
            if store is None:
                rows.append(Row(work, figure, big_floor, "≤ 0.5× Taskwarrior",
                                f"Taskwarrior {missing}", "not measured: no Taskwarrior"))
                return
            peer = median_s(theirs, runs, env=store.env())
            ratio = figure / peer
            rows.append(Row(work, figure, big_floor, "≤ 0.5× Taskwarrior",
                            f"{peer_name} {seconds(peer)} → {ratio:.2f}×", verdict(ratio <= 0.5)))

        if "tree-big" in wanted:
            against_taskwarrior(f"`planner tree --depth 2`, {items:,} items",
                                cli(big, "tree", "--depth", "2"),
                                lambda _: store.task("summary") if store is not None else [],
                                "`task summary`")
        if "update-big" in wanted:
            code = deepest_open_leaf(big)
            number = taskwarrior_id(store, code) if store is not None else ""
            against_taskwarrior(
                f"`planner update {code} --progress N`, {items:,} items",
                lambda i: cli(big, "update", code, "--progress", str(10 + i % 50)),
                lambda i: store.task(number, "modify", f"priority:{'HML'[i % 3]}")
                if store is not None else [],
                f"`task {number} modify`")
    if "export" in wanted:  # issue 12 sets no goal for it: shown for what it costs
        rows.append(Row(f"`planner export` of a {items:,}-item plan to a plan file",
                        median_s(lambda _: cli(big, "export", str(folder / "export.yaml")),
                                 runs),
                        f"{seconds(read_floor)} (read {items:,} rows)", "— (not a goal row)",
                        "—", "info"))
    if "import" in wanted:
        plan_file = folder / "big.yaml"
        export = subprocess.run([*planner, "--db", str(big), "export", str(plan_file)],
                                env=child_env(), capture_output=True, text=True, check=False)
        if export.returncode != 0 or not plan_file.exists():
            raise BenchError(f"planner export failed: {export.stderr.strip()[-400:]}")
        target = folder / "imported.db"

        write_floor = median_s(lambda _: [sys.executable, str(FLOORS), "write", str(items),
                                          str(folder / "floor-write.db")], runs,
                               before=lambda _: remove(folder.glob("floor-write.db*")))
        absolute(f"`planner import` of a {items:,}-item plan file into a new database",
                 median_s(lambda _: cli(target, "import", str(plan_file)), args.import_runs,
                          before=lambda _: remove(folder.glob("imported.db*")), warm_up=False),
                 f"{seconds(write_floor)} (sqlite3 insert of {items:,} rows)", 10.0)
    if "report" in wanted:
        report_db = folder / "report.db"
        weekly_database(report_db, args.report_items, args.report_updates)
        floor = median_s(lambda _: [sys.executable, str(FLOORS), "rollup", str(report_db)], runs)
        week = f"{WEEK_START:%G-W%V}"
        absolute(f"`planner report weekly --format html`, {args.report_items:,} items, "
                 f"{args.report_updates:,} updates",
                 median_s(lambda _: [*planner, "--db", str(report_db), "--today",
                                     REPORT_TODAY.isoformat(), "report", "weekly", "--week",
                                     week, "--format", "html", "-o",
                                     str(folder / "weekly.html")], runs),
                 f"{seconds(floor)} (read + one-pass rollup)", 1.0)
        absolute(f"`planner report weekly --format docx`, {args.report_items:,} items, "
                 f"{args.report_updates:,} updates",
                 median_s(lambda _: [*planner, "--db", str(report_db), "--today",
                                     REPORT_TODAY.isoformat(), "report", "weekly", "--week",
                                     week, "--format", "docx", "-o",
                                     str(folder / "weekly.docx")], runs),
                 f"{seconds(floor)} (read + one-pass rollup)", 3.0)
    if "plans" in wanted:
        measure_plans(args, folder, runs, rows)
    if "intake" in wanted:
        document = folder / "intake.docx"
        intake_docx(document, args.intake_items)
        floor = median_s(lambda _: [sys.executable, str(FLOORS), "docx", str(document)], runs)
        absolute(f"`planner intake` of a {args.intake_items:,}-item .docx into a plan file",
                 median_s(lambda _: [*planner, "--db", str(folder / "none.db"), "intake",
                                     str(document), "-o", str(folder / "intake.yaml")], runs),
                 f"{seconds(floor)} (unzip + parse the document's XML)", 2.0)
    if "assess" in wanted:
        assess_db = folder / "assess.db"
        assessment_database(assess_db, items, args.assess_events)
        floor = median_s(lambda _: [sys.executable, str(FLOORS), "history", str(assess_db)],
                         runs)
        absolute(f"`planner assess` for a year, {items:,} items, {args.assess_events:,} events",
                 median_s(lambda _: [*planner, "--db", str(assess_db), "--today",
                                     f"{ASSESS_YEAR}-12-31", "assess", "--from",
                                     str(ASSESS_YEAR), "--to", str(ASSESS_YEAR), "-o",
                                     str(folder / "assess.txt")], runs),
                 f"{seconds(floor)} (sqlite3 fetch of the items and events)", 5.0)
    return rows, notes


def remove(paths: Iterable[Path]) -> None:
    """Delete these files (a database and its journal files)."""
    for path in paths:
        path.unlink()


def same(argv: list[str]) -> Callable[[int], list[str]]:
    """The same command line for every run."""
    return lambda _: argv


def measure_plans(args: argparse.Namespace, folder: Path, runs: int, rows: list[Row]) -> None:
    """`planner tree` of one plan and `planner plans` in a database of `--plans` plans of
    `--plan-items` items each, against the same on a database holding one such plan (both
    with current stored rollups, as after a first `tree`)."""
    planner = planner_argv()
    alone, among = folder / "one-plan.db", folder / "many-plans.db"
    plans_database(alone, 1, args.plan_items)
    plans_database(among, args.plans, args.plan_items)

    def cli(database: Path, *arguments: str) -> list[str]:
        return [*planner, "--db", str(database), "--today", PLANS_TODAY, *arguments]

    for work, arguments in (("`planner tree`", ["tree"]), ("`planner plans`", ["plans"])):
        single = median_s(same(cli(alone, *arguments)), runs)
        several = median_s(same(cli(among, "--plan", "p01", *arguments)), runs)
        rows.append(Row(f"{work}, one plan of {args.plan_items:,} items among {args.plans}",
                        several, f"{seconds(single)} (one plan alone)",
                        f"≤ {PLANS_GOAL:g}× one plan", "—", verdict(several <= PLANS_GOAL
                                                                    * single)))


def table(rows: list[Row], *, markdown: bool) -> str:
    """The rows as one Markdown table, or as aligned plain text."""
    head = ["work", "median", "floor", "goal", "Taskwarrior, same run", "result"]
    cells = [[r.work, seconds(r.figure), r.floor, r.goal, r.peer, r.verdict] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---:|---|---|---|---|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])
    widths = [max(len(row[i]) for row in [head, *cells]) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                     .rstrip() for row in [head, *cells])


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the table; 1 when a measured process failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, help="the large plan's size (default 100,000)")
    parser.add_argument("--runs", type=int, help="timed runs per row, after a warm-up (default 5)")
    parser.add_argument("--import-runs", type=int, help="timed imports (default: --runs)")
    parser.add_argument("--report-items", type=int,
                        help=f"the weekly report's plan size (default {REPORT_ITEMS:,})")
    parser.add_argument("--report-updates", type=int,
                        help=f"updates in the report's week (default {REPORT_UPDATES:,})")
    parser.add_argument("--plans", type=int, help=f"plans in the plans row (default {PLANS})")
    parser.add_argument("--plan-items", type=int,
                        help=f"items of each plan in the plans row (default {PLAN_ITEMS:,})")
    parser.add_argument("--intake-items", type=int, default=INTAKE_ITEMS,
                        help=f"items of the intake document (default {INTAKE_ITEMS})")
    parser.add_argument("--assess-events", type=int,
                        help=f"events in the assessed year (default {ASSESS_EVENTS:,})")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke test: {QUICK_ITEMS:,} items, 2 runs, a small report plan "
                        "(sizes given explicitly still apply)")
    parser.add_argument("--no-install", dest="install", action="store_false",
                        help="do not apt-get install Taskwarrior where it is missing")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--only", nargs="+", choices=ROW_KEYS, metavar="ROW",
                        help=f"measure only these rows: {', '.join(ROW_KEYS)}")
    parser.add_argument("--skip", nargs="+", choices=ROW_KEYS, default=[], metavar="ROW")
    args = parser.parse_args(argv)
    defaults = ((QUICK_ITEMS, 2, QUICK_REPORT_ITEMS, QUICK_REPORT_UPDATES, QUICK_ASSESS_EVENTS)
                if args.quick else (100_000, 5, REPORT_ITEMS, REPORT_UPDATES, ASSESS_EVENTS))
    for name, default in zip(("items", "runs", "report_items", "report_updates",
                              "assess_events"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    args.import_runs = args.import_runs or args.runs
    args.plans = args.plans or (QUICK_PLANS if args.quick else PLANS)
    args.plan_items = args.plan_items or (QUICK_PLAN_ITEMS if args.quick else PLAN_ITEMS)
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as folder:
        try:
            rows, notes = measure(args, Path(folder))
        except BenchError as exc:
            print(f"benchmark failed: {exc}", file=sys.stderr)
            return 1
    print(f"Whole processes, median of {args.runs} runs after one warm-up "
          f"({os.cpu_count()} cores, Python {sys.version.split()[0]}):")
    print()
    print(table(rows, markdown=args.markdown))
    for note in notes:
        print(f"\n{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
