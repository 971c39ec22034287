"""The weekly report as an office document: the generated 总体情况 paragraph for fixed figures,
the .docx read back, and a real LibreOffice conversion to PDF read with poppler."""

import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest

from planner.cli import main
from planner.core.rollup import Colour
from planner.core.status import Status
from planner.reports.weekly import (
    COLOURS,
    AreaUpdates,
    DueMove,
    Figure,
    Overview,
    UpdateLine,
    WeeklyReport,
)
from planner.reports.weekly_paper import overview_paragraph, update_sentence
from tests.scenarios import WEEK_OF_REPORTS

ROOT = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fixed_report(*, progress: float, expected: float, change: float,
                 statuses: dict[Status, int], colours: dict[Colour, int],
                 colour_change: dict[Colour, int], updates: int = 0, completed: int = 0,
                 moves: int = 0) -> WeeklyReport:
    """A report with the given figures and nothing else."""
    by_status = {status: statuses.get(status, 0) for status in Status}
    by_colour = {colour: colours.get(colour, 0) for colour in COLOURS}
    leaves = sum(by_status.values())
    done = by_status[Status.DONE] + by_status[Status.CLOSED]
    start = date(2026, 11, 23)
    line = UpdateLine(start, "1.1", "事项", "单位", Status.IN_PROGRESS, Status.IN_PROGRESS,
                      10, 20, None)
    return WeeklyReport(
        plan_title="计划", due_soon_days=14, week_label="2026-W48", week_start=start,
        week_end=start + timedelta(days=6), as_of=date(2026, 11, 27), generated=date(2026, 11, 27),
        unit_id=None, unit_name=None,
        overview=Overview(
            plan=Figure("", "计划", progress, expected, Colour.GREEN, done, leaves),
            by_status=by_status, by_colour=by_colour, progress_change=change,
            by_status_change={status: 0 for status in Status},
            by_colour_change={colour: colour_change.get(colour, 0) for colour in COLOURS}),
        areas=[], updates=[AreaUpdates("1", "领域", [line] * updates)] if updates else [],
        completed=[line] * completed,
        due_moves=[DueMove(start, "2", "x", start, start, "r", 1)] * moves,
        red=[], yellow=[], blue=[], silent_units=[], indicators=[])


GOLDEN_PARAGRAPHS = [
    (dict(progress=8.4, expected=13.2, change=4.2,
          statuses={Status.NOT_STARTED: 52, Status.IN_PROGRESS: 2, Status.DONE: 2},
          colours={Colour.RED: 2, Colour.YELLOW: 41}, colour_change={Colour.YELLOW: 39},
          updates=3, completed=1, moves=1),
     "截至2026年11月27日，共有具体事项56项，其中已完成（含销号）2项，推进中2项，未启动52项。"
     "总体进度8%，序时进度13%，落后序时进度5个百分点；较上周提高4个百分点。"
     "红色预警2项，与上周持平；黄色预警41项，比上周增加39项。"
     "本周报送进展3条，完成1项，调整截止日期1项。"),
    (dict(progress=61.0, expected=55.0, change=-1.0,
          statuses={Status.IN_PROGRESS: 30, Status.BLOCKED: 2, Status.DONE: 10,
                    Status.CLOSED: 5, Status.CANCELLED: 1, Status.NOT_STARTED: 0},
          colours={Colour.RED: 0, Colour.YELLOW: 3}, colour_change={Colour.RED: -2,
                                                                     Colour.YELLOW: -4}),
     "截至2026年11月27日，共有具体事项48项，其中已完成（含销号）15项，推进中30项，受阻2项，"
     "未启动0项，已取消1项。总体进度61%，序时进度55%，快于序时进度6个百分点；"
     "较上周下降1个百分点。红色预警0项，比上周减少2项；黄色预警3项，比上周减少4项。"
     "本周报送进展0条，完成0项。"),
    (dict(progress=50.2, expected=49.8, change=0.3, statuses={Status.IN_PROGRESS: 4},
          colours={}, colour_change={}),
     "截至2026年11月27日，共有具体事项4项，其中已完成（含销号）0项，推进中4项，未启动0项。"
     "总体进度50%，序时进度50%，与序时进度持平；与上周持平。"
     "红色预警0项，与上周持平；黄色预警0项，与上周持平。本周报送进展0条，完成0项。"),
]


@pytest.mark.parametrize(("figures", "expected"), GOLDEN_PARAGRAPHS)
def test_overview_paragraph_for_fixed_figures(figures: dict, expected: str) -> None:
    assert overview_paragraph(fixed_report(**figures), "zh") == expected


