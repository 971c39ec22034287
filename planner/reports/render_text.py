"""Plain text (for a terminal or an e-mail) and Markdown layouts of report sections."""

from itertools import compress
from operator import attrgetter, itemgetter, not_

from planner.core.text import terminal_text
from planner.core.textwidth import cell_width, cut
from planner.reports.sections import Cell, Section

MAX_COLUMN = 40
_SEPARATOR = "  "
_TEXT = attrgetter("text")
_NUMERIC = attrgetter("numeric")


def _table_text(columns: list[str], cells: list[list[Cell]]) -> list[str]:
    """An aligned table in terminal cells; wide columns are cut with an ellipsis. Every cell
    is one line, control characters shown as escapes (`terminal_text`).

    Built a column at a time: a long table repeats most of its cell texts (dates, names,
    rules), so each distinct text is escaped, measured and laid out once, and a row is one
    join of looked-up pieces (130,000 rows of an assessment in well under a second)."""
    columns = [terminal_text(column) for column in columns]
    raw = [list(map(_TEXT, map(itemgetter(i), cells))) for i in range(len(columns))]
    numeric = []
    escaped: list[dict[str, str]] = []
    for i, texts in enumerate(raw):
        flags = map(not_, map(_NUMERIC, map(itemgetter(i), cells)))
        numeric.append(bool(cells) and not any(set(compress(texts, flags))))
        escaped.append({text: terminal_text(text) for text in set(texts)})
    measured = [{safe: cell_width(safe) for safe in column.values()} for column in escaped]
    widths = [max([cell_width(c), *measured[i].values()]) for i, c in enumerate(columns)]
    # Cap every column but the last (notes, lists of codes), which is never cut.
    widths[:-1] = [min(MAX_COLUMN, width) for width in widths[:-1]]

    def laid_out(i: int, text: str, used: int) -> str:
        width = widths[i]
        if used > width:  # cut with an ellipsis, as `fit` does
            text, used = cut(text, width) if width > 0 else ("", 0)
        if numeric[i]:
            text = text.rstrip()
            return " " * (width - cell_width(text)) + text
        return text + " " * (width - used)

    shown = [{text: laid_out(i, safe, measured[i][safe]) for text, safe in escaped[i].items()}
             for i in range(len(columns))]
    pieces = zip(*(map(shown[i].__getitem__, texts) for i, texts in enumerate(raw)),
                 strict=True)
    header = "  ".join(laid_out(i, text, cell_width(text))
                       for i, text in enumerate(columns)).rstrip()
    rule = "  ".join("─" * width for width in widths)
    return [header, rule, *(_SEPARATOR.join(row).rstrip() for row in pieces)]


def render_text(header: list[str], sections: list[Section]) -> str:
    """The report as plain text, safe for a terminal: what came from the database is shown
    with its control characters escaped (`terminal_text`)."""
    header = [terminal_text(line) for line in header]
    out = [header[0], "═" * cell_width(header[0]), *header[1:], ""]
    for section in sections:
        title = terminal_text(section.title)
        out += [title, "─" * cell_width(title)]
        out += [terminal_text(paragraph, multiline=True) for paragraph in section.paragraphs]
        if section.columns and section.rows:
            out += _table_text(section.columns, section.rows)
        elif section.columns:
            out.append(section.empty)
        out += [terminal_text(note, multiline=True) for note in section.notes]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(header: list[str], sections: list[Section]) -> str:
    """The report as Markdown (GitHub pipe tables), control characters shown as escapes."""
    out = [f"# {header[0]}", "", *(f"- {line}" for line in header[1:]), ""]
    for section in sections:
        out += [f"{'#' * (section.level + 1)} {section.title}", ""]
        if section.paragraphs:
            out += [*section.paragraphs, ""]
        if section.columns and section.rows:
            out.append("| " + " | ".join(_escape(c) for c in section.columns) + " |")
            out.append("|" + "|".join(
                "---:" if all(r[i].numeric or not r[i].text for r in section.rows) else "---"
                for i in range(len(section.columns))) + "|")
            out += ["| " + " | ".join(_escape(cell.text) for cell in row) + " |"
                    for row in section.rows]
            out.append("")
        elif section.columns:
            out += [section.empty, ""]
        if section.notes:
            out += [*section.notes, ""]
    return terminal_text("\n".join(out).rstrip() + "\n", multiline=True)
