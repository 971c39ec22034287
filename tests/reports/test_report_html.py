"""The printable HTML weekly report: its structure, and a real print to A4 PDF with Chromium.

The data is a real SQLite database loaded from the bundled plan, with a week of updates from
several units across work areas, a deadline move and an indicator reading, all entered
through the `planner` command like a coordinator would.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planner.cli import main
from planner.core.rollup import Colour
from planner.i18n import label
from planner.reports.ledger import build_ledger
from planner.reports.render_html import render_html
from planner.reports.sections import Cell, Section
from planner.reports.weekly import WeeklyReport, build_weekly
from planner.reports.weekly_paper import build_paper, paper_sections
from planner.store.db import make_engine, session_scope

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "tasks.yaml"
TODAY = "2021-06-30"
WEEK_START = date(2021, 6, 28)
PLAN_TITLE = '内蒙古自治区"十四五"知识产权工作重点任务'
AMR = "自治区市场监管局（知识产权局）"
HOSTILE_NOTE = '试点启动 <script>alert("x")</script> & <b>加粗</b>'
SECTION_KEYS = ["overview", "progress", "area-2", "area-3", "area-4", "area-5", "area-6",
                "problems", "red", "yellow", "due_moves", "next", "due", "chase", "annex"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


# --- a small DOM from the standard library's parser ----------------------------------------

@dataclass
class Node:
    """An element with its attributes, children (elements and text) in document order."""

    tag: str
    attrs: dict[str, str]
    children: list["Node | str"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str) -> list["Node"]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found += child.all(tag)
        return found

    def elements(self) -> list["Node"]:
        return [c for c in self.children if isinstance(c, Node)]


class TreeBuilder(HTMLParser):
    """Builds `Node`s and records the doctype; fails on a mismatched end tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> tuple[str, Node]:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.doctype, builder.root


def squeeze(text: str) -> str:
    """Text without any whitespace (PDF text wraps inside table cells)."""
    return re.sub(r"\s+", "", text)


# --- the data: a real database and a week of updates through the CLI -----------------------

@dataclass(frozen=True)
class Rendered:
    """The report of the week as data, and the files the command wrote."""

    report: WeeklyReport
    header: list[str]
    sections: list[Section]
    en_sections: list[Section]
    zh: str
    en: str
    zh_again: str
    zh_path: Path


def planner(db: Path, today: str, *argv: str) -> None:
    assert main(["--db", str(db), "--today", today, "--as", "tester", *argv]) == 0, argv


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    folder = tmp_path_factory.mktemp("html_report")
    db = folder / "plan.db"
    planner(db, "2021-06-21", "init", "--file", str(BUNDLED))
    planner(db, "2021-06-28", "update", "5.1.4", "--status", "推进中", "--progress", "30",
            "--by", "amr", "--note", "已部署专项行动")
    planner(db, "2021-06-28", "update", "3.2.1", "--progress", "20", "--by", "hhht",
            "--note", HOSTILE_NOTE)
    planner(db, "2021-06-29", "update", "6.2.1", "--status", "推进中", "--progress", "10",
            "--by", "czt", "--note", "已安排驰名商标企业走访")
    planner(db, "2021-06-29", "update", "4.1.2", "--status", "推进中", "--progress", "60",
            "--by", "czt", "--note", "配套资金申请已提交")
    planner(db, "2021-06-30", "update", "4.1.2", "--status", "已完成", "--by", "czt",
            "--note", "1亿元配套资金已到位")
    planner(db, "2021-06-29", "update", "2.1.2", "--due", "2021-07-10",
            "--reason", "按自治区立法计划提前")
    planner(db, "2021-06-30", "update", "2.1.2", "--status", "推进中", "--progress", "95",
            "--by", "amr", "--note", "规划文本已送审")
    planner(db, "2021-06-29", "reading", "I1", "20", "--date", "2021-06-29")
    zh_path, zh_again_path, en_path = (folder / "report.html", folder / "again.html",
                                       folder / "report_en.html")
    planner(db, TODAY, "report", "weekly", "--format", "html", "-o", str(zh_path))
    planner(db, TODAY, "report", "weekly", "--format", "html", "-o", str(zh_again_path))
    planner(db, TODAY, "--lang", "en", "report", "weekly", "-o", str(en_path))
    with session_scope(make_engine(f"sqlite:///{db}")) as session:
        report = build_weekly(session=session, today=date.fromisoformat(TODAY),
                              week_start=WEEK_START)
        ledger = build_ledger(session=session, today=report.as_of, tree=report.tree)
    header, sections = paper_sections(build_paper(report, ledger, "zh"), "zh")
    _, en_sections = paper_sections(build_paper(report, ledger, "en"), "en")
    return Rendered(report, header, sections, en_sections, zh_path.read_text(encoding="utf-8"),
                    en_path.read_text(encoding="utf-8"),
                    zh_again_path.read_text(encoding="utf-8"), zh_path)


