"""The plan as a tree table drawn with Textual's line API: only visible lines are rendered."""

from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Blur, Click, DescendantBlur, DescendantFocus, Focus
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from planner.core.model import PlanTree
from planner.core.rollup import Colour, Rollup
from planner.core.status import Status
from planner.core.text import terminal_text
from planner.core.textwidth import cell_width, fit, rjust
from planner.i18n import label
from planner.reports.tree import progress_bar, warning_text

COLOUR_STYLE = {Colour.RED: "bold red", Colour.YELLOW: "bold yellow", Colour.BLUE: "bold blue",
                Colour.GREEN: "green"}
BAR_CELLS = 8
#: Drawn rows kept for repaints (a few screens' worth of each look).
DRAWN_ROWS = 4000


@dataclass(frozen=True, slots=True)
class Column:
    """A column of `width` cells; `priority` decides which columns a narrow screen drops first
    (the highest goes first)."""

    key: str
    width: int
    priority: int


COLUMNS = (
    Column("lead", 10, 4), Column("due", 10, 2), Column("progress", BAR_CELLS + 5, 0),
    Column("expected", 5, 3), Column("status", 6, 1), Column("warning", 4, 0),
    Column("done_total", 4, 5),
)
ENGLISH_WIDTHS = {"warning": 7, "expected": 8}
#: Columns of this priority or lower (progress, warning, status) are dropped only when the
#: title would otherwise get fewer than MIN_TITLE_TIGHT cells; the others as soon as it would
#: get fewer than MIN_TITLE (twelve Chinese characters).
ESSENTIAL = 1
MIN_TITLE = 24
MIN_TITLE_TIGHT = 10


def status_width(lang: str) -> int:
    """Cells for the widest status name in `lang`, so no status is ever cut."""
    return max(cell_width(status.label(lang)) for status in Status)


#: What a drawn row's look depends on besides the figures and the column widths: the item,
#: its depth, whether it is open, whether it is only context (a filter's ancestor), whether
#: the cursor is on it and whether the table has the focus.
RowKey = tuple[int, int, bool, bool, bool, bool]


@dataclass(slots=True)
class TableModel:
    """What the table shows: the snapshot, its figures and the visible rows."""

    tree: PlanTree
    rollup: Rollup
    unit_names: dict[str, str]
    rows: list[tuple[int, int]]
    expanded: set[int]
    context: set[int] = field(default_factory=set)


