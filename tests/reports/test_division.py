"""`planner export --format xlsx|docx|pdf`: the plan as a 分工方案 table (reports/division.py),
read back with openpyxl and python-docx, converted once by LibreOffice, and taken in again by
`planner intake` to the same tree."""

import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from planner.core.intake_limits import read_limit
from planner.reports.division import due_text, recurrence_text
from planner.services.plan_file import load_plan_file
from tests.conftest import CliResult
from tests.outage_support import assert_one_line, run_planner

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "2026年知识产权强国建设推进计划任务分工方案"
FIXTURE = """\
plan:
  id: p2026
  kind: annual
  title: 2026年知识产权强国建设推进计划
  period: {start: 2026-01-01, end: 2026-12-31}
  report_cycle: weekly
units:
  - {id: amr, name: 自治区市场监管局（知识产权局）, kind: department}
  - {id: gat, name: 自治区公安厅, kind: department}
  - {id: sft, name: 自治区司法厅, kind: department}
  - {id: xcb, name: 自治区党委宣传部（自治区版权局）, kind: department}
  - {id: hhht, name: 呼和浩特市, kind: league}
  - {id: bt, name: 包头市, kind: league}
  - {id: eeds, name: 鄂尔多斯市, kind: league}
groups:
  - {id: hbe, name: 呼包鄂, members: [hhht, bt, eeds]}
tasks:
  - code: "1"
    title: 完善知识产权制度
    lead: amr
    children:
      - code: "1.1"
        title: 健全地方法规体系
        lead: amr
        support: [sft]
        due: 2026-06-30
        children:
          - code: "1.1.1"
            title: 推动专利促进和保护条例修订
            description: 提请自治区人大常委会审议。
            lead: amr
            support: [sft]
            due: 2026-06-30
            children:
              - {code: "1.1.1.1", title: 起草条例修订草案, lead: sft, due: 2026-03-15}
              - {code: "1.1.1.2", title: 征求意见, lead: amr, support: [xcb, gat],
                 due: 2026-05-31}
          - code: "1.1.2"
            title: 健全知识产权纠纷多元化解机制
            description: "完成时限：长期坚持（长期任务，至计划期末）"
            due: 2026-12-31
            lead: sft
            support: [gat]
      - {code: "1.2", title: 完善政策体系, lead: amr, due: 2026-09-30}
  - code: "2"
    title: 强化知识产权保护
    lead: hhht
    children:
      - code: "2.1"
        title: 加强行政和司法保护
        lead: gat
        children:
          - code: "2.1.1"
            title: 调度知识产权侵权案件查处情况
            lead: gat
            support: [hhht, bt, eeds]
            repeat: {rule: "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"}
          - code: "2.1.2"
            title: 开展知识产权宣传周活动
            lead: xcb
            due: 2026-10-31
            repeat: {rule: "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20"}
          - code: "2.1.3"
            title: +86热线受理知识产权投诉
            lead: gat
            due: 2026-09-30
            repeat: {rule: "FREQ=MONTHLY;BYMONTHDAY=-1"}
      - {code: "2.2", title: 推进呼包鄂知识产权执法协作, lead: hhht, support: [bt, eeds]}
  - {code: "3", title: 开展知识产权强国建设试点示范评估, lead: amr, due: 2026-11-30}
"""


@pytest.fixture
def fixture_db(tmp_path: Path, cli: Callable[..., CliResult]) -> Path:
    """A database holding the fixture plan: groups, sub-items, ongoing and recurring items."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(FIXTURE, encoding="utf-8")
    db = tmp_path / "fixture.db"
    result = cli("--db", db, "--today", "2026-03-01", "init", "--file", plan)
    assert result.code == 0, result.err
    return db


def tree(path: Path) -> list[tuple[object, ...]]:
    """Each item of a plan file by its place (1, 1.2, …): title, lead, supports, due,
    recurrence, and a leaf's description (whitespace aside)."""
    spec = load_plan_file(path)
    recurring = {task.code for task in spec.tasks if task.repeat_rule}
    children: dict[str | None, list[object]] = {}
    for task in spec.tasks:
        if task.parent not in recurring:
            children.setdefault(task.parent, []).append(task)
    found: list[tuple[object, ...]] = []

    def walk(parent: str | None, place: str) -> None:
        for index, task in enumerate(children.get(parent, []), start=1):
            here = f"{place}.{index}" if place else str(index)
            leaf = task.code not in children  # type: ignore[attr-defined]
            found.append((here, task.title, task.lead, tuple(task.support),  # type: ignore[attr-defined]
                          task.due, task.repeat_rule,  # type: ignore[attr-defined]
                          " ".join((task.description or "").split()) if leaf else None))  # type: ignore[attr-defined]
            walk(task.code, here)  # type: ignore[attr-defined]

    walk(None, "")
    return found


