"""Messages of the record-keeping services and the reports come from the catalogue: each error
below is raised by the real function on bad input and reads as Chinese in zh and with no CJK
character or full-width punctuation in en; English reports of an ASCII plan are all English."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from planner.core.errors import ConflictError, PlannerError
from planner.i18n import LABELS, Msg
from planner.services.agenda import propose_agenda
from planner.services.edits import add_task
from planner.services.ledger import apply_ledger, plan_ledger_changes, read_ledger
from planner.services.meetings import create_meeting, get_meeting
from planner.services.updates import change_due, record_update
from planner.services.users import add_user
from planner.store.db import make_engine, session_scope
from tests.conftest import CliResult
from tests.services.test_ledger import PROGRESS, Cli, db, fill_in, planner, template  # noqa: F401

NOT_ENGLISH = re.compile("[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”]")
"""CJK characters, CJK punctuation (、。「」), full-width forms (：，（）；｜) and curly quotes."""
AT = datetime(2021, 6, 30, 9, 0, tzinfo=UTC)
TODAY = date(2021, 7, 1)


def check(exc: PlannerError, key: str, zh: str, en: str) -> None:
    """`exc` carries catalogue key `key`, reads `zh` in Chinese and `en` in plain English."""
    assert exc.msg.key == key and key in LABELS
    english = exc.message("en")
    assert not NOT_ENGLISH.search(english), english
    assert zh in exc.message("zh") and en in english, (exc.message("zh"), english)


@pytest.fixture
def engine(db: Path) -> Engine:  # noqa: F811
    """The bundled plan in a SQLite file (as of 2021-07-01)."""
    return make_engine(f"sqlite:///{db}")


def test_updates_due_change_needs_a_reason(engine: Engine) -> None:
    with pytest.raises(PlannerError) as caught, session_scope(engine, write=True) as session:
        change_due(session=session, code="5.1.4", new_due=date(2022, 1, 1), reason=" ", at=AT)
    check(caught.value, "due_reason_needed", "调整截止日期必须说明原因（--reason）",
          "changing a due date needs a reason (--reason)")


def test_edits_refuse_a_code_in_use(engine: Engine) -> None:
    with pytest.raises(PlannerError) as caught, session_scope(engine, write=True) as session:
        add_task(session=session, title="another", lead="amr", at=AT, code="5.1.4")
    check(caught.value, "edit_code_taken", "编码 5.1.4 已被占用", "code 5.1.4 is already in use")


def test_users_refuse_an_invalid_name(engine: Engine) -> None:
    with pytest.raises(PlannerError) as caught, session_scope(engine, write=True) as session:
        add_user(session=session, name="1st", unit_id=None, coordinator=True, at=AT)
    check(caught.value, "user_name_invalid", "用户名“1st”无效", 'invalid user name "1st"')


def test_access_refuses_an_unregistered_user(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        add_user(session=session, name="chief", unit_id=None, coordinator=True, at=AT)
    with pytest.raises(PlannerError) as caught, session_scope(engine, write=True) as session:
        record_update(session=session, code="5.1.4", at=AT, progress=10, by_user="ghost")
    check(caught.value, "access_unknown_user", "未登记的用户“ghost”", 'unknown user "ghost"')


def test_meetings_list_the_kinds_in_the_readers_language(engine: Engine) -> None:
    with pytest.raises(PlannerError) as caught, session_scope(engine, write=True) as session:
        create_meeting(session=session, on=date(2021, 7, 20), title="joint", today=TODAY, at=AT,
                       kind="plenary")
    check(caught.value, "meeting_kind_invalid", "会议类型必须是 joint、office",
          "the kind must be one of joint, office")


def english_ledger(planner: Cli, tmp_path: Path, edits: dict[str, dict[int, object]]) -> Path:  # noqa: F811
    """A ledger exported in English (sheet "Ledger"), filled in with `edits`."""
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "filled.xlsx"
    assert planner("--lang", "en", "ledger", "export", exported).code == 0
    fill_in(exported, filled, edits)
    return filled


def test_ledger_lists_the_items_not_the_units(planner: Cli, engine: Engine,  # noqa: F811
                                              tmp_path: Path) -> None:
    filled = english_ledger(planner, tmp_path, {"3.1": {PROGRESS: 0.2}, "6.1.1": {PROGRESS: 0.5}})
    with pytest.raises(PlannerError) as caught, session_scope(engine) as session:
        plan_ledger_changes(read_ledger(filled), session=session, by_unit="gat", today=TODAY)
    check(caught.value, "ledger_not_theirs", "未应用任何变更：3.1、6.1.1",
          "nothing applied: 3.1, 6.1.1")


def test_ledger_conflict_wraps_the_update_services_message(planner: Cli, engine: Engine,  # noqa: F811
                                                           tmp_path: Path) -> None:
    filled = english_ledger(planner, tmp_path, {"6.1.1": {PROGRESS: 0.5}})
    with session_scope(engine) as session:
        changes = plan_ledger_changes(read_ledger(filled), session=session, by_unit="amr",
                                      today=TODAY)
    with session_scope(engine, write=True) as session:  # someone else, in between
        record_update(session=session, code="6.1.1", at=AT, progress=5, by_unit="hhht")
    with pytest.raises(ConflictError) as caught, session_scope(engine, write=True) as session:
        apply_ledger(changes, session=session, by_unit="amr", by_user=None, at=AT)
    exc = caught.value
    check(exc, "message", "现为未启动 5%），请刷新后再更新",
          "now not started 5%); reload and update again")
    inner = exc.msg.params["message"]
    assert isinstance(inner, Msg) and inner.key == "record_conflict"
    assert exc.message("en").startswith("filled.xlsx:Ledger!")


ASCII_PLAN = """\
plan:
  title: Test plan
  period: {start: 2021-01-01, end: 2025-12-31}
