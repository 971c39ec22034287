"""Agenda and minutes as office documents (.docx through the document layer)."""

from pathlib import Path

import docx

from planner.cli import main
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
    assert paragraphs[0].text == "第一次联席会议 会议纪要"
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

