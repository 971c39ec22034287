"""The coordinator's main screen: the plan tree, the detail pane, search and filters."""

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from planner.core.errors import (
    ConflictError,
    ConnectionLost,
    EnvironmentProblem,
    PlannerError,
)
from planner.core.outline import Criteria, kept_ids, visible_rows
from planner.core.rollup import Colour, Figures
from planner.core.status import require_leaf
from planner.i18n import field, label
from planner.tui.gateway import Outcome, PlanGateway, Snapshot
from planner.tui.host import GatewayHost
from planner.tui.keys import Key, help_rows, key_bindings, localized
from planner.tui.widgets.detail import DetailPane
from planner.tui.widgets.footer import KeyFooter
from planner.tui.widgets.plan_table import PlanTable, TableModel
from planner.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from planner.core.indicators import IndicatorSnapshot
    from planner.reports.plans import PlanRow
    from planner.store.links import LinkedItem
    from planner.tui.requests import UpdateRequest

WARNING_COLOURS = frozenset({Colour.RED, Colour.YELLOW})
#: Up to this many items, find and filter redraw at once (each keystroke); above it, the
#: search waits for a pause in typing and both filter in a worker, so keys stay quick.
INSTANT_FILTER_ITEMS = 5000
#: The pause in typing (seconds) after which a search of a large plan filters.
SEARCH_PAUSE_S = 0.12
#: Below this many columns the detail pane goes under the table (the screen's `narrow` class).
NARROW_COLUMNS = 120
#: Cursor moves closer together than this (seconds) are a run (a held key): the detail pane
#: follows once the cursor rests this long, not every row passed over.
DETAIL_PAUSE_S = 0.15


KEYS: list[Key] = [
    ("u", "update", "key_update", True),
    ("slash", "find", "key_find", True),
    ("f", "filter", "key_filter", True),
    ("escape", "clear_filter", "key_clear", True),
    ("n", "next_warning", "key_next_warning", True),
    ("N", "prev_warning", "key_prev_warning", False),
    ("E", "expand_all", "key_expand_all", False),
    ("C", "collapse_all", "key_collapse_all", False),
    ("a", "add_child", "key_add_child", False),
    ("A", "add_sibling", "key_add_sibling", False),
    ("e", "edit", "key_edit", False),
    ("D", "move_due", "key_due", False),
    ("K,ctrl+up", "move(-1)", "key_move_up", False),
    ("J,ctrl+down", "move(1)", "key_move_down", False),
    ("m", "reparent", "key_reparent", False),
    ("delete,x", "delete", "key_delete", False),
    ("c", "flag", "key_flag", False),
    ("r", "reading", "key_reading", False),
    ("w", "weekly_report", "key_report", True),
    ("M", "meetings", "key_meetings", True),
    ("I", "inbox", "key_inbox", False),
    ("O", "intake", "key_intake", False),
    ("o", "notice", "key_notice", False),
    ("t", "chart", "key_chart", False),
    ("S", "assessment", "key_assessment", False),
    ("P", "switch_plan", "key_switch_plan", False),
    ("L", "follow_link", "key_follow_link", False),
    ("ctrl+r", "reload", "key_reload", False),
    ("i", "toggle_detail", "key_detail", False),
    ("question_mark", "help", "key_help", True),
    ("q", "quit", "key_quit", True),
]


