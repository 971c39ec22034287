"""One clock: the front ends build a `Clock` from --today / PLANNER_TODAY and hand it down;
nothing in core, store, services or reports reads the machine's date or time for itself."""

import ast
from datetime import date, time
from pathlib import Path

import pytest

from planner.core.clock import Clock

PACKAGE = Path(__file__).resolve().parent.parent / "planner"
BELOW_FRONT_ENDS = ("core", "store", "services", "reports")
#: Functions that read the machine's clock, by the module that defines them.
CLOCK_READERS = {
    "datetime": {"now", "utcnow", "today"},
    "date": {"today"},
    "time": {"time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns",
             "localtime", "gmtime", "ctime", "strftime"},
}
#: Clock readers that convert a time they are given instead, with this many arguments
#: (`time.localtime(stamp)` reads no clock; `time.localtime()` does).
CONVERTING_WITH = {"time.localtime": 1, "time.gmtime": 1, "time.ctime": 1, "time.strftime": 2}
#: "path:function" calls allowed anyway, each with the reason on its line. Only measuring a
#: duration may be listed here, never a date or time that is recorded or compared.
ALLOWED: dict[str, str] = {}


def clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, call) of every call in `source` that reads the machine's clock: `date.today()`,
    `datetime.now()`, `time.time()` and the like, however the module or name was imported."""
    tree = ast.parse(source)
    imported: dict[str, str] = {}  # local name → "module.function" for `from m import f`
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            for alias in node.names:
                if alias.name in CLOCK_READERS[node.module]:
                    imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    found = []
    called: set[int] = set()  # ids of the name nodes called (the others are passed along)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        reader = None
        if isinstance(func, ast.Name) and func.id in imported:
            called.add(id(func))
            reader = imported[func.id]
        elif isinstance(func, ast.Attribute):
            owner = func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else \
                owner.id if isinstance(owner, ast.Name) else None
            if owner_name in CLOCK_READERS and func.attr in CLOCK_READERS[owner_name]:
                reader = f"{owner_name}.{func.attr}"
        if reader is not None and len(node.args) < CONVERTING_WITH.get(reader, 1_000):
            found.append((node.lineno, reader))
    # A reader passed as a value (`map(localtime, …)`) may be called with no time at all.
    found += [(node.lineno, imported[node.id]) for node in ast.walk(tree)
              if isinstance(node, ast.Name) and node.id in imported and id(node) not in called]
    return sorted(found)


def test_nothing_below_the_front_ends_reads_the_machine_clock() -> None:
    offenders = []
    for layer in BELOW_FRONT_ENDS:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            relative = path.relative_to(PACKAGE).as_posix()
            for line, call in clock_reads(path.read_text(encoding="utf-8")):
                if f"{relative}:{call}" not in ALLOWED:
                    offenders.append(f"planner/{relative}:{line}: {call}()")
    assert not offenders, "pass the front end's Clock (or its today/now) in instead:\n" + \
        "\n".join(offenders)


@pytest.mark.parametrize("source", [
    "from datetime import date\nx = date.today()",
    "import datetime\nx = datetime.datetime.now()",
    "from datetime import datetime, UTC\nx = datetime.now(UTC)",
    "import time\nx = time.time()",
    "from time import monotonic as tick\nx = tick()",
    "import time\nx = time.localtime()",
    "from time import localtime\nx = list(map(localtime, stamps))",
])
def test_the_scan_finds_each_way_of_reading_the_clock(source: str) -> None:
    assert len(clock_reads(source)) == 1


def test_the_scan_leaves_other_calls_alone() -> None:
    assert clock_reads("from datetime import datetime, time\n"
                       "x = datetime.combine(day, time(9))\ny = now.time()\n") == []
    assert clock_reads("from time import localtime\nx = localtime(stamp)\n") == []


def test_a_clock_dates_now_on_its_day() -> None:
    clock = Clock(date(2021, 6, 30), time_of_day=lambda: time(10, 30))
    now = clock.now()
    assert (now.date(), now.time(), now.tzinfo is not None) == (
        date(2021, 6, 30), time(10, 30), True)
