"""A self-contained, print-ready HTML5 layout of report sections (A4 portrait, CJK fonts).

One file with its stylesheet inline and nothing fetched: no scripts, links, web fonts or
images. Warning cells carry a colour class *and* keep their symbol (▲◆●○) so a black and
white printout still reads; progress cells draw a CSS bar next to the percentage. The
output depends only on its arguments, so rendering twice gives the same bytes.
"""

import re
from html import escape

from planner.core.rollup import Colour
from planner.core.text import terminal_text
from planner.reports.sections import Cell, Section

LANG_ATTR = {"zh": "zh-CN", "en": "en"}
NUM = ' class="num"'
_NO_SPACE = re.compile(r"\S+")
_LATIN_WORD = re.compile(r"[!-~→−—…]+")

FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", '
              '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", '
              '"SimSun", sans-serif')

# Background, text and border of each warning colour: light fills with dark text keep the
# contrast on screen, and print as light greys with the symbol still legible.
WARNING_STYLE: dict[Colour, tuple[str, str, str]] = {
    Colour.RED: ("#fde2e1", "#a1120b", "#e8a29e"),
    Colour.YELLOW: ("#fff3c4", "#6b4e00", "#e6cf7a"),
    Colour.BLUE: ("#dde9fd", "#1b3f99", "#a3bff0"),
    Colour.GREEN: ("#ddf5e4", "#17603a", "#9fd6b1"),
}


def warning_class(colour: Colour) -> str:
    """The CSS class of a warning cell, e.g. `warn warn-red`."""
    return f"warn warn-{colour.value}"


def _stylesheet() -> str:
    warnings = "\n".join(
        f".warn-{colour.value} {{ background: {bg}; color: {fg}; border-color: {line}; }}"
        for colour, (bg, fg, line) in WARNING_STYLE.items())
    return f"""\
@page {{ size: A4 portrait; margin: 15mm 12mm 16mm 12mm; }}
*, *::before, *::after {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; font-family: {FONT_STACK}; font-size: 10.5pt; line-height: 1.5;
  color: #1a1a1a; background: #fff; }}
h1 {{ font-size: 17pt; line-height: 1.3; margin: 0 0 0.4em; text-align: center; }}
h2 {{ font-size: 13pt; margin: 0 0 0.5em; padding-bottom: 0.2em;
  border-bottom: 1.5px solid #333; break-after: avoid; page-break-after: avoid; }}
.report-header {{ margin-bottom: 1.2em; }}
.info {{ font-size: 9.5pt; color: #444; text-align: center; }}
.info p {{ margin: 0.1em 0; }}
.report-section > p {{ margin: 0.3em 0; }}
.report-section > p.empty {{ color: #555; }}
h3 {{ font-size: 11.5pt; margin: 0.6em 0 0.3em; break-after: avoid; page-break-after: avoid; }}
main > .report-section + .report-section {{ margin-top: 0.8em; }}
.report-section.keep {{ break-inside: avoid; page-break-inside: avoid; }}
#section-annex {{ break-before: page; page-break-before: always; }}
table {{ width: 100%; border-collapse: collapse; margin: 0.5em 0 0.8em; font-size: 9pt;
  line-height: 1.4; }}
thead {{ display: table-header-group; }}
tfoot {{ display: table-footer-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
th, td {{ border: 1px solid #9a9a9a; padding: 0.25em 0.4em; vertical-align: top;
  text-align: left; overflow-wrap: break-word; white-space: pre-line; }}
th {{ background: #ececec; font-weight: bold; word-break: keep-all; }}
td.nw {{ white-space: nowrap; }}
tbody tr:nth-child(even) td:not(.warn) {{ background: #f7f7f7; }}
th.num, td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.warn {{ font-weight: bold; white-space: nowrap; }}
{warnings}
td.bar {{ white-space: nowrap; }}
.bar-track {{ display: inline-block; width: 4.5em; height: 0.8em; margin-right: 0.35em;
  vertical-align: -0.05em; border: 1px solid #555; background: #fff; }}
.bar-fill {{ display: block; height: 100%; background: #555; }}
.bar-text {{ display: inline-block; min-width: 2.6em; text-align: right;
  font-variant-numeric: tabular-nums; }}
@media screen {{
  body {{ max-width: 64rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }}
  main > .report-section + .report-section {{ margin-top: 2rem; }}
}}
"""


