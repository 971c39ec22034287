"""The main screen's footer line: empty until the first rows are on screen, then Textual's
key footer (widgets/key_bar.py)."""

from textual.app import ComposeResult, RenderResult
from textual.widget import Widget


class KeyFooter(Widget):
    """The footer's line, drawn as Textual's footer draws it, holding the key bar (a
    `KeyBar`, Textual's footer rebuilt only when its keys change).

    It can be held empty until the screen's first rows are painted, so they wait neither
    for the footer's keys nor for its module and styles: Textual's footer and its key
    widgets cost the start some 20 million instructions before the first rows."""

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self, *, held: bool = False) -> None:
        """`held`: show no keys until `release` (the screen's first rows come first)."""
        super().__init__()
        self._held = held

    def compose(self) -> ComposeResult:
        if not self._held:
            yield _key_bar()

    def render(self) -> RenderResult:
        """The empty line (Textual draws a childless widget's name)."""
        return ""

    def release(self) -> None:
        """Show the keys (once; later calls do nothing)."""
        if self._held:
            self._held = False
            self.mount(_key_bar())


def _key_bar() -> Widget:
    """A key bar, its module imported on first use."""
    from planner.tui.widgets.key_bar import KeyBar

    return KeyBar()
