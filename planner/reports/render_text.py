"""Plain text (for a terminal or an e-mail) and Markdown layouts of report sections."""

from planner.core.text import terminal_text
from planner.core.textwidth import cell_width, fit, rjust
from planner.reports.sections import Cell, Section

MAX_COLUMN = 40


def _table_text(columns: list[str], cells: list[list[Cell]]) -> list[str]:
    """An aligned table in terminal cells; wide columns are cut with an ellipsis. Every cell
    is one line, control characters shown as escapes (`terminal_text`)."""
    texts = [[terminal_text(cell.text) for cell in row] for row in cells]
    columns = [terminal_text(column) for column in columns]
    widths = [max([cell_width(c), *(cell_width(r[i]) for r in texts)])
              for i, c in enumerate(columns)]
    # Cap every column but the last (notes, lists of codes), which is never cut.
    widths[:-1] = [min(MAX_COLUMN, width) for width in widths[:-1]]
    numeric = [bool(cells) and all(r[i].numeric or not t[i] for r, t in zip(cells, texts,
                                                                             strict=True))
               for i in range(len(columns))]

    def line(cells: list[str]) -> str:
        parts = [rjust(fit(text, width).rstrip(), width) if numeric[i] else fit(text, width)
                 for i, (text, width) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip()

    rule = "  ".join("─" * width for width in widths)
    return [line(columns), rule, *(line(row) for row in texts)]


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
