"""A backup is input: `planner restore` copies checked rows and nothing else, and `planner
backup` never writes over the live database.

Each hostile backup is made from a real one (a real SQLite file changed with sqlite3, a real
JSON dump edited), restored over a database that already holds a plan, and must be refused
with one line naming where the problem is, exit status 2, and the target exactly as before.
"""

import gzip
import json
import math
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from planner.cli import main
from planner.services import backup
from tests.conftest import CliResult, sqlite_dump
from tests.services.test_backup import BUNDLED, TODAY, ok, seeded, table_rows

Cli = Callable[..., CliResult]
FIRST_RELEASE_DB = Path(__file__).resolve().parents[1] / "data" / "schema_0001.db"


def _quiet_cli(*args: str | Path) -> CliResult:
    return CliResult(main([str(arg) for arg in args]), "", "")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """One seeded SQLite database and its two backups (a .db file and a JSON dump)."""
    folder = tmp_path_factory.mktemp("source")
    url = seeded(_quiet_cli, f"sqlite:///{folder / 'source.db'}")
    for name in ("backup.db", "backup.json"):
        ok(_quiet_cli, url, "backup", folder / name)
    yield {"db": folder / "backup.db", "json": folder / "backup.json", "url": Path(url)}


def snapshot(url: str) -> Any:
    """Everything a restore could change: a SQLite file's whole dump (schema objects
    included), or every row of a PostgreSQL database."""
    database = make_url(url).database
    if url.startswith("sqlite"):
        assert database is not None
        return sqlite_dump(Path(database))
    return table_rows(url)


def _holding_a_plan(cli: Cli, url: str) -> str:
    ok(cli, url, "init", "--file", BUNDLED)
    ok(cli, url, "update", "5.1.4", "--status", "blocked", "--note", "另一库")
    return url


@pytest.fixture
def target(backend_url: str, cli: Cli) -> str:
    """A database on each backend already holding a plan with its own history."""
    return _holding_a_plan(cli, backend_url)


@pytest.fixture
def sqlite_target(make_database: Callable[[str], str], cli: Cli) -> str:
    """A SQLite file holding a plan: for checks made before anything is written, which do
    not depend on the backend (the SQLite-file cases below run on both)."""
    return _holding_a_plan(cli, make_database("sqlite"))


def assert_refused(cli: Cli, url: str, path: Path, *fragments: str,
                   extra: tuple[str, ...] = ("--force",)) -> None:
    """One line on stderr holding `fragments`, exit 2, nothing on stdout, the target as
    before, and the target still working."""
    before = snapshot(url)
    result = cli("--db", url, "--today", TODAY, "--lang", "en", "restore", path, *extra)
    assert (result.code, result.out) == (2, ""), result
    assert result.err.count("\n") == 1, result.err
    for fragment in (str(path), *fragments):
        assert fragment in result.err, result.err
    assert snapshot(url) == before
    assert "5.1.4" in ok(cli, url, "tree")


# --- schema objects: rows only -------------------------------------------------------------


