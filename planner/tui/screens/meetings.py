"""The joint meetings (联席会议): plan a meeting, build and edit its agenda, record decisions
whose action items become tracked items, and print the agenda or the minutes."""

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Static

from planner.core.errors import PlannerError
from planner.i18n import label
from planner.reports.meetings import AgendaRow, MeetingDetail
from planner.tui import forms
from planner.tui.dialogs.form import FormDialog
from planner.tui.dialogs.help import HelpDialog
from planner.tui.gateway import Outcome, PlanGateway
from planner.tui.keys import Key, help_rows, key_bindings
from planner.tui.screens.hosted import HostedScreen
from planner.tui.views import MeetingsView
from planner.tui.widgets.meetings import AgendaTable, MeetingList
from planner.tui.widgets.title_bar import TitleBar

KEYS: list[Key] = [
    ("n", "new_meeting", "key_meeting_new", True),
    ("p", "build_agenda", "key_agenda_build", True),
    ("space", "toggle_entry", "key_agenda_toggle", True),
    ("K,ctrl+up", "move_entry(-1)", "key_entry_up", False),
    ("J,ctrl+down", "move_entry(1)", "key_entry_down", False),
    ("a", "add_entry", "key_entry_add", True),
    ("d", "decide", "key_decision", True),
    ("P", "print", "key_meeting_print", True),
    ("ctrl+r", "reload", "key_reload", False),
    ("question_mark", "help", "key_help", False),
    ("escape,q", "back", "key_back", True),
]