def _keep_on_one_line(text: str) -> bool:
    """Dates, codes and short labels (2021-06-29, 7.2.1@2021-04-20, 未启动→推进中) must not
    wrap: browsers break after a hyphen, which splits a date across two lines."""
    size = len(text)
    return (0 < size <= 8 and _NO_SPACE.fullmatch(text) is not None) or (
        8 < size <= 24 and _LATIN_WORD.fullmatch(text) is not None)


def _cell(cell: Cell) -> str:
    classes = ["nw"] if cell.bar is None and _keep_on_one_line(cell.text) else []
    body = escape(cell.text)
    if cell.bar is not None:
        width = max(0.0, min(100.0, cell.bar))
        classes.append("bar")
        body = (f'<span class="bar-track" aria-hidden="true"><span class="bar-fill" '
                f'style="width: {width:.1f}%"></span></span><span class="bar-text">{body}</span>')
    if cell.numeric:
        classes.append("num")
    if cell.colour is not None:
        classes.append(warning_class(cell.colour))
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{body}</td>"


def _table(columns: list[str], rows: list[list[Cell]]) -> list[str]:
    numeric = [all(i >= len(r) or r[i].numeric or not r[i].text for r in rows)
               for i in range(len(columns))]
    head = "".join(f'<th scope="col"{NUM if numeric[i] else ""}>{escape(column)}</th>'
                   for i, column in enumerate(columns))
    out = ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    out += ["<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in rows]
    out += ["</tbody>", "</table>"]
    return out


KEEP_WHOLE_ROWS = 12
"""A section with at most this many table rows is kept on one page when it fits."""


def _section(section: Section) -> list[str]:
    classes = ["report-section", f"level-{section.level}"]
    rows = section.table_rows()
    if len(rows) <= KEEP_WHOLE_ROWS:
        classes.append("keep")
    heading = "h2" if section.level <= 1 else "h3"
    out = [f'<section class="{" ".join(classes)}" id="section-{escape(section.key)}">',
           f"<{heading}>{escape(section.title)}</{heading}>"]
    out += [f"<p>{escape(paragraph)}</p>" for paragraph in section.paragraphs]
    if section.columns and rows:
        out += _table(section.columns, rows)
    elif section.columns:
        out.append(f'<p class="empty">{escape(section.empty)}</p>')
    out += [f"<p>{escape(note)}</p>" for note in section.notes]
    out.append("</section>")
    return out


def render_html(header: list[str], sections: list[Section], *, lang: str) -> str:
    """The report as one printable HTML5 document: header lines, then the sections, a
    section kept whole on a page when it is short and the annex on a new page;
    control characters in stored text shown as escapes (`terminal_text`)."""
    title = escape(header[0]) if header else ""
    out = ["<!DOCTYPE html>",
           f'<html lang="{LANG_ATTR.get(lang, "zh-CN")}">',
           "<head>",
           '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title>",
           "<style>", _stylesheet(), "</style>",
           "</head>",
           "<body>",
           '<header class="report-header">',
           f"<h1>{title}</h1>"]
    if header[1:]:
        out += ['<div class="info">', *(f"<p>{escape(line)}</p>" for line in header[1:]),
                "</div>"]
    out += ["</header>", "<main>"]
    for section in sections:
        out += _section(section)
    out += ["</main>", "</body>", "</html>"]
    # Control characters from stored text shown as escapes: never raw in a page or a terminal.
    return terminal_text("\n".join(out) + "\n", multiline=True)
