"""The ledger (台账) workbook: export, the weekly xlsx, and reading back what a unit filled in."""

import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.errors import ConflictError
from planner.core.rollup import Colour
from planner.core.textwidth import cell_width
from planner.reports.xlsx import FILL
from planner.services.ledger import apply_ledger, plan_ledger_changes, read_ledger
from planner.services.updates import record_update
from planner.store.db import make_engine, session_scope
from planner.store.ledger_queries import latest_notes
from planner.store.queries import get_task
from tests.conftest import CliResult
from tests.tui_support import BUNDLED, seeded_engine

HEADERS_ZH = ["编码", "事项", "类别", "牵头单位", "配合单位", "开始日期", "截止日期", "状态",
              "进度", "序时进度", "预警", "进展说明", "说明日期"]
HEADERS_EN = ["Code", "Item", "Kind", "Lead", "Support", "Start", "Due", "Status", "Progress",
              "Expected", "Warning", "Note", "Note date"]
ITEMS = 78
STATUS, PROGRESS, NOTE = 8, 9, 12
"""Columns (1-based) a unit fills in: H, I and L."""

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled plan in a SQLite file, built once and copied for each test."""
    path = tmp_path_factory.mktemp("ledger") / "template.db"
    seeded_engine(path).dispose()
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "plan.db"
    shutil.copy(template, path)
    return path


@pytest.fixture
def planner(cli: Cli, db: Path) -> Cli:
    """`planner` on the test database, on 2021-06-30 unless --today is given again."""
    return lambda *args: cli("--db", db, "--today", "2021-06-30", "--as", "tester", *args)


def rows_by_code(sheet: Worksheet) -> dict[str, int]:
    return {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}


def history(db: Path) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(
            "SELECT t.code, p.by_unit, p.by_user, p.old_status, p.new_status, p.old_progress, "
            "p.new_progress, p.note FROM progressupdate p JOIN task t ON t.id = p.task_id "
            "ORDER BY p.id").fetchall()
    finally:
        connection.close()


def task_state(db: Path, code: str) -> tuple:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT status, progress FROM task WHERE code = ?",
                                  (code,)).fetchone()
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------
# Export


def test_ledger_export_cells_styles_and_layout(planner: Cli, tmp_path: Path) -> None:
    assert planner("update", "5.1.4", "--status", "推进中", "--progress", "30", "--by", "amr",
                   "--note", "已部署专项行动").code == 0
    assert planner("--today", "2021-12-20", "update", "1.2.1", "--status", "推进中",
                   "--progress", "95", "--note", "  ").code == 0
    out = tmp_path / "ledger.xlsx"
    result = planner("--today", "2021-12-20", "ledger", "export", out)
    assert result.code == 0 and f"{ITEMS} 项" in result.out
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["台账", "planner_plan"]  # the plan identity, very hidden
    assert workbook["planner_plan"].sheet_state == "veryHidden"
    sheet = workbook["台账"]
    assert [c.value for c in sheet[1]][:13] == HEADERS_ZH
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{ITEMS + 1}"
    assert sheet.max_row == ITEMS + 1
    rows = rows_by_code(sheet)
    assert list(rows)[:3] == ["1", "1.1", "1.1.1"]  # tree order, parents first

    leaf = [c for c in sheet[rows["5.1.4"]]]
    assert [c.value for c in leaf[:5]] == [
        "5.1.4", "打击商标恶意抢注行为专项行动", "具体事项", "自治区市场监管局（知识产权局）", None]
    assert leaf[5].value == datetime(2021, 1, 1) and leaf[5].is_date
    assert leaf[6].value == datetime(2025, 12, 31) and leaf[6].number_format == "yyyy-mm-dd"
    assert leaf[7].value == "推进中"
    assert leaf[8].value == pytest.approx(0.3) and leaf[8].number_format == "0%"
    assert 0 < leaf[9].value < 1 and leaf[9].number_format == "0%"
    assert leaf[11].value == "已部署专项行动"
    assert leaf[12].value == datetime(2021, 6, 30)
    assert leaf[1].alignment.wrap_text and leaf[1].alignment.indent == 2
    assert sheet.cell(rows["1.2.1"], NOTE).value is None  # a blank note is no note

    parent = sheet[rows["5.1"]]
    assert parent[2].value == "汇总" and parent[7].value is None and parent[0].font.bold
    assert parent[8].value == pytest.approx(0.06)  # 30% over five equal items
    assert sheet.cell(rows["1.2.2"], 5).value.startswith("呼和浩特市、包头市、")

    warnings = {code: sheet.cell(rows[code], 11) for code in
                ("7.2.1@2021-04-20", "1.2.2", "1.2.1", "4.1.1", "7")}
    expected = {"7.2.1@2021-04-20": ("▲红", FILL[Colour.RED]),
                "1.2.2": ("◆黄", "FFEB9C"), "1.2.1": ("●蓝", "BDD7EE"),
                "4.1.1": ("○绿", "C6EFCE"), "7": ("▲红", "FFC7CE")}
    for code, (label, fill) in expected.items():
        cell = warnings[code]
        assert cell.value == label, code
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith(fill), code
    assert sheet.cell(rows["5.1.4"], 1).fill.fill_type is None

    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLM"}
    longest_code = max(cell_width(code) for code in rows)
    assert widths["A"] == longest_code + 2
    assert widths["D"] == 24 + 2  # the lead's 15 Chinese characters count 30, capped at 24
    assert widths["F"] == widths["G"] == 10 + 2
    assert widths["B"] == 50 + 2 and widths["L"] >= 30
    assert all(sheet.column_dimensions[letter].hidden for letter in "NOPQ")
    assert not sheet.column_dimensions["B"].hidden
    [choices] = sheet.data_validations.dataValidation
    assert str(choices.sqref) == f"H2:H{ITEMS + 1}" and "推进中" in choices.formula1


def test_ledger_export_in_english(planner: Cli, tmp_path: Path) -> None:
    planner("update", "5.1.4", "--status", "in_progress", "--progress", "30")
    out = tmp_path / "ledger-en.xlsx"
    assert planner("--lang", "en", "ledger", "export", out).code == 0
    sheet = load_workbook(out)["Ledger"]
    assert [c.value for c in sheet[1]][:13] == HEADERS_EN
    rows = rows_by_code(sheet)
    assert sheet.cell(rows["5.1.4"], 3).value == "item"
    assert sheet.cell(rows["5.1"], 3).value == "summary"
    assert sheet.cell(rows["5.1.4"], STATUS).value == "in progress"
    assert sheet.cell(rows["7.2.1@2021-04-20"], 11).value == "▲red"


def test_weekly_xlsx_has_the_ledger_and_the_weeks_updates(planner: Cli, tmp_path: Path) -> None:
    planner("--today", "2021-06-25", "update", "3.1", "--status", "推进中", "--progress", "10",
            "--by", "amr", "--note", "上周的")
    planner("--today", "2021-06-29", "update", "5.1.4", "--status", "in_progress", "--progress",
            "30", "--by", "hhht", "--note", "已部署专项行动")
    planner("--today", "2021-06-30", "update", "4.1.2", "--status", "done", "--by", "amr")
    out = tmp_path / "w.xlsx"
    result = planner("--today", "2021-07-02", "report", "weekly", "--format", "xlsx", "-o", out)
    assert result.code == 0, result.err
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["台账", "本周进展"]
    assert workbook["台账"].max_row == ITEMS + 1
    sheet = workbook["本周进展"]
    assert [c.value for c in sheet[1]] == ["日期", "工作领域", "编码", "事项", "报送单位", "原状态",
                                          "新状态", "原进度", "新进度", "进展说明"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J3"
    lines = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [line[2] for line in lines] == ["4.1.2", "5.1.4"]  # by area; 3.1 was last week
    done, started = lines
    assert done[0] == datetime(2021, 6, 30) and done[1].startswith("4 ")
    assert done[5:9] == ["未启动", "已完成", 0, 1]
    assert started[4] == "呼和浩特市" and started[9] == "已部署专项行动"
    assert started[7:9] == [0, pytest.approx(0.3)]
    assert sheet.cell(3, 9).number_format == "0%" and sheet.cell(3, 1).is_date
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width

    out_en = tmp_path / "w-en.xlsx"
    assert planner("--lang", "en", "--today", "2021-07-02", "report", "weekly", "-o",
                   out_en).code == 0
    workbook = load_workbook(out_en)
    assert workbook.sheetnames == ["Ledger", "Updates"]
    assert workbook["Updates"]["F3"].value == "not started"


# ---------------------------------------------------------------------------------------------
# Import


def fill_in(source: Path, target: Path, edits: dict[str, dict[int, object]],
            extra_rows: list[list[object]] = ()) -> dict[str, int]:
    """Write `target` as a unit would: `source` with some cells changed (by code, column)."""
    workbook = load_workbook(source)
    sheet = workbook.worksheets[0]
    rows = rows_by_code(sheet)
    for code, cells in edits.items():
        for column, value in cells.items():
            sheet.cell(rows[code], column).value = value
    for values in extra_rows:
        sheet.append(values)
    workbook.save(target)
    return rows


def test_round_trip_dry_run_apply_and_reimport(planner: Cli, db: Path, tmp_path: Path,
                                               db_dump) -> None:
    planner("update", "5.1.4", "--status", "推进中", "--progress", "30", "--note", "已部署")
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "filled.xlsx"
    assert planner("ledger", "export", exported).code == 0
    fill_in(exported, filled, {
        "3.1": {STATUS: "推进中", PROGRESS: 0.45, NOTE: "选址完成"},
        "5.1.4": {STATUS: "done", NOTE: "行动收官"},       # progress left at 30% → 100%
        "6.1.1": {PROGRESS: "20%"},                        # typed as text
        "6.1.2": {NOTE: "已召开座谈会"},                    # a note alone
        "1.1.1": {STATUS: "未启动"},                        # unchanged
    })
    before = db_dump(db)

    dry = planner("ledger", "import", filled, "--by", "amr")
    assert dry.code == 0, dry.err
    lines = dry.out.splitlines()
    assert lines[:4] == [
        "3.1 建设中国（内蒙古）知识…：未启动→推进中 0%→45% 「选址完成」",
        "5.1.4 打击商标恶意抢注行为专…：推进中→已完成 30%→100% 「行动收官」",
        "6.1.1 出台重点支持专利数量质…：0%→20%",
        "6.1.2 选定高价值专利企业和单…：「已召开座谈会」",
    ]
    assert "4 项将变更" in lines[4]
    assert db_dump(db) == before

    applied = planner("ledger", "import", filled, "--by", "amr", "--apply")
    assert applied.code == 0, applied.err
    assert "已应用 4 项变更" in applied.out
    entries = history(db)[1:]
    assert entries == [
        ("3.1", "amr", "tester", "not_started", "in_progress", 0, 45, "选址完成"),
        ("5.1.4", "amr", "tester", "in_progress", "done", 30, 100, "行动收官"),
        ("6.1.1", "amr", "tester", "not_started", "not_started", 0, 20, None),
        ("6.1.2", "amr", "tester", "not_started", "not_started", 0, 0, "已召开座谈会"),
    ]
    assert task_state(db, "3.1") == ("in_progress", 45)
    assert task_state(db, "5.1.4") == ("done", 100)

    again = planner("ledger", "import", filled, "--by", "amr", "--apply")
    assert again.code == 0 and again.out.startswith("已应用 0 项变更")
    assert len(history(db)) == 5
    fresh = tmp_path / "fresh.xlsx"
    planner("ledger", "export", fresh)
    assert planner("ledger", "import", fresh).out.startswith("试运行：0 项将变更")
    assert planner("--lang", "en", "ledger", "import", fresh).out.startswith("dry run: 0 changes")


def test_reading_english_headers_and_statuses(planner: Cli, db: Path, tmp_path: Path) -> None:
    exported, filled = tmp_path / "en.xlsx", tmp_path / "en-filled.xlsx"
    planner("--lang", "en", "ledger", "export", exported)
    fill_in(exported, filled, {"3.1": {STATUS: "in progress", PROGRESS: 0.1, NOTE: "begun"}})
    result = planner("--lang", "en", "ledger", "import", filled, "--by", "amr", "--apply")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0].endswith(': not started→in progress 0%→10% "begun"')
    assert task_state(db, "3.1") == ("in_progress", 10)


def test_a_plain_sheet_without_the_export_columns(db: Path, tmp_path: Path, cli: Cli) -> None:
    """A hand-made sheet: columns found by header wherever they are, compared with the database."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "填报"
    sheet.append(["说明：各单位填报"])
    sheet.append(["序号", "进度", "编码", "状态", "进展说明"])
    sheet.append([1, 30, "3.1", "推进中", None])
    sheet.append([2, 0, "3.2.1", "未启动", "  "])  # the same as the database: no change
    sheet.append([3, None, "3.2", None, None])       # a parent left blank: fine
    path = tmp_path / "plain.xlsx"
    workbook.save(path)
    entries = read_ledger(path).entries
    assert [(e.code, e.progress, e.row) for e in entries] == [
        ("3.1", 30, 3), ("3.2.1", 0, 4), ("3.2", None, 5)]
    result = cli("--db", db, "ledger", "import", path)  # not exported here: no plan identity
    assert result.code == 2 and "缺少计划标识" in result.err


