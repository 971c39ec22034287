"""Everything the TUI reads and writes, through the store and the services (no Textual here).

The methods run in worker threads; each opens its own session, so a write is one transaction.
They are the TUI's error boundary: a database or OS error comes out as a `PlannerError`
(`EnvironmentProblem`, `ConnectionLost` when the server is out of reach), never raw.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from planner.core.clock import Clock
from planner.core.dates import iso_week_label, week_span
from planner.core.errors import PlannerError
from planner.core.model import PlanTree, building_snapshot
from planner.core.outline import search_texts
from planner.core.rollup import Figures, Rollup
from planner.i18n import label
from planner.reports.tree import plan_view, shown_view
from planner.store.dbapi import (
    PLAN_ASKED,
    Db,
    SchemaNotCurrent,
    ask_plan,
    day,
    plan_scope,
    read_indicators,
    read_revision,
    sqlite_path,
    sqlite_transaction,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from planner.core.indicators import IndicatorSnapshot
    from planner.reports.assessment import Assessment
    from planner.reports.meetings import MeetingDetail
    from planner.reports.plans import PlanRow
    from planner.services.cycle import StepResult
    from planner.services.updates import UpdateResult
    from planner.store.links import LinkedItem
    from planner.tui import requests
    from planner.tui.intake_draft import IntakeDraft
    from planner.tui.views import ChartView, InboxView, MeetingsView


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a write did: a message for the user, the item to put the cursor on, and whether
    the plan changed (so the tree must be reloaded)."""

    message: str
    code: str | None
    changed: bool = True


#: Levels of a large plan the first screen shows from the stored rollups (store/rollup_cache.py)
#: before the whole tree is read: the top items, their children and grandchildren.
FIRST_LEVELS = 3
#: Plans of up to this many items (archived ones included) are read whole for the first
#: screen: as fast as their first levels.
WHOLE_FIRST = 2000


@dataclass(slots=True)
class Snapshot:
    """Everything read from the database for one view of the plan.

    A snapshot that is not `complete` holds only the first levels of the plan with their
    stored figures (`read_first`): the screen shows it while the whole tree is read, and
    offers nothing that needs the rest (writes, search, filters). `stored_figures` says
    whether the stored rollups were current when it was read; when not, the screen stores
    this snapshot's figures so the next start can paint from them."""

    tree: PlanTree
    rollup: Rollup
    unit_names: dict[str, str]
    revision: int
    complete: bool = True
    items: int = 0
    """How many items the plan holds (also those a partial snapshot has not read)."""
    stored_figures: bool = True
    _search_texts: dict[int, str] | None = None
    plan_code: str = ""
    """The id of the plan shown (`sw14`)."""
    plan_closed: bool = False
    """A closed plan is browsed, not edited."""

    def search_texts(self) -> dict[int, str]:
        """What a search looks in, item by item (`core.outline.search_texts`), made on the
        first search of this snapshot (an update changes none of it)."""
        if self._search_texts is None:
            self._search_texts = search_texts(self.tree, self.unit_names)
        return self._search_texts


