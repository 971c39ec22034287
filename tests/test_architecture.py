"""The arrows point one way: core is pure, and only tui/ imports Textual."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "planner"
FRONT_END_ONLY = {"textual", "rich", "argparse"}
NOT_IN_CORE = {"sqlmodel", "sqlalchemy", "textual", "rich", "argparse", "yaml", "openpyxl"}


def imported_roots(path: Path) -> set[str]:
    """Top-level names of every module a file imports."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_no_storage_ui_or_parsing_library() -> None:
    for path in (PACKAGE / "core").rglob("*.py"):
        assert not imported_roots(path) & NOT_IN_CORE, path


def test_only_front_ends_import_textual_rich_or_argparse() -> None:
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(("tui/", "cli/")):
            continue
        assert not imported_roots(path) & FRONT_END_ONLY, path


def test_core_does_not_import_the_store_or_services() -> None:
    for path in (PACKAGE / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for layer in ("planner.store", "planner.services", "planner.reports", "planner.tui"):
            assert layer not in text, (path, layer)


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