@pytest.mark.parametrize(("edits", "extra", "where", "message"), [
    ({"3.2.1": {STATUS: "差不多了"}}, [], "H{3.2.1}", "未知状态"),
    ({"3.2.1": {PROGRESS: 1.5}}, [], "I{3.2.1}", "0–100"),
    ({"3.2.1": {PROGRESS: "大半"}}, [], "I{3.2.1}", "进度应为"),
    ({}, [["9.9.9", None, None, None, None, None, None, "推进中"]], "A{new}", "没有编码为 9.9.9"),
    ({"5.1": {PROGRESS: 0.5}}, [], "I{5.1}", "汇总项"),
    ({"5": {STATUS: "推进中"}}, [], "H{5}", "汇总项"),
    ({"3.2.1": {STATUS: "已销号"}}, [], "H{3.2.1}", "不允许的状态变更"),
    ({"3.2.1": {STATUS: "已完成", PROGRESS: 0.6}}, [], "I{3.2.1}", "100%"),
    ({}, [[None, None, None, None, None, None, None, "推进中"]], "A{new}", "编码为空"),
    ({}, [["3.1", None, None, None, None, None, None, "受阻"]], "A{new}", "重复"),
])
def test_a_bad_row_names_its_cell_and_nothing_is_applied(
        planner: Cli, db: Path, tmp_path: Path, db_dump, edits, extra, where, message) -> None:
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "bad.xlsx"
    planner("ledger", "export", exported)
    good = {"3.1": {STATUS: "推进中", PROGRESS: 0.2}}  # a good row first: not applied either
    rows = fill_in(exported, filled, good | edits, extra)
    rows["new"] = ITEMS + 2
    column, key = where[0], where[2:-1]
    before = db_dump(db)
    result = planner("ledger", "import", filled, "--by", "hhht", "--apply")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert result.err.startswith(f"bad.xlsx:台账!{column}{rows[key]}: ")
    assert message in result.err
    assert db_dump(db) == before


