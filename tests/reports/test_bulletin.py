"""`planner report bulletin` (督查通报) on the hand-computed quarter of test_assessment.py, whose
figures are known: the generated 总体情况 paragraph in zh and en, the per-unit rows, the
overdue items, the ranking with its 红黄榜 (ties too), the .docx read back, a real PDF, and
the HTML escaping what users typed.

    unit  leads (not cancelled)       due in Q1   on time  late       overdue at 03-31  missed
    a     1.1, 1.4, 1.7               1.1         1.1      —          1.7 (90 days)     Feb
    b     1.2, 1.5                    1.2, 1.5    —        1.2        1.5 (11 days)     Mar
    c     1.3, 1.6 (1.8 cancelled)    1.3, 1.6    —        1.3, 1.6   —                 —

Scores (test_assessment.EXPECTED): a 96, b 95.5, c 95.25.
"""

import re
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from planner.core.assessment import UnitScore
from planner.reports.bulletin import honour_lists, list_lengths, period_text
from tests.conftest import CliResult
from tests.reports.test_assessment import PLAN, quarter_database

Cli = Callable[..., CliResult]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
QUARTER = ("--from", "2025-Q1", "--to", "2025-Q1")

OVERVIEW_ZH = (
    "2025年第一季度，3个成员单位牵头的7项任务中，期内到期5项。期内办结4项，其中按期办结1项、"
    "逾期办结3项，按期办结率25%；截至2025年3月31日，逾期未办结2项。2个单位共2次未按调度周期"
    "报送进展。3个单位参加考核评分，平均95.58分，最高96分，最低95.25分。")
OVERVIEW_EN = (
    "In 2025 Q1, 3 member units led 7 items, 5 of them due in the period. 4 were finished in "
    "the period, 1 on time and 3 late (25% on time); at 2025-03-31, 2 were overdue and "
    "unfinished. 2 units missed 2 reporting cycles in all. 3 units were assessed: 95.58 points "
    "on average, 96 at best and 95.25 at worst.")


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("bulletin")
    url = f"sqlite:///{folder / 'q.db'}"
    return url, quarter_database(url, folder)


def bulletin(cli: Cli, quarter: tuple[str, Path], *argv: str | Path, lang: str = "zh",
             rules: Path | None = None) -> str:
    url, default_rules = quarter
    result = cli("--db", url, "--today", "2025-04-20", "--lang", lang, "report", "bulletin",
                 *QUARTER, "--rules", rules or default_rules, "--number", "3", "--date",
                 "2025-04-21", *argv)
    assert result.code == 0, result.err
    return result.out


def test_the_overview_is_generated_from_the_quarters_figures(cli: Cli, quarter) -> None:
    zh = bulletin(cli, quarter).splitlines()
    assert zh[0] == "关于2025年第一季度考核测试计划落实情况的通报"
    assert zh[2:4] == ["督查督办工作办公室　督查〔2025〕3号", "各成员单位："]
    assert zh[zh.index("一、总体情况") + 2] == OVERVIEW_ZH
    en = bulletin(cli, quarter, lang="en").splitlines()
    assert en[en.index("1. Overall situation") + 2] == OVERVIEW_EN


def test_the_unit_table_and_the_overdue_items(cli: Cli, quarter) -> None:
    markdown = bulletin(cli, quarter, "--format", "md")
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert rows[:5] == [
        "| 单位 | 牵头事项 | 期内到期 | 按期办结 | 逾期办结 | 逾期未办结 | 未按期报送（次） |",
        "| 甲局 | 3 | 1 | 1 | 0 | 1 | 1 |",
        "| 乙市 | 2 | 2 | 0 | 1 | 1 | 1 |",
        "| 丙厅 | 2 | 2 | 0 | 2 | 0 | 0 |",
        "| 合计 | 7 | 5 | 1 | 3 | 2 | 2 |",
    ]
    assert rows[5:8] == ["| 编码 | 事项 | 牵头单位 | 截止日期 | 逾期天数 |",
                         "| 1.7 | 事项七 | 甲局 | 2024-12-31 | 90 |",
                         "| 1.5 | 事项五 | 乙市 | 2025-03-20 | 11 |"]
    assert rows[8:12] == ["| 名次 | 单位 | 得分 | 加分 | 扣分 |", "| 1 | 甲局 | 96 | +4 | −8 |",
                          "| 2 | 乙市 | 95.5 | +2 | −6.5 |", "| 3 | 丙厅 | 95.25 | 0 | −4.75 |"]


