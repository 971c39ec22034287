"""The coordinators' inbox (督办待办): pending 签收, returned items, 延期申请 and 办结申请,
oldest first, each answered with a key — approve, reject (with a reason), reassign (交办) a
returned item, or record a 催办 — through the same services as `planner approve` & co."""

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Footer, Static

from planner.core.cycle import EventKind
from planner.core.errors import PlannerError
from planner.i18n import label
from planner.reports.inbox import InboxEntry, entry_detail, entry_what
from planner.store.dbapi import local_date
from planner.tui import forms
from planner.tui.dialogs.form import FormDialog
from planner.tui.dialogs.help import HelpDialog
from planner.tui.gateway import Outcome, PlanGateway
from planner.tui.keys import Key, help_rows, key_bindings
from planner.tui.screens.hosted import HostedScreen
from planner.tui.views import InboxView
from planner.tui.widgets.rows import RowTable
from planner.tui.widgets.title_bar import TitleBar

KEYS: list[Key] = [
    ("y", "approve", "key_inbox_approve", True),
    ("n", "reject", "key_inbox_reject", True),
    ("a", "reassign", "key_inbox_reassign", True),
    ("u", "urge", "key_inbox_urge", True),
    ("ctrl+r", "reload", "key_reload", False),
    ("question_mark", "help", "key_help", False),
    ("escape,q", "back", "key_back", True),
]
LATE_STYLE = "bold red"


class InboxTable(RowTable):
    """The entries, one row each, keyed by their step's id."""

    def __init__(self, *, lang: str, id: str | None = None) -> None:
        super().__init__(lang=lang, id=id)
        self.entries: dict[int, InboxEntry] = {}

    def on_mount(self) -> None:
        for key in ("inbox_col_id", "inbox_col_date", "inbox_col_what", "inbox_col_item",
                    "inbox_col_unit", "inbox_col_detail"):
            self.add_column(label(key, self.lang), key=key)

    def show(self, view: InboxView, keep: int | None) -> None:
        """Fill the table, keeping the cursor on entry `keep` (else the row it was on)."""
        row = self.cursor_row
        self.clear()
        self.entries = {entry.id: entry for entry in view.entries}
        for entry in view.entries:
            late = entry.late(view.today)
            what = entry_what(entry, self.lang) + (
                " " + label("inbox_late", self.lang) if late else "")
            self.add_row(Text(f"#{entry.id}"), Text(local_date(entry.at).isoformat()),
                         Text(what, style=LATE_STYLE if late else ""),
                         Text(f"{entry.code} {entry.title}"), Text(entry.unit_name),
                         Text(entry_detail(entry, self.lang)), key=str(entry.id))
        if keep is not None and keep in self.entries:
            self.move_cursor(row=self.get_row_index(str(keep)))
        elif view.entries:
            self.move_cursor(row=min(row, len(view.entries) - 1))

    @property
    def current(self) -> InboxEntry | None:
        """The highlighted entry."""
        if not self.entries or self.cursor_row < 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.entries.get(int(key)) if key is not None else None