def test_missing_code_column_and_unknown_unit(planner: Cli, tmp_path: Path) -> None:
    exported = tmp_path / "ledger.xlsx"
    planner("ledger", "export", exported)
    workbook = load_workbook(exported)
    workbook.active["A1"] = "事项代码"
    broken = tmp_path / "nocode.xlsx"
    workbook.save(broken)
    result = planner("ledger", "import", broken)
    assert result.code == 2 and result.err.startswith("nocode.xlsx:台账!1:1: 找不到“编码”列")
    result = planner("ledger", "import", exported, "--by", "nobody")
    assert result.code == 2 and "nobody" in result.err and result.err.count("\n") == 1


@pytest.mark.parametrize("content", [b"not a workbook at all", "truncated", "xls"])
def test_a_corrupt_or_foreign_file_is_a_clear_error(planner: Cli, tmp_path: Path,
                                                    content) -> None:
    exported, path = tmp_path / "ledger.xlsx", tmp_path / "broken.xlsx"
    planner("ledger", "export", exported)
    if content == "truncated":
        data = exported.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif content == "xls":
        path = tmp_path / "old.xls"
        shutil.copy(exported, path)
    else:
        path.write_bytes(content)
    result = planner("ledger", "import", path)
    assert result.code == 2
    assert result.err.startswith(f"{path.name}: 无法读取") and result.err.count("\n") == 1
    missing = planner("ledger", "import", tmp_path / "missing.xlsx")
    assert missing.code == 2 and "文件不存在" in missing.err


