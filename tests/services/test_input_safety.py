"""User text at the boundary (issue 10, defects 6, 8 and the input parts of 5, 7 and 9):
one normalisation in core, applied by the services both front ends call and by the plan-file
reader; terminal output escaped; look-alike units refused. Over a real SQLite file."""

import sqlite3
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import select

from planner.core.errors import PlannerError
from planner.core.indicators import IndicatorSnapshot, Reading, share_of_way, share_text
from planner.core.text import (
    MAX_NOTE_CHARS,
    MAX_TITLE_CHARS,
    NOTE,
    TITLE,
    clean_text,
    identity_key,
    is_control,
    terminal_text,
)
from planner.core.textwidth import cell_width, fit
from planner.reports.item import indicator_line
from planner.reports.ledger import build_ledger
from planner.reports.xlsx import write_ledger_xlsx
from planner.services import edits, meetings
from planner.services.ledger import read_ledger
from planner.services.plan_file import import_plan, load_plan_file
from planner.services.plan_yaml import parse_plan
from planner.services.updates import change_due, record_reading, record_update
from planner.store.db import create_schema, make_engine, session_scope
from planner.store.models import ProgressUpdate, Unit
from tests.conftest import sqlite_dump

BUNDLED = Path(__file__).resolve().parents[2] / "tasks.yaml"
AT = datetime(2021, 6, 30, 9, 0, tzinfo=UTC)
HEAD = """plan:
  title: 试点计划
  period: {start: 2021-01-01, end: 2025-12-31}
"""
#: One of each kind of character clean_text refuses, with a short name for the test id.
REFUSED = {"nul": "\x00", "soh": "\x01", "esc": "\x1b", "del": "\x7f", "c1_csi": "\x9b",
           "nel": "\x85", "surrogate": "\ud800", "undecodable_byte": "\udce9",
           "rlo": "\u202e", "isolate": "\u2067", "nonchar": "\uffff"}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "plan.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with session_scope(engine, write=True) as session:
        import_plan(load_plan_file(BUNDLED), session=session, origin="tasks.yaml", at=AT)
    engine.dispose()
    return path


@pytest.fixture
def engine(db_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{db_path}")
    yield engine
    engine.dispose()


# --- the core function ----------------------------------------------------------------------

@pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
def test_control_characters_are_refused_naming_field_position_and_code_point(char: str) -> None:
    with pytest.raises(PlannerError) as caught:
        clean_text(f"  ab{char}c", NOTE, where="3.1")
    message = caught.value.message("en")
    assert message.startswith("3.1: the note ")
    assert "character 5" in message  # counted in the text as given, blanks included
    assert f"U+{ord(char):04X}" in message or f"0x{ord(char) - 0xDC00:02X}" in message
    assert char not in message
    zh = caught.value.message("zh")
    assert "进展说明" in zh and "第 5 个字符" in zh


def test_notes_keep_newlines_and_tabs_titles_are_one_line() -> None:
    assert clean_text(" 第一行\r\n\t第二行\r第三行 \n", NOTE) == "第一行\n\t第二行\n第三行"
    for value, fragment in (("ab\ncd", "must be one line: character 3 is a line break"),
                            ("a\tb", "must be one line: character 2 is a tab")):
        with pytest.raises(PlannerError) as caught:
            clean_text(value, TITLE)
        assert fragment in caught.value.message("en")


def test_text_is_nfc_and_trimmed_of_ideographic_spaces() -> None:
    assert clean_text("\u3000Cafe\u0301 ", TITLE) == "Café"


def test_length_limits_are_counted_after_normalisation() -> None:
    assert len(clean_text("字" * MAX_NOTE_CHARS, NOTE)) == MAX_NOTE_CHARS
    with pytest.raises(PlannerError) as caught:
        clean_text("字" * (MAX_NOTE_CHARS + 1), NOTE)
    assert caught.value.message("en") == "the note is too long: 2,001 characters (at most 2,000)"
    assert caught.value.message("zh") == "进展说明过长：2,001 个字符（最多 2,000 个）"
    with pytest.raises(PlannerError) as caught:
        clean_text("x" * (MAX_TITLE_CHARS + 1), TITLE)
    assert "(at most 500)" in caught.value.message("en")


ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=60)