def sections_of(root: Node) -> list[Node]:
    return [s for s in root.all("section") if "report-section" in s.classes]


def section(root: Node, key: str) -> Node:
    return next(s for s in sections_of(root) if s.attrs.get("id") == f"section-{key}")


def body_rows(node: Node) -> list[list[Node]]:
    return [row.all("td") for body in node.all("tbody") for row in body.all("tr")]


def stylesheet(html: str) -> str:
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert len(styles) == 1
    return styles[0]


# --- structure --------------------------------------------------------------------------------

def test_document_is_html5_in_chinese_with_one_title(rendered: Rendered) -> None:
    doctype, root = parse(rendered.zh)
    assert doctype.lower() == "doctype html"
    (html,) = root.all("html")
    assert html.attrs["lang"] == "zh-CN"
    assert any(m.attrs.get("charset", "").lower() == "utf-8" for m in root.all("meta"))
    (h1,) = root.all("h1")
    header = rendered.header
    assert h1.text() == header[0] and h1.text().startswith(PLAN_TITLE)
    assert root.all("title")[0].text() == header[0]
    info = next(d for d in root.all("div") if "info" in d.classes)
    assert [p.text() for p in info.all("p")] == header[1:]
    assert "2021-W26" in info.text()


def test_one_section_per_report_section_in_order(rendered: Rendered) -> None:
    _, root = parse(rendered.zh)
    expected = rendered.sections
    found = sections_of(root)
    assert [s.attrs["id"] for s in found] == [f"section-{key}" for key in SECTION_KEYS]
    assert [(s.all("h2") or s.all("h3"))[0].text() for s in found] \
        == [s.title for s in expected]
    assert [s.title for s in expected if s.level == 1] == [
        "一、总体情况", "二、本周进展", "三、存在问题", "四、下步安排",
        "附件 事项台账（截至2021年6月30日）"]
    for node, data in zip(found, expected, strict=True):
        assert bool(node.all("h3")) == (data.level == 2)
        assert [p.text() for p in node.elements() if p.tag == "p" and not p.classes] \
            == data.paragraphs + data.notes
        if data.rows:
            (table,) = node.all("table")
            assert [th.text() for th in table.all("th")] == data.columns
            assert [[td.text() for td in row] for row in body_rows(node)] \
                == [[cell.text for cell in row] for row in data.rows]
        else:
            assert not node.all("table")


def test_every_table_has_a_header_row_before_its_body(rendered: Rendered) -> None:
    _, root = parse(rendered.zh)
    tables = root.all("table")
    assert len(tables) >= 4
    for table in tables:
        parts = [child.tag for child in table.elements()]
        assert parts == ["thead", "tbody"], parts
        (row,) = table.all("thead")[0].all("tr")
        assert row.all("th") and all(th.attrs.get("scope") == "col" for th in row.all("th"))


def test_problem_lists_name_the_red_and_the_furthest_behind_yellow_items(
        rendered: Rendered) -> None:
    _, root = parse(rendered.zh)
    red = body_rows(section(root, "red"))
    assert [row[0].text() for row in red] == [item.code for item in rendered.report.red]
    assert [row[1].text() for row in red] == [item.title for item in rendered.report.red]
    yellow = body_rows(section(root, "yellow"))
    listed = rendered.report.yellow[:5]
    assert [row[0].text() for row in yellow] == [item.code for item in listed]
    assert [int(row[-1].text()) for row in yellow] == sorted(
        (item.days for item in listed), reverse=True)
    assert len(listed) == len(rendered.report.yellow) == 2  # all named: no 其余…项
    assert "其余" not in section(root, "yellow").text()