def test_values_changed_by_others_since_export(planner: Cli, db: Path, tmp_path: Path) -> None:
    """Untouched rows are not reverted; an edit over someone else's change is a conflict."""
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "filled.xlsx"
    planner("ledger", "export", exported)
    planner("update", "3.1", "--status", "推进中", "--progress", "40", "--by", "hhht")
    fill_in(exported, filled, {"6.1.1": {PROGRESS: 0.2}, "3.1": {NOTE: "补充说明"}})
    result = planner("ledger", "import", filled, "--by", "amr", "--apply")
    assert result.code == 0, result.err
    assert task_state(db, "3.1") == ("in_progress", 40)  # not set back to 未启动 0%
    assert [h for h in history(db) if h[1] == "amr"] == [
        ("3.1", "amr", "tester", "in_progress", "in_progress", 40, 40, "补充说明"),
        ("6.1.1", "amr", "tester", "not_started", "not_started", 0, 20, None)]
    fill_in(exported, filled, {"3.1": {PROGRESS: 0.1}})
    result = planner("ledger", "import", filled, "--by", "amr")
    rows = rows_by_code(load_workbook(filled).active)
    assert result.code == 2 and result.err.startswith(f"filled.xlsx:台账!I{rows['3.1']}: ")
    assert "导出台账后已被修改" in result.err


