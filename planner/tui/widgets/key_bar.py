"""Textual's key footer, rebuilt only when the keys it shows change: the bar inside the
main screen's KeyFooter line (widgets/footer.py), imported once the first rows are drawn."""

from textual.app import ComposeResult
from textual.widgets import Footer

#: What a footer shows of one key: (key, description, action, enabled, tooltip).
ShownKey = tuple[str, str, str, bool, str]


class KeyBar(Footer):
    """Textual's footer rebuilds all its key widgets whenever the screen's bindings may have
    changed: on every focus change (the table, the search line, a dialog closing), which at
    start-up alone was four rebuilds in the same frames as the first rows. This one rebuilds
    only when the keys it would show differ from the ones it shows, and not while its line
    is hidden (the search line takes its place): it catches up when shown again."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[ShownKey, ...] | None = None
        """The keys the last compose showed (None: none yet)."""
        # Mounted after the first rows, when the screen's bindings are long settled: the
        # signal that says so to a footer mounted at start has already been sent.
        self.set_reactive(Footer._bindings_ready, True)

    def _keys_to_show(self) -> tuple[ShownKey, ...] | None:
        """The keys a compose would show now; None before the bindings are ready."""
        if not self._bindings_ready:
            return None
        active = self.screen.active_bindings
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) \
            if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE else None
        return tuple((binding.key, binding.description, binding.action, enabled, tooltip)
                     for _, binding, enabled, tooltip in active.values()
                     if binding.show or (palette is not None and binding is palette.binding))

    def compose(self) -> ComposeResult:
        self._shown = self._keys_to_show()
        yield from super().compose()

    async def recompose(self) -> None:
        line = self.parent
        if line is None or not line.display or (self._shown is not None
                                                and self._keys_to_show() == self._shown):
            return
        await super().recompose()

    def on_show(self) -> None:
        """Shown again: show the keys of now."""
        self.call_after_refresh(self.recompose)
