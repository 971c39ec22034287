"""Choose one entry of a list (a plan to switch to, a linked item to go to)."""

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from planner.tui.dialogs.frame import DialogScreen


class ChooseDialog(DialogScreen[str | None]):
    """A titled list; Enter picks the highlighted entry (its id), Escape picks nothing."""

    DEFAULT_CSS = """
    #choices {
        height: auto;
        max-height: 20;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, entries: list[tuple[str, str]],
                 highlighted: str | None = None) -> None:
        """`entries`: (id, text shown) in order; `highlighted`: the id to start on."""
        super().__init__()
        self.choose_title = title
        self.entries = entries
        self.highlighted = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.choose_title, id="dialog-title", markup=False)
            yield OptionList(*(Option(text, id=entry_id) for entry_id, text in self.entries),
                             id="choices", markup=False)

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        ids = [entry_id for entry_id, _ in self.entries]
        choices.highlighted = ids.index(self.highlighted) if self.highlighted in ids else 0
        choices.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
