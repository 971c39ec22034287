"""Key tables of the screens: bindings in the UI language and the rows of the help dialog."""

from typing import TypeVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from planner.i18n import label

S = TypeVar("S", bound=Screen[None])
Key = tuple[str, str, str, bool]
"""(keys, action, label key, shown in the footer)"""


def key_bindings(keys: list[Key], lang: str | None = None) -> list[BindingType]:
    """Bindings with descriptions in `lang` (label keys when `lang` is None)."""
    return [Binding(key, action, label(description, lang) if lang else description, show=show)
            for key, action, description, show in keys]


def localized(screen: type[S], keys: list[Key], lang: str) -> type[S]:
    """A subclass of `screen` whose footer and palette show the key descriptions in `lang`."""
    return type(f"{screen.__name__}_{lang}", (screen,), {"BINDINGS": key_bindings(keys, lang)})


def help_rows(keys: list[Key], lang: str) -> list[tuple[str, str]]:
    """(keys as typed, what they do) for the help dialog."""
    return [(key.replace("question_mark", "?").replace("slash", "/"), label(description, lang))
            for key, _, description, _ in keys]