class InboxScreen(HostedScreen):
    """What waits for the coordinators, oldest first, with keys to answer it."""

    KEYS = KEYS
    BINDINGS: ClassVar[list[BindingType]] = key_bindings(KEYS)

    class Loaded(Message):
        """The inbox was read in a worker."""

        def __init__(self, view: InboxView, keep: int | None) -> None:
            super().__init__()
            self.view = view
            self.keep = keep

    class Done(Message):
        """A write ended: its message (an error when `failed`); reload."""

        def __init__(self, message: str, failed: bool) -> None:
            super().__init__()
            self.message = message
            self.failed = failed

    def __init__(self) -> None:
        super().__init__()
        self.view: InboxView | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield InboxTable(lang=self.lang, id="inbox")
        yield Static("", id="inbox-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{label('key_inbox', self.lang)} · {label('today', self.lang)} " \
                         f"{self.gateway.today().isoformat()}"
        table = self.query_one(InboxTable)
        table.border_title = label("key_inbox", self.lang)
        table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="inbox-load")
    def load(self, keep: int | None = None) -> None:
        """Read the inbox."""
        try:
            view = self.gateway.read_inbox()
        except PlannerError as exc:
            self.post_message(self.Done(exc.message(self.lang), True))
            return
        self.post_message(self.Loaded(view, keep))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.view = message.view
        self.query_one(InboxTable).show(message.view, message.keep)
        summary = label("inbox_count", self.lang, n=len(message.view.entries)) \
            if message.view.entries else label("inbox_empty", self.lang)
        self.query_one("#inbox-summary", Static).update(summary)

    @work(thread=True, group="inbox-write")
    def write(self, action: Callable[[PlanGateway], Outcome]) -> None:
        """Run one service call through the gateway; reload the inbox after it."""
        try:
            outcome = action(self.gateway)
        except PlannerError as exc:
            self.post_message(self.Done(exc.message(self.lang), True))
            return
        self.post_message(self.Done(outcome.message, False))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.failed:
            self.notify(message.message, title=label("error", self.lang), severity="error",
                        timeout=8)
        elif message.message:
            self.notify(message.message, timeout=8)
        self.load()

    def _entry(self, *kinds: EventKind) -> InboxEntry | None:
        """The highlighted entry when it is one of `kinds`; else a warning saying so."""
        entry = self.query_one(InboxTable).current
        if entry is None:
            self.notify(label("inbox_empty", self.lang), severity="warning")
            return None
        if entry.kind not in kinds:
            self.notify(label("inbox_key_not_for", self.lang,
                              what=entry_what(entry, self.lang)), severity="warning")
            return None
        return entry

    def _ask(self, title: str, form: tuple[list[Any], Callable[[dict[str, object]], Any]],
             then: Callable[[Any], object], intro: str = "") -> None:
        FormDialog.ask(self.app, title, form, then, lang=self.lang, intro=intro)

    def action_approve(self) -> None:
        entry = self._entry(EventKind.EXTEND_REQUEST, EventKind.DONE_REQUEST)
        if entry is not None:
            self.write(lambda app: app.write_approve(entry.id))

    def action_reject(self) -> None:
        entry = self._entry(EventKind.EXTEND_REQUEST, EventKind.DONE_REQUEST)
        if entry is not None:
            self._ask(f"{label('key_inbox_reject', self.lang)} #{entry.id}",
                      forms.reason_form(self.lang),
                      lambda reason: self.write(lambda app: app.write_reject(entry.id, reason)),
                      intro=f"{entry_what(entry, self.lang)} · {entry.code} {entry.title}")

    def action_reassign(self) -> None:
        entry = self._entry(EventKind.RETURN, EventKind.ASSIGN)
        if entry is None or self.view is None:
            return
        units = [(label("unit_choice", self.lang, name=name, uid=uid), uid)
                 for uid, name in self.view.unit_names.items()]
        self._ask(f"{label('key_inbox_reassign', self.lang)} · {entry.code}",
                  forms.assign_form(units, entry.unit, self.lang),
                  lambda unit: self.write(lambda app: app.write_assign(entry.code, unit)),
                  intro=entry_detail(entry, self.lang))

    def action_urge(self) -> None:
        entry = self._entry(EventKind.ASSIGN, EventKind.EXTEND_REQUEST, EventKind.DONE_REQUEST,
                            EventKind.RETURN)
        if entry is not None:
            self.write(lambda app: app.write_urge(entry.code))

    def action_reload(self) -> None:
        current = self.query_one(InboxTable).current
        self.load(current.id if current else None)

    def action_help(self) -> None:
        self.app.push_screen(HelpDialog(label("bindings", self.lang), help_rows(KEYS, self.lang)))

    def action_back(self) -> None:
        self.dismiss(None)