def round_trip(cli: Callable[..., CliResult], db: Path, tmp_path: Path, suffix: str) -> None:
    """Export the plan file and the table; intake of the table gives the plan file's tree."""
    exported = tmp_path / "exported.yaml"
    assert cli("--db", db, "export", exported).code == 0
    table = tmp_path / f"table.{suffix}"
    result = cli("--db", db, "export", "-o", table)
    assert result.code == 0, result.err
    back = tmp_path / f"back-{suffix}.yaml"
    result = cli("--db", db, "intake", table, "-o", back)
    assert result.code == 0, result.out + result.err
    assert "未知单位" not in result.out and "不能识别" not in result.out
    assert tree(back) == tree(exported)
    spec, original = load_plan_file(back), load_plan_file(exported)
    assert (spec.start, spec.end) == (original.start, original.end)


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_intake_of_the_exported_table_gives_the_fixture_plan_back(
        fixture_db: Path, tmp_path: Path, cli: Callable[..., CliResult], suffix: str) -> None:
    round_trip(cli, fixture_db, tmp_path, suffix)


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_intake_of_the_exported_table_gives_the_bundled_plan_back(
        bundled_db: Path, tmp_path: Path, cli: Callable[..., CliResult], suffix: str) -> None:
    round_trip(cli, bundled_db, tmp_path, suffix)


def test_the_workbook_has_its_title_header_merged_cells_and_print_settings(
        fixture_db: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    target = tmp_path / "division.xlsx"
    assert cli("--db", fixture_db, "export", target).code == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    assert sheet["A1"].value == TITLE
    assert [cell.value for cell in sheet[2]] == ["序号", "重点任务", "具体措施", "牵头单位",
                                                "配合单位", "完成时限"]
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A1:F1", "A3:F3", "B4:B7", "B8:C8", "A9:F9", "B10:B12", "B13:C13"} <= merged
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][0] == "一、完善知识产权制度"
    group = ("（一）健全地方法规体系（自治区市场监管局（知识产权局）牵头，自治区司法厅配合，"
             "2026年6月底前）")
    assert rows[1] == ["1", group,
                       "推动专利促进和保护条例修订。提请自治区人大常委会审议。",
                       "自治区市场监管局（知识产权局）", "自治区司法厅", "2026年6月底前"]
    assert rows[2][2:] == ["（1）起草条例修订草案", "自治区司法厅", None, "2026年3月15日前"]
    assert rows[4][2:] == ["健全知识产权纠纷多元化解机制", "自治区司法厅", "自治区公安厅",
                           "长期坚持"]
    assert rows[7][1:] == ["（一）加强行政和司法保护", "调度知识产权侵权案件查处情况",
                           "自治区公安厅", "呼包鄂", "每季度"]
    assert rows[6][0] == "二、强化知识产权保护（呼和浩特市负责）"
    assert rows[8][5] == "每年4月20日前，2026年10月底前"
    assert rows[11][:2] == ["三", "开展知识产权强国建设试点示范评估"]  # a top item, no area
    assert "B14:C14" in merged
    assert rows[-2][0].startswith("注1：“长期坚持”") and rows[-1][0].startswith("注2：“每月”")
    plus = sheet["C12"]  # text, never a formula: +86… stays as written
    assert (plus.value, plus.data_type, plus.quotePrefix) == ("+86热线受理知识产权投诉", "s", True)
    assert sheet.print_title_rows == "$2:$2" and sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


