"""The real `planner` command on hostile command-line text and on hostile text already in the
database (issue 10, defects 5, 6, 8 and 9): bad input is one line on stderr, exit status 2
and the database as it was; stored control characters never reach the terminal raw."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import sqlite_dump

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "tasks.yaml"
TODAY = "2021-06-30"
#: What a terminal would obey: ESC, BEL, CSI (C1), the bidi override, a lone CR.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\r")
HOSTILE = "标题\x1b[2J\x1b]0;pwned\x07\x9b31m\u202e"


def planner(db: Path, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m planner` on `db` (arguments may be raw bytes) and capture its output."""
    env = {**os.environ, "PLANNER_DB": str(db), "PLANNER_TODAY": TODAY, "PLANNER_LANG": "en",
           "LC_ALL": "C.UTF-8", "PYTHONUTF8": "1", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True,
                          env=env, cwd=db.parent, check=False, timeout=120)


def one_line_refusal(result: subprocess.CompletedProcess[bytes], fragment: str) -> None:
    """Exit status 2, nothing on stdout, one line on stderr containing `fragment`."""
    err = result.stderr.decode()
    assert (result.returncode, result.stdout, len(err.splitlines())) == (2, b"", 1), err
    assert fragment in err, err


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database from the bundled plan, made once; each test works on a copy."""
    path = tmp_path_factory.mktemp("seed") / "plan.db"
    assert planner(path, "init", "--file", str(BUNDLED)).returncode == 0
    return path


@pytest.fixture
def db(seeded: Path, tmp_path: Path) -> Path:
    path = tmp_path / "plan.db"
    path.write_bytes(seeded.read_bytes())
    return path


@pytest.mark.parametrize(("args", "fragment"), [
    ((b"--note", b"caf\xe9 \xb0C"), "the note (--note) is not valid UTF-8 (character 4 is the "
     "undecodable byte 0xE9)"),
    (("--note", "进展\x1b[2J"), "5.1.4: the note contains a control character that is not "
     "allowed: U+001B at character 3"),
    (("--note", "x" * 2001), "5.1.4: the note is too long: 2,001 characters (at most 2,000)"),
    (("--progress", "100.0000001"), "5.1.4: progress must be between 0 and 100 (got "
     "100.0000001)"),
    (("--due", "2025-06-30", "--reason", "因故\u202e"), "5.1.4: the reason contains a control "
     "character that is not allowed: U+202E"),
], ids=["latin1-note", "esc-note", "long-note", "progress-as-given", "bidi-reason"])
def test_bad_update_text_is_one_line_exit_2_and_changes_nothing(db: Path, args, fragment) -> None:  # type: ignore[no-untyped-def]
    before = sqlite_dump(db)
    one_line_refusal(planner(db, "update", "5.1.4", *args), fragment)
    assert sqlite_dump(db) == before


def test_a_latin1_code_is_one_line(db: Path) -> None:
    one_line_refusal(planner(db, "show", b"5.1.\xe9"), "the code is not valid UTF-8")


def test_an_echoed_argument_cannot_drive_the_terminal(db: Path) -> None:
    """An error line repeating what was typed shows its control characters as escapes."""
    result = planner(db, "update", "5.1.4", "--note", "x", "--by", "\x1b]0;pwned\x07bt")
    one_line_refusal(result, 'unknown unit "\\x1b]0;pwned\\x07bt"')
    assert b"\x1b" not in result.stderr


def test_a_latin1_argument_of_any_command_names_its_option(db: Path) -> None:
    one_line_refusal(planner(db, "flag", "5.1.4", "--reason", b"\xe9t\xe9"),
                     "the reason (--reason) is not valid UTF-8")


@pytest.mark.parametrize(("args", "fragment"), [
    (("--as", "ev\x1b]0;PWN\x07il"), "the user name (--as) contains a control character"),
    (("--as", "u" * 65), "the user name (--as) is too long"),
    (("--today", "2150-01-01"), "--today/PLANNER_TODAY: the date must fall in 2000–2099"),
], ids=["as-control", "as-long", "today-far"])
def test_who_and_when_are_checked_before_they_are_recorded(db: Path, args, fragment) -> None:  # type: ignore[no-untyped-def]
    """`--as` and `--today` end up in history: they pass the same checks as any text."""
    before = sqlite_dump(db)
    one_line_refusal(planner(db, *args, "update", "5.1.4", "--note", "x"), fragment)
    assert sqlite_dump(db) == before


def test_a_note_may_begin_with_a_dash(db: Path) -> None:
    result = planner(db, "update", "5.1.4", "--note", "-x 已落实", "--by", "amr")
    assert result.returncode == 0, result.stderr.decode()
    with sqlite3.connect(db) as connection:
        [(note,)] = connection.execute("SELECT note FROM progressupdate").fetchall()
    assert note == "-x 已落实"
    # A forgotten value is still reported, not taken for a note.
    before = sqlite_dump(db)
    result = planner(db, "update", "5.1.4", "--note", "--status", "done")
    assert result.returncode == 2 and b"--note: expected one argument" in result.stderr
    assert sqlite_dump(db) == before
    assert planner(db, "flag", "5.1.4", "--reason", "-资金未到位").returncode == 0


@pytest.mark.parametrize(("value", "fragment"), [
    ("nan", "the reading must be a finite number"), ("-1e308", "(got -1e+308)"),
])
def test_absurd_readings_are_refused(db: Path, value: str, fragment: str) -> None:
    before = sqlite_dump(db)
    one_line_refusal(planner(db, "reading", "I1", "--", value), fragment)
    assert sqlite_dump(db) == before


def test_a_stored_absurd_reading_shows_no_infinite_share(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO indicatorreading (indicator_id, \"on\", value, "
                           "recorded_at) SELECT id, '2021-06-01', -1e308, '2021-06-01 00:00:00' "
                           "FROM indicator WHERE code = 'I1'")
    listed = planner(db, "indicators")
    assert listed.returncode == 0 and b"inf" not in listed.stdout
    assert b"-1e+308" in listed.stdout


def test_stored_control_characters_never_reach_the_terminal(db: Path) -> None:
    """Data written before input was checked (simulated with direct SQL) is shown escaped."""
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO progressupdate (task_id, at, by_unit, old_status, "
                           "new_status, old_progress, new_progress, note) SELECT id, "
                           "'2021-06-29 09:00:00', 'amr', status, status, progress, progress, "
                           "'报送' FROM task WHERE code = '5.1.4'")
        connection.execute("UPDATE task SET title = ?, description = ?, source = ?, "
                           "needs_coordination = 1, coordination_reason = ? WHERE code = '5.1.4'",
                           (HOSTILE, "说明\x1bc", "原文\x9b2J", "原因\x1b[5m"))
        connection.execute("UPDATE progressupdate SET note = ?, by_user = ?",
                           ("进展\x1b[2J第二行\n\x1b]0;x\x07", "li\x1b[8m"))
        connection.execute("UPDATE unit SET name = ? WHERE id = 'amr'", ("局\x1b[31m",))
        connection.execute("UPDATE plan SET title = ?", ("计划\x1b]2;owned\x07",))
        connection.execute("UPDATE indicator SET name = ? WHERE code = 'I1'", ("指标\x1b[2J",))
    outputs = {
        "show": planner(db, "show", "5.1.4"),
        "tree": planner(db, "tree"),
        "weekly": planner(db, "report", "weekly", "--format", "txt"),
        "indicators": planner(db, "indicators"),
        "weekly-md": planner(db, "report", "weekly", "--format", "md"),
        "weekly-html": planner(db, "report", "weekly", "--format", "html"),
    }
    assert planner(db, "meeting", "new", "--date", "2021-07-20", "--title", "联席会议"
                   ).returncode == 0
    for fmt in ("txt", "md", "html"):  # the flagged item's title and reason are on the agenda
        outputs[f"agenda-{fmt}"] = planner(db, "agenda", "--format", fmt)
    for name, result in outputs.items():
        out = result.stdout.decode()
        assert result.returncode == 0, (name, result.stderr.decode())
        assert not any(char in out for char in RAW), (name, out)
        assert "\\x1b[" in out or "\\x1b]" in out, name  # shown, not hidden
    shown = outputs["show"].stdout.decode()
    assert "标题\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202e" in shown
    assert "进展\\x1b[2J第二行\n" in shown  # a note keeps its line break


def test_tree_columns_stay_aligned_around_escaped_titles(db: Path) -> None:
    from planner.core.textwidth import cell_width

    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE task SET title = ? WHERE code = '5.1.4'", ("短\x1b[2J",))
    lines = planner(db, "tree", "5").stdout.decode().splitlines()
    rows = [line for line in lines if line.split()[:1] in (["5.1.3"], ["5.1.4"])]
    due_columns = {cell_width(line[:re.search(r"\d{4}-\d\d-\d\d", line).start()])  # type: ignore[union-attr]
                   for line in rows}
    assert len(rows) == 2 and len(due_columns) == 1, rows


def test_plan_file_with_nul_or_surrogate_is_refused_by_validate_and_import(db: Path) -> None:
    for escape, commands in (("\\0", ("validate",)), ("\\ud800", ("validate", "import"))):
        plan = db.parent / "bad.yaml"
        plan.write_text("plan:\n  title: 计划\n  period: {start: 2021-01-01, end: 2025-12-31}\n"
                        "units:\n  - {id: amr, name: 自治区市场监管局（知识产权局）}\n"
                        f'tasks:\n  - {{code: "9", title: "坏{escape}标题", lead: amr}}\n',
                        encoding="utf-8")
        before = sqlite_dump(db)
        for command in commands:
            one_line_refusal(planner(db, command, str(plan)), f"{plan}:7:24: the title ")
        assert sqlite_dump(db) == before


def test_look_alike_units_cannot_coexist(db: Path) -> None:
    plan = db.parent / "more.yaml"
    head = "plan:\n  title: 计划\n  period: {start: 2021-01-01, end: 2025-12-31}\nunits:\n"
    plan.write_text(head + "  - {id: ｂｔ, name: 包头市}\n", encoding="utf-8")
    assert planner(db, "import", str(plan)).returncode == 0
    with sqlite3.connect(db) as connection:
        ids = [unit_id for (unit_id,) in connection.execute("SELECT id FROM unit")]
    assert "bt" in ids and "ｂｔ" not in ids  # the full-width id is the same unit
    plan.write_text(head + "  - {id: bt2, name: '包头市 \u200b'}\n", encoding="utf-8")
    before = sqlite_dump(db)
    one_line_refusal(planner(db, "import", str(plan)), f'{plan}:5:5: unit name "包头市" is the '
                     "same as the name of unit bt")
    assert sqlite_dump(db) == before