@pytest.mark.parametrize(("colour", "symbol"), [
    (Colour.RED, "▲"), (Colour.YELLOW, "◆"), (Colour.GREEN, "○")])
def test_warning_cells_carry_colour_class_and_symbol(rendered: Rendered, colour: Colour,
                                                     symbol: str) -> None:
    _, root = parse(rendered.zh)
    cells = [row[-1] for row in body_rows(section(root, "annex"))
             if row[-1].text() == f"{symbol}{colour.label('zh')}"]
    assert cells, f"the annex should have {colour} items"
    assert all({"warn", f"warn-{colour.value}"} <= cell.classes for cell in cells)


def test_known_red_and_yellow_items(rendered: Rendered) -> None:
    _, root = parse(rendered.zh)
    red = {row[0].text(): row for row in body_rows(section(root, "red"))}
    assert "7.2.1@2021-04-20" in red
    assert red["7.2.1@2021-04-20"][2].text() == AMR
    due = red["7.2.1@2021-04-20"][3]
    assert due.text() == "2021-04-26" and "nw" in due.classes  # a date never wraps at "-"
    assert re.search(r"td\.nw\s*\{[^}]*white-space:\s*nowrap", stylesheet(rendered.zh))
    yellow = [row[0].text() for row in body_rows(section(root, "yellow"))]
    due = [row[0].text() for row in body_rows(section(root, "due"))]
    # pulled forward to 2021-07-10 and nearly done: due soon and on schedule, so not behind
    assert "2.1.2" in due and "2.1.2" not in yellow
    assert "1.2.1" in yellow and "1.2.1" not in due


def test_overview_warning_cells_use_the_colour_classes(rendered: Rendered) -> None:
    _, root = parse(rendered.zh)
    cells = [td for row in body_rows(section(root, "overview")) for td in row
             if "warn" in td.classes]
    assert [sorted(c for c in td.classes if c.startswith("warn")) for td in cells] == [
        ["warn", f"warn-{area.colour.value}"] for area in rendered.report.areas]
    style = stylesheet(rendered.zh)
    for colour in Colour:
        rule = re.search(rf"\.warn-{colour.value}\s*\{{([^}}]*)\}}", style)
        assert rule and "background" in rule[1] and "color" in rule[1], colour


def test_numbers_right_aligned_and_progress_drawn_as_bars(rendered: Rendered) -> None:
    _, root = parse(rendered.zh)
    areas = section(root, "overview")
    figures = {figure.code: figure for figure in rendered.report.areas}
    for row in body_rows(areas):
        bar = row[2]
        assert "bar" in bar.classes
        (fill,) = [s for s in bar.all("span") if "bar-fill" in s.classes]
        width = float(re.fullmatch(r"width: ([\d.]+)%", fill.attrs["style"])[1])  # type: ignore[index]
        assert width == pytest.approx(figures[row[0].text()].progress, abs=0.05)
        assert bar.text() == f"{figures[row[0].text()].progress:.0f}%"
        assert "num" in row[3].classes and "num" in row[5].classes
    numeric_headers = [th.text() for th in areas.all("th") if "num" in th.classes]
    assert numeric_headers == ["序时进度", "完成"]
    assert re.search(r"td\.num\s*\{[^}]*text-align:\s*right", stylesheet(rendered.zh))


def test_print_rules_for_a4_page_breaks_and_repeated_headers(rendered: Rendered) -> None:
    style = stylesheet(rendered.zh)
    assert re.search(r"@page\s*\{[^}]*size:\s*A4 portrait\s*;[^}]*margin:", style)
    breaks = re.findall(r"([^{}]+)\{[^}]*(?:break-before:\s*page|page-break-before:\s*always)",
                        style)
    assert [selector.strip() for selector in breaks] == ["#section-annex"], \
        "a page break before the annex only"
    assert re.search(r"\.keep\s*\{[^}]*break-inside:\s*avoid", style)
    assert re.search(r"(?:^|[\s}])tr\s*\{[^}]*break-inside:\s*avoid", style)
    assert re.search(r"thead\s*\{[^}]*display:\s*table-header-group", style)
    assert "Noto Sans CJK SC" in style and "Microsoft YaHei" in style
    assert re.search(r"font-family:[^;]*sans-serif", style)