def test_red_and_yellow_lists_from_the_rule_files_lengths(cli: Cli, quarter,
                                                          tmp_path: Path) -> None:
    # Default 3 each, but three units: each list names one, and says why. Five working days
    # after Monday 21 April 2025 is Sunday the 27th, worked for the May Day holiday.
    text = bulletin(cli, quarter)
    assert "红榜（得分前1名）：甲局（96分）。" in text
    assert "黄榜（得分后1名）：丙厅（95.25分）。" in text
    assert "参评单位3个，不足两榜之和，红榜列1个、黄榜列1个。" in text
    assert "（三）认真整改提高。列入黄榜的丙厅要认真查找原因，于2025年4月27日前报送整改措施。" \
        in text
    rules = tmp_path / "rules.yaml"
    rules.write_text(quarter[1].read_text(encoding="utf-8") + "red_list: 2\nyellow_list: 1\n",
                     encoding="utf-8")
    text = bulletin(cli, quarter, rules=rules)
    assert "红榜（得分前2名）：甲局（96分）、乙市（95.5分）。" in text
    assert "黄榜（得分后1名）：丙厅（95.25分）。" in text and "不足两榜之和" not in text


def test_a_red_list_length_that_is_not_a_count_is_refused_with_its_line(
        cli: Cli, quarter, tmp_path: Path) -> None:
    url, good = quarter
    rules = tmp_path / "rules.yaml"
    rules.write_text(good.read_text(encoding="utf-8") + "red_list: 1.5\n", encoding="utf-8")
    result = cli("--db", url, "--today", "2025-04-20", "report", "bulletin", "--rules", rules)
    assert result.code == 2 and result.err.count("\n") == 1
    assert f"{rules}:10:11" in result.err and "red_list必须是整数（实际 1.5）" in result.err


def _score(unit: str, score: str, rank: int) -> UnitScore:
    return UnitScore(unit, unit.upper(), Decimal(score), rank)


def test_ties_at_the_edge_of_a_list_are_all_named_and_no_unit_is_on_both() -> None:
    scores = [_score("a", "99", 1), _score("b", "98", 2), _score("c", "98", 2),
              _score("d", "97", 4), _score("e", "90", 5), _score("f", "90", 5),
              _score("g", "80", 7), _score("h", "80", 7)]
    red, yellow = honour_lists(scores, 2, 1)
    assert [(h.name, h.rank, h.tied) for h in red] == [("A", 1, False), ("B", 2, True),
                                                       ("C", 2, True)]
    assert [(h.name, h.tied) for h in yellow] == [("G", True), ("H", True)]
    # Everyone equal: all on the red list, none on the yellow.
    equal = [_score(u, "100", 1) for u in "abcd"]
    red, yellow = honour_lists(equal, 1, 1)
    assert [h.name for h in red] == ["A", "B", "C", "D"] and yellow == []
    assert list_lengths(3, 3, 3) == (1, 1) and list_lengths(10, 3, 3) == (3, 3)
    assert honour_lists([], 3, 3) == ([], [])


def test_the_period_is_named_as_an_office_names_it() -> None:
    from datetime import date

    assert period_text(date(2025, 1, 1), date(2025, 3, 31), "zh") == "2025年第一季度"
    assert period_text(date(2025, 1, 1), date(2025, 12, 31), "zh") == "2025年"
    assert period_text(date(2025, 7, 1), date(2025, 12, 31), "en") == "2025 H2"
    assert period_text(date(2025, 3, 1), date(2025, 3, 31), "en") == "2025-03"
    assert period_text(date(2025, 1, 5), date(2025, 2, 20), "zh") == "2025年1月5日至2月20日"
    assert period_text(date(2024, 12, 5), date(2025, 2, 20), "zh") == \
        "2024年12月5日至2025年2月20日"


def _east_asian(paragraph) -> str:
    return paragraph.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")


