"""The key footer: Textual's, rebuilt only when the keys it shows change."""

from textual.app import ComposeResult
from textual.widgets import Footer

#: What a footer shows of one key: (key, description, action, enabled, tooltip).
ShownKey = tuple[str, str, str, bool, str]


class KeyFooter(Footer):
    """Textual's footer rebuilds all its key widgets whenever the screen's bindings may have
    changed: on every focus change (the table, the search line, a dialog closing), which at
    start-up alone was four rebuilds in the same frames as the first rows. This one rebuilds
    only when the keys it would show differ from the ones it shows, and not while hidden
    (the search line takes its place): it catches up when shown again. It can also be held
    empty until the screen's first rows are painted, so they do not wait for its keys."""

    def __init__(self, *, held: bool = False) -> None:
        """`held`: show no keys until `release` (the screen's first rows come first)."""
        super().__init__()
        self._shown: tuple[ShownKey, ...] | None = None
        """The keys the last compose showed (None: none yet)."""
        self._held = held

    def release(self) -> None:
        """Show the keys (once; later calls do nothing)."""
        if self._held:
            self._held = False
            self.call_later(self.recompose)

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
        if self._held or not self.display or (self._shown is not None
                                and self._keys_to_show() == self._shown):
            return
        await super().recompose()

    def on_show(self) -> None:
        """Shown again: show the keys of now."""
        self.call_after_refresh(self.recompose)