def test_self_contained_nothing_fetched_nothing_run(rendered: Rendered) -> None:
    for html in (rendered.zh, rendered.en):
        lowered = html.lower()
        for forbidden in ("http://", "https://", "<script", "<link", "<img", "<iframe",
                          "@import", "url(", "@font-face", "src="):
            assert forbidden not in lowered, forbidden


def test_text_is_escaped(rendered: Rendered) -> None:
    _, root = parse(rendered.zh)
    paragraphs = [p.text() for p in section(root, "area-3").all("p")]
    assert any(HOSTILE_NOTE in paragraph for paragraph in paragraphs)
    assert not root.all("script") and not root.all("b")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in rendered.zh
    assert "&quot;十四五&quot;" in rendered.zh


def test_chinese_titles_and_unit_names(rendered: Rendered) -> None:
    _, root = parse(rendered.zh)
    progress = "".join(section(root, key).text() for key in SECTION_KEYS
                       if key.startswith("area-"))
    assert all(f"（{unit}）" in progress for unit in (AMR, "呼和浩特市", "自治区财政厅"))
    assert section(root, "area-4").all("h3")[0].text().startswith("（三）4 围绕企业创新发展")
    assert "4.1.2 积极争取国家相关政策和1亿元配套资金支持（自治区财政厅）：由推进中转为已完成" \
        in progress
    moves = section(root, "due_moves").text()
    assert "2.1.2" in moves and "调整为2021年7月10日" in moves and "按自治区立法计划提前" in moves
    assert section(root, "overview").all("td")[1].text().startswith("围绕打基础提能力")


def test_english_report_has_english_headings(rendered: Rendered) -> None:
    _, root = parse(rendered.en)
    (html,) = root.all("html")
    assert html.attrs["lang"] == "en"
    assert [s.all("h2")[0].text() for s in sections_of(root) if s.all("h2")] \
        == [f"{n}. {label(key, 'en')}" for n, key in enumerate(
            ("paper_overview", "paper_progress", "paper_problems", "paper_next"), start=1)] \
        + ["Annex Item ledger (as of 2021-06-30)"]
    assert [s.title for s in rendered.en_sections if s.level == 2][:2] == [
        "(1) 2 围绕强化顶层设计，全力编制好“一个规划”抓好“一项合作”出台“一个条例”",
        "(2) 3 围绕加强体系建设，全力建设“三个中心”“一个平台”“一个基地”"]
    assert root.all("h1")[0].text() == f"{PLAN_TITLE} Weekly progress report"
    annex = body_rows(section(root, "annex"))
    assert any(row[-1].text() == "▲red" and "warn-red" in row[-1].classes for row in annex)
    assert "Lead" in [th.text() for th in section(root, "red").all("th")]


def test_rendering_is_deterministic(rendered: Rendered) -> None:
    assert rendered.zh.encode() == rendered.zh_again.encode()
    first = render_html(rendered.header, rendered.sections, lang="zh")
    second = render_html(rendered.header, rendered.sections, lang="zh")
    assert first.encode() == second.encode() == rendered.zh.encode()


