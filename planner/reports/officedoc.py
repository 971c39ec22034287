"""Office documents in the official layout (GB/T 9704-2012), written as .docx and PDF.

Every printed output builds an `OfficeDocument` and adds blocks in reading order:

    doc = OfficeDocument(fonts)
    doc.red_header("内蒙古自治区知识产权局", number="督办〔2026〕3号")   # 版头, optional
    doc.title("关于……的通报")
    doc.heading(1, "总体情况")   # 一、总体情况 in 黑体; level 2 （一） 楷体; 3 1. and 4 （1） 仿宋
    doc.paragraph("正文……")                 # 仿宋 3号, first line indented two characters
    doc.paragraph([Span("出席：", role="heading1"), Span("各成员单位")], indent=False)
    doc.table(["编码", "事项"], [["1.1", "……"]], widths_mm=[20, 136])
    doc.image(png_bytes, width_mm=150)
    doc.signature("内蒙古自治区知识产权局", date(2026, 12, 2))
    doc.save(path)        # or write_pdf(doc, path) through LibreOffice

The page: A4, margins top 37 mm, left 28 mm, type area 156 × 225 mm (so bottom 35 mm, right
26 mm). Body 16 pt at an exact line pitch of 225 mm / 22 lines = 579 twips (28.95 pt), on a
line grid of the same pitch; 28 characters a line: 28 × 16 pt = 448 pt is 5.8 pt more than
the 442.2 pt of 156 mm, so every character is condensed by 0.25 pt (`w:spacing` −5, in
twentieths of a point: 28 × 15.75 pt = 441 pt fits, −4 would give 442.4 pt and 27 a line).
A character grid would do the same in Word, but LibreOffice lays a negative `w:charSpace`
out wrongly, so the condensing is on the runs. Page numbers `— 1 —` in 4号 宋体, odd pages
right and even pages left, one character in from the edge of the type area (different odd
and even footers).

Font names are written into `w:eastAsia` as well as the Latin slots (python-docx's
`font.name` sets only the Latin ones), and the template's theme fonts are removed: a theme
font attribute wins over a named font, and python-docx's default theme is Japanese.
"""

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, fields, replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.core.errors import PlannerError
from planner.core.text import terminal_text
from planner.reports.numbering import CN_DIGITS as CN_DIGITS  # re-exported
from planner.reports.numbering import chinese_date as chinese_date
from planner.reports.numbering import chinese_numeral as chinese_numeral
from planner.reports.numbering import heading_number as heading_number

if TYPE_CHECKING:
    from docx.document import Document
    from docx.shared import Length


# python-docx (and xml.sax.saxutils, which imports urllib.request) are loaded only when a
# document is built: the text layouts of a report use this module's numbering and dates.
def parse_xml(xml: str) -> Any:
    """python-docx's `parse_xml`, imported on first use."""
    from docx.oxml import parse_xml as parse

    return parse(xml)


def Mm(value: float) -> "Length":  # python-docx's name, kept at the call sites
    """python-docx's `Mm` length, imported on first use."""
    from docx.shared import Mm as millimetres

    return millimetres(value)


def escape(data: str, entities: Mapping[str, str] | None = None) -> str:
    """`data` as XML text, as `xml.sax.saxutils.escape` writes it: &, > and <, then the
    characters of `entities`."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for char, entity in (entities or {}).items():
        data = data.replace(char, entity)
    return data

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0
TOP_MM, LEFT_MM = 37.0, 28.0
TYPE_WIDTH_MM, TYPE_HEIGHT_MM = 156.0, 225.0
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - TYPE_HEIGHT_MM
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - TYPE_WIDTH_MM
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_PT = 16.0
TITLE_PT = 22.0
PAGE_NUMBER_PT = 14.0
TABLE_PT = 10.5
TWIPS_PER_MM = 1440 / 25.4


def _line_pitch_twips() -> int:
    """The exact line pitch: the type area's height over 22 lines, rounded down so 22 fit."""
    return int(TYPE_HEIGHT_MM * TWIPS_PER_MM / LINES_PER_PAGE)


