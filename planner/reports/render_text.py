"""Plain text (for a terminal or an e-mail) and Markdown layouts of report sections."""

from collections.abc import Collection
from itertools import filterfalse
from operator import itemgetter

from planner.core.text import terminal_text, terminal_texts
from planner.core.textwidth import MANY, cell_width, cell_widths, cut, cuts
from planner.reports.sections import PlainTable, Section

MAX_COLUMN = 40
_SEPARATOR = "  "
_USED = itemgetter(1)  # of a measured text: its width in cells


class _Laid:
    """What the tables of one report have laid out so far: each text escaped and measured,
    and each cell's final piece per column width and alignment. The tables of a long
    report repeat texts (an item under each of its units): each is escaped, measured and
    cut once, and the new texts of a column are escaped and measured together (`many`: in
    C where they can, for a report of `MANY` rows or more)."""

    def __init__(self, *, many: bool = False) -> None:
        self.many = many
        self.measured: dict[str, tuple[str, int]] = {}
        self.pieces: dict[tuple[int, bool], dict[str, str]] = {}

    def widest(self, texts: Collection[str]) -> int:
        """The width in cells of the widest of `texts` once escaped (0 for none)."""
        measured = self.measured
        new = list(filterfalse(measured.__contains__, texts))
        if new:
            safe = terminal_texts(new)
            widths = cell_widths(safe, many=self.many)
            measured.update(zip(new, zip(safe, widths, strict=True), strict=True))
        return max(map(_USED, map(measured.__getitem__, texts)), default=0)

    def column(self, texts: Collection[str], width: int, numeric: bool) -> dict[str, str]:
        """The pieces of `texts` (measured) in a column `width` cells wide, right-aligned
        when `numeric`."""
        pieces = self.pieces.setdefault((width, numeric), {})
        new = list(filterfalse(pieces.__contains__, texts))
        laid = list(map(self.measured.__getitem__, new))
        wider = [safe for safe, used in laid if used > width]  # cut, all at once
        kept = cuts(wider, width, many=self.many) if width > 0 else [("", 0)] * len(wider)
        cut_to = dict(zip(wider, kept, strict=True))
        for text, (safe, used) in zip(new, laid, strict=True):
            pieces[text] = _placed(*cut_to.get(safe, (safe, used)), width, numeric)
        return pieces


def _piece(text: str, used: int, width: int, numeric: bool) -> str:
    """An escaped `text` of `used` cells laid out in a column `width` cells wide: cut with
    an ellipsis (as `fit` does) when wider, right-aligned when `numeric`, else padded."""
    if used > width:
        text, used = cut(text, width) if width > 0 else ("", 0)
    return _placed(text, used, width, numeric)


def _placed(text: str, used: int, width: int, numeric: bool) -> str:
    """`_piece` for a text that fits."""
    if numeric:
        text = text.rstrip()
        return " " * (width - cell_width(text)) + text
    return text + " " * (width - used)


def _table_text(columns: list[str], table: PlainTable, laid: _Laid | None = None) -> list[str]:
    """An aligned table in terminal cells; wide columns are cut with an ellipsis. Every cell
    is one line, control characters shown as escapes (`terminal_text`).

    Built a column at a time: a long table repeats most of its cell texts (dates, names,
    rules), so each distinct text is escaped, measured and laid out once (`laid`), and a
    row is one join of looked-up pieces (130,000 rows of an assessment in well under a
    second)."""
    laid = laid or _Laid()
    columns = [terminal_text(column) for column in columns]
    raw, numeric = table.texts, table.numeric
    distinct = list(map(set, raw))
    widths = [max(cell_width(c), laid.widest(distinct[i])) for i, c in enumerate(columns)]
    # Cap every column but the last (notes, lists of codes), which is never cut.
    widths[:-1] = [min(MAX_COLUMN, width) for width in widths[:-1]]
    pieces = [laid.column(*layout) for layout in zip(distinct, widths, numeric, strict=True)]
    rows = zip(*(map(pieces[i].__getitem__, texts) for i, texts in enumerate(raw)),
               strict=True)
    header = "  ".join(_piece(text, cell_width(text), widths[i], numeric[i])
                       for i, text in enumerate(columns)).rstrip()
    rule = "  ".join("─" * width for width in widths)
    return [header, rule, *map(str.rstrip, map(_SEPARATOR.join, rows))]


def render_text(header: list[str], sections: list[Section]) -> str:
    """The report as plain text, safe for a terminal: what came from the database is shown
    with its control characters escaped (`terminal_text`)."""
    header = [terminal_text(line) for line in header]
    out = [header[0], "═" * cell_width(header[0]), *header[1:], ""]
    tables = [section.plain_table() for section in sections]
    laid = _Laid(many=sum(len(table.texts[0]) for table in tables if table.texts) >= MANY)
    for section, table in zip(sections, tables, strict=True):
        title = terminal_text(section.title)
        out += [title, "─" * cell_width(title)]
        out += [terminal_text(paragraph, multiline=True) for paragraph in section.paragraphs]
        if section.columns and table.texts and table.texts[0]:
            out += _table_text(section.columns, table, laid)
        elif section.columns:
            out.append(section.empty)
        out += [terminal_text(note, multiline=True) for note in section.notes]
        out.append("")
    return _ending_in_newline(out)


def _ending_in_newline(lines: list[str]) -> str:
    """`"\n".join(lines).rstrip() + "\n"`, without copying a long report once more
    (`lines` is used up: its trailing blank lines are dropped and a last "" added)."""
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return "\n"
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(header: list[str], sections: list[Section]) -> str:
    """The report as Markdown (GitHub pipe tables), control characters shown as escapes."""
    out = [f"# {header[0]}", "", *(f"- {line}" for line in header[1:]), ""]
    for section in sections:
        out += [f"{'#' * (section.level + 1)} {section.title}", ""]
        if section.paragraphs:
            out += [*section.paragraphs, ""]
        table = section.plain_table()
        if section.columns and table.texts and table.texts[0]:
            out.append("| " + " | ".join(_escape(c) for c in section.columns) + " |")
            out.append("|" + "|".join("---:" if numeric else "---"
                                      for numeric in table.numeric) + "|")
            out += ["| " + " | ".join(map(_escape, row)) + " |"
                    for row in zip(*table.texts, strict=True)]
            out.append("")
        elif section.columns:
            out += [section.empty, ""]
        if section.notes:
            out += [*section.notes, ""]
    return terminal_text("\n".join(out).rstrip() + "\n", multiline=True)
