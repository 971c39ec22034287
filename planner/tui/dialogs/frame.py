"""The frame every dialog shares: a bordered box (`#dialog`) with a title and an error line.

Its style is the dialogs' own (`DEFAULT_CSS`), not the app's stylesheet, so the main screen's
start does not parse rules for screens it has not opened."""

from typing import TypeVar

from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


class DialogScreen(ModalScreen[ResultT]):
    """A modal screen drawn as a dialog box in the middle of the screen."""

    DEFAULT_CSS = """
    DialogScreen {
        align: center middle;
    }
    #dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    #dialog-title {
        text-style: bold;
        margin-bottom: 1;
    }
    #dialog-error {
        color: $error;
        margin-top: 1;
    }
    """