def test_archived_items(planner: Cli, db: Path, tmp_path: Path) -> None:
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "filled.xlsx"
    planner("ledger", "export", exported)
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("UPDATE task SET archived = 1 WHERE code = '7.3'")
    connection.close()
    fill_in(exported, filled, {"6.1.1": {PROGRESS: 0.2}})
    assert planner("ledger", "import", filled).code == 0  # its untouched row is no matter
    rows = fill_in(exported, filled, {"7.3": {STATUS: "推进中"}})
    result = planner("ledger", "import", filled)
    assert result.code == 2 and result.err.startswith(f"filled.xlsx:台账!H{rows['7.3']}: ")
    assert "已归档" in result.err
    fresh = tmp_path / "fresh.xlsx"
    planner("ledger", "export", fresh)
    assert "7.3" not in rows_by_code(load_workbook(fresh).active)


def test_apply_saves_against_the_version_read_when_planning(db: Path, tmp_path: Path,
                                                            cli: Cli) -> None:
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "filled.xlsx"
    cli("--db", db, "ledger", "export", exported)
    fill_in(exported, filled, {"3.1": {PROGRESS: 0.2}, "6.1.1": {PROGRESS: 0.5}})
    engine = make_engine(f"sqlite:///{db}")
    at = datetime(2021, 6, 30, 10, tzinfo=UTC)
    with session_scope(engine) as session:
        changes = plan_ledger_changes(read_ledger(filled), session=session, by_unit="amr",
                                      today=date(2021, 7, 1))
    assert [c.code for c in changes] == ["3.1", "6.1.1"]
    with session_scope(engine, write=True) as session:  # someone else, in between
        record_update(session=session, code="6.1.1", at=at, progress=5, by_unit="hhht")
    with pytest.raises(ConflictError) as caught, session_scope(engine, write=True) as session:
        apply_ledger(changes, session=session, by_unit="amr", by_user="li", at=at)
    assert caught.value.where.startswith("filled.xlsx:台账!I")
    with session_scope(engine) as session:
        assert get_task("3.1", session=session).progress == 0  # rolled back with the rest
        assert get_task("6.1.1", session=session).progress == 5
    engine.dispose()


def test_latest_note_is_the_last_non_empty_one(db: Path) -> None:
    engine = make_engine(f"sqlite:///{db}")
    with session_scope(engine, write=True) as session:
        for day, note in ((3, "第一次"), (1, "补录的更早说明"), (4, None)):
            record_update(session=session, code="3.1", at=datetime(2021, 6, day, tzinfo=UTC),
                          progress=day, note=note)
        record_update(session=session, code="3.3", at=datetime(2021, 6, 2, tzinfo=UTC),
                      note="只有说明")
        task_id = get_task("3.1", session=session).id
        notes = latest_notes(session=session)
    assert notes[task_id].note == "第一次" and notes[task_id].at.day == 3
    assert {n.note for n in notes.values()} == {"第一次", "只有说明"}
    engine.dispose()


def test_round_trip_on_sqlite_and_postgresql(backend_url: str, cli: Cli, tmp_path: Path) -> None:
    def run(*args: str | Path) -> CliResult:
        result = cli("--db", backend_url, "--today", "2021-06-30", *args)
        assert result.code == 0, result.err
        return result

    run("init", "--file", BUNDLED)
    run("update", "5.1.4", "--status", "推进中", "--progress", "30", "--note", "旧说明")
    run("update", "5.1.4", "--note", "新说明")
    run("update", "5.1.4", "--progress", "35")
    exported, filled = tmp_path / "ledger.xlsx", tmp_path / "filled.xlsx"
    run("ledger", "export", exported)
    rows = fill_in(exported, filled, {"5.1.4": {PROGRESS: 0.5, NOTE: "再次推进"}})
    assert load_workbook(exported).active.cell(rows["5.1.4"], NOTE).value == "新说明"
    assert run("ledger", "import", filled, "--by", "amr", "--apply").out.startswith(
        "5.1.4 打击商标恶意抢注行为专…：35%→50% 「再次推进」")
    fresh = tmp_path / "fresh.xlsx"
    run("ledger", "export", fresh)
    sheet = load_workbook(fresh).active
    assert sheet.cell(rows["5.1.4"], PROGRESS).value == pytest.approx(0.5)
    assert sheet.cell(rows["5.1.4"], NOTE).value == "再次推进"
    assert run("ledger", "import", fresh).out.startswith("试运行：0 项将变更")