class MeetingsScreen(HostedScreen):
    """Meetings on the left, the highlighted meeting's agenda on the right (stacked when
    narrow)."""

    DEFAULT_CSS = """
    #meetings-body {
        height: 1fr;
    }
    #meeting-list {
        width: 36%;
        height: 1fr;
        border: round $primary 50%;
    }
    #agenda-pane {
        width: 1fr;
        height: 1fr;
    }
    #agenda {
        height: 1fr;
        border: round $primary 50%;
    }
    #meeting-list:focus, #agenda:focus {
        border: round $accent;
    }
    #agenda-summary {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    #entry-detail {
        height: auto;
        max-height: 5;
        padding: 0 1;
        color: $text-muted;
    }
    MeetingsScreen.narrow #meetings-body {
        layout: vertical;
    }
    MeetingsScreen.narrow #meeting-list {
        width: 1fr;
        height: 7;
    }
    MeetingsScreen.narrow #entry-detail {
        max-height: 2;
    }
    """

    KEYS = KEYS
    BINDINGS: ClassVar[list[BindingType]] = key_bindings(KEYS)

    class Loaded(Message):
        """The meetings and the chosen meeting's detail were read in a worker."""

        def __init__(self, view: MeetingsView, keep_entry: int | None) -> None:
            super().__init__()
            self.view = view
            self.keep_entry = keep_entry

    class AgendaLoaded(Message):
        """One meeting's agenda and decisions were read in a worker."""

        def __init__(self, detail: MeetingDetail) -> None:
            super().__init__()
            self.detail = detail

    class Edited(Message):
        """A write succeeded: reload, keeping meeting `meeting_id` and entry `keep_entry`."""

        def __init__(self, message: str, meeting_id: int | None,
                     keep_entry: int | None) -> None:
            super().__init__()
            self.message = message
            self.meeting_id = meeting_id
            self.keep_entry = keep_entry

    class Failed(Message):
        """A write was refused."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.view: MeetingsView | None = None
        self.detail: MeetingDetail | None = None

    def today(self) -> date:
        """The date validation is done against."""
        return self.gateway.today()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="meetings-body"):
            yield MeetingList(lang=self.lang, id="meeting-list")
            with Vertical(id="agenda-pane"):
                yield AgendaTable(lang=self.lang, id="agenda")
                yield Static("", id="agenda-summary", markup=False)
                yield Static("", id="entry-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{label('key_meetings', self.lang)} · {label('today', self.lang)} " \
                         f"{self.today().isoformat()}"
        meeting_list = self.query_one(MeetingList)
        meeting_list.border_title = label("meetings", self.lang)
        self.query_one(AgendaTable).border_title = label("agenda", self.lang)
        meeting_list.focus()
        self.load()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "narrow")

    # -- reading -----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="meetings-load")
    def load(self, keep_meeting: int | None = None, keep_entry: int | None = None) -> None:
        """Read the meetings and the agenda of the meeting to show."""
        try:
            view = self.gateway.read_meetings(keep_meeting)
        except PlannerError as exc:
            self.post_message(self.Failed(exc.message(self.lang)))
            return
        self.post_message(self.Loaded(view, keep_entry))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.view = message.view
        detail = message.view.detail
        self.query_one(MeetingList).show(message.view.meetings,
                                         keep=detail.meeting.id if detail else None)
        self._show_detail(detail, message.keep_entry)

    @on(MeetingList.Highlighted)
    def _meeting_highlighted(self, message: MeetingList.Highlighted) -> None:
        shown = self.detail.meeting.id if self.detail else None
        if message.meeting_id is not None and message.meeting_id != shown:
            self.load_agenda(message.meeting_id)

    @work(thread=True, exclusive=True, group="meetings-agenda")
    def load_agenda(self, meeting_id: int) -> None:
        """Read one meeting's agenda and decisions."""
        try:
            detail = self.gateway.read_meeting(meeting_id)
        except PlannerError as exc:
            self.post_message(self.Failed(exc.message(self.lang)))
            return
        self.post_message(self.AgendaLoaded(detail))

    @on(AgendaLoaded)
    def _agenda_loaded(self, message: AgendaLoaded) -> None:
        if message.detail.meeting.id == self.query_one(MeetingList).current:
            self._show_detail(message.detail, None)

    def _show_detail(self, detail: MeetingDetail | None, keep_entry: int | None) -> None:
        self.detail = detail
        agenda = self.query_one(AgendaTable)
        unit_names = self.view.unit_names if self.view else {}
        agenda.show(detail.agenda if detail else (), unit_names, keep_entry)
        summary = self.query_one("#agenda-summary", Static)
        if detail is None:
            agenda.border_title = label("agenda", self.lang)
            summary.update(label("no_meetings", self.lang))
            self._show_entry(None)
            return
        meeting = detail.meeting
        status = label("meeting_held" if meeting.status == "held" else "meeting_planned",
                       self.lang)
        agenda.border_title = label("meeting_heading", self.lang, on=meeting.on,
                                    title=meeting.title, status=status)
        parts = [label("minutes_total", self.lang, length=meeting.length_minutes,
                       used=sum(e.minutes for e in detail.agenda if e.included))]
        excluded = sum(not e.included for e in detail.agenda)
        if excluded:
            parts.append(label("excluded_count", self.lang, n=excluded))
        if detail.decisions:
            codes = [code for decision in detail.decisions for code in decision.action_codes]
            parts.append(label("decisions_with_codes" if codes else "decisions_count",
                               self.lang, n=len(detail.decisions), codes=codes))
        if not detail.agenda:
            parts = [label("no_agenda", self.lang)]
        summary.update(" · ".join(parts))
        self._show_entry(agenda.current)

    @on(AgendaTable.Highlighted)
    def _entry_highlighted(self) -> None:
        self._show_entry(self.query_one(AgendaTable).current)

    def _show_entry(self, entry: AgendaRow | None) -> None:
        text = "" if entry is None else "\n".join(
            [f"{entry.number}. {entry.title}", *entry.detail.splitlines()])
        self.query_one("#entry-detail", Static).update(text)

    # -- helpers ------------------------------------------------------------------------
    def _ask(self, title: str, form: tuple[list[Any], Callable[[dict[str, object]], Any]],
             then: Callable[[Any], object], intro: str = "") -> None:
        FormDialog.ask(self.app, title, form, then, lang=self.lang, intro=intro)

    def _meeting_or_warn(self) -> MeetingDetail | None:
        if self.detail is None or self.detail.meeting.id != self.query_one(MeetingList).current:
            self.notify(label("no_meeting_selected", self.lang), severity="warning")
            return None
        return self.detail

    def _entry_or_warn(self) -> AgendaRow | None:
        if self._meeting_or_warn() is None:
            return None
        entry = self.query_one(AgendaTable).current
        if entry is None:
            self.notify(label("no_entry_selected", self.lang), severity="warning")
        return entry

    def _unit_choices(self) -> list[tuple[str, str]]:
        names = self.view.unit_names if self.view else {}
        return [(label("unit_choice", self.lang, name=name, uid=uid), uid)
                for uid, name in names.items()]

    # -- writes (reload after each) ----------------------------------------------------
    @work(thread=True, group="meetings-write")
    def write(self, action: Callable[[PlanGateway], Outcome],
              keep_entry: int | None = None) -> None:
        """Run one service call through the gateway; reload the meetings after it."""
        try:
            outcome = action(self.gateway)
        except PlannerError as exc:
            self.post_message(self.Failed(exc.message(self.lang)))
            return
        except OSError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        meeting_id = int(outcome.code) if outcome.code else None
        self.post_message(self.Edited(outcome.message, meeting_id, keep_entry))

    @on(Edited)
    def _edited(self, message: Edited) -> None:
        if message.message:
            self.notify(message.message, timeout=8)
        self.load(message.meeting_id, message.keep_entry)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.message, title=label("error", self.lang), severity="error",
                    timeout=8)
        current = self.query_one(AgendaTable).current
        self.load(self.query_one(MeetingList).current, current.number if current else None)

    def action_new_meeting(self) -> None:
        self._ask(label("key_meeting_new", self.lang), forms.meeting_form(self.today(), self.lang),
                  lambda request: self.write(lambda app: app.write_meeting(request)))

    def action_build_agenda(self) -> None:
        detail = self._meeting_or_warn()
        if detail is not None:
            meeting_id = detail.meeting.id
            self.write(lambda app: app.write_agenda_build(meeting_id))

    def action_toggle_entry(self) -> None:
        entry = self._entry_or_warn()
        if entry is None or self.detail is None:
            return
        meeting_id = self.detail.meeting.id
        self.write(lambda app: app.write_agenda_included(meeting_id, entry.number,
                                                         not entry.included),
                   keep_entry=entry.number)

    def action_move_entry(self, offset: int) -> None:
        entry = self._entry_or_warn()
        if entry is None or self.detail is None:
            return
        to = entry.number + offset
        if not 1 <= to <= len(self.detail.agenda):
            return
        meeting_id = self.detail.meeting.id
        self.write(lambda app: app.write_agenda_move(meeting_id, entry.number, to), keep_entry=to)

    def action_add_entry(self) -> None:
        detail = self._meeting_or_warn()
        if detail is None:
            return
        meeting_id, number = detail.meeting.id, len(detail.agenda) + 1
        self._ask(f"{label('key_entry_add', self.lang)} · {detail.meeting.title}",
                  forms.entry_form(self._unit_choices(), detail.meeting.length_minutes,
                                   self.lang),
                  lambda request: self.write(
                      lambda app: app.write_agenda_entry(meeting_id, request), keep_entry=number))

    def action_decide(self) -> None:
        detail = self._meeting_or_warn()
        if detail is None:
            return
        entry = self.query_one(AgendaTable).current
        meeting_id = detail.meeting.id
        number = entry.number if entry else None
        about = entry.task_codes[0] if entry and len(entry.task_codes) == 1 else None
        lead = (entry.presenter or (entry.units[0] if entry.units else None)) if entry else None
        intro = label("decision_about", self.lang, n=entry.number, title=entry.title) \
            if entry else ""
        self._ask(f"{label('key_decision', self.lang)} · {detail.meeting.title}",
                  forms.decision_form(self._unit_choices(), self.lang, today=self.today(),
                                      meeting_on=detail.meeting.on, default_lead=lead),
                  lambda request: self.write(
                      lambda app: app.write_decision(meeting_id, request, agenda_number=number,
                                                     about_code=about), keep_entry=number),
                  intro=intro)

    def action_print(self) -> None:
        detail = self._meeting_or_warn()
        if detail is not None:
            meeting_id = detail.meeting.id
            current = self.query_one(AgendaTable).current
            self.write(lambda app: app.write_meeting_print(meeting_id),
                       keep_entry=current.number if current else None)

    def action_reload(self) -> None:
        current = self.query_one(AgendaTable).current
        self.load(self.query_one(MeetingList).current, current.number if current else None)

    def action_help(self) -> None:
        rows = help_rows(KEYS, self.lang)
        rows += [("↑↓ j k", "↑↓"), ("Tab", label("meetings", self.lang) + " ⇄ "
                                     + label("agenda", self.lang))]
        self.app.push_screen(HelpDialog(label("bindings", self.lang), rows))

    def action_back(self) -> None:
        self.dismiss(None)
