"""The meetings screen's two tables: the meetings (newest first) and one meeting's agenda."""


from rich.text import Text
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable

from planner.core.textwidth import fit, rjust
from planner.i18n import LABELS, label
from planner.reports.meetings import AgendaRow, MeetingRow
from planner.tui.widgets.rows import RowTable

EXCLUDED = "✗"
EXCLUDED_STYLE = "dim strike"
SCROLLBAR = 2


def _section_name(section: str, lang: str) -> str:
    key = f"section_{section}"
    return label(key, lang) if key in LABELS else section


class _Rows(RowTable):
    """A row-cursor table whose widest column takes the room the others leave."""

    def __init__(self, *, lang: str, id: str | None = None) -> None:
        super().__init__(lang=lang, id=id)
        self._drawn_width = 0

    def fixed_widths(self) -> list[int | None]:
        """Column widths; None marks the one column that takes the room left."""
        raise NotImplementedError

    def widths(self) -> list[int]:
        """Every column's width at the current size."""
        fixed = self.fixed_widths()
        room = (self.size.width - SCROLLBAR - 2 * self.cell_padding * len(fixed)
                - sum(w for w in fixed if w is not None))
        flexible = max(10, room) if self.size.width else 30
        return [flexible if w is None else w for w in fixed]

    def redraw(self) -> None:
        """Rebuild the rows for the current width, keeping the cursor's row."""
        raise NotImplementedError

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._drawn_width:
            self._drawn_width = event.size.width
            self.redraw()

    def _fill(self, headers: list[str], rows: list[list[Text]], cursor: int) -> None:
        widths = self.widths()
        self.clear(columns=True)
        for header, width in zip(headers, widths, strict=True):
            self.add_column(fit(header, width).rstrip(), width=width)
        for row in rows:
            self.add_row(*row)
        if rows:
            self.move_cursor(row=min(max(cursor, 0), len(rows) - 1), animate=False)


class MeetingList(_Rows):
    """Meetings: date, 待召开/已召开, kind and title."""

    class Highlighted(Message):
        """The cursor moved to another meeting."""

        def __init__(self, meeting_id: int | None) -> None:
            super().__init__()
            self.meeting_id = meeting_id

    def __init__(self, *, lang: str, id: str | None = None) -> None:
        super().__init__(lang=lang, id=id)
        self.meetings: tuple[MeetingRow, ...] = ()

    @property
    def current(self) -> int | None:
        """The highlighted meeting's id."""
        if not self.meetings or not 0 <= self.cursor_row < len(self.meetings):
            return None
        return self.meetings[self.cursor_row].id

    def show(self, meetings: tuple[MeetingRow, ...], keep: int | None) -> None:
        """Show `meetings` with the cursor on meeting `keep` (else the first)."""
        self.meetings = meetings
        self._draw(keep)

    def fixed_widths(self) -> list[int | None]:
        english = self.lang == "en"
        return [10, 7 if english else 6, 6 if english else 8, None]

    def redraw(self) -> None:
        self._draw(self.current)

    def _draw(self, keep: int | None) -> None:
        widths = self.widths()
        rows = []
        for meeting in self.meetings:
            held = meeting.status == "held"
            cells = [meeting.on.isoformat(),
                     label("meeting_held" if held else "meeting_planned", self.lang),
                     label(f"kind_{meeting.kind}", self.lang), meeting.title]
            rows.append([Text(fit(text, width).rstrip(), style="dim" if held else "")
                         for text, width in zip(cells, widths, strict=True)])
        ids = [meeting.id for meeting in self.meetings]
        self._fill([label("date", self.lang), label("status", self.lang),
                    label("meeting_kind", self.lang), label("meeting_title", self.lang)],
                   rows, ids.index(keep) if keep in ids else 0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.current))


class AgendaTable(_Rows):
    """Numbered entries: section, topic, presenter, item codes, minutes; excluded ones dim ✗."""

    class Highlighted(Message):
        """The cursor moved to another entry (its 1-based number)."""

        def __init__(self, number: int | None) -> None:
            super().__init__()
            self.number = number

    def __init__(self, *, lang: str, id: str | None = None) -> None:
        super().__init__(lang=lang, id=id)
        self.entries: tuple[AgendaRow, ...] = ()
        self.unit_names: dict[str, str] = {}

    @property
    def current(self) -> AgendaRow | None:
        """The highlighted entry."""
        if not self.entries or not 0 <= self.cursor_row < len(self.entries):
            return None
        return self.entries[self.cursor_row]

    def show(self, entries: tuple[AgendaRow, ...], unit_names: dict[str, str],
             keep: int | None) -> None:
        """Show `entries` with the cursor on entry number `keep` (else the first)."""
        self.entries = entries
        self.unit_names = unit_names
        self._draw(keep)

    def fixed_widths(self) -> list[int | None]:
        english, wide = self.lang == "en", self.size.width >= 100
        return [4, 10 if english else 8, None, 18 if wide else 10, 14 if wide else 10, 4]

    def redraw(self) -> None:
        current = self.current
        self._draw(current.number if current else None)

    def _draw(self, keep: int | None) -> None:
        no, section, topic, presenter, items, minutes = self.widths()
        rows = []
        for entry in self.entries:
            style = "" if entry.included else EXCLUDED_STYLE
            mark = f"{entry.number}" if entry.included else f"{EXCLUDED}{entry.number}"
            who = self.unit_names.get(entry.presenter or "", entry.presenter or "")
            shown_minutes = str(entry.minutes) if entry.included else "—"
            rows.append([
                Text(rjust(mark, no), style="dim" if not entry.included else ""),
                Text(fit(_section_name(entry.section, self.lang), section).rstrip(),
                     style=style),
                Text(fit(entry.title, topic).rstrip(), style=style),
                Text(fit(who, presenter).rstrip(), style=style),
                Text(fit(",".join(entry.task_codes), items).rstrip(), style=style),
                Text(rjust(shown_minutes, minutes), style=style),
            ])
        self._fill([label("col_no", self.lang), label("col_section", self.lang),
                    label("col_topic", self.lang), label("col_presenter", self.lang),
                    label("col_items", self.lang), label("col_minutes", self.lang)],
                   rows, keep - 1 if keep is not None else 0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        current = self.current
        self.post_message(self.Highlighted(current.number if current else None))