@given(ANY_TEXT, st.sampled_from([NOTE, TITLE]))
def test_clean_text_refuses_or_returns_storable_text(value: str, field) -> None:  # type: ignore[no-untyped-def]
    try:
        text = clean_text(value, field)
    except PlannerError as exc:
        assert "\n" not in exc.message("en") and not any(map(is_control, exc.message("en")))
        return
    assert text == unicodedata.normalize("NFC", text) == clean_text(text, field)
    allowed = "\n\t" if field.multiline else ""
    assert not any(is_control(char) and char not in allowed for char in text)
    assert text == text.strip()


@given(ANY_TEXT, st.booleans())
def test_terminal_text_leaves_nothing_a_terminal_would_obey(value: str, multiline: bool) -> None:
    shown = terminal_text(value, multiline=multiline)
    allowed = "\n\t" if multiline else ""
    assert not any(is_control(char) and char not in allowed for char in shown)
    assert cell_width(fit(shown, 12)) == 12  # a cell measured after escaping stays aligned
    if not any(map(is_control, value)):
        assert shown == value


def test_terminal_text_shows_escapes() -> None:
    assert terminal_text("a\x1b[2Jb\u202ec\nd") == "a\\x1b[2Jb\\u202ec d"
    assert terminal_text("a\r\nb", multiline=True) == "a\\x0d\nb"


@pytest.mark.parametrize(("one", "other"), [
    ("bt", "ｂｔ"), ("包头市", "包头市 "), ("包头市", "包头市\u200b"), ("包头市", "\ufeff包头市"),
    ("呼和 浩特", "呼和\u3000\u3000浩特"), ("bt", "b\u2060t"),
])
def test_look_alikes_have_the_same_identity(one: str, other: str) -> None:
    assert identity_key(one) == identity_key(other)


@given(ANY_TEXT)
def test_identity_key_is_idempotent(value: str) -> None:
    assert identity_key(identity_key(value)) == identity_key(value)


# --- services (both front ends call these) --------------------------------------------------

def _refused_unchanged(db_path: Path, write: Callable[..., object], fragment: str) -> None:
    """`write(session)` is refused with a message containing `fragment`; nothing changed."""
    before = sqlite_dump(db_path)
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        with pytest.raises(PlannerError) as caught, session_scope(engine, write=True) as session:
            write(session)
    finally:
        engine.dispose()
    assert fragment in caught.value.message("en")
    assert sqlite_dump(db_path) == before


ON = date(2021, 7, 1)