def _char_spacing_twentieths() -> int:
    """Condensing per character (twentieths of a point, ≤ 0) so 28 body characters fit a line."""
    width_pt = TYPE_WIDTH_MM / 25.4 * 72
    spare = width_pt / CHARS_PER_LINE - BODY_PT
    if spare >= 0:
        return 0
    return -int(-spare * 20 + 0.999999)


LINE_PITCH_TWIPS = _line_pitch_twips()
CHAR_SPACING = _char_spacing_twentieths()
RED = "FF0000"


@dataclass(frozen=True, slots=True)
class Fonts:
    """The font of each role, by the names Word finds on an office machine. Environment
    variables PLANNER_FONT_TITLE, …_BODY, …_HEADING1, …_HEADING2, …_PAGE_NUMBER override."""

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    page_number: str = "宋体"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> "Fonts":
        """The defaults, each overridden by a non-empty PLANNER_FONT_<ROLE>."""
        overrides = {f.name: environ[f"PLANNER_FONT_{f.name.upper()}"].strip()
                     for f in fields(cls)
                     if environ.get(f"PLANNER_FONT_{f.name.upper()}", "").strip()}
        return replace(cls(), **overrides)


# Free fonts that stand in for the office fonts when LibreOffice renders a PDF on a machine
# without them (Debian: fonts-noto-cjk, fonts-arphic-ukai/gkai00mp, texlive's FandolFang).
# Matched by generic name too, so a setting like 仿宋 or FangSong finds the same stand-in.
STAND_INS: dict[str, tuple[str, ...]] = {
    "仿宋": ("FandolFang", "Noto Serif CJK SC", "AR PL UMing CN"),
    "楷体": ("AR PL KaitiM GB", "AR PL UKai CN", "FandolKai", "Noto Serif CJK SC"),
    "黑体": ("Noto Sans CJK SC", "FandolHei", "WenQuanYi Zen Hei"),
    "宋": ("Noto Serif CJK SC", "FandolSong", "AR PL UMing CN"),
}
_GENERIC = (("仿宋", "仿宋"), ("fangsong", "仿宋"), ("楷", "楷体"), ("kai", "楷体"),
            ("黑", "黑体"), ("hei", "黑体"), ("宋", "宋"), ("song", "宋"), ("ming", "宋"))


def stand_ins(name: str) -> tuple[str, ...]:
    """The free fonts to render `name` with: 仿宋_GB2312 → FandolFang, Noto Serif CJK SC, …"""
    lowered = name.lower()
    for needle, kind in _GENERIC:
        if needle in lowered:
            return STAND_INS[kind]
    return STAND_INS["宋"]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text in a paragraph: its font role (`Fonts` field), bold, colour (hex)."""

    text: str
    role: str | None = None
    bold: bool = False
    colour: str | None = None


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text_xml(text: str) -> str:
    """Runs' inner XML for `text`: control characters shown as escapes, newlines as breaks."""
    safe = terminal_text(text, multiline=True)
    safe = _XML_UNSAFE.sub("\ufffd", safe).replace("\t", " ")
    parts = [f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in safe.split("\n")]
    return "<w:br/>".join(parts)


def _rpr(font: str, size_pt: float, *, bold: bool = False, colour: str | None = None,
         spacing: int = 0) -> str:
    half_points = round(size_pt * 2)
    name = escape(font, {'"': "&quot;"})
    out = (f'<w:rPr><w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" '
           f'w:cs="{name}" w:hint="eastAsia"/>')
    if bold:
        out += "<w:b/><w:bCs/>"
    if colour:
        out += f'<w:color w:val="{colour}"/>'
    if spacing:
        out += f'<w:spacing w:val="{spacing}"/>'
    return out + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'


