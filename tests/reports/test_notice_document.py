"""督办通知单 and 催办通知单 read back: the 版头 in red with the number (督办〔2026〕1号) and
date, a section per unit (a new page, numbered from 1), the addressee, 事项来源 (the plan
or the meeting decision), the item rows with 主办/协办, 反馈要求 and contact; and, through
LibreOffice, a PDF of one page per unit."""

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from planner.reports.officedoc import W_NS
from tests.conftest import CliResult
from tests.notice_support import NOTICE_PLAN

Cli = Callable[..., CliResult]
W = f"{{{W_NS}}}"
PLAN = NOTICE_PLAN


@pytest.fixture
def database(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("PLANNER_OFFICE", "PLANNER_NOTICE_CONTACT"):
        monkeypatch.delenv(name, raising=False)
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    path = tmp_path / "plan.db"
    assert cli("--db", path, "--today", "2026-06-01", "init", "--file", plan).code == 0
    return path


def issue(cli: Cli, database: Path, *argv: str | Path) -> None:
    result = cli("--db", database, "--today", "2026-06-01", "notice", *argv)
    assert result.code == 0, result.err


def cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_each_unit_gets_its_own_numbered_page_with_its_items(
        database: Path, cli: Cli, tmp_path: Path) -> None:
    issue(cli, database, "--unit", "all", "--contact", "督查科 张三 0471-1234567",
          "-o", tmp_path / "n.docx")
    document = docx.Document(str(tmp_path / "n.docx"))
    texts = [p.text for p in document.paragraphs]
    body = document.element.body
    # a section per unit: the first ends in a paragraph, the last is the body's own
    breaks = body.findall(f"{W}p/{W}pPr/{W}sectPr")
    assert len(breaks) == 1
    for section in (*breaks, body.find(f"{W}sectPr")):
        assert section.find(f"{W}pgNumType").get(f"{W}start") == "1"
    offices = [p for p in document.paragraphs if p.text == "知识产权工作联席会议办公室"]
    assert len(offices) == 2
    assert all(str(p.runs[0].font.color.rgb) == "FF0000" for p in offices)
    numbers = [t for t in texts if t.startswith(("督办〔", "催办〔"))]
    assert numbers == ["督办〔2026〕1号\t2026年6月1日", "督办〔2026〕2号\t2026年6月1日"]
    assert texts.count("督办通知单") == 2
    assert [t for t in texts if t.endswith("：") and len(t) < 10] == ["呼和浩特市：", "包头市："]
    assert "现将你单位主办的以下2项工作列入督办" in texts[texts.index("呼和浩特市：") + 1]
    assert texts.count("事项来源：《督办测试计划》") == 2
    assert texts.count("联系人：督查科 张三 0471-1234567") == 2
    feedback = [t for t in texts if t.startswith("反馈要求：")]
    assert feedback[0] == ("反馈要求：请于2026年6月8日前（5个工作日内）将办理进展、存在问题及下步"
                           "措施以书面材料（加盖公章）报送知识产权工作联席会议办公室。")
    first, second = (cells(table) for table in document.tables)
    assert first == [
        ["编码", "督办事项及要求", "当前进展", "主办单位", "协办单位", "办结时限"],
        ["1", "第一项", "未启动，进度0%\n序时进度100%\n已逾期62天", "呼和浩特市", "—",
         "2026年\n3月31日"],
        ["2", "第二项\n年底前建成并投入使用", "未启动，进度0%\n序时进度42%", "呼和浩特市",
         "包头市", "2026年\n12月31日"]]
    assert second[1][:5] == ["3", "第三项", "推进中，进度95%\n序时进度94%", "包头市", "—"]
    # the office's header row repeats on every page the table runs onto
    assert document.tables[0].rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None


def test_a_supporting_unit_and_a_meeting_decision_as_the_source(
        database: Path, cli: Cli, tmp_path: Path) -> None:
    run = ("--db", database, "--today", "2026-06-01")
    meeting = cli(*run, "meeting", "new", "--date", "2026-06-05", "--title", "第一次联席会议")
    assert meeting.code == 0, meeting.err
    decided = cli(*run, "meeting", "decide", "1", "--text", "加快推进第二项的配套建设",
                  "--action", "配套设施建设", "--lead", "hhht", "--support", "bt",
                  "--due", "2026-06-30")
    assert decided.code == 0, decided.err
    code = decided.out.strip().rsplit("：", 1)[1]
    issue(cli, database, "--kind", "催办", "--unit", "bt", "--items", f"2,{code}",
          "--office", "督查督办办公室", "-o", tmp_path / "u.docx")
    document = docx.Document(str(tmp_path / "u.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "督查督办办公室" and texts[1].startswith("催办〔2026〕1号")
    assert "催办通知单" in texts and "包头市：" in texts
    assert any(t.startswith("你单位协办的以下2项督办事项已逾期或进度滞后") for t in texts)
    assert ("事项来源：《督办测试计划》（2）；2026年6月5日第一次联席会议议定事项"
            f"（加快推进第二项的配套建设）（{code}）") in texts
    rows = cells(document.tables[0])
    assert [row[0] for row in rows[1:]] == ["2", code]
    assert [(row[3], row[4]) for row in rows[1:]] == [("呼和浩特市", "包头市")] * 2
    assert not document.element.body.findall(f"{W}p/{W}pPr/{W}sectPr")  # one unit


def test_english_notice(database: Path, cli: Cli, tmp_path: Path) -> None:
    issue(cli, database, "--lang", "en", "--unit", "hhht", "-o", tmp_path / "en.docx")
    texts = [p.text for p in docx.Document(str(tmp_path / "en.docx")).paragraphs]
    assert "Supervision Notice" in texts and "To: 呼和浩特市" in texts
    assert any(t.startswith("Feedback: please send progress") and "2026-06-08" in t
               for t in texts)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="needs LibreOffice and poppler")
def test_the_pdf_has_one_a4_page_per_unit_with_its_chinese_text(
        database: Path, cli: Cli, tmp_path: Path) -> None:
    issue(cli, database, "--unit", "all", "--format", "pdf")
    pdf = tmp_path / "督办〔2026〕1-2号.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.MULTILINE), info
    assert re.search(r"^Page size:.*\(A4\)$", info, re.MULTILINE), info
    pages = [re.sub(r"\s", "", subprocess.run(  # pdftotext spaces digits from Chinese
        ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
        text=True, check=True).stdout) for n in (1, 2)]
    assert "督办〔2026〕1号" in pages[0] and "呼和浩特市：" in pages[0] and "—1—" in pages[0]
    assert "督办〔2026〕2号" in pages[1] and "包头市：" in pages[1] and "—1—" in pages[1]
    assert "\ufffd" not in "".join(pages)
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="needs LibreOffice and poppler")
def test_two_of_the_bundled_plans_long_items_fit_on_one_page(
        bundled_db: Path, cli: Cli, tmp_path: Path) -> None:
    """The bundled plan's titles are long: the item column is the widest and a requirement
    is quoted short, so a notice of two items, its 反馈要求 and contact, is one page."""
    pdf = tmp_path / "two.pdf"
    result = cli("--db", bundled_db, "--today", "2021-09-20", "notice", "--items", "3.1,3.2",
                 "--contact", "督查科 张三 0471-1234567", "-o", pdf)
    assert result.code == 0, result.err
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                            text=True, check=True).stdout)
    assert "反馈要求" in text and "0471-1234567" in text
