"""The document layer (GB/T 9704-2012 .docx): read back with python-docx and the XML."""

import shutil
import subprocess
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.shared import Length, Mm

from planner.reports.chart import Bar, bar_chart
from planner.reports.officedoc import (
    CHAR_SPACING,
    LINE_PITCH_TWIPS,
    Fonts,
    OfficeDocument,
    Span,
    Table,
    auto_widths,
    chinese_numeral,
    fontconfig_file,
    heading_number,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def sample(fonts: Fonts | None = None) -> OfficeDocument:
    doc = OfficeDocument(fonts)
    doc.red_header("内蒙古自治区知识产权局", number="督办〔2026〕3号")
    doc.title("关于重点工作推进情况的通报", subtitle="（2026年第48周）")
    doc.heading(1, "总体情况")
    doc.paragraph("截至2026年12月2日，共有具体事项56项。")
    doc.heading(2, "体系建设")
    doc.heading(3, "保护中心")
    doc.heading(4, "选址")
    doc.heading(1, "存在问题")
    doc.paragraph([Span("出席：", role="heading1"), Span("各成员单位")], indent=False)
    doc.table(Table(["编码", "事项", "进度"], [[f"1.{i}", f"事项{i}", "10%"] for i in range(40)]))
    doc.image(bar_chart([Bar("1", 40, 50), Bar("2", 100, 80)]), width_mm=120, caption="图1")
    doc.signature("内蒙古自治区知识产权局", date(2026, 12, 2))
    return doc


@pytest.fixture(scope="module")
def written() -> tuple[docx.document.Document, dict[str, str]]:
    data = sample().to_bytes()
    with zipfile.ZipFile(BytesIO(data)) as package:
        parts = {name: package.read(name).decode("utf-8") for name in package.namelist()
                 if name.endswith(".xml")}
    return docx.Document(BytesIO(data)), parts


def body_paragraphs(document: docx.document.Document) -> list:
    return [p for p in document.paragraphs if p.text]


def run_fonts(run) -> dict[str, str]:
    fonts = run._r.find(f"{W}rPr/{W}rFonts")
    return {key.removeprefix(W): value for key, value in fonts.attrib.items()}


def test_a4_with_the_official_margins_and_type_area(written) -> None:
    section = written[0].sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    assert (round(Length(width).mm), round(Length(height).mm)) == (156, 225)


def test_line_pitch_gives_22_lines_and_28_characters(written) -> None:
    """225 mm / 22 = 579 twips exactly; 28 characters of 16 pt condensed by 0.25 pt fit 156 mm."""
    type_height_twips = 225 / 25.4 * 1440
    assert LINE_PITCH_TWIPS == 579 and 22 * LINE_PITCH_TWIPS <= type_height_twips < 23 * 579
    assert CHAR_SPACING == -5
    assert 28 * (16 + CHAR_SPACING / 20) <= 156 / 25.4 * 72 < 29 * (16 + CHAR_SPACING / 20)
    document, _ = written
    grid = document.sections[0]._sectPr.find(f"{W}docGrid")
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"
    body = next(p for p in body_paragraphs(document) if p.text.startswith("截至"))
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert body.paragraph_format.first_line_indent.pt == pytest.approx(32)
    run = body.runs[0]
    assert run.font.size.pt == 16
    assert run._r.find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-5"


def test_east_asian_font_names_are_set_and_theme_fonts_removed(written) -> None:
    document, parts = written
    body = next(p for p in body_paragraphs(document) if p.text.startswith("截至"))
    assert run_fonts(body.runs[0])["eastAsia"] == "仿宋_GB2312"
    assert "Theme" not in parts["word/styles.xml"].replace("w:themeFontLang", "")
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"


def test_title_and_headings_by_level(written) -> None:
    document, _ = written
    paragraphs = {p.text: p for p in body_paragraphs(document)}
    title = paragraphs["关于重点工作推进情况的通报"]
    assert title.alignment == 1  # centred
    assert run_fonts(title.runs[0])["eastAsia"] == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    expected = {"一、总体情况": "黑体", "（一）体系建设": "楷体_GB2312",
                "1.保护中心": "仿宋_GB2312", "（1）选址": "仿宋_GB2312", "二、存在问题": "黑体"}
    for text, font in expected.items():
        run = paragraphs[text].runs[0]
        assert run_fonts(run)["eastAsia"] == font and run.font.size.pt == 16, text
    label = paragraphs["出席：各成员单位"]
    assert [run_fonts(r)["eastAsia"] for r in label.runs] == ["黑体", "仿宋_GB2312"]


def test_red_header_with_number_and_rule(written) -> None:
    document, _ = written
    office = document.paragraphs[0]
    assert office.text == "内蒙古自治区知识产权局"
    assert str(office.runs[0].font.color.rgb) == "FF0000"
    assert run_fonts(office.runs[0])["eastAsia"] == "方正小标宋简体"
    number = document.paragraphs[1]
    assert number.text == "督办〔2026〕3号"
    rule = number._p.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule.get(f"{W}color") == "FF0000" and rule.get(f"{W}val") == "single"


def test_page_numbers_at_the_outer_edge_of_odd_and_even_pages(written) -> None:
    document, parts = written
    assert "<w:evenAndOddHeaders" in parts["word/settings.xml"]
    section = document.sections[0]
    for footer, align, side in ((section.footer, 2, "right"), (section.even_page_footer, 0,
                                                                  "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —" and paragraph.alignment == align
        assert paragraph._p.find(f"{W}pPr/{W}ind").get(f"{W}{side}") == "280"  # 一字
        instructions = "".join(t.text for t in paragraph._p.iter(f"{W}instrText"))
        assert instructions.strip() == "PAGE"
        assert all(run_fonts(r)["eastAsia"] == "宋体" and r.font.size.pt == 14
                   for r in paragraph.runs)


def test_table_header_repeats_rows_do_not_split_and_text_is_smaller(written) -> None:
    document, _ = written
    table = document.tables[0]
    header, *rows = table.rows
    assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert all(row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    assert [c.text for c in header.cells] == ["编码", "事项", "进度"] and len(rows) == 40
    run = rows[0].cells[1].paragraphs[0].runs[0]
    assert run_fonts(run)["eastAsia"] == "仿宋_GB2312" and run.font.size.pt == 10.5
    assert sum(col.width for col in table.columns) == pytest.approx(Mm(156), rel=0.01)


def test_image_and_signature(written) -> None:
    document, _ = written
    assert len(document.inline_shapes) == 1
    assert round(document.inline_shapes[0].width.mm) == 120
    texts = [p.text for p in document.paragraphs]
    assert texts[-1] == "2026年12月2日"
    date_line = document.paragraphs[-1]
    assert date_line.alignment == 2
    assert date_line._p.find(f"{W}pPr/{W}ind").get(f"{W}right") == str(4 * 16 * 20)


def test_font_settings_come_from_the_environment() -> None:
    fonts = Fonts.from_environment({"PLANNER_FONT_BODY": "仿宋", "PLANNER_FONT_TITLE": " "})
    assert fonts.body == "仿宋" and fonts.title == "方正小标宋简体"
    document = docx.Document(BytesIO(sample(fonts).to_bytes()))
    body = next(p for p in body_paragraphs(document) if p.text.startswith("截至"))
    assert run_fonts(body.runs[0])["eastAsia"] == "仿宋"


def test_stored_text_cannot_break_the_xml() -> None:
    doc = OfficeDocument()
    doc.paragraph("控制\x1b字符 <&> 与换行\n第二行")
    doc.table(Table(["a"], [["\x00\x07"]]))
    document = docx.Document(BytesIO(doc.to_bytes()))
    assert document.paragraphs[0].text == "控制\\x1b字符 <&> 与换行\n第二行"


def test_heading_numbers_and_levels() -> None:
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 21)] == [
        "一", "九", "十", "十一", "二十", "二十一"]
    assert [heading_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    doc = OfficeDocument()
    assert doc.heading(1, "甲") == "一、甲"
    assert doc.heading(2, "乙") == "（一）乙"
    assert doc.heading(1, "丙") == "二、丙"
    assert doc.heading(2, "丁") == "（一）丁"
    with pytest.raises(ValueError):
        doc.heading(5, "戊")


def test_short_columns_stay_on_one_line_and_titles_take_the_rest() -> None:
    table = Table(["编码", "事项", "截止日期", "进度"],
                  [["1.1", "建设中国（内蒙古）知识产权保护中心" * 3, "2025-12-31", "100%"]])
    widths = auto_widths(table)
    assert sum(widths) == pytest.approx(156)
    assert widths[2] >= 10 * 0.6 * 10.5 * 25.4 / 72 and widths[1] == max(widths)


def test_chart_is_a_png_of_the_requested_rows() -> None:
    png = bar_chart([Bar("1", 10, 20), Bar("7", 100, 0)])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png == bar_chart(
        [Bar("1", 10, 20), Bar("7", 100, 0)])
    assert bar_chart([Bar("1", 10, 20)]) != bar_chart([Bar("1", 11, 20)])


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's fc-match is absent")
def test_office_font_names_find_free_stand_ins(tmp_path: Path) -> None:
    """The private fontconfig file LibreOffice renders with maps each office font to a free
    CJK font installed here (Noto CJK / AR PL / Fandol)."""
    config = tmp_path / "fonts.conf"
    config.write_text(fontconfig_file(Fonts()), encoding="utf-8")
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"):
        found = subprocess.run(["fc-match", "-f", "%{family}", name], capture_output=True,
                               text=True, env={"FONTCONFIG_FILE": str(config)}, check=True)
        if "CJK" not in subprocess.run(["fc-list", ":lang=zh-cn", "family"],
                                       capture_output=True, text=True).stdout:
            pytest.skip("no Chinese font installed")
        assert any(stand_in in found.stdout for stand_in in (
            "Noto", "AR PL", "Fandol", "WenQuanYi")), (name, found.stdout)