def test_render_html_on_hand_made_sections() -> None:
    sections = [
        Section("a", "甲 <一>", paragraphs=["x & y"], columns=["名称", "数", "进度", "预警"],
                rows=[[Cell("<i>"), Cell("3", numeric=True), Cell("150%", bar=150.0),
                       Cell("◆黄", colour=Colour.YELLOW)],
                      [Cell("b"), Cell("", numeric=True), Cell("−5%", bar=-5.0), Cell("")]]),
        Section("b", "乙", columns=["x"], empty="（无）"),
        Section("c", "丙", paragraphs=["只有段落"]),
    ]
    html = render_html(["标题 & <副>", "第二行"], sections, lang="zh")
    _, root = parse(html)
    assert root.all("h1")[0].text() == "标题 & <副>"
    assert [s.all("h2")[0].text() for s in sections_of(root)] == ["甲 <一>", "乙", "丙"]
    rows = body_rows(section(root, "a"))
    assert rows[0][0].text() == "<i>" and not root.all("i")
    widths = [s.attrs["style"] for s in root.all("span") if "bar-fill" in s.classes]
    assert widths == ["width: 100.0%", "width: 0.0%"]
    assert [th.text() for th in root.all("th") if "num" in th.classes] == ["数"]
    assert {"warn", "warn-yellow"} <= rows[0][3].classes
    assert [p.text() for p in section(root, "b").all("p")] == ["（无）"]
    assert not section(root, "c").all("table") and not section(root, "c").all("p")[1:]
    assert render_html(["t"], [], lang="en").startswith('<!DOCTYPE html>\n<html lang="en">')


# --- a real print to PDF ------------------------------------------------------------------------

def _need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (Debian package {package}; .ci/run installs it)")
    return path


def _have_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True  # cannot tell; let the print show it
    found = subprocess.run([fc_list, ":lang=zh-cn", "family"], capture_output=True, text=True,
                           check=False)
    return bool(found.stdout.strip())


@dataclass(frozen=True)
class Printed:
    pdf: Path
    info: str
    pages: list[str]


@pytest.fixture(scope="module")
def printed(rendered: Rendered, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    chromium = _need("chromium", "chromium")
    pdfinfo = _need("pdfinfo", "poppler-utils")
    pdftotext = _need("pdftotext", "poppler-utils")
    if not _have_cjk_font():
        pytest.skip("no Chinese font installed (Debian package fonts-noto-cjk; .ci/run "
                    "installs it): the PDF text layer would have no CJK characters")
    folder = tmp_path_factory.mktemp("pdf")
    pdf = folder / "report.pdf"
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
               f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf}", rendered.zh_path.resolve().as_uri()]
    env = {"HOME": str(folder), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    run = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env,
                         check=False)
    assert run.returncode == 0 and pdf.exists() and pdf.stat().st_size > 0, run.stderr[-2000:]
    info = subprocess.run([pdfinfo, "-f", "1", "-l", "9999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    # -raw keeps the drawing order, which for Chromium is cell by cell: a title wrapped
    # inside its cell stays in one piece instead of being interleaved with its neighbours.
    text = subprocess.run([pdftotext, "-raw", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return Printed(pdf, info, text.split("\f"))


def test_pdf_pages_are_a4_portrait(printed: Printed) -> None:
    pages = int(re.search(r"^Pages:\s+(\d+)", printed.info, flags=re.M)[1])  # type: ignore[index]
    assert pages > 1
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts(.*)$", printed.info,
                       flags=re.M)
    assert len(sizes) == pages
    for width, height, name in sizes:
        assert float(width) == pytest.approx(595.28, abs=1.5)
        assert float(height) == pytest.approx(841.89, abs=1.5)
        assert "(A4)" in name


def test_pdf_text_layer_carries_the_chinese_text(rendered: Rendered, printed: Printed) -> None:
    text = squeeze("".join(printed.pages))
    assert squeeze(PLAN_TITLE) in text
    red_title = rendered.report.red[0].title
    assert any("\u4e00" <= char <= "\u9fff" for char in red_title)
    assert squeeze(red_title) in text
    assert "自治区市场监管局" in text and "呼和浩特市" in text


def test_pdf_breaks_pages_only_before_the_annex(rendered: Rendered, printed: Printed) -> None:
    """Short sections follow each other (no page a section); the annex starts a page."""
    titles = [squeeze(s.title) for s in rendered.sections]
    first = squeeze(printed.pages[0])
    assert squeeze(PLAN_TITLE) in first and titles[0] in first and titles[1] in first
    pages = [squeeze(page) for page in printed.pages if page.strip()]
    assert len(pages) < len(titles) // 2
    (annex_page,) = [page for page in pages if titles[-1] in page]
    assert annex_page.startswith(titles[-1])
