"""The detail pane: the highlighted item in full, the same text `planner show` prints."""

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class DetailPane(VerticalScroll, can_focus=False):
    """Full title, source, units, dates, progress, indicators, notes and history."""

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-text", markup=False)

    def show_text(self, text: str) -> None:
        """Replace the pane's content."""
        self.query_one("#detail-text", Static).update(text)
