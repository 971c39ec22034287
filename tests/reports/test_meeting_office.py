"""Agenda and minutes as office documents (.docx through the document layer)."""

import re
import subprocess
from pathlib import Path

import docx
import pytest

from planner.cli import main
from planner.reports.officedoc import libreoffice
from tests.conftest import sqlite_dump
from tests.services.test_meetings import db, run  # noqa: F401  (the meetings fixture)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def east_asian(paragraph) -> str:  # type: ignore[no-untyped-def]
    return paragraph.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")


def test_minutes_as_docx_carry_the_same_decisions(db: Path, capsys,  # noqa: F811
                                                  tmp_path: Path) -> None:
    target = tmp_path / "minutes.docx"
    run(capsys, "--today", "2021-06-30", "meeting", "minutes", "1", "-o", str(target))
    document = docx.Document(str(target))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == "第一次联席会议纪要"
    assert east_asian(paragraphs[0]) == "方正小标宋简体"
    assert paragraphs[1].text.startswith("日期：2021-05-01")
    heading = next(p for p in paragraphs if p.text == "一、会议决定及交办事项")
    assert east_asian(heading) == "黑体"
    (table,) = document.tables
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [c.text for c in table.rows[1].cells] == [
        "1", "公安厅牵头研究行刑衔接", "1.4",
        "M.1.1 制定行刑衔接办法（自治区公安厅，截止 2021-08-31）"]


