"""The arrows point one way: the import-linter contracts in pyproject.toml (layers, no cycles,
no Textual/argparse/openpyxl below the front ends) hold, and light commands stay light."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planner"
HEAVY = ("textual", "openpyxl")
#: What `planner show`, `update` and `tree` on a SQLite file at the current schema do without
#: (issue 12): the ORM and SQLAlchemy itself (store/dbapi.py reads and writes on sqlite3),
#: Alembic (the schema version is compared with store/dbapi.SCHEMA_HEAD), the TUI and its
#: renderer, the workbook and YAML libraries, and the date libraries only some dates need.
HOT_PATH_FREE = ("sqlalchemy", "sqlmodel", "pydantic", "alembic", "textual", "rich",
                 "openpyxl", "yaml", "dateutil", "chinese_calendar", "psycopg")


def test_import_contracts_are_kept() -> None:
    """`lint-imports` checks every contract in pyproject.toml; its report is the message."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--no-logo"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_core_loads_neither_sqlmodel_nor_textual() -> None:
    modules = sorted(p.stem for p in (PACKAGE / "core").glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import planner.core.{name}\n" for name in modules)
        + "bad = [m for m in ('sqlmodel', 'sqlalchemy', 'textual', 'rich') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_non_tui_modules_do_not_load_textual() -> None:
    modules = sorted(
        "planner." + p.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        for p in PACKAGE.rglob("*.py")
        if not p.relative_to(PACKAGE).as_posix().startswith(("tui/", "migrations/"))
        and p.stem != "__main__"
    )
    code = (
        "import importlib, sys\n"
        + "".join(f"importlib.import_module({name!r})\n" for name in modules)
        + "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_planner_update_does_not_pay_for_heavy_imports() -> None:
    code = (
        "import sys\n"
        "from planner import cli\n"
        "assert not {'textual', 'openpyxl', 'sqlmodel'} & set(sys.modules), sys.modules.keys()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def loaded_modules(*args: str) -> set[str]:
    """Every module a real `python -m planner ARGS` run imports (from -X importtime)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "planner", *args],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:") and line.count("|") == 2}


@pytest.mark.parametrize("command", [("show", "1.1.1"),
                                     ("update", "1.1.1", "--progress", "30", "--by", "amr")])
def test_show_and_update_import_neither_textual_nor_openpyxl(
        command: tuple[str, ...], tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    database = tmp_path / "plan.db"
    assert cli("--db", database, "init", "--file", ROOT / "tasks.yaml").code == 0
    modules = loaded_modules("--db", str(database), *command)
    assert "planner.store.db" in modules  # the run did reach the database
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, heavy


@pytest.mark.parametrize("command", [("show", "3.2.2"), ("show", "3"),
                                     ("update", "5.1.1", "--progress", "60"),
                                     ("update", "3.2.2", "--due", "2026-06-30", "--reason", "x"),
                                     ("tree",), ("tree", "--depth", "2")])
def test_hot_commands_load_no_orm_sqlalchemy_alembic_or_ui(
        command: tuple[str, ...], tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """`show`, `update` and `tree` pay only for what they use: on a SQLite file at the
    current schema they run on sqlite3 alone."""
    database = tmp_path / "plan.db"
    assert cli("--db", database, "init", "--file", ROOT / "tasks.yaml").code == 0
    modules = loaded_modules("--db", str(database), "--today", "2021-07-01", *command)
    assert "planner.store.dbapi" in modules  # the run did reach the database
    heavy = sorted(m for m in modules if m.split(".")[0] in HOT_PATH_FREE)
    assert not heavy, heavy


def test_export_loads_no_orm_sqlalchemy_alembic_or_ui(
        tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """`planner export` of a SQLite file reads it on sqlite3 alone and writes the plan
    file without the ORM."""
    database = tmp_path / "plan.db"
    assert cli("--db", database, "init", "--file", ROOT / "tasks.yaml").code == 0
    modules = loaded_modules("--db", str(database), "export", str(tmp_path / "out.yaml"))
    assert "planner.store.plan_file_reads" in modules  # the run did reach the database
    heavy = sorted(m for m in modules if m.split(".")[0] in HOT_PATH_FREE and m != "yaml"
                   and not m.startswith("yaml."))
    assert not heavy, heavy


@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_weekly_text_layouts_load_no_office_module(
        fmt: str, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """The weekly report as txt, md or html imports neither the office layout nor
    python-docx (its heading numbers and dates come from reports/numbering.py)."""
    database = tmp_path / "plan.db"
    assert cli("--db", database, "init", "--file", ROOT / "tasks.yaml").code == 0
    modules = loaded_modules("--db", str(database), "--today", "2021-07-01", "report",
                             "weekly", "--format", fmt, "-o", str(tmp_path / f"w.{fmt}"))
    assert "planner.reports.weekly_paper" in modules  # the run did lay the paper out
    assert not {"planner.reports.officedoc", "docx"} & modules


def test_tui_gateway_loads_no_textual() -> None:
    """The gateway is the TUI's plain adapter over services and reports: usable without a UI."""
    code = ("import sys\nimport planner.tui.gateway\n"
            "assert not {'textual', 'rich'} & {m.split('.')[0] for m in sys.modules}\n")
    subprocess.run([sys.executable, "-c", code], check=True)
