"""The plain-text table layout (render_text._table_text), which lays out a column's distinct
texts once, against the cell-by-cell layout it replaced: the same lines for any table."""

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.text import terminal_text, terminal_texts
from planner.core.textwidth import MANY, cell_width, fit, rjust
from planner.reports.document import WRITE_CHUNK, write_text_file
from planner.reports.render_text import (
    MAX_COLUMN,
    _ending_in_newline,
    _Laid,
    _table_text,
    render_markdown,
    render_text,
)
from planner.reports.sections import Cell, PlainTable, Section


def _plain(columns: list[str], cells: list[list[Cell]]) -> PlainTable:
    return Section("t", "t", columns=columns, rows=cells).plain_table()


def _reference(columns: list[str], cells: list[list[Cell]]) -> list[str]:
    texts = [[terminal_text(cell.text) for cell in row] for row in cells]
    columns = [terminal_text(column) for column in columns]
    widths = [max([cell_width(c), *(cell_width(r[i]) for r in texts)])
              for i, c in enumerate(columns)]
    widths[:-1] = [min(MAX_COLUMN, width) for width in widths[:-1]]
    numeric = [bool(cells) and all(r[i].numeric or not t[i] for r, t in zip(cells, texts,
                                                                             strict=True))
               for i in range(len(columns))]

    def line(row: list[str]) -> str:
        return "  ".join(rjust(fit(text, width).rstrip(), width) if numeric[i]
                         else fit(text, width)
                         for i, (text, width) in enumerate(zip(row, widths, strict=True))
                         ).rstrip()

    return [line(columns), "  ".join("─" * width for width in widths),
            *(line(row) for row in texts)]


texts = st.text(st.sampled_from("ab 1.-中文知识产权，…\u0301\x1b\n") | st.characters(),
                max_size=50)
tables = st.integers(1, 4).flatmap(lambda count: st.tuples(
    st.lists(texts, min_size=count, max_size=count),
    st.lists(st.lists(st.tuples(st.sampled_from(["", "12", "-3.5", "中文"]) | texts,
                                st.booleans()),
                      min_size=count, max_size=count), max_size=12)))


@settings(max_examples=300, deadline=None)
@given(tables)
def test_the_table_is_laid_out_as_cell_by_cell(table) -> None:
    columns, rows = table
    cells = [[Cell(text, numeric=numeric) for text, numeric in row] for row in rows]
    assert _table_text(columns, _plain(columns, cells)) == _reference(columns, cells)


@settings(max_examples=100, deadline=None)
@given(st.lists(tables, min_size=2, max_size=4))
def test_tables_sharing_what_was_laid_out_read_as_each_alone(several) -> None:
    """A report's tables share the texts escaped, measured and cut (`_Laid`): a text laid
    out for one table's width or alignment is never reused for another's."""
    laid = _Laid()
    for columns, rows in several:
        cells = [[Cell(text, numeric=numeric) for text, numeric in row] for row in rows]
        assert _table_text(columns, _plain(columns, cells), laid) == _reference(columns, cells)


@given(st.lists(texts, max_size=8))
def test_texts_are_escaped_together_as_each_alone(several: list[str]) -> None:
    assert terminal_texts(several) == [terminal_text(text) for text in several]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(texts, st.booleans()), min_size=1, max_size=3))
def test_a_long_table_is_laid_out_as_cell_by_cell(row: list[tuple[str, bool]]) -> None:
    """A long report's texts are measured and cut in C where they can."""
    cells = [[Cell(f"{text}{index}", numeric=numeric) for text, numeric in row]
             for index in range(MANY)]
    columns = ["列"] * len(row)
    assert _table_text(columns, _plain(columns, cells), _Laid(many=True)) \
        == _reference(columns, cells)
    assert render_text(["报告"], [Section("s", "节", columns=columns, rows=cells)]) \
        == "\n".join(["报告", "════", "", "节", "──", *_reference(columns, cells)]) + "\n"


@settings(max_examples=200, deadline=None)
@given(tables)
def test_a_table_kept_a_column_at_a_time_reads_as_its_rows(table) -> None:
    """A section's table kept as `PlainTable` (the assessment's lines) is laid out in text
    and Markdown as the same table kept as rows of cells, and makes those cells back."""
    columns, rows = table
    cells = [[Cell(text, numeric=numeric) for text, numeric in row] for row in rows]
    by_rows = Section("s", "节", columns=columns, rows=cells)
    plain = by_rows.plain_table()
    by_columns = Section("s", "节", columns=columns, plain=plain)
    assert render_text(["报告"], [by_columns]) == render_text(["报告"], [by_rows])
    assert render_markdown(["报告"], [by_columns]) == render_markdown(["报告"], [by_rows])
    remade = Section("s", "节", columns=columns, rows=by_columns.table_rows()).plain_table()
    assert remade == plain


@given(st.lists(st.text(st.sampled_from("a 中\n\t\u3000"), max_size=4), max_size=6))
def test_a_report_ends_in_one_newline_as_joined_and_stripped(lines: list[str]) -> None:
    assert _ending_in_newline(list(lines)) == "\n".join(lines).rstrip() + "\n"


def test_a_long_report_is_written_whole_in_chunks(tmp_path) -> None:
    """Written a chunk at a time (`WRITE_CHUNK` characters), read back the same."""
    text = "".join(f"{index} 知识产权\n" for index in range(WRITE_CHUNK // 4))
    assert len(text) > 2 * WRITE_CHUNK
    path = tmp_path / "report.txt"
    write_text_file(path, text)
    assert path.read_text(encoding="utf-8") == text


@given(tables)
def test_columns_of_like_cells_follow_the_cell_by_cell_rule(table) -> None:
    """`PlainTable.of_columns` (all of a column's cells numeric or not) gives the alignment
    `plain_table` gives the same cells one by one."""
    columns, rows = table
    flags = [index % 2 == 1 for index in range(len(columns))]
    cells = [[Cell(text, numeric=flags[i]) for i, (text, _) in enumerate(row)] for row in rows]
    plain = Section("s", "节", columns=columns, rows=cells).plain_table()
    assert PlainTable.of_columns(plain.texts, flags) == plain
