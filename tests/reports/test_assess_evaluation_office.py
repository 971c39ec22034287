"""`planner assess` and `planner report evaluation` as office documents (.docx, and a PDF
through LibreOffice): the same header, parts, paragraphs and tables as their text formats,
read back."""

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from tests.conftest import CliResult
from tests.reports.test_assessment import quarter_database

Cli = Callable[..., CliResult]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("assess_office")
    url = f"sqlite:///{folder / 'q.db'}"
    return url, quarter_database(url, folder)


def _assess(cli: Cli, quarter: tuple[str, Path], *argv: str | Path) -> CliResult:
    url, rules = quarter
    return cli("--db", url, "--today", "2025-04-20", "assess", "--from", "2025-Q1", "--to",
               "2025-Q1", "--rules", rules, *argv)


def _east_asian(paragraph) -> str:
    return paragraph.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")


def test_the_assessment_docx_says_what_the_markdown_says(cli: Cli, quarter,
                                                         tmp_path: Path) -> None:
    target = tmp_path / "assess.docx"  # the format from the extension
    result = _assess(cli, quarter, "-o", target)
    assert result.code == 0, result.err
    markdown = _assess(cli, quarter, "--format", "md").out
    document = docx.Document(str(target))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == "考核测试计划 考核评分"
    assert _east_asian(paragraphs[0]) == "方正小标宋简体"
    assert "考核期间：2025-01-01 至 2025-03-31" in paragraphs[1].text
    headings = [p for p in paragraphs if re.match("^[一二三四]、", p.text)]
    assert [h.text for h in headings] == ["一、排名", "二、第1名　甲局（a）　96 分",
                                          "三、第2名　乙市（b）　95.5 分",
                                          "四、第3名　丙厅（c）　95.25 分"]
    assert all(_east_asian(h) == "黑体" for h in headings)
    for heading in headings:  # every part's title is the markdown's, numbered
        assert f"## {heading.text[2:]}" in markdown
    ranking, *units = document.tables
    assert [[c.text for c in r.cells] for r in ranking.rows] == [
        ["名次", "单位", "得分", "加分", "扣分", "计分项"], ["1", "甲局", "96", "+4", "−8", "5"],
        ["2", "乙市", "95.5", "+2", "−6.5", "4"], ["3", "丙厅", "95.25", "0", "−4.75", "3"]]
    lines = [[c.text for c in r.cells] for r in units[2].rows]
    assert lines[2] == ["2025-02-10", "1.3 事项三", "逾期办结（牵头）",
                        "points.late −0.5 × 7 个工作日，以 3 为限", "−3"]
    assert lines[-1] == ["", "", "合计", "", "95.25"]
    assert all(t.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
               for t in document.tables)


def test_office_assessment_needs_a_file(cli: Cli, quarter) -> None:
    result = _assess(cli, quarter, "--format", "docx")
    assert result.code == 2 and result.err.count("\n") == 1
    assert "docx 格式需要 -o 文件名" in result.err


def test_the_assessment_pdf_is_a4_with_its_chinese_text(cli: Cli, quarter,
                                                        tmp_path: Path) -> None:
    for tool in ("soffice", "pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    target = tmp_path / "assess.pdf"
    assert _assess(cli, quarter, "--format", "pdf", "-o", target).code == 0
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts", info), info
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"],
                                             capture_output=True, text=True,
                                             check=True).stdout)
    for expected in ("考核测试计划考核评分", "一、排名", "第1名甲局（a）96分", "逾期办结（牵头）"):
        assert expected in text, expected
    assert "\ufffd" not in text


def test_the_evaluation_docx_says_what_the_text_says(cli: Cli, bundled_db: Path,
                                                     tmp_path: Path) -> None:
    target = tmp_path / "evaluation.docx"
    result = cli("--db", bundled_db, "--today", "2021-07-01", "report", "evaluation",
                 "--format", "docx", "-o", target)
    assert result.code == 0, result.err
    text = cli("--db", bundled_db, "--today", "2021-07-01", "report", "evaluation").out
    document = docx.Document(str(target))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == text.splitlines()[0]  # the title
    headings = [p for p in paragraphs if re.match("^[一二三四五六七八]、", p)]
    assert len(headings) == 7
    for heading in headings:
        assert heading[2:] in text
    overview = text.split("\n\n")[1].splitlines()[2:]  # the first section's paragraphs
    assert overview and all(line in paragraphs for line in overview)
    areas = document.tables[0]
    assert [c.text for c in areas.rows[0].cells][:2] == ["编码", "工作领域"]
    assert areas.rows[1].cells[0].text == "1"


def test_the_evaluation_pdf_is_a4_with_its_chinese_text(cli: Cli, bundled_db: Path,
                                                        tmp_path: Path) -> None:
    for tool in ("soffice", "pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    target = tmp_path / "evaluation.pdf"
    result = cli("--db", bundled_db, "--today", "2021-07-01", "report", "evaluation",
                 "-o", target)
    assert result.code == 0, result.err
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts", info), info
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"],
                                             capture_output=True, text=True,
                                             check=True).stdout)
    title = cli("--db", bundled_db, "--today", "2021-07-01", "report", "evaluation").out
    assert "".join(title.splitlines()[0].split()) in text
    assert "一、" in text and "\ufffd" not in text


def test_evaluation_pdf_needs_a_file(cli: Cli, bundled_db: Path) -> None:
    result = cli("--db", bundled_db, "report", "evaluation", "--format", "pdf")
    assert result.code == 2 and "pdf 格式需要 -o 文件名" in result.err