def test_agenda_as_docx_and_its_refusals(db: Path, capsys, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "agenda.docx"
    run(capsys, "--today", "2021-06-30", "agenda", "2", "--format", "docx", "-o", str(target))
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "第二次联席会议 议程"
    assert document.tables and document.tables[0].rows[0].cells[0].text == "序号"
    capsys.readouterr()
    assert main(["--today", "2021-06-30", "agenda", "2", "--format", "docx"]) == 2
    assert "docx 格式需要 -o 文件名" in capsys.readouterr().err



def runs_of(paragraph) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(text, east-Asian font) of each run."""
    return [(run.text, run._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia"))
            for run in paragraph.runs]


def test_minutes_docx_end_with_the_attendance_lines_in_heiti(db: Path, capsys,  # noqa: F811
                                                              tmp_path: Path) -> None:
    """GB/T 9704's 纪要: title ending in 纪要; 出席/列席/请假 in 黑体, the units in 仿宋."""
    run(capsys, "--today", "2021-06-30", "meeting", "attendance", "1", "--sit-in", "gat",
        "--absent", "bt", "--place", "自治区市场监管局第一会议室")
    target = tmp_path / "纪要.docx"
    run(capsys, "--today", "2021-06-30", "meeting", "minutes", "1", "-o", str(target))
    document = docx.Document(str(target))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text.endswith("纪要")
    assert "地点：自治区市场监管局第一会议室" in paragraphs[1].text
    assert [runs_of(p) for p in paragraphs[-3:]] == [
        [("出席：", "黑体"), ("自治区市场监管局（知识产权局）、呼和浩特市", "仿宋_GB2312")],
        [("列席：", "黑体"), ("自治区公安厅", "仿宋_GB2312")],
        [("请假：", "黑体"), ("包头市", "仿宋_GB2312")]]
    (table,) = document.tables  # the decisions with their action items, lead unit and due
    assert table.rows[1].cells[3].text == "M.1.1 制定行刑衔接办法（自治区公安厅，截止 2021-08-31）"


def test_notice_names_time_place_units_and_agenda(db: Path, capsys,  # noqa: F811
                                                   tmp_path: Path) -> None:
    run(capsys, "--today", "2021-06-30", "meeting", "attendance", "2", "--place",
        "自治区政府第三会议室", "--sit-in", "gat", "--absent", "bt")
    run(capsys, "--today", "2021-06-30", "agenda", "2")  # the proposed agenda, saved
    text = run(capsys, "--today", "2021-07-01", "meeting", "notice", "2")
    assert text.startswith("关于召开第二次联席会议的通知")
    assert "2021年7月20日（星期二），会期约120分钟。" in text
    assert "二、会议地点\n────────────\n自治区政府第三会议室" in text
    units = text[text.index("三、参会单位"):text.index("四、会议议程")]
    assert "出席：自治区市场监管局（知识产权局）、呼和浩特市\n列席：自治区公安厅" in units
    assert "包头市" not in units and "请假" not in units  # excused: not summoned
    agenda = text[text.index("四、会议议程"):text.index("五、有关要求")]
    assert "\n1. " in agenda and "议程另行通知" not in agenda
    assert text.rstrip().endswith("2021年7月1日")
    target = tmp_path / "通知.docx"
    run(capsys, "--today", "2021-07-01", "meeting", "notice", "2", "-o", str(target))
    paragraphs = [p for p in docx.Document(str(target)).paragraphs if p.text]
    assert paragraphs[0].text == "关于召开第二次联席会议的通知"
    assert east_asian(paragraphs[0]) == "方正小标宋简体"
    assert paragraphs[1].text == "各有关单位："
    headings = [p.text for p in paragraphs if east_asian(p) == "黑体"]
    assert headings == ["一、会议时间", "二、会议地点", "三、参会单位", "四、会议议程",
                        "五、有关要求"]
    assert paragraphs[-1].text == "2021年7月1日"


def test_a_notice_names_the_start_time_once_it_is_set(db: Path, capsys) -> None:  # noqa: F811
    run(capsys, "--today", "2021-06-30", "meeting", "attendance", "2", "--time", "14：30")
    text = run(capsys, "--today", "2021-07-01", "meeting", "notice", "2")
    assert "2021年7月20日（星期二）下午2:30，会期约120分钟。" in text
    run(capsys, "--today", "2021-06-30", "meeting", "attendance", "2", "--time", "9:05")
    english = run(capsys, "--lang", "en", "--today", "2021-07-01", "meeting", "notice", "2")
    assert "2021-07-20 (Tuesday) at 9:05 am, about 120 minutes." in english


def test_a_notice_without_place_or_agenda_says_they_follow(db: Path, capsys) -> None:  # noqa: F811
    text = run(capsys, "--today", "2021-07-01", "meeting", "notice", "3")
    assert "二、会议地点\n────────────\n另行通知。" in text
    assert "议程另行通知。" in text


@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")
def test_notice_and_minutes_as_pdf(db: Path, capsys, tmp_path: Path) -> None:  # noqa: F811
    """LibreOffice converts the papers — minutes, notice and agenda: A4 pages, Chinese text
    in the text layer."""
    run(capsys, "--today", "2021-06-30", "meeting", "attendance", "1", "--sit-in", "gat",
        "--absent", "bt")
    target = tmp_path / "纪要.pdf"
    run(capsys, "--today", "2021-06-30", "meeting", "minutes", "1", "--format", "pdf", "-o",
        str(target))
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size: +595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    words = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                           text=True, check=True).stdout
    squeezed = "".join(words.split())
    assert "第一次联席会议纪要" in squeezed
    assert "列席：自治区公安厅" in squeezed and "请假：包头市" in squeezed
    for argv, expected in ((["meeting", "notice", "2"], "关于召开第二次联席会议的通知"),
                           (["agenda", "2"], "第二次联席会议")):
        paper = tmp_path / f"{argv[0]}.pdf"
        run(capsys, "--today", "2021-06-30", *argv, "-o", str(paper))
        text = subprocess.run(["pdftotext", str(paper), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert expected in "".join(text.split()) and "\ufffd" not in text


@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")
def test_a_long_attendance_line_wraps_under_its_first_unit(db: Path, capsys,  # noqa: F811
                                                           tmp_path: Path) -> None:
    """纪要 practice: a 出席 list longer than a line continues under its first unit, not
    under the label (a hanging indent of the label's width after the two-character one)."""
    run(capsys, "--today", "2021-06-30", "meeting", "attendance", "1", "--attend", "gat,bt")
    paper = tmp_path / "纪要.docx"
    run(capsys, "--today", "2021-06-30", "meeting", "minutes", "1", "-o", str(paper))
    present = next(p for p in docx.Document(str(paper)).paragraphs
                   if p.text.startswith("出席："))
    indent = present._p.find(f"{W}pPr/{W}ind")
    assert (indent.get(f"{W}left"), indent.get(f"{W}hanging")) == ("1600", "960")  # 5 and 3 字
    target = tmp_path / "纪要.pdf"
    run(capsys, "--today", "2021-06-30", "meeting", "minutes", "1", "--format", "pdf", "-o",
        str(target))
    boxes = subprocess.run(["pdftotext", "-bbox", str(target), "-"], capture_output=True,
                           text=True, check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]+)</word>',
                       boxes)
    first = next(index for index, word in enumerate(words) if word[2].startswith("出席："))
    (start, end, text), (wrapped_start, _, wrapped) = words[first], words[first + 1]
    advance = (float(end) - float(start)) / len(text)
    assert "自治区公安厅" in wrapped  # the list did wrap
    assert abs(float(wrapped_start) - (float(start) + 3 * advance)) < 1, (words[first:first + 2])


def test_attendance_refusals_save_nothing(db: Path, capsys) -> None:  # noqa: F811
    before = sqlite_dump(db)
    for argv, message in (
            (["meeting", "attendance", "1", "--sit-in", "gat", "--absent", "gat"],
             "只能有一种参会身份"),
            (["meeting", "attendance", "1", "--absent", "nope"], "nope"),
            (["meeting", "attendance", "1"], "--place"),
            (["meeting", "attendance", "1", "--time", "25:00"], "无法识别的时间：25:00"),
            (["meeting", "new", "--date", "2021-09-01", "--title", "第四次", "--time", "上午"],
             "无法识别的时间"),
            (["meeting", "new", "--date", "2021-09-01", "--title", "第四次", "--units", "amr",
              "--sit-in", "amr"], "只能有一种参会身份")):
        capsys.readouterr()
        assert main(["--today", "2021-06-30", *argv]) == 2, argv
        assert message in capsys.readouterr().err
    assert sqlite_dump(db) == before