def _ppr(*, align: str | None = None, first_line_chars: int = 0, pitch: bool = True,
         before: int = 0, after: int = 0, left_twips: int = 0, right_twips: int = 0,
         keep_next: bool = False, border_bottom: str | None = None,
         page_break_before: bool = False, size_pt: float = BODY_PT,
         hanging_chars: float = 0) -> str:
    """A paragraph's properties; with `hanging_chars`, lines after the first start that many
    characters right of the first line (which keeps its `first_line_chars` indent)."""
    out = "<w:pPr>"
    if keep_next:
        out += "<w:keepNext/>"
    if page_break_before:
        out += "<w:pageBreakBefore/>"
    if border_bottom:
        out += f"<w:pBdr>{border_bottom}</w:pBdr>"
    if not pitch:
        out += '<w:snapToGrid w:val="0"/>'
    line = (f'w:line="{LINE_PITCH_TWIPS}" w:lineRule="exact"' if pitch
            else 'w:line="240" w:lineRule="auto"')
    out += f'<w:spacing w:before="{before}" w:after="{after}" {line}/>'
    if hanging_chars:
        hanging = round(hanging_chars * size_pt * 20)
        left = left_twips + round(first_line_chars * size_pt * 20) + hanging
        out += f'<w:ind w:left="{left}" w:right="{right_twips}" w:hanging="{hanging}"/>'
    elif first_line_chars or left_twips or right_twips:
        first = round(first_line_chars * size_pt * 20)
        out += (f'<w:ind w:left="{left_twips}" w:right="{right_twips}"'
                + (f' w:firstLine="{first}"' if first else "") + "/>")
    if align:
        out += f'<w:jc w:val="{align}"/>'
    return out + "</w:pPr>"


