"""The Textual app: handed an engine and the run's clock, so tests and the CLI build it alike."""

from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen

from planner.core.clock import Clock
from planner.i18n import label
from planner.tui.gateway import PlanGateway, Snapshot
from planner.tui.screens.main import KEYS, MainScreen

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class PlannerApp(App[None]):
    """The coordinator's terminal UI over one plan database."""

    CSS_PATH = "planner.tcss"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, *, engine: "Engine | Callable[[], Engine]", clock: Clock,
                 lang: str = "zh", user: str | None = None, poll_seconds: float = 2.0,
                 report_dir: Path | None = None, sqlite_file: str | None = None,
                 first_snapshot: "Future[Snapshot] | None" = None,
                 plan: str | None = None) -> None:
        """`engine` may be a function that makes it (called on the first write); the first
        screen then reads `sqlite_file` through `sqlite3` alone. `first_snapshot`, when
        given, is the plan already being read (started before Textual was imported): the
        main screen shows it instead of reading again."""
        super().__init__()
        self.gateway = PlanGateway(engine, clock=clock, lang=lang, user=user,
                                   report_dir=report_dir, sqlite_file=sqlite_file, plan=plan)
        self.first_snapshot = first_snapshot
        self.lang = lang
        self.poll_seconds = poll_seconds

    def get_default_screen(self) -> Screen[Any]:
        """The main screen is the first on the stack, not pushed over Textual's empty default
        screen: that one would be composed, styled and drawn too before the first rows."""
        return MainScreen.localized(self.lang)()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Notifications carry titles, notes and echoed input: never read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every main-screen action in the command palette, in the UI language."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        for keys, action, description, _ in KEYS:
            shown = keys.replace("question_mark", "?").replace("slash", "/")
            yield SystemCommand(label(description, self.lang), shown,
                                lambda action=action: screen.run_action(action))