def test_triggers_views_and_indexes_of_a_sqlite_backup_stay_out(
        source: dict[str, Path], backend_url: str, cli: Cli, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.db"
    shutil.copy(source["db"], hostile)
    with sqlite3.connect(hostile) as connection:
        connection.executescript(
            "CREATE TRIGGER evil AFTER UPDATE ON task BEGIN UPDATE task SET title = 'pwned'; "
            "END; CREATE VIEW spy AS SELECT name FROM unit; "
            "CREATE INDEX evil_idx ON task(title);")
    connection.close()
    untouched = hostile.read_bytes()
    ok(cli, backend_url, "restore", hostile)
    assert hostile.read_bytes() == untouched  # read, never written
    ok(cli, backend_url, "update", "3.1", "--progress", "30", "--note", "继续")
    titles = {row["title"] for row in table_rows(backend_url)["task"]}
    assert "pwned" not in titles and "建设中国（内蒙古）知识产权保护中心" in titles
    if backend_url.startswith("sqlite"):
        database = make_url(backend_url).database
        assert database is not None
        with sqlite3.connect(database) as connection:
            names = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        connection.close()
        assert not names & {"evil", "spy", "evil_idx"}


# --- schema stamps -------------------------------------------------------------------------


def test_a_sqlite_backup_from_a_newer_version_is_refused(
        source: dict[str, Path], target: str, cli: Cli, tmp_path: Path) -> None:
    hostile = tmp_path / "future.db"
    shutil.copy(source["db"], hostile)
    with sqlite3.connect(hostile) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.close()
    assert_refused(cli, target, hostile, "newer version of planner", "9999_future")


def test_a_json_backup_from_a_newer_version_is_refused(
        source: dict[str, Path], target: str, cli: Cli, tmp_path: Path) -> None:
    document = json.loads(source["json"].read_text(encoding="utf-8"))
    document["schema"] = "9999_future"
    hostile = tmp_path / "future.json"
    hostile.write_text(json.dumps(document), encoding="utf-8")
    assert_refused(cli, target, hostile, "newer version of planner")


def test_a_first_release_file_restores_with_the_new_columns_defaulted(
        backend_url: str, cli: Cli, tmp_path: Path) -> None:
    old = tmp_path / "office-0001.db"
    shutil.copy(FIRST_RELEASE_DB, old)
    ok(cli, backend_url, "restore", old)
    assert "已部署专项行动" in ok(cli, backend_url, "show", "5.1.4")
    [plan] = table_rows(backend_url)["plan"]
    assert len(plan["uid"]) == 32 and plan["revision"] >= 1


# --- content -------------------------------------------------------------------------------


def _task_id(document: dict[str, Any], code: str) -> int:
    tasks = _table(document, "task")
    return next(row[tasks["columns"].index("id")] for row in tasks["rows"]
                if row[tasks["columns"].index("code")] == code)


def _table(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(table for table in document["tables"] if table["name"] == name)


def _set(document: dict[str, Any], name: str, column: str, value: Any,
         match: Callable[[dict[str, Any]], bool]) -> None:
    table = _table(document, name)
    columns = table["columns"]
    rows = [row for row in table["rows"] if match(dict(zip(columns, row, strict=True)))]
    assert rows, (name, column)
    rows[0][columns.index(column)] = value


def _task(code: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: row["code"] == code


def _cycle(document: dict[str, Any]) -> None:
    _set(document, "task", "parent_id", _task_id(document, "3.1"), _task("3"))


def _second_lead(document: dict[str, Any]) -> None:
    _set(document, "taskunit", "role", "lead", lambda row: row["role"] == "support")


def _no_lead(document: dict[str, Any]) -> None:
    table = _table(document, "taskunit")
    columns = table["columns"]
    lead = next(row for row in table["rows"]
                if row[columns.index("task_id")] == _task_id(document, "3.1")
                and row[columns.index("role")] == "lead")
    table["rows"].remove(lead)


def _look_alike_id(document: dict[str, Any]) -> None:
    """A second unit whose id is the full-width form of an existing one."""
    units = _table(document, "unit")
    columns = units["columns"]
    twin = list(units["rows"][0])
    twin[columns.index("id")] = "".join(chr(ord(c) + 0xFEE0) for c in twin[columns.index("id")])
    twin[columns.index("name")] = "另一单位"
    units["rows"].append(twin)


def _look_alike_name(document: dict[str, Any]) -> None:
    """A second unit named like an existing one but for a zero-width space."""
    units = _table(document, "unit")
    twin = list(units["rows"][0])
    twin[units["columns"].index("id")] = "twin"
    twin[units["columns"].index("name")] += "\u200b"
    units["rows"].append(twin)


def _everything(_row: dict[str, Any]) -> bool:
    return True


JSON_CASES: dict[str, tuple[Callable[[dict[str, Any]], None], tuple[str, ...]]] = {
    "unknown status": (lambda d: _set(d, "task", "status", "hacked", _task("3.1")),
                       ("table task", "code=3.1", "column status", "hacked")),
    "progress 500": (lambda d: _set(d, "task", "progress", 500, _task("3.1")),
                     ("column progress", "between 0 and 100 (got 500)")),
    "progress NaN": (lambda d: _set(d, "task", "progress", math.nan, _task("3.1")),
                     ("code=3.1", "column progress", "finite")),
    "progress -1e300": (lambda d: _set(d, "task", "progress", -1e300, _task("3.1")),
                        ("column progress", "between 0 and 100")),
    "parent cycle": (_cycle, ("table task", "column parent_id", "parent cycle")),
    "missing parent": (lambda d: _set(d, "task", "parent_id", 99999, _task("3.1")),
                       ("code=3.1", "column parent_id", "refers to task 99999")),
    "due before start": (lambda d: _set(d, "task", "due", "2000-01-01", _task("3.1")),
                         ("code=3.1", "column due", "before start")),
    "not a date": (lambda d: _set(d, "task", "start", "2021-13-45", _task("3.1")),
                   ("code=3.1", "column start", "not a date")),
    "duplicate code": (lambda d: _set(d, "task", "code", "3.1", _task("3.2")),
                       ("table task", "column plan_id, code", "appears twice")),
    "unknown unit": (lambda d: _set(d, "taskunit", "unit_id", "ghost", _everything),
                     ("table taskunit", "column unit_id", "refers to unit ghost")),
    "two leads": (_second_lead, ("table task", "exactly one lead")),
    "no lead": (_no_lead, ("table task", "code=3.1", "exactly one lead unit (has 0)")),
    "unknown role": (lambda d: _set(d, "taskunit", "role", "boss", _everything),
                     ("table taskunit", "column role", "boss")),
    "orphan history": (lambda d: _set(d, "progressupdate", "task_id", 99999, _everything),
                       ("table progressupdate", "column task_id", "refers to task 99999")),
    "history status": (lambda d: _set(d, "progressupdate", "new_status", "hacked",
                                      _everything),
                       ("table progressupdate", "column new_status")),
    "reading infinite": (lambda d: _set(d, "indicatorreading", "value", math.inf,
                                        _everything),
                         ("table indicatorreading", "column value", "finite")),
    "baseline as text": (lambda d: _set(d, "indicator", "baseline", "20", _everything),
                         ("table indicator", "column baseline", "must be a number")),
    "boolean as text": (lambda d: _set(d, "task", "archived", "yes", _task("3.1")),
                        ("code=3.1", "column archived", "must be a boolean")),
    "title as number": (lambda d: _set(d, "task", "title", 123, _task("3.1")),
                        ("code=3.1", "column title", "must be text")),
    "backdated history": (lambda d: _set(d, "progressupdate", "at", "1970-01-01T00:00:00",
                                         _everything),
                          ("table progressupdate", "column at", "2000–2099")),
    "ESC in a note": (lambda d: _set(d, "progressupdate", "note", "a\x1b]0;x\x07", _everything),
                      ("table progressupdate", "column note", "U+001B at character 2")),
    "overlong title": (lambda d: _set(d, "task", "title", "长" * 20_001, _task("3.1")),
                       ("code=3.1", "column title", "too long: 20,001 characters")),
    "look-alike unit id": (_look_alike_id, ("table unit", "column id", "looks the same")),
    "look-alike unit name": (_look_alike_name, ("table unit", "column name", "looks the same")),
    "NUL in a note": (lambda d: _set(d, "progressupdate", "note", "a\x00b", _everything),
                      ("table progressupdate", "column note", "NUL")),
    "huge integer": (lambda d: _set(d, "task", "position", 10**30, _task("3.1")),
                     ("code=3.1", "column position", "out of range")),
    "two plans": (lambda d: _table(d, "plan")["rows"].append(
        [2, *_table(d, "plan")["rows"][0][1:]]), ("table plan", "column code",
                                                  "appears twice")),
}


@pytest.mark.parametrize("case", list(JSON_CASES))
def test_invalid_content_in_a_json_backup_is_refused(
        source: dict[str, Path], sqlite_target: str, cli: Cli, tmp_path: Path,
        case: str) -> None:
    change, fragments = JSON_CASES[case]
    document = json.loads(source["json"].read_text(encoding="utf-8"))
    change(document)
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert_refused(cli, sqlite_target, hostile, *fragments)


SQLITE_CASES = {
    "unknown status": ("UPDATE task SET status = 'hacked' WHERE code = '3.1'",
                       ("table task", "code=3.1", "column status")),
    "progress 500": ("UPDATE task SET progress = 500 WHERE code = '3.1'",
                     ("code=3.1", "column progress", "500")),
    "progress as text": ("UPDATE task SET progress = 'lots' WHERE code = '3.1'",
                         ("code=3.1", "column progress", "must be a number")),
    "parent cycle": ("UPDATE task SET parent_id = (SELECT id FROM task WHERE code = '3.1') "
                     "WHERE code = '3'", ("column parent_id", "parent cycle")),
    "orphan unit": ("UPDATE taskunit SET unit_id = 'ghost' WHERE rowid = (SELECT min(rowid) FROM "
                    "taskunit)",
                    ("table taskunit", "refers to unit ghost")),
}


@pytest.mark.parametrize("case", list(SQLITE_CASES))
def test_invalid_content_in_a_sqlite_backup_is_refused(
        source: dict[str, Path], target: str, cli: Cli, tmp_path: Path, case: str) -> None:
    change, fragments = SQLITE_CASES[case]
    hostile = tmp_path / "hostile.db"
    shutil.copy(source["db"], hostile)
    with sqlite3.connect(hostile) as connection:
        connection.executescript(change)
    connection.close()
    assert_refused(cli, target, hostile, *fragments)


# --- size bounds ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["gzip bomb", "plain"])
def test_a_json_dump_past_the_size_limit_is_refused(
        sqlite_target: str, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        kind: str) -> None:
    monkeypatch.setattr(backup, "MAX_JSON_BYTES", 1024 * 1024, raising=False)
    hostile = tmp_path / "bomb.json.gz"
    if kind == "gzip bomb":
        hostile.write_bytes(gzip.compress(b"\0" * 10_000_000, compresslevel=1))
    else:
        hostile.write_text('{"format": "planner-backup", "pad": "' + " " * 2_000_000 + '"}',
                           encoding="utf-8")
    assert_refused(cli, sqlite_target, hostile, "exceeds the 1 MiB limit")


def test_deeply_nested_json_is_refused(sqlite_target: str, cli: Cli, tmp_path: Path) -> None:
    hostile = tmp_path / "deep.json"
    hostile.write_text("{" + '"a":[' * 200_000, encoding="utf-8")
    assert_refused(cli, sqlite_target, hostile, "unreadable JSON")


# --- trust mode and access -----------------------------------------------------------------


def test_a_backup_without_users_over_users_needs_allow_trust_mode(
        source: dict[str, Path], target: str, cli: Cli) -> None:
    boss = f"boss_{uuid.uuid4().hex[:8]}"
    ok(cli, target, "user", "add", boss, "--coordinator")
    as_boss = ("--as", boss)
    assert_refused(cli, target, source["json"], "trust mode", "--allow-trust-mode",
                   extra=("--force", *as_boss))
    result = cli("--db", target, "--lang", "en", *as_boss, "restore", source["json"],
                 "--force", "--allow-trust-mode")
    assert result.code == 0, result.err
    assert result.err.startswith("warning:") and "trust mode" in result.err
    assert table_rows(target)["planneruser"] == []


def _login_url(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def _admin(url: str, *statements: str) -> None:
    import psycopg  # only where a PostgreSQL server runs (the fixtures skip otherwise)

    parsed = make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                         dbname=parsed.database, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]


def test_restored_users_can_log_in_with_the_right_rights_on_postgresql(
        make_database: Callable[[str], str], cli: Cli, tmp_path: Path) -> None:
    from psycopg.errors import InsufficientPrivilege

    suffix = uuid.uuid4().hex[:8]
    coordinator, clerk, former = f"coord_{suffix}", f"clerk_{suffix}", f"former_{suffix}"
    source_url = make_database("postgresql")
    ok(cli, source_url, "init", "--file", BUNDLED)
    ok(cli, source_url, "user", "add", coordinator, "--coordinator")
    ok(cli, source_url, "user", "add", clerk, "--unit", "amr")
    ok(cli, source_url, "backup", tmp_path / "users.json")
    # This server's roles differ from the backup's: the coordinator's role is in the unit
    # group, the clerk's role does not exist (a backup from another server).
    _admin(source_url, f"REVOKE planner_coordinator FROM {coordinator}",
           f"GRANT planner_unit TO {coordinator}", f"DROP ROLE {clerk}")
    # The target has a coordinator of its own, who is no user after the restore.
    target_url = make_database("postgresql")
    ok(cli, target_url, "init", "--file", BUNDLED)
    ok(cli, target_url, "user", "add", former, "--coordinator")
    ok(cli, target_url, "restore", tmp_path / "users.json", "--force")
    ok(cli, _login_url(target_url, coordinator), "meeting", "new", "--date", "2021-07-05",
       "--title", "联席会议")
    ok(cli, _login_url(target_url, clerk), "update", "3.1", "--progress", "30")
    refused = cli("--db", _login_url(target_url, clerk), "--today", TODAY, "meeting", "new",
                  "--date", "2021-07-06", "--title", "越权")
    assert refused.code == 2
    assert len(table_rows(target_url)["meeting"]) == 1
    # The former coordinator's role no longer carries the coordinators' table rights.
    with pytest.raises(InsufficientPrivilege):
        _admin(_login_url(target_url, former),
               "INSERT INTO unit (id, name, kind, position) VALUES ('zz', 'zz', 'external', 0)")


# --- backup targets ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan.db-wal", "plan.db-shm", "plan.db-journal", "plan.db",
                                  "./sub/../plan.db-wal", "link.db"])
def test_backup_over_the_live_database_or_its_journal_is_refused(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.db").symlink_to(tmp_path / "plan.db")
    url = "sqlite:///plan.db"
    ok(cli, url, "init", "--file", BUNDLED)
    before = sqlite_dump(tmp_path / "plan.db")
    result = cli("--db", url, "--lang", "en", "backup", name)
    assert (result.code, result.out) == (2, ""), result
    assert result.err.count("\n") == 1 and "live database" in result.err, result.err
    assert sqlite_dump(tmp_path / "plan.db") == before
    assert "5.1.4" in ok(cli, url, "tree")