class MainScreen(Screen[None]):
    """Browse the tree, update items, edit the plan; rollups refresh along the item's path."""

    BINDINGS: ClassVar[list[BindingType]] = key_bindings(KEYS)
    AUTO_FOCUS = "#table"
    """Focus the table from the start, not another widget first: each focus change rebuilds
    the footer's keys."""
    focused: Reactive["Widget | None"] = Reactive(None, repaint=False)
    """Textual's screen repaints all of itself on every focus change; the widgets gaining and
    losing focus repaint themselves and focus styles are updated apart, so opening the
    search line (the table's rows, at 100,000 items too) need not draw the whole screen."""

    @classmethod
    def localized(cls, lang: str) -> type["MainScreen"]:
        """A subclass whose footer and help show the key descriptions in `lang`."""
        return localized(cls, KEYS, lang)

    class Loaded(Message):
        """A fresh snapshot was read in a worker."""

        def __init__(self, snapshot: Snapshot, keep_code: str | None) -> None:
            super().__init__()
            self.snapshot = snapshot
            self.keep_code = keep_code

    class DetailLoaded(Message):
        """The detail text of an item was read in a worker."""

        def __init__(self, node_id: int, text: str) -> None:
            super().__init__()
            self.node_id = node_id
            self.text = text

    class Saved(Message):
        """An update was accepted; `revision` is the plan's change counter after it."""

        def __init__(self, node_id: int, result: Any, revision: int) -> None:
            super().__init__()
            self.node_id = node_id
            self.result = result
            self.revision = revision

    class Edited(Message):
        """A write succeeded; when it changed the plan, reload with the cursor on `code`."""

        def __init__(self, outcome: Outcome) -> None:
            super().__init__()
            self.outcome = outcome

    class Failed(Message):
        """A write was refused; `conflict` when someone else changed the item first."""

        def __init__(self, message: str, conflict: bool) -> None:
            super().__init__()
            self.message = message
            self.conflict = conflict

    class Filtered(Message):
        """The rows of `criteria` over `snapshot`, computed in a worker."""

        def __init__(self, snapshot: Snapshot, criteria: Criteria, rows: list[tuple[int, int]],
                     match_count: int, context: set[int]) -> None:
            super().__init__()
            self.snapshot = snapshot
            self.criteria = criteria
            self.rows = rows
            self.match_count = match_count
            self.context = context

    class ChangedElsewhere(Message):
        """The highlighted item is gone: someone else changed the plan."""

    class ReadFailed(Message):
        """A read in a worker failed (the database is out of reach): the poller retries."""

        def __init__(self, problem: PlannerError) -> None:
            super().__init__()
            self.problem = problem

    class RevisionSeen(Message):
        """The poller read the plan's change counter."""

        def __init__(self, revision: int) -> None:
            super().__init__()
            self.revision = revision

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Snapshot | None = None
        self.expanded: set[int] = set()
        self.criteria = Criteria()
        self.shown_criteria = Criteria()
        """The criteria of the rows on screen (behind `criteria` while a worker filters)."""
        self.match_count = 0
        self._search_timer: Timer | None = None
        self._filter_waits = False  # criteria set before the whole plan was read
        self._last_move_at = 0.0  # time.monotonic() of the last cursor move
        self._detail_for: tuple[Snapshot, int] | None = None  # what the pane was asked for
        self._loading = False
        self.connection_problem: str | None = None  # set while the database is out of reach
        self._search: Input | None = None
        """The search line, mounted into its place when first opened: its styles are
        parsed and applied then, not before the first rows."""

    @property
    def lang(self) -> str:
        """The UI language."""
        return self.gateway.lang

    @property
    def gateway(self) -> PlanGateway:
        """Reads and writes of the app."""
        return cast(GatewayHost, self.app).gateway

    def today(self) -> date:
        """The date figures are computed for."""
        return self.gateway.today()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="filter-bar", markup=False)
        yield Static(label("connection_lost", self.lang), id="connection-bar", markup=False)
        yield Static(id="search-line")  # the search line's Input: mounted when first opened
        with Horizontal(id="body"):
            yield PlanTable(lang=self.lang, id="table")
            yield DetailPane(id="detail")
        yield KeyFooter(held=True)  # released once the first rows are on screen

    def on_mount(self) -> None:
        self.query_one("#search-line").display = False
        self.query_one("#filter-bar", Static).display = False
        self.query_one("#connection-bar", Static).display = False
        self.query_one(PlanTable).focus()
        # Laid out for the terminal's width before the first frame, which has the rows.
        self.set_class(self.app.size.width < NARROW_COLUMNS, "narrow")
        host = cast(GatewayHost, self.app)
        started = host.first_snapshot
        if started is not None and started.done() and started.exception() is None:
            # Read while Textual was imported: shown now, the first frame has the rows (a
            # worker and its message would cost a frame without them first).
            host.first_snapshot = None
            self._show_snapshot(started.result(), None)
        else:
            self.load()
        self.set_interval(host.poll_seconds, self.poll)

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_COLUMNS, "narrow")

    # -- reading -----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self, keep_code: str | None = None) -> None:
        """Read the whole tree and compute its rollup off the UI thread. The first time, take
        the read the app was started with, if any (begun before Textual was imported), else
        read what the first screen needs (`PlanGateway.read_first`: a large plan's first
        levels from its stored rollups); the whole plan follows once that is on screen."""
        host = cast(GatewayHost, self.app)
        started, host.first_snapshot = host.first_snapshot, None
        try:
            if started is not None:
                snapshot = started.result()
            elif self.snapshot is None:
                snapshot = self.gateway.read_first()
            else:
                snapshot = self.gateway.read_snapshot()
        except PlannerError as exc:
            self.post_message(self.ReadFailed(exc))
            return
        self.post_message(self.Loaded(snapshot, keep_code))

    @work(thread=True, exclusive=True, group="store")
    def store_figures(self, figures: dict[int, Figures], revision: int) -> None:
        """Store the figures of a plan read whole because its stored ones were not current,
        so the next start paints from them. Not storing is no error: the next start reads
        the whole plan again (the database may be busy or this user may not write them)."""
        try:
            self.gateway.store_figures(figures, revision)
        except PlannerError:
            return

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show_snapshot(message.snapshot, message.keep_code)

    def _show_snapshot(self, snapshot: Snapshot, keep_code: str | None) -> None:
        """Show a snapshot read whole or in part, the cursor on `keep_code` if given, else
        on the item it was on."""
        self._connection_back()
        first_load = self.snapshot is None
        table = self.query_one(PlanTable)
        current = table.current
        if keep_code is None and current is not None and self.snapshot is not None:
            keep_code = self.snapshot.tree.nodes[current].code
        self.snapshot = snapshot
        tree = snapshot.tree
        if first_load:
            self.expanded = set(tree.roots) if snapshot.items > 200 else {
                node_id for node_id in tree.nodes if not tree.is_leaf(node_id)}
        else:
            self.expanded &= set(tree.nodes)
        keep = tree.by_code.get(keep_code) if keep_code else None
        if keep is not None:
            self.expanded.update(tree.ancestors(keep))
        self.app.sub_title = (f"{label('today', self.lang)} "
                              f"{self.today().isoformat()}")
        self.app.title = (f"{tree.settings.title} [{snapshot.plan_code}]"
                          + (label("title_closed", self.lang) if snapshot.plan_closed else ""))
        self.set_class(snapshot.plan_closed, "closed-plan")
        self.refresh_rows(keep=keep)
        if not snapshot.complete:  # the whole plan, once this is on screen
            self.call_after_refresh(self.load)
        elif self._filter_waits:
            self._filter_waits = False
            self._first_match()
        if not snapshot.stored_figures:
            self.call_after_refresh(self.store_figures, dict(snapshot.rollup.figures),
                                    snapshot.revision)

    def _whole(self) -> Snapshot | None:
        """The snapshot when it holds the whole plan; None (saying that the plan is still
        being read) while the first screen's levels are all there is."""
        if self.snapshot is not None and not self.snapshot.complete:
            self.notify(label("plan_reading", self.lang))
            return None
        return self.snapshot

    def refresh_rows(self, keep: int | None = None) -> None:
        """Rebuild the visible rows from the expanded set and the filter."""
        if self.snapshot is None:
            return
        if self.criteria.active and self.snapshot.complete:
            rows, match_count, context = self._filtered(self.snapshot, self.criteria)
            self.match_count = match_count
        else:
            rows, context = visible_rows(self.snapshot.tree, expanded=self.expanded), set()
        self._show_rows(self.snapshot, self.criteria, rows, context, keep)

    def _filtered(self, snapshot: Snapshot, criteria: Criteria
                  ) -> tuple[list[tuple[int, int]], int, set[int]]:
        """The rows `criteria` keeps (every kept branch open), the number of matches, and the
        ancestors shown only as context."""
        texts = snapshot.search_texts() if criteria.text else None
        matches, kept = kept_ids(snapshot.tree, snapshot.rollup, criteria,
                                 unit_names=snapshot.unit_names, today=self.today(),
                                 texts=texts)
        return visible_rows(snapshot.tree, expanded=None, kept=kept), len(matches), \
            kept - matches

    def _show_rows(self, snapshot: Snapshot, criteria: Criteria, rows: list[tuple[int, int]],
                   context: set[int], keep: int | None) -> None:
        table = self.query_one(PlanTable)
        table.show(TableModel(snapshot.tree, snapshot.rollup, snapshot.unit_names, rows,
                              self.expanded, context),
                   keep=keep if keep is not None else table.current)
        self.shown_criteria = criteria
        self._show_filter_bar()

    def apply_filter(self, criteria: Criteria, *, after_pause: bool = False) -> None:
        """Show the rows of `criteria`, the cursor on the first match: at once on a small plan
        (or when the filter is cleared); on a large one filtered in a worker, after a pause
        in typing when `after_pause` (a search), so no key waits for the whole plan."""
        self.criteria = criteria
        self._cancel_search()
        if self.snapshot is not None and not self.snapshot.complete and criteria.active:
            self._filter_waits = True  # filtered when the whole plan is read
            self._show_filter_bar()
            return
        if self.snapshot is None or not criteria.active \
                or len(self.snapshot.tree.nodes) <= INSTANT_FILTER_ITEMS:
            self.refresh_rows()
            self._first_match()
        elif after_pause:
            self._search_timer = self.set_timer(SEARCH_PAUSE_S, self._filter_now)
        else:
            self._filter_now()

    def _cancel_search(self) -> None:
        """Forget a search waiting for a pause in typing."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None

    def _filter_now(self) -> None:
        self._search_timer = None
        if self.snapshot is not None:
            self.filter_rows(self.snapshot, self.criteria)

    @work(thread=True, exclusive=True, group="filter", description="filter_rows")
    def filter_rows(self, snapshot: Snapshot, criteria: Criteria) -> None:
        """Compute the rows of `criteria` off the UI thread (a large plan). The description
        is given: Textual would otherwise make one from the repr of the whole snapshot."""
        rows, match_count, context = self._filtered(snapshot, criteria)
        self.post_message(self.Filtered(snapshot, criteria, rows, match_count, context))

    @on(Filtered)
    def _filter_done(self, message: Filtered) -> None:
        if message.snapshot is not self.snapshot or message.criteria != self.criteria:
            return  # the plan was read again or the criteria changed since: a newer run shows
        self.match_count = message.match_count
        self._show_rows(message.snapshot, message.criteria, message.rows, message.context,
                        None)
        self._first_match()

    def _show_filter_bar(self) -> None:
        bar = self.query_one("#filter-bar", Static)
        bar.display = self.criteria.active
        if not self.criteria.active or self.snapshot is None:
            return
        lang, criteria = self.lang, self.criteria
        parts = []
        if criteria.text:
            parts.append(label("filter_search", lang, text=criteria.text))
        if criteria.unit:
            parts.append(self.snapshot.unit_names.get(criteria.unit, criteria.unit))
        if criteria.colours:
            parts.append("/".join(c.label(lang) for c in sorted(criteria.colours,
                                                                 key=lambda c: -c.severity)))
        if criteria.statuses:
            parts.append("/".join(s.label(lang) for s in criteria.statuses))
        if criteria.due_within_days is not None:
            parts.append(f"≤{criteria.due_within_days}d")
        if criteria.needs_coordination:
            parts.append(label("coordination", lang))
        shown = label("filter_separator", lang).join(parts)
        matches = label("matches", lang, n=self.match_count) if self.snapshot.complete \
            else label("plan_reading", lang)
        bar.update(f"▼ {field('filter_on', lang)}{shown}   {matches}   "
                   f"{label('esc_clears', lang)}")

    @on(PlanTable.Highlighted)
    def _highlighted(self, message: PlanTable.Highlighted) -> None:
        if message.node_id is None or not self.query_one(DetailPane).display:
            return
        if self.snapshot is not None and not self.snapshot.complete:
            self.query_one(DetailPane).show_text(label("plan_reading", self.lang))
            return
        asked = self._detail_for
        if self.snapshot is not None and asked is not None and asked[0] is self.snapshot \
                and asked[1] == message.node_id:
            return  # the same item of the same snapshot (a branch opened or closed)
        now = time.monotonic()
        in_a_run = now - self._last_move_at < DETAIL_PAUSE_S
        self._last_move_at = now
        if self.snapshot is not None:
            self._detail_for = (self.snapshot, message.node_id)
        self.load_detail(message.node_id, after_pause=in_a_run)

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, node_id: int, after_pause: bool = False) -> None:
        """Read one item's history and indicators and lay out the detail text. With
        `after_pause` (the cursor is moving fast, e.g. a held key), only once it has rested
        DETAIL_PAUSE_S on the item: each pane shown re-lays out the whole screen, which would
        otherwise follow every row passed over and slow the keys."""
        if after_pause:
            time.sleep(DETAIL_PAUSE_S)  # in this worker's thread: the UI goes on
            if get_current_worker().is_cancelled:  # the cursor moved on
                return
        snapshot = self.snapshot
        if snapshot is None or node_id not in snapshot.tree.nodes:
            return
        try:
            text = self.gateway.detail_text(snapshot, node_id)
        except EnvironmentProblem as exc:
            self.post_message(self.ReadFailed(exc))
            return
        except PlannerError:  # deleted by someone else since the last reload
            self.post_message(self.ChangedElsewhere())
            return
        self.post_message(self.DetailLoaded(node_id, text))

    @on(DetailLoaded)
    def _detail_loaded(self, message: DetailLoaded) -> None:
        if message.node_id == self.query_one(PlanTable).current:
            self.query_one(DetailPane).show_text(message.text)

    @on(PlanTable.Toggled)
    def _toggled(self, message: PlanTable.Toggled) -> None:
        if self.criteria.active:
            return
        if message.expand:
            self.expanded.add(message.node_id)
        else:
            self.expanded.discard(message.node_id)
        self.refresh_rows(keep=message.node_id)

    # -- other coordinators' changes ----------------------------------------------------
    @work(thread=True, exclusive=True, group="poll")
    def poll(self) -> None:
        """Read the plan's change counter; a new value means someone else wrote. While the
        database is out of reach, this is also what notices that it is back."""
        try:
            revision = self.gateway.read_revision()
        except PlannerError as exc:
            self.post_message(self.ReadFailed(exc))
            return
        self.post_message(self.RevisionSeen(revision))

    @on(ReadFailed)
    def _read_failed(self, message: ReadFailed) -> None:
        """Say once what keeps the database from being read, and keep saying it in the bar
        ("connection lost, retrying" when the server is out of reach) until a poll gets
        through."""
        problem = message.problem.message(self.lang)
        lost = isinstance(message.problem, ConnectionLost)
        if problem != self.connection_problem:
            self.notify(problem, title=label("connection_lost" if lost else "error", self.lang),
                        severity="error", timeout=10)
        self.connection_problem = problem
        bar = self.query_one("#connection-bar", Static)
        bar.update(label("connection_lost", self.lang) if lost else problem)
        bar.display = True
        self.query_one(KeyFooter).release()

    def _connection_back(self) -> bool:
        """Clear the outage bar; True when there was an outage."""
        if self.connection_problem is None:
            return False
        self.connection_problem = None
        self.query_one("#connection-bar", Static).display = False
        return True

    @on(ChangedElsewhere)
    def _changed_elsewhere(self) -> None:
        self.notify(label("changed_elsewhere", self.lang))
        self.load()

    @on(RevisionSeen)
    def _revision_seen(self, message: RevisionSeen) -> None:
        if self._connection_back():  # back after an outage: read everything again
            self.notify(label("connection_back", self.lang))
            self.load()
            return
        if self.snapshot is not None and message.revision != self.snapshot.revision:
            self.snapshot.revision = message.revision
            self.load()

    # -- selection helpers --------------------------------------------------------------
    def _current(self) -> int | None:
        return self.query_one(PlanTable).current

    def _ask(self, title: str, form: tuple[list[Any], Callable[[dict[str, object]], Any]],
             then: Callable[[Any], object], intro: str = "") -> None:
        from planner.tui.dialogs.form import FormDialog
        if self._read_only():
            return
        FormDialog.ask(self.app, title, form, then, lang=self.lang, intro=intro)

    def _read_only(self) -> bool:
        """A closed plan is browsed, not edited: say so instead of opening a form."""
        if self.snapshot is None or not self.snapshot.plan_closed:
            return False
        self.notify(label("plan_closed_read_only", self.lang, plan=self.snapshot.plan_code),
                    severity="warning")
        return True

    def _unit_choices(self) -> list[tuple[str, str]]:
        assert self.snapshot is not None
        return [(name, uid) for uid, name in self.snapshot.unit_names.items()]

    def _leaf_or_warn(self) -> int | None:
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return None
        assert self.snapshot is not None
        tree = self.snapshot.tree
        try:
            require_leaf(tree.nodes[node_id].code, has_children=not tree.is_leaf(node_id))
        except PlannerError as exc:
            self.notify(exc.message(self.lang), severity="warning")
            return None
        return node_id

    # -- updates ------------------------------------------------------------------------
    def action_update(self) -> None:
        from planner.tui import forms
        node_id = self._leaf_or_warn()
        if node_id is None or self.snapshot is None:
            return
        node = self.snapshot.tree.nodes[node_id]
        version = node.version
        self._ask(f"{label('key_update', self.lang)} {node.code} {node.title}",
                  forms.update_form(node, self._unit_choices(), self.lang),
                  lambda request: self.save_update(node_id, node.code, request, version))

    @work(thread=True, group="write")
    def save_update(self, node_id: int, code: str, request: "UpdateRequest",
                    version: int) -> None:
        """Record the update with the version seen when the dialog opened."""
        try:
            result, revision = self.gateway.write_update(code, request, version)
        except ConflictError as exc:
            self.post_message(self.Failed(exc.message(self.lang), conflict=True))
            return
        except PlannerError as exc:
            self.post_message(self.Failed(exc.message(self.lang), conflict=False))
            return
        self.post_message(self.Saved(node_id, result, revision))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        snapshot = self.snapshot
        if snapshot is None or message.node_id not in snapshot.tree.nodes:
            self.load()
            return
        node = snapshot.tree.nodes[message.node_id]
        node.status, node.progress = message.result.status, message.result.progress
        node.version = message.result.version
        node.last_report = self.today()
        changed = snapshot.rollup.refresh(message.node_id)
        if message.revision == snapshot.revision + 1:
            snapshot.revision = message.revision
        if self.criteria.active:
            self.query_one(PlanTable).forget(changed)
            self.refresh_rows(keep=message.node_id)
        else:
            self.query_one(PlanTable).refresh_rows(changed)
        self.load_detail(message.node_id)
        self.notify(label("update_saved", self.lang, code=node.code,
                          status=node.status.label(self.lang), progress=f"{node.progress:g}"))

    @on(PlanTable.RowsDrawn)
    def _rows_drawn(self) -> None:
        self.query_one(KeyFooter).release()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        title = label("conflict" if message.conflict else "error", self.lang)
        self.notify(message.message, title=title, severity="error", timeout=8)
        if message.conflict:
            self.load()

    def action_reading(self) -> None:
        from planner.tui import forms
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return
        assert self.snapshot is not None
        node = self.snapshot.tree.nodes[node_id]
        try:
            indicators: list[IndicatorSnapshot] = self.gateway.indicators_of(node.code)
        except PlannerError as exc:
            self.notify(exc.message(self.lang), title=label("error", self.lang),
                        severity="error", timeout=8)
            return
        if not indicators:
            self.notify(label("no_indicators", self.lang), severity="warning")
            return
        self._ask(f"{label('key_reading', self.lang)} {node.code}",
                  forms.reading_form(indicators, self.today(), self.lang),
                  lambda request: self.write(lambda app: app.write_reading(request)))

    def action_move_due(self) -> None:
        from planner.tui import forms
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return
        assert self.snapshot is not None
        node = self.snapshot.tree.nodes[node_id]
        self._ask(f"{label('key_due', self.lang)} {node.code}",
                  forms.due_form(node, self.today(), self.lang),
                  lambda request: self.write(
                      lambda app: app.write_due(node.code, request, node.version)))

    # -- plan edits (structural: reload after) ----------------------------------------
    @work(thread=True, group="write")
    def write(self, action: Callable[[PlanGateway], Outcome]) -> None:
        """Run one service call through the gateway; reload the tree after it."""
        try:
            outcome = action(self.gateway)
        except ConflictError as exc:
            self.post_message(self.Failed(exc.message(self.lang), conflict=True))
            return
        except PlannerError as exc:
            self.post_message(self.Failed(exc.message(self.lang), conflict=False))
            return
        self.post_message(self.Edited(outcome))

    @on(Edited)
    def _edited(self, message: Edited) -> None:
        outcome = message.outcome
        if outcome.message:
            self.notify(outcome.message)
        if outcome.changed:
            self.load(outcome.code)

    def _add(self, *, sibling: bool) -> None:
        from planner.tui import forms
        if self._whole() is None:
            return
        assert self.snapshot is not None
        node_id = self._current()
        node = self.snapshot.tree.nodes[node_id] if node_id is not None else None
        if node is not None and not sibling:
            self.expanded.add(node.id)
        parent_code = node.code if node is not None and not sibling else None
        after_code = node.code if node is not None and sibling else None
        title = label("key_add_sibling" if sibling else "key_add_child", self.lang)
        self._ask(f"{title}{' ' + node.code if node else ''}",
                  forms.item_form(self._unit_choices(), self.lang,
                                  today=self.today(),
                                  default_lead=node.lead if node else None),
                  lambda request: self.write(
                      lambda app: app.write_add(request, parent_code, after_code)))

    def action_add_child(self) -> None:
        self._add(sibling=False)

    def action_add_sibling(self) -> None:
        self._add(sibling=True)

    def action_edit(self) -> None:
        from planner.tui import forms
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return
        assert self.snapshot is not None
        node = self.snapshot.tree.nodes[node_id]
        self._ask(f"{label('key_edit', self.lang)} {node.code}",
                  forms.item_form(self._unit_choices(), self.lang,
                                  today=self.today(), node=node),
                  lambda request: self.write(
                      lambda app: app.write_edit(node.code, request, node.version)))

    def action_move(self, offset: int) -> None:
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return
        assert self.snapshot is not None
        code = self.snapshot.tree.nodes[node_id].code
        self.write(lambda app: app.write_move(code, offset))

    def action_reparent(self) -> None:
        from planner.tui import forms
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return
        assert self.snapshot is not None
        code = self.snapshot.tree.nodes[node_id].code
        self._ask(f"{label('key_reparent', self.lang)} {code}",
                  forms.text_form("parent", label("new_parent", self.lang)),
                  lambda parent: self.write(lambda app: app.write_reparent(code, parent or None)))

    def action_delete(self) -> None:
        from planner.tui.dialogs.form import FormDialog
        node_id = self._current()
        if node_id is None or self._whole() is None or self._read_only():
            return
        assert self.snapshot is not None
        node = self.snapshot.tree.nodes[node_id]
        dialog: FormDialog[bool] = FormDialog(
            label("key_delete", self.lang), [], lambda values: True, lang=self.lang,
            intro=label("confirm_delete", self.lang, code=node.code, title=node.title),
            save_caption=label("yes", self.lang))
        self.app.push_screen(dialog, lambda ok: self.write(  # type: ignore[arg-type]  # Textual drops the Worker it returns
            lambda app: app.write_delete(node.code)) if ok else None)

    def action_flag(self) -> None:
        from planner.tui import forms
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return
        assert self.snapshot is not None
        node = self.snapshot.tree.nodes[node_id]
        self._ask(f"{label('key_flag', self.lang)} {node.code}",
                  forms.text_form("reason", label("flag_reason", self.lang),
                                  node.coordination_reason or ""),
                  lambda reason: self.write(
                      lambda app: app.write_flag(node.code, reason or None, node.version)))

    # -- finding ------------------------------------------------------------------------
    async def action_find(self) -> None:
        if self._search is None:  # mounted in its hidden place: only that place is redrawn
            self._search = Input(placeholder=label("search_placeholder", self.lang),
                                 id="search")
            await self.query_one("#search-line").mount(self._search)
        search = self._show_search(True)
        search.value = self.criteria.text
        search.focus()

    def _show_search(self, shown: bool) -> Input:
        """Open (or close) the search line. It takes the footer's line, so the table keeps
        its size and only that line is drawn again: no key waits for a whole repaint."""
        assert self._search is not None
        self.query_one("#search-line").display = self._search.display = shown
        self.query_one(KeyFooter).display = not shown
        return self._search

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.apply_filter(replace(self.criteria, text=event.value.strip()), after_pause=True)

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self._show_search(False)
        self._focus_table()

    def _focus_table(self) -> None:
        """Give the table the focus back. Through the screen, not `Widget.focus`, which also
        redraws the whole table: only its cursor line changes look (`PlanTable._on_focus`)."""
        self.set_focus(self.query_one(PlanTable))

    def _first_match(self) -> None:
        table = self.query_one(PlanTable)
        if table.model is None:
            return
        for index, (node_id, _) in enumerate(table.model.rows):
            if node_id not in table.model.context:
                table.move_to(index)
                return

    def action_filter(self) -> None:
        from planner.tui import forms
        if self._whole() is None:
            return

        self._ask(label("key_filter", self.lang),
                  forms.filter_form(self.criteria, self._unit_choices(), self.lang),
                  self.apply_filter)

    def action_clear_filter(self) -> None:
        search = self._search
        if search is not None and search.display:
            self._show_search(False)
            self._focus_table()
            if not search.value:
                return
        self._cancel_search()
        self._filter_waits = False
        if self.criteria.active:
            keep = self._current()
            if keep is not None and self.snapshot is not None:
                self.expanded.update(self.snapshot.tree.ancestors(keep))
            self.criteria = Criteria()
            self.refresh_rows(keep=keep)

    def _jump_warning(self, step: int) -> None:
        if self._whole() is None:
            return
        assert self.snapshot is not None
        tree, rollup = self.snapshot.tree, self.snapshot.rollup
        order = list(tree.preorder())
        current = self._current()
        start = order.index(current) if current in order else -1
        for offset in range(1, len(order) + 1):
            node_id = order[(start + step * offset) % len(order)]
            figures = rollup[node_id]
            if tree.is_leaf(node_id) and figures.colour in WARNING_COLOURS \
                    and figures.active_leaves:
                if not self.criteria.active:
                    self.expanded.update(tree.ancestors(node_id))
                self.refresh_rows(keep=node_id)
                if self.query_one(PlanTable).current == node_id:
                    return
        self.notify(label("no_match", self.lang))

    def action_next_warning(self) -> None:
        self._jump_warning(1)

    def action_prev_warning(self) -> None:
        self._jump_warning(-1)

    def action_expand_all(self) -> None:
        if self._whole() is not None:
            assert self.snapshot is not None
            tree = self.snapshot.tree
            self.expanded = {i for i in tree.nodes if not tree.is_leaf(i)}
            self.refresh_rows()

    def action_collapse_all(self) -> None:
        keep = self._current()
        if self.snapshot is not None and keep is not None:
            root = ([keep, *self.snapshot.tree.ancestors(keep)])[-1]
            self.expanded = set()
            self.refresh_rows(keep=root)

    def action_weekly_report(self) -> None:
        self.notify(label("report_writing", self.lang))
        self.write(lambda app: app.write_weekly_report())

    def action_meetings(self) -> None:
        """The joint meetings screen; the tree is read again on return (new action items).
        Imported here: its reads need the ORM, which the main screen does not."""
        from planner.tui.screens.meetings import MeetingsScreen

        self.app.push_screen(MeetingsScreen.localized(self.lang)(), lambda _: self.load())  # type: ignore[arg-type]  # Textual drops the Worker it returns

    def action_notice(self) -> None:
        """A 督办 or 催办 notice (.docx or .pdf) to the highlighted item's lead unit."""
        from planner.tui import forms
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return
        assert self.snapshot is not None
        node = self.snapshot.tree.nodes[node_id]
        unit = self.snapshot.unit_names.get(node.lead or "", node.lead or "—")
        self._ask(label("notice_form_title", self.lang, code=node.code, unit=unit),
                  forms.notice_form(self.lang),
                  lambda request: self.write(
                      lambda app: app.write_notice(node.code, request, node.lead)))

    def action_inbox(self) -> None:
        """The coordinators' inbox (督办待办); the tree is read again on return (answers
        move dates and statuses)."""
        from planner.tui.screens.inbox import InboxScreen

        self.app.push_screen(InboxScreen.localized(self.lang)(), lambda _: self.load())  # type: ignore[arg-type]  # Textual drops the Worker it returns

    def action_intake(self) -> None:
        """Take in a plan document (issue 14): its path asked, its tree previewed, its unit
        names resolved, saved as a new plan, which is then shown. Imported here: intake
        needs the ORM and the document readers, which the main screen does not."""
        from planner.tui.screens.intake_preview import open_intake

        open_intake(self.app, self.gateway, self.show_plan)
    def action_chart(self) -> None:
        """The highlighted item's or area's charts (趋势图). Imported here: the plotting
        library loads when a chart is first opened, not at start-up."""
        node_id = self._current()
        if node_id is None or self._whole() is None:
            return
        assert self.snapshot is not None
        from planner.tui.screens.charts import ChartScreen

        self.app.push_screen(ChartScreen.localized(self.lang)(self.snapshot.tree, node_id))

    def action_assessment(self) -> None:
        """The units ranked for the year to date, with the highlighted unit's score by month."""
        from planner.tui.screens.assessment import AssessmentScreen

        self.app.push_screen(AssessmentScreen.localized(self.lang)())

    # -- plans and links between them ---------------------------------------------------
    def action_switch_plan(self) -> None:
        self._read_plans()

    @work(thread=True, exclusive=True, group="plans")
    def _read_plans(self) -> None:
        try:
            rows = self.gateway.plan_list()
        except PlannerError as exc:
            self.post_message(self.ReadFailed(exc))
            return
        self.app.call_from_thread(self._choose_plan, rows)

    def _choose_plan(self, rows: "list[PlanRow]") -> None:
        """The plans as `planner plans` lists them; the one chosen is shown."""
        from planner.tui.dialogs.choose import ChooseDialog
        entries = [(row.code, "  ".join((
            row.code, label(f"plan_kind_{row.kind}", self.lang), row.title,
            f"{row.start.isoformat()}~{row.end.isoformat()}",
            label(f"plan_state_{row.state}", self.lang),
            f"{row.progress:.0f}% / {row.expected:.0f}%"))) for row in rows]
        current = self.snapshot.plan_code if self.snapshot else None
        self.app.push_screen(ChooseDialog(label("choose_plan", self.lang), entries, current),
                             lambda code: self.show_plan(code) if code else None)

    def show_plan(self, code: str, keep_code: str | None = None) -> None:
        """Show the plan `code` (with the cursor on `keep_code`, if given)."""
        self.gateway.plan = code
        self.snapshot = None  # a new plan: expanded afresh, nothing kept from the old one
        self.load(keep_code)

    def action_follow_link(self) -> None:
        node_id = self._current()
        if node_id is not None and self.snapshot is not None:
            self._read_links(self.snapshot.tree.nodes[node_id].code)

    @work(thread=True, exclusive=True, group="links")
    def _read_links(self, code: str) -> None:
        try:
            links = self.gateway.links_of(code)
        except PlannerError as exc:
            self.post_message(self.ReadFailed(exc))
            return
        self.app.call_from_thread(self._choose_link, links)

    def _choose_link(self, links: "list[LinkedItem]") -> None:
        """Go to the linked item (asking which, when there are several)."""
        from planner.reports.item import link_line
        from planner.tui.dialogs.choose import ChooseDialog
        if not links:
            self.notify(label("no_links", self.lang))
            return
        entries = [(f"{link.plan}:{link.code}", link_line(link, self.lang)) for link in links]
        if len(entries) == 1:
            self._go_to(entries[0][0])
            return
        self.app.push_screen(ChooseDialog(label("choose_link", self.lang), entries),
                             lambda ref: self._go_to(ref) if ref else None)

    def _go_to(self, ref: str) -> None:
        plan, _, code = ref.partition(":")
        self.show_plan(plan, keep_code=code)

    def action_reload(self) -> None:
        self.load()

    def action_toggle_detail(self) -> None:
        detail = self.query_one(DetailPane)
        detail.display = not detail.display
        current = self._current()
        if detail.display and current is not None:
            self.load_detail(current)

    def action_help(self) -> None:
        from planner.tui.dialogs.help import HelpDialog
        rows = help_rows(KEYS, self.lang)
        rows += [("↑↓ j k", "↑↓"), ("← → h l", "▸ ▾"), ("Enter Space", "▸/▾"),
                 ("g G Home End PgUp PgDn", "⇞ ⇟"), ("ctrl+p", label("help_palette", self.lang))]
        self.app.push_screen(HelpDialog(label("bindings", self.lang), rows))

    def action_quit(self) -> None:
        self.app.exit()

