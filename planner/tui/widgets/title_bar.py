"""The title line at the top of each screen: Textual's header drawn by one widget."""

from rich.cells import cell_len
from rich.text import Text
from textual.events import Click, Mount
from textual.widget import Widget

#: Cells of the icon on the left (where Textual's header puts it) and of the clock space on
#: the right, which the title is centred between.
ICON_CELLS = 8
CLOCK_CELLS = 10
ICON = "⭘"


class TitleBar(Widget):
    """The screen's title and subtitle, else the app's (`title — subtitle`, the subtitle
    dim), centred, with the command palette's icon on the left: the line Textual's `Header`
    draws, from one widget.
    The header is an icon, a title and a clock space, each a widget with its own styles,
    which cost the first screen about 25 ms of its start."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def _on_mount(self, _: Mount) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._retitle)
            self.watch(node, "sub_title", self._retitle)

    def _retitle(self) -> None:
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        screen, app = self.screen, self.app
        title = Text(app.title if screen.title is None else screen.title, no_wrap=True, end="")
        sub_title = app.sub_title if screen.sub_title is None else screen.sub_title
        if sub_title:
            title.append(" — ", "dim")
            title.append(sub_title, "dim")
        room = max(0, width - ICON_CELLS - CLOCK_CELLS)
        if cell_len(title.plain) > room:
            title.truncate(room, overflow="ellipsis")
        spare = room - cell_len(title.plain)
        line = Text(" " + ICON, no_wrap=True, end="")
        line.pad_right(ICON_CELLS - cell_len(line.plain))
        line.append(" " * (spare // 2))
        line.append_text(title)
        line.append(" " * (width - cell_len(line.plain)))
        return line

    async def _on_click(self, event: Click) -> None:
        """The icon opens the command palette, as Textual's header does."""
        if event.x < ICON_CELLS and self.app.ENABLE_COMMAND_PALETTE:
            self.app.action_command_palette()