@pytest.mark.parametrize(("write", "fragment"), [
    (lambda s: record_update(session=s, code="5.1.4", at=AT, note="进展\x01"),
     "5.1.4: the note contains a control character that is not allowed: U+0001 at character 3"),
    (lambda s: record_update(session=s, code="5.1.4", at=AT, note="a" * 10_000_000),
     "5.1.4: the note is too long: 10,000,000 characters (at most 2,000)"),
    (lambda s: record_update(session=s, code="5.1.4", at=AT, note="\udce9t\u00e9"),
     "not valid UTF-8"),
    (lambda s: change_due(session=s, code="5.1.4", new_due=date(2025, 6, 30),
                          reason="因故\x1b]0;pwned\x07", at=AT), "the reason contains"),
    (lambda s: edits.add_task(session=s, title="新事项\x1b[2J", lead="amr", at=AT),
     "the title contains a control character that is not allowed: U+001B"),
    (lambda s: edits.add_task(session=s, title="新事项", lead="amr", at=AT,
                              description="说明\x00"), "the description contains"),
    (lambda s: edits.edit_task(session=s, code="5.1.4", at=AT, title="改\u202e名"), "U+202E"),
    (lambda s: edits.edit_task(session=s, code="5.1.4", at=AT, title="x" * 501), "at most 500"),
    (lambda s: edits.set_coordination(session=s, code="5.1.4", reason="需\x85协调", at=AT),
     "the coordination reason contains"),
    (lambda s: meetings.create_meeting(session=s, on=ON, title="会议\x9b2J", today=ON, at=AT),
     "the meeting title contains"),
    (lambda s: record_reading(session=s, code="I1", value=5, on=ON, at=AT, source="统计\x1b"),
     "the reading source contains"),
    (lambda s: record_reading(session=s, code="I1", value=float("nan"), on=ON, at=AT),
     "must be a finite number"),
    (lambda s: record_reading(session=s, code="I1", value=float("-inf"), on=ON, at=AT),
     "must be a finite number"),
    (lambda s: record_reading(session=s, code="I1", value=-1e308, on=ON, at=AT), "got -1e+308"),
], ids=["note-control", "note-10MB", "note-latin1", "due-reason", "add-title", "description",
        "edit-title-bidi", "title-length", "flag-reason", "meeting-title", "reading-source",
        "reading-nan", "reading-inf", "reading-absurd"])
def test_services_refuse_bad_text_and_write_nothing(db_path: Path, write, fragment) -> None:  # type: ignore[no-untyped-def]
    _refused_unchanged(db_path, write, fragment)


def test_meeting_entries_and_decisions_refuse_control_characters(engine: Engine,
                                                                 db_path: Path) -> None:
    with session_scope(engine, write=True) as session:
        meeting_id = meetings.create_meeting(session=session, on=ON, title="联席会议", today=ON,
                                             at=AT)
    engine.dispose()
    _refused_unchanged(db_path, lambda s: meetings.add_entry(
        session=s, meeting_id=meeting_id, title="议题\x07"), "the agenda entry contains")
    _refused_unchanged(db_path, lambda s: meetings.record_decision(
        session=s, meeting_id=meeting_id, text="决定\x1b[8m", at=AT), "the decision contains")
    _refused_unchanged(db_path, lambda s: meetings.record_decision(
        session=s, meeting_id=meeting_id, text="决定", at=AT, actions=[meetings.ActionSpec(
            "交办\x00", "amr", date(2021, 12, 31))]), "action 1: the title contains")


def test_a_clean_note_is_stored_normalised(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        record_update(session=session, code="5.1.4", at=AT, note=" Cafe\u0301\r\n第二行 ")
    with session_scope(engine) as session:
        [entry] = session.exec(select(ProgressUpdate)).all()
        assert entry.note == "Café\n第二行"


def test_progress_out_of_range_reports_the_value_given(db_path: Path) -> None:
    _refused_unchanged(db_path, lambda s: record_update(session=s, code="5.1.4", at=AT,
                                                        progress=100.0000001),
                       "progress must be between 0 and 100 (got 100.0000001)")


def test_ledger_import_refuses_an_overlong_note_at_its_cell(engine: Engine, db_path: Path,
                                                            tmp_path: Path) -> None:
    """A note the unit typed into an exported ledger is checked when the ledger is read (so
    a dry run shows it), naming its cell, and nothing is applied."""
    from openpyxl import load_workbook

    path = tmp_path / "ledger.xlsx"
    with session_scope(engine) as session:
        write_ledger_xlsx(build_ledger(session=session, today=AT.date()), path, lang="zh")
    engine.dispose()
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "5.1.4")
    note_cell = row[headers.index("进展说明")]
    note_cell.value = "说" * (MAX_NOTE_CHARS + 1)
    workbook.save(path)
    before = sqlite_dump(db_path)
    with pytest.raises(PlannerError) as caught:
        read_ledger(path)
    assert caught.value.message("en") == (
        f"{path.name}:{sheet.title}!{note_cell.coordinate}: "
        "the note is too long: 2,001 characters (at most 2,000)")
    assert sqlite_dump(db_path) == before


