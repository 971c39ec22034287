"""`make bench` end to end at tiny sizes: one table, each row with a figure or the reason it
has none (four kinds of row — a bundled-plan command, a Taskwarrior comparison, an export, an
import — to keep the suite short; `make bench` runs them all)."""

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"
FIGURE = re.compile(r"^\d+\.\d{3} s$")


def test_quick_run_prints_one_row_per_measurement_with_a_figure_or_a_reason() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--markdown", "--no-install", "--runs", "1",
         "--items", "60", "--report-items", "40", "--report-updates", "8",
         "--only", "show", "tree-big", "export", "import"],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert lines[0] == ("| work | median | floor | goal | Taskwarrior, same run | result |")
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    works = [row[0] for row in rows]
    assert len(rows) == 4 and all(len(row) == 6 for row in rows), done.stdout
    for expected in ("`planner show 3.2.2`", "`planner tree --depth 2`, 60 items",
                     "`planner export` of a 60-item", "`planner import` of a 60-item"):
        assert any(work.startswith(expected) for work in works), (expected, works)
    for work, figure, floor, goal, peer, result in rows:
        info_row = result == "info"  # measured without a goal (the export)
        assert (goal == "— (not a goal row)" if info_row else goal.startswith("≤ ")) \
            and re.search(r"\d+\.\d{3} s", floor), (work, goal, floor)
        tw_row = "Taskwarrior" in goal
        if result.startswith("not measured: "):  # tmux or Taskwarrior missing, and it says so
            assert ("tmux" in result) != tw_row and (not tw_row or "not installed" in peer)
        else:
            assert result in ("pass", "FAIL", "info"), result
            assert info_row == work.startswith("`planner export`"), (work, result)
            assert FIGURE.match(figure), (work, figure)
            assert re.search(r"→ \d+\.\d\d×$", peer) if tw_row else peer == "—", peer
