"""Choose one entry of a long list by typing part of it: the list narrows to the entries the
text matches (rapidfuzz, best first), ↑↓ move, Enter picks, Escape picks nothing."""

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from planner.tui.dialogs.frame import DialogScreen

#: A match scoring below this (rapidfuzz's partial ratio, 0–100) is left out of the list.
FUZZY_CUTOFF = 60
#: Rows ↑↓ move per PageUp / PageDown.
PAGE_ROWS = 10

Entry = tuple[str, str, str]
"""(id, text shown, text matched: the shown text and any other names of the entry)"""


def fuzzy_order(query: str, entries: Sequence[Entry]) -> list[Entry]:
    """The entries `query` matches, best first (equal scores keep the given order); every
    entry, in the given order, for an empty query."""
    if not query.strip():
        return list(entries)
    from rapidfuzz import fuzz, process, utils  # here: only typing a filter needs it

    found = process.extract(query, [entry[2] for entry in entries], scorer=fuzz.partial_ratio,
                            processor=utils.default_process, limit=None,
                            score_cutoff=FUZZY_CUTOFF)
    return [entries[index] for _, _, index in sorted(found, key=lambda hit: (-hit[1], hit[2]))]


class FuzzyChooseDialog(DialogScreen[str | None]):
    """A titled filter box over a list; the text typed narrows the list."""

    DEFAULT_CSS = """
    FuzzyChooseDialog #fuzzy-list { height: auto; max-height: 16; }
    FuzzyChooseDialog #fuzzy-count { color: $text-muted; }
    FuzzyChooseDialog #dialog-intro { color: $text-muted; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", f"move({PAGE_ROWS})", show=False),
        Binding("pageup", f"move(-{PAGE_ROWS})", show=False),
    ]

    def __init__(self, title: str, entries: Sequence[Entry], *, intro: str = "",
                 placeholder: str = "", count_text: str = "{shown}/{total}") -> None:
        """`entries` in the order shown before anything is typed; `count_text` says how many
        are shown out of how many (`{shown}`, `{total}`)."""
        super().__init__()
        self.choose_title = title
        self.entries = list(entries)
        self.intro = intro
        self.placeholder = placeholder
        self.count_text = count_text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.choose_title, id="dialog-title", markup=False)
            if self.intro:
                yield Static(self.intro, id="dialog-intro", markup=False)
            yield Input(placeholder=self.placeholder, id="fuzzy-input")
            yield OptionList(id="fuzzy-list", markup=False)
            yield Label("", id="fuzzy-count", markup=False)

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    @on(Input.Changed, "#fuzzy-input")
    def _typed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def fill(self, query: str) -> None:
        """Show the entries `query` matches, the best highlighted."""
        shown = fuzzy_order(query, self.entries)
        choices = self.query_one(OptionList)
        choices.clear_options()
        choices.add_options([Option(text, id=entry_id) for entry_id, text, _ in shown])
        choices.highlighted = 0 if shown else None
        self.query_one("#fuzzy-count", Label).update(
            self.count_text.format(shown=len(shown), total=len(self.entries)))

    @property
    def highlighted(self) -> str | None:
        """The id of the highlighted entry."""
        choices = self.query_one(OptionList)
        if choices.highlighted is None:
            return None
        return choices.get_option_at_index(choices.highlighted).id

    def action_move(self, step: int) -> None:
        choices = self.query_one(OptionList)
        if choices.option_count:
            current = choices.highlighted if choices.highlighted is not None else 0
            choices.highlighted = max(0, min(choices.option_count - 1, current + step))

    @on(Input.Submitted, "#fuzzy-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.highlighted is not None:
            self.dismiss(self.highlighted)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
