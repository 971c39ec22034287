"""The cli package's own pieces: `planner --version` and the one helper for list options."""

import os
import subprocess
import sys
import sysconfig
from importlib.metadata import version
from pathlib import Path

import pytest

from planner import __version__
from planner.cli.arguments import split_list
from planner.core.errors import PlannerError
from tests.conftest import CliResult

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "tasks.yaml"


def run_planner(*args: str, python_flags: tuple[str, ...] = (), cwd: Path = ROOT,
                extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m planner ARGS` in a subprocess."""
    env = {**os.environ, "PYTHONUTF8": "1"}
    if extra_path is not None:
        env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{extra_path}"
    return subprocess.run([sys.executable, *python_flags, "-m", "planner", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, check=False, timeout=60)


def test_version_is_the_installed_distributions() -> None:
    result = run_planner("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0, f"planner {version('planner')}\n", "")


def test_version_from_a_source_tree_that_is_not_installed(tmp_path: Path) -> None:
    """Without the distribution's metadata (a source checkout with only the dependencies
    installed) the version comes from `planner.__version__`."""
    dependencies = tmp_path / "dependencies"
    dependencies.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(("planner", "__editable__")):
            (dependencies / entry.name).symlink_to(entry)
    result = run_planner("--version", python_flags=("-S",), cwd=tmp_path,
                         extra_path=dependencies)
    assert (result.returncode, result.stdout) == (0, f"planner {__version__}\n"), result.stderr


@pytest.mark.parametrize(("text", "entries"), [
    ("amr,hhht", ("amr", "hhht")),
    (" amr ， hhht、bt ", ("amr", "hhht", "bt")),
    ("amr,,hhht,", ("amr", "hhht")),
    ("amr,hhht,amr", ("amr", "hhht")),
    ("", ()),
    (None, ()),
    (["amr,hhht", "bt", "hhht"], ("amr", "hhht", "bt")),
])
def test_split_list_accepts_every_separator_and_drops_empties_and_repeats(
        text: str | list[str] | None, entries: tuple[str, ...]) -> None:
    assert split_list(text, "--units") == entries


def test_split_list_converts_and_names_the_option_of_a_bad_entry() -> None:
    assert split_list(["4,5", "6"], "--exclude", int) == (4, 5, 6)
    with pytest.raises(PlannerError) as caught:
        split_list("4,x", "--exclude", int)
    assert caught.value.message("en") == "--exclude: not a valid entry: x"


@pytest.fixture
def db(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    """The bundled plan with one planned joint meeting."""
    path = tmp_path / "plan.db"
    for args in (("init", "--file", BUNDLED),
                 ("meeting", "new", "--date", "2021-07-15", "--title", "联席会议")):
        assert cli("--db", path, "--today", "2021-06-30", *args).code == 0
    return path


def test_list_options_take_the_same_separators_everywhere(db: Path, cli) -> None:  # type: ignore[no-untyped-def]
    def planner(*args: str) -> CliResult:
        result: CliResult = cli("--db", db, "--today", "2021-06-30", "--lang", "en", *args)
        assert result.code == 0, result.err
        return result

    assert planner("tree", "--warn", "红、yellow").out == planner("tree", "--warn",
                                                                  "red,yellow").out
    planner("meeting", "new", "--date", "2021-08-01", "--title", "x", "--units", "amr， gat")
    assert "Attending: 2 units: 自治区市场监管局（知识产权局）, 自治区公安厅\n" in planner(
        "meeting", "show", "2").out
    one_by_one = planner("agenda", "1", "--exclude", "1", "--exclude", "2").out
    planner("agenda", "1", "--include", "1,2")
    assert planner("agenda", "1", "--exclude", "1，2").out == one_by_one
    decided = planner("meeting", "decide", "1", "--text", "定", "--action", "办", "--lead", "amr",
                      "--due", "2021-12-31", "--support", "gat、fy ,gat")
    assert decided.out.endswith("action items: M.1.1\n")
    assert "Support: 自治区公安厅, 自治区高级人民法院\n" in planner("show", "M.1.1").out


def test_a_bad_list_entry_is_one_line_exit_2(db: Path, cli, db_dump) -> None:  # type: ignore[no-untyped-def]
    before = db_dump(db)
    result = cli("--db", db, "--lang", "en", "agenda", "1", "--exclude", "2,two")
    assert (result.code, result.out, result.err) == (
        2, "", "--exclude: not a valid entry: two\n")
    assert db_dump(db) == before
