"""Light commands stay light: `planner show` and `planner update` run without importing
Textual or openpyxl (each is imported inside the one command that needs it)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("textual", "openpyxl")
#: Run `planner ARGS` in this process, then report its exit status and the heavy modules
#: it loaded.
PROBE = (
    "import json, sys\n"
    "from planner.cli import main\n"
    "status = main(sys.argv[1:])\n"
    f"heavy = sorted({{name.split('.')[0] for name in sys.modules}} & set({HEAVY!r}))\n"
    "print(json.dumps([status, heavy]), file=sys.stderr)\n"
)


def heavy_imports(db: Path, *args: str) -> list[str]:
    """The heavy modules a subprocess running `planner ARGS` on `db` imported; it must
    succeed."""
    env = {**os.environ, "PLANNER_DB": str(db), "PLANNER_TODAY": "2021-06-30",
           "PYTHONUTF8": "1"}
    result = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, cwd=db.parent,
                            capture_output=True, text=True, check=False, timeout=120)
    status, heavy = json.loads(result.stderr.splitlines()[-1])
    assert status == 0, result.stderr
    return list(heavy)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "plan.db"
    subprocess.run([sys.executable, "-m", "planner", "--db", str(path), "init", "--file",
                    str(ROOT / "tasks.yaml")], check=True, capture_output=True, timeout=120)
    return path


@pytest.mark.parametrize("args", [("show", "3.1"), ("update", "5.1.4", "--note", "x")])
def test_light_commands_import_neither_textual_nor_openpyxl(db: Path, args) -> None:  # type: ignore[no-untyped-def]
    assert heavy_imports(db, *args) == []


def test_the_probe_sees_a_heavy_import(db: Path) -> None:
    """The ledger's workbook does need openpyxl: the probe would notice a light command
    that pulled it in."""
    assert heavy_imports(db, "ledger", "export", str(db.parent / "ledger.xlsx")) == ["openpyxl"]