class PlanTable(ScrollView, can_focus=True):
    """Rows of the plan tree with progress bars, 序时进度, status and warning colour."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", show=False),
        Binding("down,j", "cursor(1)", show=False),
        Binding("pageup,ctrl+b", "page(-1)", show=False),
        Binding("pagedown,ctrl+f", "page(1)", show=False),
        Binding("home,g", "first", show=False),
        Binding("end,G", "last", show=False),
        Binding("right,l", "expand", show=False),
        Binding("left,h", "collapse", show=False),
        Binding("enter,space", "toggle", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """The cursor's row. Moving it repaints only the two lines concerned (`watch_cursor`),
    not the whole table: the key's cost then does not grow with the screen's height."""

    class Highlighted(Message):
        """The cursor moved to another item."""

        def __init__(self, node_id: int | None) -> None:
            super().__init__()
            self.node_id = node_id

    class RowsDrawn(Message):
        """The table drew its rows for the first time (what the first screen waits on)."""

    class Toggled(Message):
        """The user asked to open or close a branch."""

        def __init__(self, node_id: int, expand: bool) -> None:
            super().__init__()
            self.node_id = node_id
            self.expand = expand

    def __init__(self, *, lang: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self.model: TableModel | None = None
        widths = {**(ENGLISH_WIDTHS if lang == "en" else {}), "status": status_width(lang)}
        self._all_columns = tuple(Column(c.key, widths.get(c.key, c.width), c.priority)
                                  for c in COLUMNS)
        self._columns: tuple[Column, ...] = self._all_columns
        self._title_width = 30
        self._code_width = 16
        self._rows_drawn = False
        self._drawn: dict[RowKey, Strip] = {}
        """Rows drawn, by what their drawing depends on besides the snapshot's figures and
        the column widths (whose change empties it): a repaint after scrolling, opening a
        branch or re-laying out the screen draws only rows not drawn before."""
        self._keys_shown: dict[int, RowKey] = {}
        """The `_drawn` key of each row on screen as last drawn, by row index."""
        self._laid_out: tuple[Size, Size, Size] | None = None
        """(size, container size, rows' virtual size) at the last layout that updated the
        scrollbar."""

    # -- data -------------------------------------------------------------------------
    def show(self, model: TableModel, *, keep: int | None = None) -> None:
        """Display `model`, keeping the cursor on item `keep` when it is visible."""
        another_snapshot = self.model is None or model.rollup is not self.model.rollup
        if another_snapshot:
            self._drawn.clear()
        self.model = model
        widths_changed = self._layout_columns(keep_wider=not another_snapshot)
        position = self.index_of(keep) if keep is not None else None
        self.cursor = position if position is not None else min(self.cursor,
                                                                 max(0, len(model.rows) - 1))
        if another_snapshot or widths_changed:
            self.refresh()
        else:
            self._refresh_changed_lines()

    def _refresh_changed_lines(self) -> None:
        """Redraw the lines on screen whose row is not drawn as it was: opening a branch
        redraws it and the lines below it, not the ones above."""
        top = int(self.scroll_y)
        for index in range(top, top + self._page_height):
            if self._keys_shown.get(index) != self._row_key(index):
                self.refresh_line(index + 1)  # the header is line 0

    def index_of(self, node_id: int) -> int | None:
        """Row index of an item, None when it is not visible."""
        if self.model is None:
            return None
        for index, (row_id, _) in enumerate(self.model.rows):
            if row_id == node_id:
                return index
        return None

    @property
    def current(self) -> int | None:
        """The item under the cursor."""
        if self.model is None or not self.model.rows:
            return None
        return self.model.rows[min(self.cursor, len(self.model.rows) - 1)][0]

    def forget(self, node_ids: list[int]) -> set[int]:
        """Draw these items afresh next time (their figures or fields changed in place);
        returns them as a set."""
        wanted = set(node_ids)
        for drawn in [key for key in self._drawn if key[0] in wanted]:
            del self._drawn[drawn]
        return wanted

    def refresh_rows(self, node_ids: list[int]) -> None:
        """Redraw only the lines of these items (after an update of one item's path), or
        every line when a column had to change its width."""
        if self.model is None:
            return
        wanted = self.forget(node_ids)
        if self._layout_columns():  # a count grew wider: every line moves
            self.refresh()
            return
        top = int(self.scroll_y)
        for index in range(top, min(top + self.size.height, len(self.model.rows))):
            if self.model.rows[index][0] in wanted:
                self.refresh_line(index + 1)  # the header is line 0

    # -- layout ----------------------------------------------------------------------
    def on_resize(self) -> None:
        if self.model is not None:
            self._layout_columns()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        """A layout that leaves the table as it was (the search line opening in the
        footer's place, the filter bar hidden again) changes nothing here. Textual's
        ScrollView compares the layout's virtual size (the table's height) with its own
        (the rows), which never match, so it redrew the scrollbar on every layout: a
        second frame after the one that showed the key's effect.
        Rows set before the table had a size (the first snapshot, shown at mount) have
        their columns fitted here, at its first layout, before they are drawn in that
        frame: the Resize event comes after it."""
        previous = self._laid_out
        laid_out = (size, container_size, self.virtual_size)
        if laid_out == previous:
            return False
        self._laid_out = laid_out
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if previous is None and self.model is not None:
            self._layout_columns()
        return resized

    @property
    def _page_height(self) -> int:
        """Rows of items that fit below the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _layout_columns(self, *, keep_wider: bool = False) -> bool:
        """Fit the columns to the width left by the scrollbar; drop the least needed first.

        The code column is as wide as the widest code on screen (indentation and marker
        included) and the count column (完成) as the widest count on screen, so neither is
        ever cut; the title takes the rest. With `keep_wider` (a branch of the same
        snapshot opened or closed), both keep any wider width they have: closing a branch
        does not move every column, and opening it again redraws only the lines below it.
        The vertical scrollbar's width is always reserved: it appears only after the rows
        are set, and its appearance does not resize the content. Returns whether any width
        changed (the caller then redraws)."""
        before = (self._code_width, self._title_width, self._columns)
        kept = dict.fromkeys(("code", "done_total"), 0) if not keep_wider else {
            "code": self._code_width, "done_total": max(
                (c.width for c in self._columns if c.key == "done_total"), default=0)}
        width = max(self.size.width - self.styles.scrollbar_size_vertical, 40)
        on_screen = self._rows_on_screen()
        self._code_width = max([cell_width(label("code", self.lang)), kept["code"]]
                               + [cell_width(self._code_text(node_id, depth))
                                  for node_id, depth in on_screen])
        columns = [self._sized(column, on_screen, kept["done_total"])
                   for column in self._all_columns]
        while columns:
            fixed = self._code_width + sum(c.width + 1 for c in columns) + 1
            optional = any(c.priority > ESSENTIAL for c in columns)
            if width - fixed >= (MIN_TITLE if optional else MIN_TITLE_TIGHT):
                break
            columns.remove(max(columns, key=lambda c: c.priority))
        self._columns = tuple(columns)
        self._title_width = max(MIN_TITLE_TIGHT, width - self._code_width - 1
                                - sum(c.width + 1 for c in columns))
        row_width = self._code_width + 1 + self._title_width + sum(c.width + 1 for c in columns)
        virtual_size = Size(row_width, len(self.model.rows) + 1 if self.model else 1)
        if virtual_size != self.virtual_size:  # laid out again, but not all redrawn
            self.set_reactive(ScrollView.virtual_size, virtual_size)
            self.refresh(repaint=False, layout=True)
        changed = before != (self._code_width, self._title_width, self._columns)
        if changed or len(self._drawn) > DRAWN_ROWS:
            self._drawn.clear()
        return changed

    def _rows_on_screen(self) -> list[tuple[int, int]]:
        """The rows the table draws at its current scroll position."""
        if self.model is None:
            return []
        top = int(self.scroll_y)
        return self.model.rows[top:top + self._page_height]

    def _sized(self, column: Column, on_screen: list[tuple[int, int]], at_least: int) -> Column:
        """`column`, widened for the count column to its widest count on screen (and to
        `at_least`)."""
        if column.key != "done_total" or self.model is None:
            return column
        rollup = self.model.rollup
        counts = [len(f"{rollup[node_id].done}/{rollup[node_id].leaves}")
                  for node_id, _ in on_screen if not rollup.is_leaf(node_id)]
        return replace(column, width=max([column.width, at_least, *counts]))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Other rows are on screen: size the columns to them."""
        super().watch_scroll_y(old_value, new_value)
        if self.model is not None and self._layout_columns():
            self.refresh()

    # -- drawing ---------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        if self.model is not None and not self._rows_drawn:
            self._rows_drawn = True
            self.post_message(self.RowsDrawn())
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if y == 0:
            return self._header().crop(scroll_x, scroll_x + width)
        index = y - 1 + scroll_y
        model = self.model
        if model is None or index >= len(model.rows):
            self._keys_shown.pop(index, None)
            return Strip.blank(width, self.rich_style)
        strip = self._row(index)
        return strip.crop(scroll_x, scroll_x + width)

    def _header(self) -> Strip:
        style = Style(bold=True, underline=True)
        text = fit(label("code", self.lang), self._code_width) + " " + fit(
            label("title", self.lang), self._title_width)
        for column in self._columns:
            text += " " + fit(label(column.key, self.lang), column.width)
        return Strip([Segment(text, style)])

    def _row(self, index: int) -> Strip:
        """Row `index`, drawn once for each way it can look (`_drawn`)."""
        key = self._row_key(index)
        assert key is not None
        self._keys_shown[index] = key
        strip = self._drawn.get(key)
        if strip is None:
            strip = self._drawn[key] = self._draw_row(index)
        return strip

    def _row_key(self, index: int) -> RowKey | None:
        """What row `index`'s look depends on besides the figures and the column widths;
        None past the last row (a blank line)."""
        model = self.model
        if model is None or index >= len(model.rows):
            return None
        node_id, depth = model.rows[index]
        return (node_id, depth, node_id in model.expanded, node_id in model.context,
                index == self.cursor, self.has_focus)

    def _draw_row(self, index: int) -> Strip:
        model = self.model
        assert model is not None
        node_id, depth = model.rows[index]
        tree, figures = model.tree, model.rollup[node_id]
        node = tree.nodes[node_id]
        is_leaf = model.rollup.is_leaf(node_id)
        base = Style()
        if node_id in model.context:
            base = Style(dim=True)
        if index == self.cursor:
            base = base + Style(reverse=True) if not self.has_focus else base + Style(
                bgcolor="#1f4e79", color="white", bold=True)
        if not is_leaf and index != self.cursor:
            base = base + Style(bold=True)
        segments = [
            Segment(fit(self._code_text(node_id, depth), self._code_width) + " ", base),
            Segment(fit(terminal_text(node.title), self._title_width), base),
        ]
        colour_style = base + Style.parse(COLOUR_STYLE[figures.colour])
        for column in self._columns:
            segments.append(Segment(" ", base))
            if column.key == "warning":
                text = fit(warning_text(figures.colour, self.lang), column.width)
                segments.append(Segment(text, colour_style))
                continue
            segments.append(Segment(self._cell(column, node_id, is_leaf), base))
        return Strip(Segment.simplify(segments))  # one segment per style: less to repaint

    def _code_text(self, node_id: int, depth: int) -> str:
        """An item's code as drawn: indented by depth, after its open/closed marker."""
        model = self.model
        assert model is not None
        expanded = "▾" if node_id in model.expanded else "▸"
        marker = " " if model.rollup.is_leaf(node_id) else expanded
        return "  " * depth + marker + terminal_text(model.tree.nodes[node_id].code)

    def _cell(self, column: Column, node_id: int, is_leaf: bool) -> str:
        model = self.model
        assert model is not None
        node, figures = model.tree.nodes[node_id], model.rollup[node_id]
        if column.key == "lead":
            return fit(terminal_text(model.unit_names.get(node.lead or "", node.lead or "")),
                       column.width)
        if column.key == "due":
            return fit(node.due.isoformat(), column.width)
        if column.key == "progress":
            return progress_bar(figures.progress, BAR_CELLS) + rjust(f"{figures.progress:.0f}%", 5)
        if column.key == "expected":
            return rjust(f"{figures.expected:.0f}%", column.width)
        if column.key == "status":
            return fit(node.status.label(self.lang) if is_leaf else "", column.width)
        return rjust("" if is_leaf else f"{figures.done}/{figures.leaves}", column.width)

    # -- movement --------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        if self.model is None:
            return
        top = int(self.scroll_y)
        for index in (old, new):
            if top <= index < top + self.size.height:
                self.refresh_line(index + 1)  # virtual lines: the header is line 0
        visible = self._page_height
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False, immediate=True)
        self.post_message(self.Highlighted(self.current))

    def move_to(self, index: int) -> None:
        """Put the cursor on row `index` (clamped)."""
        if self.model is None or not self.model.rows:
            return
        self.cursor = max(0, min(index, len(self.model.rows) - 1))

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * self._page_height)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.model.rows) - 1 if self.model else 0)

    def action_expand(self) -> None:
        node_id = self.current
        if node_id is not None and self.model and not self.model.rollup.is_leaf(node_id):
            if node_id in self.model.expanded:
                self.move_to(self.cursor + 1)
            else:
                self.post_message(self.Toggled(node_id, True))

    def action_collapse(self) -> None:
        node_id = self.current
        if node_id is None or self.model is None:
            return
        if node_id in self.model.expanded and not self.model.rollup.is_leaf(node_id):
            self.post_message(self.Toggled(node_id, False))
            return
        parent = self.model.tree.nodes[node_id].parent_id
        position = self.index_of(parent) if parent is not None else None
        if position is not None:
            self.move_to(position)

    def action_toggle(self) -> None:  # type: ignore[override]  # the key's action, not DOMNode's toggle(attribute)
        node_id = self.current
        if node_id is not None and self.model and not self.model.rollup.is_leaf(node_id):
            self.post_message(self.Toggled(node_id, node_id not in self.model.expanded))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = offset.y - 1 + int(self.scroll_y)
        if self.model and index < len(self.model.rows):
            if index == self.cursor or event.chain > 1:
                self.action_toggle()
            self.move_to(index)

    def _on_focus(self, event: Focus) -> None:
        """Only the cursor's line looks different with focus: redraw that line. Textual's own
        handler (skipped) redraws every line and the scrollbar, which is most of what
        opening and closing the search line costs on screen."""
        event.prevent_default()
        self._focus_changed(True)
        if self.parent is not None:
            self.parent.post_message(DescendantFocus(self))

    def _on_blur(self, event: Blur) -> None:
        """As `_on_focus`, for losing the focus."""
        event.prevent_default()
        self._focus_changed(False)
        if self.parent is not None:
            self.parent.post_message(DescendantBlur(self))

    def watch_has_focus(self, _has_focus: bool) -> None:
        """No style of the table depends on its focus, only its cursor line's look, which
        `_focus_changed` draws. Textual's watcher re-applies every rule, and its scrollbar
        colours redraw the scrollbar: another frame after the search line opened."""

    def _focus_changed(self, focused: bool) -> None:
        self.has_focus = focused
        if self.model is not None and self.model.rows:
            self.refresh_line(self.cursor + 1)  # the header is line 0
