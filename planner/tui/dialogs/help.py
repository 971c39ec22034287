"""The key table (`?`)."""

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from planner.core.textwidth import fit
from planner.tui.dialogs.frame import DialogScreen


class HelpDialog(DialogScreen[None]):
    """Every binding of the main screen with what it does."""

    DEFAULT_CSS = """
    HelpDialog #dialog {
        height: 90%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", show=False)]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.help_title = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Label(self.help_title, id="dialog-title")
            text = "\n".join(fit(keys, 22) + action for keys, action in self.rows)
            yield Static(text, id="help-table", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_click(self) -> None:
        self.dismiss(None)