@dataclass(frozen=True, slots=True)
class Table:
    """A table's content: header row, body rows, column widths and text size. A row of one
    cell spans the whole table, in the heading font (a group's label)."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths_mm: Sequence[float] | None = None
    """Relative widths; by default sized to the content (`auto_widths`)."""
    size_pt: float = TABLE_PT
    align: Sequence[str] | None = None
    """Per column: "left", "center" or "right" (default left)."""
    merges: Sequence[tuple[int, int, int, int]] = ()
    """Body cells spanning more than one cell, as (row, column, rows down, columns across),
    0-based in `rows` (a 重点任务 merged down over its measures); the text of the cells they
    cover is not shown."""


AUTO_WIDTH_SAMPLE = 400
"""Rows read to size the columns of a table without given widths."""


def text_width_em(text: str) -> float:
    """The width of a line of `text` in ems: CJK and ambiguous symbols one, the rest ~0.6."""
    return sum(1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.6 for char in text)


def auto_widths(table: "Table", total_mm: float = TYPE_WIDTH_MM) -> list[float]:
    """Column widths that keep short columns (codes, dates, figures) on one line and share
    what is left among the long ones (titles, units) by their length."""
    em_mm = table.size_pt * 25.4 / 72
    pad_mm = 2 * 57 / TWIPS_PER_MM + 1.2
    count = len(table.columns)
    natural = [0.0] * count
    for row in table.rows[:AUTO_WIDTH_SAMPLE]:
        if len(row) == 1:
            continue
        for i in range(min(count, len(row))):
            longest = max((text_width_em(line) for line in row[i].split("\n")), default=0.0)
            natural[i] = max(natural[i], longest)
    for i, column in enumerate(table.columns):
        # A header may wrap onto two lines, but a column is never narrower than two characters.
        natural[i] = max(natural[i], text_width_em(column) / 2, 2.0)
    widths = [n * em_mm + pad_mm for n in natural]
    if sum(widths) <= total_mm:
        longest = max(range(count), key=lambda i: widths[i])
        widths[longest] += total_mm - sum(widths)
        return widths
    # Columns narrower than an even share stay on one line; of the others, all but the
    # widest take two lines' worth (a unit's name), and the widest (titles) takes the rest.
    share = total_mm / count
    flexible = sorted((i for i in range(count) if widths[i] > share), key=lambda i: widths[i])
    for i in flexible[:-1]:
        widths[i] = max(share, (natural[i] / 2 + 0.5) * em_mm + pad_mm)
    widest = flexible[-1]
    widths[widest] = max(total_mm - sum(w for i, w in enumerate(widths) if i != widest),
                         4 * em_mm + pad_mm)
    return widths


class OfficeDocument:
    """A .docx in the GB/T 9704-2012 layout, built block by block in reading order."""

    def __init__(self, fonts: Fonts | None = None) -> None:
        self.fonts = fonts or Fonts()
        import docx

        self._doc: Document = docx.Document()
        self._counters = [0, 0, 0, 0]
        self._set_up_page()
        self._set_up_defaults()
        self._set_up_page_numbers()

    # --- setting up ---------------------------------------------------------------------

    def _set_up_page(self) -> None:
        section = self._doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        # The page number's 一字线 sits 7 mm under the type area; its line is about 6 mm.
        section.footer_distance = Mm(BOTTOM_MM - 7 - 6)
        section.header_distance = Mm(15)
        sect_pr = section._sectPr
        for grid in sect_pr.findall(f"{{{W_NS}}}docGrid"):
            sect_pr.remove(grid)
        sect_pr.append(parse_xml(
            f'<w:docGrid {NSDECL} w:type="lines" w:linePitch="{LINE_PITCH_TWIPS}"/>'))

    def _set_up_defaults(self) -> None:
        """Body font everywhere by name (no theme fonts), Chinese as the East-Asian language."""
        styles = self._doc.styles.element
        for fonts in styles.iter(f"{{{W_NS}}}rFonts"):
            for attribute in list(fonts.attrib):
                if attribute.endswith("Theme") or attribute.endswith("theme"):
                    del fonts.attrib[attribute]
        defaults = styles.find(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault/{{{W_NS}}}rPr")
        assert defaults is not None
        for child in list(defaults):
            defaults.remove(child)
        for child in parse_xml(_rpr(self.fonts.body, BODY_PT).replace(
                "<w:rPr>", f"<w:rPr {NSDECL}>", 1)):
            defaults.append(child)
        defaults.append(parse_xml(
            f'<w:lang {NSDECL} w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'))
        paragraph_defaults = styles.find(
            f"{{{W_NS}}}docDefaults/{{{W_NS}}}pPrDefault/{{{W_NS}}}pPr")
        if paragraph_defaults is not None:
            for child in list(paragraph_defaults):
                paragraph_defaults.remove(child)
            paragraph_defaults.append(parse_xml(
                f'<w:spacing {NSDECL} w:before="0" w:after="0" w:line="{LINE_PITCH_TWIPS}" '
                'w:lineRule="exact"/>'))
        settings = self._doc.settings.element
        for lang in settings.findall(f"{{{W_NS}}}themeFontLang"):
            lang.set(f"{{{W_NS}}}eastAsia", "zh-CN")

    def _set_up_page_numbers(self) -> None:
        """`— N —` at the outer edge: odd pages right, even pages left, one character in."""
        self._doc.settings.odd_and_even_pages_header_footer = True
        section = self._doc.sections[0]
        indent = round(PAGE_NUMBER_PT * 20)
        for footer, align, side in ((section.footer, "right", "right"),
                                    (section.even_page_footer, "left", "left")):
            footer.is_linked_to_previous = False
            element = footer._element
            for child in list(element):
                element.remove(child)
            element.append(parse_xml(self._page_number_xml(align, side, indent)))

    def _page_number_xml(self, align: str, side: str, indent: int) -> str:
        rpr = _rpr(self.fonts.page_number, PAGE_NUMBER_PT)
        run = f"<w:r>{rpr}" + "{}</w:r>"
        return (f"<w:p {NSDECL}><w:pPr><w:snapToGrid w:val=\"0\"/>"
                f'<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
                f'<w:ind w:{side}="{indent}"/><w:jc w:val="{align}"/></w:pPr>'
                + run.format('<w:t xml:space="preserve">— </w:t>')
                + run.format('<w:fldChar w:fldCharType="begin"/>')
                + run.format('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
                + run.format('<w:fldChar w:fldCharType="separate"/>')
                + run.format("<w:t>1</w:t>")
                + run.format('<w:fldChar w:fldCharType="end"/>')
                + run.format('<w:t xml:space="preserve"> —</w:t>')
                + "</w:p>")

    # --- blocks -------------------------------------------------------------------------

    def _append(self, xml: str) -> None:
        self._doc.element.body.sectPr.addprevious(parse_xml(xml))

    def _font(self, role: str | None) -> str:
        return str(getattr(self.fonts, role or "body"))

    def _runs(self, spans: Iterable[Span], size_pt: float, spacing: int) -> str:
        return "".join(
            "<w:r>" + _rpr(self._font(s.role), size_pt, bold=s.bold, colour=s.colour,
                           spacing=spacing) + f"{_text_xml(s.text)}</w:r>"
            for s in spans if s.text)

    def red_header(self, office: str, *, number: str | None = None,
                   day: date | None = None) -> None:
        """版头: the issuing office in red 小标宋, then the 文号 (and date) over a red rule."""
        size = min(36.0, int(TYPE_WIDTH_MM / 25.4 * 72 * 0.95 / max(len(office), 1)))
        self._append(f"<w:p {NSDECL}>" + _ppr(align="center", pitch=False, after=240)
                     + self._runs([Span(office, role="title", colour=RED)], size, 0) + "</w:p>")
        rule = f'<w:bottom w:val="single" w:sz="12" w:space="4" w:color="{RED}"/>'
        spans = [Span(number or "")]
        align = "center"
        if day is not None:
            spans = [Span(number or ""), Span("\t" if number else ""), Span(chinese_date(day))]
            align = "left" if number else "right"
        tabs = (f'<w:tabs><w:tab w:val="right" w:pos="{round(TYPE_WIDTH_MM * TWIPS_PER_MM)}"/>'
                "</w:tabs>")
        ppr = _ppr(align=align, border_bottom=rule, after=LINE_PITCH_TWIPS * 2)
        ppr = ppr.replace("<w:spacing", tabs + "<w:spacing", 1)
        body = "".join(
            f"<w:r>{_rpr(self.fonts.body, BODY_PT)}<w:tab/></w:r>" if s.text == "\t"
            else self._runs([s], BODY_PT, 0) for s in spans)
        self._append(f"<w:p {NSDECL}>{ppr}{body}</w:p>")

    def title(self, text: str, *, subtitle: str | None = None) -> None:
        """The title in 2号 小标宋, centred; an optional subtitle in 楷体 under it."""
        # Not snapped to the line grid: LibreOffice would give each 22 pt line two lines.
        title_ppr = _ppr(align="center", size_pt=TITLE_PT).replace(
            "<w:spacing", '<w:snapToGrid w:val="0"/><w:spacing', 1)
        self._append(f"<w:p {NSDECL}>" + title_ppr
                     + self._runs([Span(text, role="title")], TITLE_PT, 0) + "</w:p>")
        if subtitle:
            self._append(f"<w:p {NSDECL}>" + _ppr(align="center")
                         + self._runs([Span(subtitle, role="heading2")], BODY_PT, CHAR_SPACING)
                         + "</w:p>")
        self.blank_line()

    def blank_line(self) -> None:
        """One empty body line."""
        self._append(f"<w:p {NSDECL}>{_ppr()}</w:p>")

    def heading(self, level: int, text: str, *, numbered: bool = True) -> str:
        """A heading at `level` 1–4, numbered 一、 / （一） / 1. / （1） in its level's font
        (黑体, 楷体, 仿宋, 仿宋); deeper counters restart. Returns the text as written."""
        if not 1 <= level <= 4:
            raise ValueError(f"heading level {level} is not 1–4")
        if numbered:
            self._counters[level - 1] += 1
            for deeper in range(level, 4):
                self._counters[deeper] = 0
            text = heading_number(level, self._counters[level - 1]) + text
        role = {1: "heading1", 2: "heading2"}.get(level, "body")
        self._append(f"<w:p {NSDECL}>" + _ppr(first_line_chars=2, keep_next=True)
                     + self._runs([Span(text, role=role)], BODY_PT, CHAR_SPACING) + "</w:p>")
        return text

    def paragraph(self, content: str | Sequence[Span], *, indent: bool = True,
                  align: str | None = None, new_page: bool = False, hang: float = 0) -> None:
        """A body paragraph (3号 仿宋, first line indented two characters unless `indent` is
        off); `content` is plain text or spans with their own font role, bold or colour;
        `new_page` starts it on a new page (an 附件); `hang` > 0 starts its wrapped lines that
        many characters (of the body size) further right than the first: under the text
        after a label such as 出席：."""
        spans = [Span(content)] if isinstance(content, str) else list(content)
        self._append(f"<w:p {NSDECL}>"
                     + _ppr(first_line_chars=2 if indent else 0, align=align or "both",
                            page_break_before=new_page, hanging_chars=hang)
                     + self._runs(spans, BODY_PT, CHAR_SPACING) + "</w:p>")

    def signature(self, office: str | None, day: date) -> None:
        """The issuing office and 成文日期 (Arabic numerals) at the right, 右空四字."""
        self.blank_line()
        right = round(4 * BODY_PT * 20)
        for text in (office, chinese_date(day)):
            if text:
                self._append(f"<w:p {NSDECL}>" + _ppr(align="right", right_twips=right)
                             + self._runs([Span(text)], BODY_PT, CHAR_SPACING) + "</w:p>")

    def table(self, table: Table) -> None:
        """A full-width table in a smaller 仿宋, its header row repeated on every page and no
        row split across pages. Built as one XML string: 10,000 rows take well under a second."""
        count = len(table.columns)
        total_twips = round(TYPE_WIDTH_MM * TWIPS_PER_MM)
        shares = list(table.widths_mm or auto_widths(table))
        widths = [round(total_twips * share / sum(shares)) for share in shares]
        aligns = list(table.align or ["left"] * count)
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        borders = "".join(border.format(side) for side in
                          ("top", "left", "bottom", "right", "insideH", "insideV"))
        out = [f"<w:tbl {NSDECL}><w:tblPr><w:tblW w:w=\"{total_twips}\" w:type=\"dxa\"/>"
               f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
               '<w:tblLayout w:type="fixed"/><w:tblCellMar>'
               '<w:top w:w="17" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
               '<w:bottom w:w="17" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
               "</w:tblCellMar></w:tblPr><w:tblGrid>",
               *(f'<w:gridCol w:w="{width}"/>' for width in widths), "</w:tblGrid>"]
        body_rpr = _rpr(self.fonts.body, table.size_pt)
        head_rpr = _rpr(self.fonts.heading1, table.size_pt)
        jc = {"left": "left", "center": "center", "right": "right"}
        # Rows at an exact pitch of 1.2 × the text size: compact, and the same in Word and
        # LibreOffice (an "auto" line takes each font's own, taller, line height).
        spacing = (f'<w:spacing w:before="0" w:after="0" w:line="{round(table.size_pt * 24)}" '
                   'w:lineRule="exact"/>')
        cell_ppr = [f'<w:pPr><w:snapToGrid w:val="0"/>{spacing}'
                    f'<w:jc w:val="{jc.get(a, "left")}"/></w:pPr>' for a in aligns]
        head_ppr = (f'<w:pPr><w:snapToGrid w:val="0"/>{spacing}<w:jc w:val="center"/>'
                    "</w:pPr>")
        cell_pr = [f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/>'
                   "</w:tcPr>" for width in widths]
        out.append('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>')
        out += [f"<w:tc>{cell_pr[i]}<w:p>{head_ppr}<w:r>{head_rpr}{_text_xml(column)}</w:r>"
                "</w:p></w:tc>" for i, column in enumerate(table.columns)]
        out.append("</w:tr>")
        span_pr = (f'<w:tcPr><w:tcW w:w="{total_twips}" w:type="dxa"/>'
                   f'<w:gridSpan w:val="{count}"/></w:tcPr>')
        spans = _cell_spans(table.merges)
        for index, row in enumerate(table.rows):
            if len(row) == 1 and count > 1:
                out.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc>{span_pr}<w:p>"
                           f"{head_ppr.replace('center', 'left')}<w:r>{head_rpr}"
                           f"{_text_xml(row[0])}</w:r></w:p></w:tc></w:tr>")
                continue
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for i in range(count):
                span = spans.get((index, i))
                if span is None:
                    text = row[i] if i < len(row) else ""
                    run = f"<w:r>{body_rpr}{_text_xml(text)}</w:r>" if text else ""
                    out.append(f"<w:tc>{cell_pr[i]}<w:p>{cell_ppr[i]}{run}</w:p></w:tc>")
                    continue
                merge, across = span
                if merge == "covered":
                    continue
                text = row[i] if merge != "continue" and i < len(row) else ""
                run = f"<w:r>{body_rpr}{_text_xml(text)}</w:r>" if text else ""
                vmerge = {"restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{sum(widths[i:i + across])}" '
                           f'w:type="dxa"/><w:gridSpan w:val="{across}"/>'
                           f'{vmerge.get(merge, "")}<w:vAlign w:val="center"/></w:tcPr>'
                           f"<w:p>{cell_ppr[i]}{run}</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self._append("".join(out))
        # Word needs a paragraph between a table and what follows.
        self._append(f"<w:p {NSDECL}>{_ppr()}</w:p>")

    def section_break(self) -> None:
        """End the section here: what follows starts on a new page, numbered from 1 again
        (one document holding several that are printed and sent apart, e.g. a notice to
        each unit). The section ending here keeps the page layout and footers."""
        final = self._doc.element.body.sectPr
        if final.find(f"{{{W_NS}}}pgNumType") is None:
            # The schema's order: after the margins and borders, before the columns and grid.
            following = [final.find(f"{{{W_NS}}}{name}")
                         for name in ("cols", "formProt", "vAlign", "noEndnote", "titlePg",
                                      "textDirection", "bidi", "rtlGutter", "docGrid")]
            numbering = parse_xml(f'<w:pgNumType {NSDECL} w:start="1"/>')
            anchor = next((each for each in following if each is not None), None)
            if anchor is None:
                final.append(numbering)
            else:
                anchor.addprevious(numbering)
        last = final.getprevious()
        if last is None or last.tag != f"{{{W_NS}}}p":
            self.blank_line()
            last = final.getprevious()
        last.get_or_add_pPr().append(deepcopy(final))

    def image(self, data: bytes, *, width_mm: float, caption: str | None = None) -> None:
        """A picture (PNG or JPEG bytes), centred, `width_mm` wide, with an optional caption."""
        self._doc.add_picture(BytesIO(data), width=Mm(width_mm))
        paragraph = self._doc.paragraphs[-1]._p
        ppr = paragraph.get_or_add_pPr()
        for child in list(ppr):
            ppr.remove(child)
        for child in parse_xml(_ppr(align="center", pitch=False).replace(
                "<w:pPr>", f"<w:pPr {NSDECL}>", 1)):
            ppr.append(child)
        if caption:
            self._append(f"<w:p {NSDECL}>" + _ppr(align="center", pitch=False, after=120)
                         + self._runs([Span(caption, role="heading2")], TABLE_PT + 1.5, 0)
                         + "</w:p>")

    # --- output -------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The .docx file's bytes."""
        buffer = BytesIO()
        self._doc.save(buffer)
        return buffer.getvalue()

    def save(self, path: Path) -> None:
        """Write the .docx; a refused write is a PlannerError, not a crash."""
        data = self.to_bytes()
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise PlannerError("report_write_failed", path=path,
                               reason=exc.strerror or exc) from None