class PlanGateway:
    """Reads snapshots and item details; writes through the service functions.

    The reads the main screen needs (snapshot, change counter, detail, indicators) go through
    the DB-API (store/dbapi.py): on a SQLite file at the current schema through `sqlite3`
    alone, so the first screen waits for neither SQLAlchemy nor the ORM. `engine` may be a
    function that makes it: it is then called on the first write or meetings read."""

    def __init__(self, engine: "Engine | Callable[[], Engine]", *, clock: Clock, lang: str,
                 user: str | None, report_dir: Path | None = None,
                 sqlite_file: str | None = None, plan: str | None = None) -> None:
        self._engine: Engine | None = None
        self._open_engine: Callable[[], Engine] | None = None
        if callable(engine):
            self._open_engine = engine
        else:
            self._engine = engine
            sqlite_file = sqlite_file or sqlite_path(
                engine.url.render_as_string(hide_password=False))
        self.sqlite_file = sqlite_file
        self.report_dir = report_dir or Path.cwd()
        self.clock = clock
        self.lang = lang
        self.user = user
        self.plan = plan
        """The plan shown, by its id (`--plan`); None: the current plan."""

    def today(self) -> date:
        """The day the app computes as of (the clock's)."""
        return self.clock.today

    def now(self) -> datetime:
        """Local time of day on `today` (the clock's)."""
        return self.clock.now()

    @property
    def engine(self) -> "Engine":
        """The app's engine, made on first use when the gateway was handed a maker."""
        if self._engine is None:
            assert self._open_engine is not None
            self._engine = self._open_engine()
        return self._engine

    def _explained(self, exc: Exception) -> PlannerError | None:
        """The `PlannerError` that explains a database or OS error; None for a bug."""
        from planner.store.errors import explain_error

        url = self.engine.url if self._engine is not None or self.sqlite_file is None \
            else f"sqlite:///{self.sqlite_file}"
        return explain_error(exc, url)

    @contextmanager
    def _session(self, *, write: bool = False) -> "Iterator[Session]":
        """`session_scope` on the app's engine; a database or OS error raised in it comes out
        as the `PlannerError` that explains it (anything else is a bug and passes)."""
        from planner.store.db import session_scope

        with self._explaining(), session_scope(self.engine, write=write) as session:
            if self.plan is not None:
                session.info[PLAN_ASKED] = self.plan
            yield session

    @contextmanager
    def _explaining(self) -> Iterator[None]:
        """A database or OS error raised inside comes out as the `PlannerError` that explains
        it; a `PlannerError` passes as it is, anything else is a bug and passes too."""
        try:
            yield
        except PlannerError:
            raise
        except Exception as exc:
            problem = self._explained(exc)
            if problem is None:
                raise
            raise problem from exc

    @contextmanager
    def _read(self) -> Iterator[Db]:
        """One read transaction on the DB-API: `sqlite3` alone on a SQLite file at the current
        schema, else the driver connection under a session. Errors as in `_session`."""
        if self.sqlite_file is not None:
            try:
                with self._explaining(), sqlite_transaction(self.sqlite_file) as db:
                    ask_plan(db, self.plan)
                    yield db
                return
            except SchemaNotCurrent:
                pass  # nothing was read: through the engine (made with the schema upgraded)
        with self._session() as session:
            yield Db.of_session(session)

    @contextmanager
    def _write(self) -> Iterator[Db]:
        """One writer's transaction on the DB-API, as `_read` (the write lock taken first on
        SQLite)."""
        if self.sqlite_file is not None:
            try:
                with self._explaining(), sqlite_transaction(self.sqlite_file,
                                                            write=True) as db:
                    ask_plan(db, self.plan)
                    yield db
                return
            except SchemaNotCurrent:
                pass
        with self._session(write=True) as session:
            yield Db.of_session(session)

    def read_snapshot(self) -> Snapshot:
        """The tree, its rollup, unit names and the change counter, read together. The
        collector pauses for the rollup too (its figures are as many small objects as the
        tree's nodes), not only for the tree (core.model.building_snapshot)."""
        with building_snapshot(), self._read() as db:
            revision = read_revision(db)
            view = plan_view(db, today=self.today())
            code, closed = _plan_state(db)
        return Snapshot(view.tree, view.rollup, view.unit_names, revision,
                        items=len(view.tree.nodes), plan_code=code, plan_closed=closed)

    def read_first(self) -> Snapshot:
        """What the first screen shows, fast at any size: a small plan whole; a large one's
        FIRST_LEVELS levels with their stored figures when those are current for today, else
        the whole plan rolled up (then `stored_figures` is False)."""
        with building_snapshot(), self._read() as db:
            revision = read_revision(db)
            # archived too: the (plan, code) index, not the table
            row = db.one("SELECT count(*) FROM task WHERE plan_id = ?", (plan_scope(db),))
            items = int(row[0]) if row else 0
            code, closed = _plan_state(db)
            shown = None if items <= WHOLE_FIRST else shown_view(
                db, today=self.today(), root=None, depth=FIRST_LEVELS)
            if shown is not None:
                return Snapshot(shown.tree, shown.rollup, shown.unit_names, revision,
                                complete=False, items=items, plan_code=code,
                                plan_closed=closed)
            view = plan_view(db, today=self.today())
        return Snapshot(view.tree, view.rollup, view.unit_names, revision,
                        items=len(view.tree.nodes), stored_figures=items <= WHOLE_FIRST,
                        plan_code=code, plan_closed=closed)

    def store_figures(self, figures: "dict[int, Figures]", revision: int) -> bool:
        """Store a whole plan's rollup figures, computed as of `revision` and today, for the
        next start (store/rollup_cache.py), unless the plan has changed since, they are
        current already, or this user may not write them; True when stored."""
        from planner.store.rollup_cache import (
            may_store,
            plan_revision,
            store_figures,
            zone_key,
        )

        with self._write() as db:
            if not may_store(db):
                return False
            plan_id, now = plan_revision(db)
            state = db.one("SELECT revision, today, zone FROM rollupstate WHERE plan_id = ?",
                           (plan_id,))
            current = state is not None and (state[0], day(state[1]), state[2]) == (
                revision, self.today(), zone_key())
            if now != revision or current:
                return False
            store_figures(db, figures, plan_id=plan_id, revision=revision, today=self.today())
            db.wrote()
        return True

    def plan_list(self) -> "list[PlanRow]":
        """Every plan as `planner plans` lists it (figures computed, nothing stored)."""
        from planner.reports.plans import plan_rows

        with self._read() as db:
            return plan_rows(db, today=self.today())

    def links_of(self, code: str) -> "list[LinkedItem]":
        """The items of other plans linked to and from the item `code` of the plan shown."""
        from planner.store.dbapi import read_item
        from planner.store.links import read_links

        with self._read() as db:
            return read_links(db, read_item(db, code).id)

    def read_revision(self) -> int:
        """The plan's change counter."""
        with self._read() as db:
            return read_revision(db)

    def indicators_of(self, code: str) -> "list[IndicatorSnapshot]":
        """Indicators linked to one item."""
        with self._read() as db:
            return read_indicators(db, task_code=code)

    def detail_text(self, snapshot: Snapshot, node_id: int) -> str:
        """The detail pane's text: `planner show`'s, over the snapshot on screen."""
        from planner.reports.item import show_item
        from planner.reports.tree import PlanView

        code = snapshot.tree.nodes[node_id].code
        with self._read() as db:
            return show_item(code, db, lang=self.lang, today=self.today(),
                             view=PlanView(snapshot.tree, snapshot.rollup,
                                           snapshot.unit_names))

    def write_weekly_report(self) -> Outcome:
        """This week's printable report (HTML) into the report folder; says where it went."""
        week_start = week_span(self.today())[0]
        label_week = iso_week_label(week_start)
        name = label("weekly_file_name", self.lang, week=label_week)
        path = (self.report_dir / name).resolve()
        from planner.reports.weekly_output import write_weekly

        with self._session() as session:
            write_weekly(session=session, today=self.today(), week_start=week_start,
                         unit_id=None, fmt="html", lang=self.lang, output=path)
        return Outcome(label("report_written", self.lang, path=path), None, changed=False)

    def write_update(self, code: str, request: "requests.UpdateRequest",
                     version: int) -> "tuple[UpdateResult, int]":
        """Record a report unless the item changed since `version`; returns the new revision.

        A unit's user always reports as its own unit (the dialog's unit, which defaults to
        the item's lead, is the coordinators' choice)."""
        from planner.services.access import actor_for
        from planner.services.updates import record_update
        from planner.store.queries import plan_revision

        with self._session(write=True) as session:
            by_unit = request.by_unit if actor_for(session, self.user).coordinator else None
            result = record_update(session=session, code=code, at=self.now(),
                                   status=request.status, progress=request.progress,
                                   note=request.note, by_unit=by_unit, by_user=self.user,
                                   expected_version=version)
            return result, plan_revision(session=session)

    def write_reading(self, request: "requests.ReadingRequest") -> Outcome:
        """Record an indicator reading."""
        from planner.services.updates import record_reading

        with self._session(write=True) as session:
            record_reading(session=session, code=request.code, value=request.value,
                           on=request.on, at=self.now(), source=request.source,
                           by_user=self.user)
        return Outcome(label("reading_saved", self.lang, code=request.code,
                             value=f"{request.value:g}"), None)

    def write_due(self, code: str, request: "requests.DueRequest", version: int) -> Outcome:
        """Move a deadline with its reason."""
        from planner.services.updates import change_due

        with self._session(write=True) as session:
            change_due(session=session, code=code, new_due=request.due, reason=request.reason,
                       at=self.now(), by_user=self.user, expected_version=version)
        return Outcome(f"{code} → {request.due.isoformat()}", code)

    def write_add(self, request: "requests.ItemRequest", parent_code: str | None,
                  after_code: str | None) -> Outcome:
        """Add an item; returns a message naming its code."""
        from planner.services import edits

        with self._session(write=True) as session:
            code = edits.add_task(session=session, title=request.title, lead=request.lead,
                                  at=self.now(), parent_code=parent_code, after_code=after_code,
                                  code=request.code, support=request.support,
                                  start=request.start, due=request.due, weight=request.weight,
                                  by_user=self.user)
        return Outcome(f"+ {code}", code)

    def write_edit(self, code: str, request: "requests.ItemRequest", version: int) -> Outcome:
        """Change an item's title, units, start or weight."""
        from planner.services import edits

        with self._session(write=True) as session:
            edits.edit_task(session=session, code=code, at=self.now(), expected_version=version,
                            title=request.title, lead=request.lead, support=request.support,
                            start=request.start, weight=request.weight, by_user=self.user)
        return Outcome(f"{code} {label('saved', self.lang)}", code)

    def write_move(self, code: str, offset: int) -> Outcome:
        """Move an item up or down among its siblings."""
        from planner.services import edits

        with self._session(write=True) as session:
            edits.move_task(session=session, code=code, offset=offset, at=self.now(),
                            by_user=self.user)
        return Outcome("", code)

    def write_reparent(self, code: str, parent_code: str | None) -> Outcome:
        """Move an item under another parent."""
        from planner.services import edits

        with self._session(write=True) as session:
            edits.reparent_task(session=session, code=code, new_parent_code=parent_code,
                                at=self.now(), by_user=self.user)
        return Outcome(f"{code} → {parent_code or '/'}", code)

    def write_delete(self, code: str) -> Outcome:
        """Delete an item, or archive it when it has history."""
        from planner.services import edits

        with self._session(write=True) as session:
            outcome = edits.delete_task(session=session, code=code, at=self.now(),
                                        by_user=self.user)
        return Outcome(label(outcome, self.lang, code=code), None)

    def write_flag(self, code: str, reason: str | None, version: int) -> Outcome:
        """Flag or clear 'needs coordination'."""
        from planner.services import edits

        with self._session(write=True) as session:
            edits.set_coordination(session=session, code=code, reason=reason, at=self.now(),
                                   expected_version=version, by_user=self.user)
        return Outcome(f"{code} {label('saved', self.lang)}", code)

    # -- meetings (联席会议) ----------------------------------------------------------------
    def read_meetings(self, keep_meeting: int | None = None) -> "MeetingsView":
        """Every meeting (newest first) and the detail of `keep_meeting`, else of the next
        planned meeting, else of the newest one."""
        from planner.reports.meetings import meeting_detail, meeting_rows, meeting_to_show
        from planner.store.queries import load_units
        from planner.tui.views import MeetingsView

        with self._session() as session:
            rows = meeting_rows(session=session)
            unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
            chosen = meeting_to_show(rows, today=self.today(), keep=keep_meeting,
                                     session=session)
            detail = meeting_detail(chosen, session=session) if chosen is not None else None
        return MeetingsView(tuple(rows), unit_names, detail)

    def read_meeting(self, meeting_id: int) -> "MeetingDetail":
        """One meeting with its agenda and decisions."""
        from planner.reports.meetings import meeting_detail

        with self._session() as session:
            return meeting_detail(meeting_id, session=session)

    def write_meeting(self, request: "requests.MeetingRequest") -> Outcome:
        """Plan a meeting (all departments and leagues/cities attend); `code` is its id."""
        from planner.services import meetings

        with self._session(write=True) as session:
            meeting_id = meetings.create_meeting(
                session=session, on=request.on, title=request.title, today=self.today(),
                at=self.now(), kind=request.kind, length_minutes=request.length_minutes,
                by_user=self.user, place=request.place, start_time=request.start_time)
        return Outcome(label("meeting_created", self.lang, id=meeting_id, on=request.on,
                             title=request.title), str(meeting_id))

    def write_agenda_build(self, meeting_id: int) -> Outcome:
        """Propose the agenda, or refresh it (keeping hand-added entries and exclusions)."""
        from planner.services import meetings

        with self._session(write=True) as session:
            existed = bool(meetings.agenda_items(meeting_id, session=session))
            items = meetings.build_agenda(session=session, meeting_id=meeting_id,
                                          today=self.today(), lang=self.lang, refresh=True,
                                          by_user=self.user)
        key = "agenda_refreshed" if existed else "agenda_built"
        return Outcome(label(key, self.lang, n=len(items)), str(meeting_id))

    def write_agenda_included(self, meeting_id: int, number: int, included: bool) -> Outcome:
        """Include or exclude entry `number`; the minutes are shared out again."""
        from planner.services import meetings

        with self._session(write=True) as session:
            meetings.set_included(session=session, meeting_id=meeting_id, number=number,
                                  included=included, by_user=self.user)
        key = "entry_included" if included else "entry_excluded"
        return Outcome(label(key, self.lang, n=number), str(meeting_id))

    def write_agenda_move(self, meeting_id: int, number: int, to: int) -> Outcome:
        """Move entry `number` to place `to`."""
        from planner.services import meetings

        with self._session(write=True) as session:
            meetings.move_entry(session=session, meeting_id=meeting_id, number=number, to=to,
                                by_user=self.user)
        return Outcome("", str(meeting_id))

    def write_agenda_entry(self, meeting_id: int, request: "requests.EntryRequest") -> Outcome:
        """Add a free-text entry at the end of the agenda."""
        from planner.services import meetings

        with self._session(write=True) as session:
            number = meetings.add_entry(session=session, meeting_id=meeting_id,
                                        title=request.title, minutes=request.minutes,
                                        presenter=request.presenter, by_user=self.user)
        return Outcome(label("entry_added", self.lang, n=number), str(meeting_id))

    def write_decision(self, meeting_id: int, request: "requests.DecisionRequest", *,
                       agenda_number: int | None, about_code: str | None) -> Outcome:
        """Record a decision (the meeting counts as held); names the action items created."""
        from planner.services import meetings

        actions = [] if request.action_title is None else [meetings.ActionSpec(
            request.action_title, request.lead, request.due, request.support)]
        with self._session(write=True) as session:
            result = meetings.record_decision(
                session=session, meeting_id=meeting_id, text=request.text, at=self.now(),
                about_code=about_code, agenda_number=agenda_number, actions=actions,
                by_user=self.user)
        return Outcome(label("decision_saved", self.lang, codes=list(result.action_codes) or "—"),
                       str(meeting_id))

    def write_meeting_print(self, meeting_id: int) -> Outcome:
        """The agenda (planned meeting) or minutes (held meeting) as HTML in the report folder."""
        from planner.reports.document import render_document, write_text_file
        from planner.reports.meeting_print import meeting_document
        from planner.services import meetings

        with self._session() as session:
            meeting = meetings.get_meeting(meeting_id, session=session)
            held = meeting.status == "held"
            header, sections = meeting_document(meeting_id, session=session, lang=self.lang,
                                                part="minutes" if held else "agenda")
            stem = f"{label('print_minutes' if held else 'print_agenda', self.lang)}-" \
                   f"{meeting.on.isoformat()}-{meeting_id}"
        path = (self.report_dir / f"{stem}.html").resolve()
        write_text_file(path, render_document(header, sections, fmt="html", lang=self.lang))
        return Outcome(label("meeting_printed", self.lang, path=path,
                             what=label("print_minutes" if held else "print_agenda",
                                        self.lang)), str(meeting_id))

    # -- intake of a plan document (issue 14) --------------------------------------------
    def read_intake(self, path: Path, year: int | None) -> "IntakeDraft":
        """The document at `path` read for intake against the database's unit registry with
        what the bundled one adds (as `planner intake` reads it), and the plans the new one
        may carry out. Nothing is written."""
        from planner.services.intake import bundled_registry, merged_registry
        from planner.services.intake_files import read_blocks
        from planner.services.unit_registry import registry_from_database
        from planner.tui.intake_draft import IntakeDraft, PlanChoice

        blocks = read_blocks(path)
        with self._session() as session:
            registry = merged_registry(registry_from_database(session), bundled_registry())
        plans = [PlanChoice(row.code, row.title) for row in self.plan_list()]
        try:
            return IntakeDraft(path, blocks, registry, plans, year=year)
        except PlannerError as exc:
            if exc.where is None:
                exc.where = str(path)
            raise

    def write_intake(self, draft: "IntakeDraft", plan_id: str, parent: str | None) -> Outcome:
        """Add the draft's plan as the new plan `plan_id` through the services of `planner
        intake` and `planner plans add`: the plan file intake writes, read as `plans add`
        reads it and imported as a new plan, in one transaction (on no plan the app was
        asked for: the new plan is its own)."""
        from planner.services.intake import plan_file_text
        from planner.services.plan_file import import_plan
        from planner.services.plan_yaml import parse_plan
        from planner.store.db import session_scope

        origin = draft.path.name
        text = plan_file_text(draft.plan, draft.registry, plan_id=plan_id, parent=parent,
                              source=origin)
        spec = parse_plan(text, origin, today=self.today())
        with self._explaining(), session_scope(self.engine, write=True) as session:
            summary = import_plan(spec, session=session, origin=origin, at=self.now(),
                                  by_user=self.user, new_plan=True)
        return Outcome(label("cli_plans_added", self.lang, prefix="", plan=plan_id,
                             created=summary.created, units=summary.units,
                             indicators=summary.indicators), plan_id)

    # -- the 督办 cycle: the coordinators' inbox ------------------------------------------
    def read_inbox(self) -> "InboxView":
        """What waits for the coordinators, oldest first (reports/inbox.py)."""
        from planner.reports.inbox import inbox
        from planner.store.dbapi import read_unit_names
        from planner.tui.views import InboxView

        with self._read() as db:
            return InboxView(tuple(inbox(db)), read_unit_names(db), self.today())

    def _step_outcome(self, result: "StepResult") -> Outcome:
        from planner.i18n import msg

        return Outcome(label("cli_cycle_recorded", self.lang, code=result.code,
                             step=msg(f"cycle_kind_{result.kind}"), id=result.event_id,
                             state=msg(f"cycle_state_{result.state}")), result.code)

    def write_approve(self, request_id: int) -> Outcome:
        """Approve a request (an extension moves the date; a 办结 closes the item)."""
        from planner.services.cycle import approve

        with self._session(write=True) as session:
            result = approve(session=session, request_id=request_id, at=self.now(),
                             by_user=self.user)
        return self._step_outcome(result)

    def write_reject(self, request_id: int, reason: str) -> Outcome:
        """Reject a request with a reason."""
        from planner.services.cycle import reject

        with self._session(write=True) as session:
            result = reject(session=session, request_id=request_id, reason=reason,
                            at=self.now(), by_user=self.user)
        return self._step_outcome(result)

    def write_assign(self, code: str, unit: str) -> Outcome:
        """交办 an item (a returned one again) to `unit`."""
        from planner.services.cycle import assign

        with self._session(write=True) as session:
            result = assign(session=session, code=code, unit=unit, at=self.now(),
                            by_user=self.user)
        return self._step_outcome(result)

    def write_urge(self, code: str) -> Outcome:
        """Record a 催办 to the item's lead unit."""
        from planner.services.cycle import urge

        with self._session(write=True) as session:
            result = urge(session=session, code=code, at=self.now(), by_user=self.user)
        return self._step_outcome(result)

    # -- notices (督办通知单, 催办通知单) ---------------------------------------------------
    def write_notice(self, code: str, request: "requests.NoticeRequest",
                     lead: str | None) -> Outcome:
        """Issue a notice to the lead unit of item `code` (reports/notice.py) — about that
        item, or about every warned item `lead` leads — written as the file asked for
        (relative to the report folder), else named by its number there."""
        from planner.reports.notice import NoticeOptions, issue_notice_file

        output = None
        if request.path:
            output = Path(request.path).expanduser()
            output = output if output.is_absolute() else self.report_dir / output
        fmt = "pdf" if output is not None and output.suffix.lower() == ".pdf" else "docx"
        options = (NoticeOptions(request.kind, units=(lead,)) if request.whole_unit and lead
                   else NoticeOptions(request.kind, codes=(code,)))
        outcome = issue_notice_file(self._write, options,
                                    today=self.today(), at=self.now(), by_user=self.user,
                                    fmt=fmt, output=output, folder=self.report_dir,
                                    lang=self.lang)
        return Outcome(label("cli_notice_written", self.lang, n=len(outcome.notices),
                             numbers=[n.number for n in outcome.notices], path=outcome.path),
                       code)
    # -- charts (趋势图) and the assessment (考核评分) -------------------------------------
    def read_charts(self, tree: PlanTree, node_id: int) -> "ChartView":
        """The item's (or area's) progress over time against 序时进度, replayed from the
        history of its branch, and the indicators of the items in its branch."""
        from planner.core.charts import indicator_series, progress_series
        from planner.store.chart_queries import read_changes
        from planner.tui.views import ChartView

        branch = list(tree.preorder(node_id))
        codes = {tree.nodes[i].code for i in branch}
        with self._read() as db:
            changes, moves = read_changes(db, branch)
            indicators = [i for i in read_indicators(db) if i.task_code in codes]
        settings = tree.settings
        return ChartView(progress_series(tree, node_id, changes, moves, self.today()),
                         tuple(indicator_series(i, settings.start, settings.end)
                               for i in indicators))

    def read_assessment(self) -> "Assessment":
        """The year to date scored by the bundled rules: `planner assess` with no options."""
        from planner.reports.assessment import build_assessment
        from planner.services.assessment_rules import DEFAULT_RULES, load_rules

        today = self.today()
        rules = load_rules(None)
        with self._read() as db:
            return build_assessment(db, start=date(today.year, 1, 1), end=today, today=today,
                                    rules=rules, rules_name=DEFAULT_RULES)


def _plan_state(db: Db) -> tuple[str, bool]:
    """The id of the transaction's plan and whether it is closed."""
    plan = db.one("SELECT code, state FROM plan WHERE id = ?", (plan_scope(db),))
    return ("", False) if plan is None else (str(plan[0]), plan[1] == "closed")