def test_overview_paragraph_in_english() -> None:
    text = overview_paragraph(fixed_report(**GOLDEN_PARAGRAPHS[0][0]), "en")
    assert text == (
        "As of 2026-11-27 there are 56 items: 2 done or closed, 2 in progress, 52 not started. "
        "Overall progress is 8% against 13% expected, 5 points behind; up 4 points on last "
        "week. Red: 2, unchanged from last week; yellow: 41, 39 more than last week. "
        "Updates this week: 3; completed: 1; deadlines moved: 1.")


def test_update_sentences() -> None:
    day = date(2026, 11, 24)
    line = UpdateLine(day, "3.1", "建设保护中心。", "区局", Status.NOT_STARTED,
                      Status.IN_PROGRESS, 0, 25, "方案报批。")
    assert update_sentence(line, "zh") == (
        "3.1 建设保护中心（区局）：由未启动转为推进中，进度由0%提高到25%，方案报批。")
    same = UpdateLine(day, "3.1", "建设保护中心", "区局", Status.IN_PROGRESS,
                      Status.IN_PROGRESS, 40, 30, None)
    assert update_sentence(same, "zh") == "3.1 建设保护中心（区局）：进度由40%调整为30%。"


# --- the bundled plan's week, written by the command ---------------------------------------