def test_the_document_has_its_title_repeated_header_merged_cells_and_fonts(
        fixture_db: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    target = tmp_path / "division.docx"
    assert cli("--db", fixture_db, "export", target).code == 0
    document = docx.Document(str(target))
    title = document.paragraphs[0]
    assert title.text == TITLE
    assert title.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "重点任务", "具体措施",
                                                          "牵头单位", "配合单位", "完成时限"]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    fonts = {node.get(f"{W}eastAsia") for node in table._tbl.iter(f"{W}rFonts")}
    assert fonts == {"黑体", "仿宋_GB2312"}
    # 重点任务 merged down over its four rows: the same cell in each, one vMerge restart
    group = [row.cells[1] for row in table.rows[2:6]]
    assert {cell.text for cell in group} == {
        "（一）健全地方法规体系（自治区市场监管局（知识产权局）牵头，自治区司法厅配合，"
        "2026年6月底前）"}
    assert len({id(cell._tc) for cell in group}) == 1
    assert group[0]._tc.find(f"{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"
    alone = table.rows[6]  # a 重点任务 without measures: across 具体措施 too
    assert alone.cells[1]._tc is alone.cells[2]._tc and alone.cells[1].text == "（二）完善政策体系"
    assert alone.cells[1]._tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    area = table.rows[1]
    assert len(area._tr.findall(f"{W}tc")) == 1 and area.cells[0].text == "一、完善知识产权制度"
    notes = [p.text for p in document.paragraphs if p.text.startswith("注")]
    assert notes == ["注1：“长期坚持”“持续推进”的事项持续至计划期末（2026年12月31日）。",
                     "注2：“每月”“每季度”“每年×月”等为定期事项，每期末前完成，至计划期末。"]


def test_every_due_date_and_rule_is_written_in_words_intake_reads_back() -> None:
    end = date(2028, 12, 31)
    day = date(2027, 1, 1)
    while day <= end:
        found = read_limit(due_text(day), year=2027, plan_end=end)
        assert found is not None and found.due == day and not found.rule, day
        day += timedelta(days=1)
    for rule in ("FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
                 "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1", "FREQ=WEEKLY;BYDAY=FR",
                 "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=-1", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=5"):
        words = recurrence_text(rule)
        assert words is not None
        assert read_limit(words, year=2027, plan_end=end).rule == rule  # type: ignore[union-attr]
    assert recurrence_text("FREQ=WEEKLY;BYDAY=MO") is None


def test_a_rule_no_words_state_is_written_as_its_last_deadline_with_a_note(
        tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    plan = tmp_path / "weekly.yaml"
    plan.write_text(FIXTURE.replace('rule: "FREQ=MONTHLY;BYMONTHDAY=-1"',
                                    'rule: "FREQ=WEEKLY;BYDAY=MO"'), encoding="utf-8")
    db = tmp_path / "weekly.db"
    assert cli("--db", db, "init", "--file", plan).code == 0
    target = tmp_path / "weekly.xlsx"
    assert cli("--db", db, "export", target).code == 0
    sheet = load_workbook(target).active
    assert sheet is not None
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "注3：第2.1.3项按重复规则 FREQ=WEEKLY;BYDAY=MO 定期开展，表中为其最后期限。" in values
    assert sheet["F12"].value == "2026年9月底前"


def test_the_pdf_is_a4_with_its_chinese_text(fixture_db: Path, tmp_path: Path,
                                             cli: Callable[..., CliResult]) -> None:
    for tool in ("soffice", "pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    target = tmp_path / "division.pdf"
    result = cli("--db", fixture_db, "export", target)
    assert result.code == 0, result.err
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True,
                          check=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()  # type: ignore[union-attr]
    assert abs(float(width) - 595.3) < 1.5 and abs(float(height) - 841.9) < 1.5
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"],
                                             capture_output=True, text=True,
                                             check=True).stdout)
    for expected in ("2026年知识产权强国建设推进计划任务分工方案", "重点任务", "具体措施",
                     "一、完善知识产权制度", "自治区党委宣传部（自治区版权局）", "长期坚持",
                     "每年4月20日前"):
        assert expected in text, expected
    assert "\ufffd" not in text


def test_export_refusals_are_one_line_and_write_nothing(bundled_db: Path,
                                                       tmp_path: Path) -> None:
    db = bundled_db
    target = tmp_path / "plan.csv"
    line = assert_one_line(run_planner("--db", db, "export", target, "--format", "csv"), 2)
    assert "csv" in line and "xlsx" in line and not target.exists()
    line = assert_one_line(run_planner("--db", db, "export", "--format", "docx"), 2)
    assert "-o" in line
    line = assert_one_line(run_planner("--db", db, "export", "a.xlsx", "-o", "b.xlsx"), 2)
    assert "a.xlsx" in line and "b.xlsx" in line


def test_the_plan_file_export_is_as_before(bundled_db: Path, tmp_path: Path,
                                           cli: Callable[..., CliResult]) -> None:
    """No format and no known extension: the plan file, to the file or standard output."""
    to_stdout = cli("--db", bundled_db, "export").out
    assert to_stdout == cli("--db", bundled_db, "export", "-").out
    assert to_stdout.startswith("plan:\n")
    target = tmp_path / "plan.txt"
    assert cli("--db", bundled_db, "export", target).code == 0
    assert target.read_text(encoding="utf-8") == to_stdout