def test_the_docx_has_the_red_header_number_addressee_and_fonts_by_level(
        cli: Cli, quarter, tmp_path: Path) -> None:
    target = tmp_path / "bulletin.docx"
    out = bulletin(cli, quarter, "--office", "内蒙古自治区知识产权局", "-o", target)
    assert out.startswith("督查通报已写入") and target.is_file()
    document = docx.Document(str(target))
    paragraphs = [p for p in document.paragraphs if p.text]
    office, number = paragraphs[0], paragraphs[1]
    assert office.text == "内蒙古自治区知识产权局"
    assert office.runs[0]._r.find(f"{W}rPr/{W}color").get(f"{W}val") == "FF0000"
    assert _east_asian(office) == "方正小标宋简体"
    assert number.text == "督查〔2025〕3号\t2025年4月21日"
    rule = number._p.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule is not None and rule.get(f"{W}color") == "FF0000"
    assert paragraphs[2].text == "关于2025年第一季度考核测试计划落实情况的通报"
    assert paragraphs[3].text == "各成员单位："
    by_text = {p.text: p for p in paragraphs}
    assert [p.text for p in paragraphs if re.match("^[一二三四五]、", p.text)] == [
        "一、总体情况", "二、各单位落实情况", "三、逾期未办结事项", "四、考核排名和红黄榜",
        "五、下步要求"]
    assert _east_asian(by_text["一、总体情况"]) == "黑体"
    assert _east_asian(by_text[OVERVIEW_ZH]) == "仿宋_GB2312"
    requirement = next(p for p in paragraphs if p.text.startswith("（一）抓紧办理逾期事项。"))
    assert _east_asian(requirement) == "楷体_GB2312"  # the requirement's heading phrase
    assert requirement.runs[1]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert [p.text for p in paragraphs[-2:]] == ["内蒙古自治区知识产权局", "2025年4月21日"]
    units, overdue, ranking = document.tables
    assert [c.text for c in units.rows[1].cells] == ["甲局", "3", "1", "1", "0", "1", "1"]
    assert units.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [r.cells[0].text for r in overdue.rows[1:]] == ["1.7", "1.5"]
    assert [r.cells[1].text for r in ranking.rows[1:]] == ["甲局", "乙市", "丙厅"]


def test_the_pdf_is_a4_with_its_chinese_text(cli: Cli, quarter, tmp_path: Path) -> None:
    for tool in ("soffice", "pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    target = tmp_path / "bulletin.pdf"
    bulletin(cli, quarter, "-o", target)
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True,
                          check=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()  # type: ignore[union-attr]
    assert abs(float(width) - 595.3) < 1.5 and abs(float(height) - 841.9) < 1.5
    assert 1 <= int(re.search(r"Pages:\s+(\d+)", info)[1]) <= 4  # type: ignore[index]
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"],
                                             capture_output=True, text=True,
                                             check=True).stdout)
    for expected in ("督查督办工作办公室", "督查〔2025〕3号", "各成员单位：", "一、总体情况",
                     "红榜（得分前1名）：甲局（96分）", "五、下步要求", "—1—"):
        assert expected in text, expected
    assert "\ufffd" not in text


def test_html_escapes_what_users_typed(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.replace("甲局", "<script>甲局</script>").replace(
        "事项七", "事项七 & <b>加粗</b>"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'h.db'}"
    assert cli("--db", url, "--today", "2024-12-20", "init", "--file", plan).code == 0
    target = tmp_path / "b.html"
    result = cli("--db", url, "--today", "2025-04-20", "report", "bulletin", *QUARTER,
                 "--office", "<i>办</i>", "-o", target)
    assert result.code == 0, result.err
    html = target.read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>加粗" not in html and "<i>办" not in html
    assert "&lt;script&gt;甲局&lt;/script&gt;" in html
    assert "事项七 &amp; &lt;b&gt;加粗&lt;/b&gt;" in html and "&lt;i&gt;办&lt;/i&gt;" in html


def test_office_formats_need_a_file_and_a_bad_period_is_one_line(cli: Cli, quarter) -> None:
    url, _ = quarter
    result = cli("--db", url, "--today", "2025-04-20", "report", "bulletin", "--format",
                 "docx")
    assert result.code == 2 and "docx 格式需要 -o 文件名" in result.err
    result = cli("--db", url, "--today", "2025-04-20", "report", "bulletin", "--from",
                 "2025-05-01", "--to", "2025-04-01")
    assert result.code == 2 and result.err.count("\n") == 1 and "考核期间为空" in result.err