def _cell_spans(merges: Sequence[tuple[int, int, int, int]]) -> dict[tuple[int, int],
                                                                     tuple[str, int]]:
    """For each cell a merge touches, how it is written and how many grid columns it spans:
    "restart" (the first of cells merged down), "continue" (one under it), "single" (merged
    across only), "covered" (left out: a grid column spanned by the cell before it)."""
    spans: dict[tuple[int, int], tuple[str, int]] = {}
    for row, column, down, across in merges:
        for offset in range(down):
            first = "single" if down == 1 else "continue" if offset else "restart"
            spans[row + offset, column] = (first, across)
            for covered in range(column + 1, column + across):
                spans[row + offset, covered] = ("covered", 0)
    return spans


# --- PDF through LibreOffice ------------------------------------------------------------

CONVERT_TIMEOUT_S = 180


def libreoffice() -> str | None:
    """The LibreOffice program on PATH (soffice or libreoffice), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig_file(fonts: Fonts) -> str:
    """A fontconfig file: the system's configuration, plus each office font name aliased to
    its free stand-ins (accepted after the name itself, so a machine that has the office font
    keeps it)."""
    rules = []
    for name in sorted({getattr(fonts, f.name) for f in fields(fonts)}):
        families = "".join(f"<family>{escape(family)}</family>" for family in stand_ins(name))
        rules.append(f'  <alias binding="same"><family>{escape(name)}</family>'
                     f"<accept>{families}</accept></alias>")
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            f"<fontconfig>\n  <include ignore_missing=\"yes\">{escape(system)}</include>\n"
            + "\n".join(rules) + "\n</fontconfig>\n")


def write_pdf(document: OfficeDocument, path: Path) -> None:
    """Convert the document to PDF at `path` with LibreOffice in headless mode, in a private
    profile (parallel runs do not collide) and with the free stand-in fonts."""
    program = libreoffice()
    if program is None:
        raise PlannerError("office_no_libreoffice")
    with tempfile.TemporaryDirectory(prefix="planner-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(document.to_bytes())
        config = folder / "fonts.conf"
        config.write_text(fontconfig_file(document.fonts), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(config), "HOME": str(folder)}
        argv = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless", "--norestore", "--nolockcheck", "--convert-to", "pdf",
                "--outdir", str(folder), str(source)]
        try:
            result = subprocess.run(argv, env=env, capture_output=True, text=True,
                                    timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise PlannerError("office_convert_timeout", seconds=CONVERT_TIMEOUT_S) from None
        produced = folder / "document.pdf"
        if result.returncode != 0 or not produced.is_file():
            reason = (result.stderr or result.stdout).strip().splitlines()
            raise PlannerError("office_convert_failed",
                               reason=reason[-1] if reason else result.returncode)
        try:
            shutil.copyfile(produced, path)
        except OSError as exc:
            raise PlannerError("report_write_failed", path=path,
                               reason=exc.strerror or exc) from None


def write_office(document: OfficeDocument, path: Path, fmt: str) -> None:
    """Write `document` as .docx or .pdf (`fmt`)."""
    if fmt == "pdf":
        write_pdf(document, path)
    else:
        document.save(path)