units:
  - {id: amr, name: Market Office}
  - {id: city, name: City Office, kind: league}
  - {id: port, name: Port Office, kind: league}
tasks:
  - code: "1"
    title: Protection
    lead: amr
    children:
      - code: "1.1"
        title: Centre
        support: [city, port]
        due: 2021-06-30
      - code: "1.2"
        title: Fast track
        lead: city
        due: 2021-07-10
  - code: "2"
    title: Outreach
    lead: amr
    support: [city]
    due: 2025-12-31
indicators:
  - {code: I1, name: Cycle, unit: months, baseline: 36, target: 3, direction: down, task: "1.1"}
"""


@pytest.fixture
def ascii_db(cli: Cli, tmp_path: Path) -> Callable[..., CliResult]:
    """`planner --lang en` on a plan with English names, a week of updates recorded."""
    plan, database = tmp_path / "plan.yaml", tmp_path / "plan.db"
    plan.write_text(ASCII_PLAN, encoding="utf-8")

    def run(*args: str | Path) -> CliResult:
        result: CliResult = cli("--db", database, "--today", "2021-07-02", "--lang", "en", *args)
        assert result.code == 0, result.err
        return result

    run("init", "--file", plan)
    run("update", "1.2", "--status", "in_progress", "--progress", "30", "--note", "started")
    run("update", "2", "--due", "2026-06-30", "--reason", "moved by the office")
    run("reading", "I1", "20", "--date", "2021-07-01")
    run("flag", "2", "--reason", "needs the city")
    return run


def test_english_reports_of_an_ascii_plan_are_all_english(ascii_db: Callable[..., CliResult],
                                                          tmp_path: Path) -> None:
    for fmt in ("txt", "md"):
        text = ascii_db("report", "weekly", "--format", fmt).out
        assert "Market Office" in text and "Updates this week: 1" in text
        assert not NOT_ENGLISH.search(text), NOT_ENGLISH.findall(text)
    ledger, weekly = tmp_path / "ledger.xlsx", tmp_path / "weekly.xlsx"
    ascii_db("ledger", "export", ledger)
    ascii_db("report", "weekly", "-o", weekly)
    for path in (ledger, weekly):
        for sheet in load_workbook(path).worksheets:
            cells = [str(cell.value) for row in sheet.iter_rows() for cell in row
                     if cell.value is not None]
            assert cells and not NOT_ENGLISH.search(" ".join(cells)), (path.name, sheet.title)
    assert "City Office, Port Office" in [cell.value for cell in load_workbook(ledger).active[3]]


def test_an_english_agenda_proposal_is_all_english(ascii_db: Callable[..., CliResult],
                                                   tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    with session_scope(engine, write=True) as session:
        meeting_id = create_meeting(session=session, on=date(2021, 7, 5), title="Joint meeting",
                                    today=TODAY, at=AT)
        meeting = get_meeting(meeting_id, session=session)
        entries = propose_agenda(session=session, meeting=meeting, today=TODAY, lang="en")
    assert {entry.section for entry in entries} >= {"coordination", "red", "deadlines"}
    text = "\n".join(f"{entry.title}\n{entry.detail}" for entry in entries)
    assert "Reason: needs the city; units to agree: Market Office, City Office" in text
    assert not NOT_ENGLISH.search(text), NOT_ENGLISH.findall(text)