def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0, argv
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled plan with a week of reports (2021-W26), a quiet ordinary week."""
    folder = tmp_path_factory.mktemp("weekly_office")
    db = folder / "plan.db"
    assert main(["--db", str(db), "init", "--file", str(ROOT / "tasks.yaml")]) == 0
    for today, *argv in WEEK_OF_REPORTS:
        assert main(["--db", str(db), "--today", today, *argv]) == 0
    return db


@pytest.fixture(scope="module")
def weekly_docx(bundled: Path) -> docx.document.Document:
    target = bundled.parent / "weekly.docx"  # the format from the file's extension
    assert main(["--db", str(bundled), "--today", "2021-07-02", "report", "weekly", "-o",
                 str(target)]) == 0
    return docx.Document(str(target))


def test_weekly_docx_has_the_four_parts_chart_and_annex(weekly_docx) -> None:
    texts = [p.text for p in weekly_docx.paragraphs if p.text]
    assert texts[0] == '内蒙古自治区"十四五"知识产权工作重点任务工作进展周报'
    assert texts[1] == "（2021年第26周，2021年6月28日至2021年7月4日）"
    headings = [t for t in texts if re.match(r"^[一二三四五]、", t)]
    assert headings == ["一、总体情况", "二、本周进展", "三、存在问题", "四、下步安排"]
    assert texts[texts.index("一、总体情况") + 1].startswith("截至2021年7月2日，共有具体事项56项")
    assert "（一）3 围绕加强体系建设，全力建设“三个中心”“一个平台”“一个基地”" in texts
    assert "（二）滞后事项" in texts and "其余36项滞后10个百分点及以下，详见附件。" in texts
    assert len(weekly_docx.inline_shapes) == 1  # the chart
    annex = next(p for p in weekly_docx.paragraphs if p.text == "附件")
    assert annex._p.find(f"{W}pPr/{W}pageBreakBefore") is not None


def test_weekly_docx_fonts_by_level_and_tables(weekly_docx) -> None:
    by_text = {p.text: p for p in weekly_docx.paragraphs if p.text}

    def east_asian(text: str) -> str:
        return by_text[text].runs[0]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")

    assert east_asian("一、总体情况") == "黑体"
    assert east_asian("（一）逾期事项") == "楷体_GB2312"
    assert east_asian('内蒙古自治区"十四五"知识产权工作重点任务工作进展周报') == "方正小标宋简体"
    red, yellow, annex = weekly_docx.tables
    assert [c.text for c in red.rows[0].cells] == [
        "编码", "事项", "牵头单位", "截止日期", "进度", "序时进度", "逾期天数"]
    assert [r.cells[0].text for r in red.rows[1:]] == ["7.2.1@2021-04-20", "7.2.3@2021-04-26"]
    assert len(yellow.rows) == 1 + 5
    for table in (red, yellow, annex):
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    # The annex: the ledger to the task level, a 牵头单位 row where the lead changes.
    assert annex.rows[1].cells[0].text == "牵头单位：自治区市场监管局（知识产权局）"
    codes = [r.cells[0].text for r in annex.rows[2:]]
    assert codes[:3] == ["1", "1.1", "1.2"] and len(codes) == 29 and "7.2.1" not in codes


def test_unit_weekly_docx_names_the_unit(bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "amr.docx"
    assert main(["--db", str(bundled), "--today", "2021-07-02", "report", "weekly", "--unit",
                 "amr", "--format", "docx", "-o", str(target)]) == 0
    subtitle = docx.Document(str(target)).paragraphs[1].text
    assert subtitle.endswith("（自治区市场监管局（知识产权局））")


def test_docx_and_pdf_need_an_output_file(bundled: Path, capsys) -> None:
    for fmt in ("docx", "pdf"):
        capsys.readouterr()
        assert main(["--db", str(bundled), "report", "weekly", "--format", fmt]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"{fmt} 格式需要 -o 文件名" in err


def test_pdf_without_libreoffice_is_one_clear_line(bundled: Path, tmp_path: Path) -> None:
    """A real `python -m planner` whose PATH has no soffice: exit 2, one line, no file."""
    target = tmp_path / "w.pdf"
    env = {**os.environ, "PATH": str(tmp_path), "PLANNER_DB": str(bundled)}
    result = subprocess.run([sys.executable, "-m", "planner", "--today", "2021-07-02",
                             "report", "weekly", "-o", str(target)], capture_output=True,
                            text=True, env=env, timeout=60, check=False)
    assert result.returncode == 2 and not target.exists()
    assert result.stderr.count("\n") == 1 and "LibreOffice" in result.stderr


# --- a real conversion with LibreOffice --------------------------------------------------------

def _need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (Debian package {package}; .ci/run installs it)")
    return path


def test_libreoffice_pdf_is_a4_at_most_four_pages_with_chinese_text(bundled: Path,
                                                                     tmp_path: Path) -> None:
    _need("soffice", "libreoffice-writer-nogui")
    pdfinfo = _need("pdfinfo", "poppler-utils")
    pdftotext = _need("pdftotext", "poppler-utils")
    pdffonts = _need("pdffonts", "poppler-utils")
    fonts = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True,
                           text=True, check=False).stdout if shutil.which("fc-list") else "?"
    if not fonts.strip():
        pytest.skip("no Chinese font installed (fonts-noto-cjk; .ci/run installs it)")
    target = tmp_path / "weekly.pdf"
    assert main(["--db", str(bundled), "--today", "2021-07-02", "report", "weekly",
                 "--format", "pdf", "-o", str(target)]) == 0
    info = subprocess.run([pdfinfo, "-f", "1", "-l", "99", str(target)], capture_output=True,
                          text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M)[1])  # type: ignore[index]
    assert 2 <= pages <= 4, info
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, flags=re.M)
    assert len(sizes) == pages
    assert all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in sizes)
    text = re.sub(r"\s+", "", subprocess.run([pdftotext, "-enc", "UTF-8", str(target), "-"],
                                             capture_output=True, text=True,
                                             check=True).stdout)
    for expected in ("一、总体情况", "截至2021年7月2日，共有具体事项56项", "二、本周进展",
                     "三、存在问题", "四、下步安排", "附件", "事项台账", "—1—"):
        assert expected in text, expected
    assert "\ufffd" not in text and "\u25a1" not in text
    # Every font is embedded and a CJK one: no character fell back to a font without it.
    listed = subprocess.run([pdffonts, str(target)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert listed
    for line in listed:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", line
        assert re.search(r"CJK|UKai|UMing|KaitiM|Fandol|WenQuanYi", name), line


def test_long_lists_name_the_worst_and_count_the_rest() -> None:
    """A big plan's 三、存在问题 stays readable: 20 red items by name, the rest counted."""
    from planner.reports.ledger import Ledger
    from planner.reports.weekly import ItemLine
    from planner.reports.weekly_paper import build_paper

    report = fixed_report(progress=1, expected=2, change=0, statuses={Status.NOT_STARTED: 25},
                          colours={Colour.RED: 25}, colour_change={})
    report.red = [ItemLine(f"1.{i}", "事项", "单位", date(2026, 1, 1), Status.NOT_STARTED, 0, 100,
                           100 - i) for i in range(25)]
    paper = build_paper(report, Ledger("计划", report.as_of, [], "uid"), "zh")
    red = paper.parts[2].parts[0]
    assert red.table is not None and [row[0].text for row in red.table.rows] == [
        f"1.{i}" for i in range(20)]
    assert red.paragraphs == ["红色预警25项，均已超过截止日期："]
    assert red.after == ["其余5项逾期80天及以下，详见附件。"]