# --- the plan file ---------------------------------------------------------------------------

def _plan_error(body: str, tmp_path: Path) -> str:
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(PlannerError) as caught:
        load_plan_file(path)
    return caught.value.message("en").removeprefix(str(tmp_path) + "/")


@pytest.mark.parametrize(("body", "expected"), [
    ('units:\n  - {id: a, name: 甲}\ntasks:\n  - {code: "1", title: "x\\ud800y", lead: a}\n',
     "plan.yaml:7:24: the title is not valid UTF-8 (character 2, U+D800, is a lone surrogate)"),
    ('units:\n  - {id: a, name: 甲}\ntasks:\n  - {code: "1", title: t, lead: a,\n'
     '     description: "a\\0b"}\n',
     "plan.yaml:8:19: the description contains a control character that is not allowed: "
     "U+0000 at character 2"),
    ('units:\n  - {id: a, name: "甲\\e[2J"}\n',
     "plan.yaml:5:19: the unit name contains a control character that is not allowed: U+001B "
     "at character 2"),
    ('units:\n  - {id: a, name: 甲}\ntasks:\n  - {code: "1", title: "a\\u202eb", lead: a}\n',
     "plan.yaml:7:24: the title contains a control character that is not allowed: U+202E at "
     "character 2"),
    ("units:\n  - {id: a, name: 甲}\ntasks:\n  - code: '1'\n    title: |\n      两行\n"
     "      标题\n    lead: a\n", "plan.yaml:8:12: the title must be one line"),
    ('units:\n  - {id: a, name: "' + "长" * 501 + '"}\n', "plan.yaml:5:19: the unit name is too "
     "long: 501 characters (at most 500)"),
    ("units:\n  - {id: bt, name: 包头市}\n  - {id: ｂｔ, name: 包头}\n",
     'plan.yaml:6:10: duplicate unit id "ｂｔ", the same as "bt" (first at '),
    ("units:\n  - {id: bt, name: 包头市}\n  - {id: bt2, name: '包头市 '}\n",
     'plan.yaml:6:21: unit name "包头市" is the same as the unit at '),
    ('units:\n  - {id: bt, name: 包头市}\n  - {id: bt2, name: "包头市\\u200b"}\n',
     'plan.yaml:6:21: unit name "包头市" is the same as the unit at '),
    ("units:\n  - {id: a, name: 甲}\nindicators:\n  - {code: I1, name: n, unit: u, "
     "baseline: -1e308}\n", "plan.yaml:7:44: baseline must be between -1e+15 and 1e+15 (got "
     "-1e308)"),
    ("units:\n  - {id: a, name: 甲}\ntasks:\n  - {code: '1', title: t, lead: a, "
     "progress: 100.0000001}\n", "(got 100.0000001)"),
], ids=["surrogate", "nul", "esc-name", "bidi", "multiline-title", "long-name", "fullwidth-id",
        "trailing-space-name", "zwsp-name", "absurd-baseline", "progress-as-given"])
def test_plan_file_refuses_bad_text_at_file_line_column(body: str, expected: str,
                                                        tmp_path: Path) -> None:
    assert expected in _plan_error(body, tmp_path)


def test_a_raw_control_character_in_the_file_is_located(tmp_path: Path) -> None:
    message = _plan_error('units:\n  - {id: a, name: "甲\x1b[2J"}\n', tmp_path)
    assert message == ("plan.yaml:5:21: the file contains a control character that is not "
                       "allowed: U+001B")


def test_unknown_keys_are_echoed_escaped(tmp_path: Path) -> None:
    message = _plan_error('units:\n  - {id: a, name: 甲, "k\\e]0;x\\a": 1}\n', tmp_path)
    assert "\x1b" not in message and "\\x1b]0;x\\x07" in message


def test_unit_references_and_stored_ids_are_normalised(tmp_path: Path) -> None:
    spec = parse_plan(HEAD + "units:\n  - {id: ｂｔ, name: ' 包头市\u200b '}\ntasks:\n"
                      "  - {code: '1', title: t, lead: ｂｔ}\n", "plan.yaml")
    assert (spec.units[0].id, spec.units[0].name, spec.tasks[0].lead) == ("bt", "包头市", "bt")


def test_import_refuses_units_that_look_like_stored_ones(db_path: Path, tmp_path: Path) -> None:
    # Old data: a full-width id stored before ids were normalised.
    with sqlite3.connect(db_path) as connection:
        connection.execute("INSERT INTO unit (id, name, kind, position) "
                           "VALUES ('ｘｙ', '旧单位', 'department', 99)")
    before = sqlite_dump(db_path)
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        for units, fragment in (
                ("  - {id: xy, name: 新单位}\n", 'unit id "xy" looks the same as the stored '
                 'unit "ｘｙ"'),
                ("  - {id: new, name: '自治区财政厅\u200b'}\n", 'unit name "自治区财政厅" is the '
                 "same as the name of unit czt")):
            path = tmp_path / "more.yaml"
            path.write_text(HEAD + "units:\n" + units, encoding="utf-8")
            with pytest.raises(PlannerError) as caught, \
                    session_scope(engine, write=True) as session:
                import_plan(load_plan_file(path), session=session, origin="more.yaml", at=AT)
            assert fragment in caught.value.message("en")
            assert caught.value.message("en").startswith(f"{path}:5:5")
    finally:
        engine.dispose()
    assert sqlite_dump(db_path) == before


def test_an_import_keeping_the_same_units_is_accepted(engine: Engine) -> None:
    with session_scope(engine, write=True) as session:
        import_plan(load_plan_file(BUNDLED), session=session, origin="tasks.yaml", at=AT)
        assert session.get(Unit, "bt") is not None


# --- readings and their share of the way -------------------------------------------------------

def test_share_of_the_way_is_never_infinite() -> None:
    assert share_text(share_of_way(0, 10, -1e308)) == "—"
    assert share_of_way(-1e308, 1e308, 1e308) is None  # inf / inf
    indicator = IndicatorSnapshot("I1", "发明专利", "件", 0, 10, "up",
                                  readings=[Reading(date(2021, 6, 1), -1e308)])
    line = indicator_line(indicator, "en")
    assert "inf" not in line and "— " not in line and line.endswith("—")


def test_indicator_line_escapes_stored_text() -> None:
    indicator = IndicatorSnapshot("I1", "专利\x1b[2J", "件", 0, 10, "up",
                                  readings=[Reading(date(2021, 6, 1), 5, "统计\x9b")])
    line = indicator_line(indicator, "zh")
    assert "\x1b" not in line and "\x9b" not in line and "50%" in line


# --- the TUI dialogs go through the same services ----------------------------------------------

@pytest.mark.parametrize(("note", "fragment"), [
    ("说" * (MAX_NOTE_CHARS + 1), "进展说明过长：2,001 个字符（最多 2,000 个）"),
    ("进展\x1b[2J", "进展说明含有不允许的控制字符 U+001B（第 3 个字符）"),
], ids=["long", "esc"])
async def test_update_dialog_refuses_bad_notes_and_saves_nothing(db_path: Path, note: str,
                                                                 fragment: str) -> None:
    from tests.tui_support import fill_and_save, go_to, make_app, settle

    before = sqlite_dump(db_path)
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        app = make_app(engine)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(app, pilot)
            await go_to(app, pilot, "5.1.4")
            await pilot.press("u")
            await fill_and_save(pilot, {"note": note})
            messages = [str(n.message) for n in app._notifications]
            assert any(fragment in m for m in messages), messages
    finally:
        engine.dispose()
    assert sqlite_dump(db_path) == before
