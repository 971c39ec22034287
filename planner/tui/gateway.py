"""Everything the TUI reads and writes, through the store and the services (no Textual here).

The methods run in worker threads; each opens its own session, so a write is one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy.engine import Engine

from planner.core.dates import week_span
from planner.core.indicators import IndicatorSnapshot
from planner.core.model import PlanTree, building_snapshot
from planner.core.rollup import Rollup
from planner.i18n import label
from planner.reports.item import render_item
from planner.reports.weekly_output import write_weekly
from planner.services import edits
from planner.services.updates import UpdateResult, change_due, record_reading, record_update
from planner.store.db import session_scope
from planner.store.queries import (
    get_task,
    load_indicators,
    load_tree,
    load_units,
    plan_revision,
    task_history,
)
from planner.tui.forms import DueRequest, ItemRequest, ReadingRequest, UpdateRequest


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a write did: a message for the user and the item to put the cursor on."""

    message: str
    code: str | None


@dataclass(slots=True)
class Snapshot:
    """Everything read from the database for one view of the plan."""

    tree: PlanTree
    rollup: Rollup
    unit_names: dict[str, str]
    revision: int


class PlanGateway:
    """Reads snapshots and item details; writes through the service functions."""

    def __init__(self, engine: Engine, *, today: Callable[[], date], lang: str,
                 user: str | None, clock: Callable[[], time] | None = None,
                 report_dir: Path | None = None) -> None:
        self.engine = engine
        self.report_dir = report_dir or Path.cwd()
        self.today = today
        self.lang = lang
        self.user = user
        self.clock = clock or (lambda: datetime.now().time().replace(microsecond=0))

    def now(self) -> datetime:
        """Local time of day (from `clock`) on `today`."""
        return datetime.combine(self.today(), self.clock()).astimezone()

    def read_snapshot(self) -> Snapshot:
        """The tree, its rollup, unit names and the change counter, read together."""
        with building_snapshot():
            with session_scope(self.engine) as session:
                revision = plan_revision(session=session)
                tree = load_tree(session=session)
                unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
            return Snapshot(tree, Rollup(tree, self.today()), unit_names, revision)

    def read_revision(self) -> int:
        """The plan's change counter."""
        with session_scope(self.engine) as session:
            return plan_revision(session=session)

    def indicators_of(self, code: str) -> list[IndicatorSnapshot]:
        """Indicators linked to one item."""
        with session_scope(self.engine) as session:
            return load_indicators(session=session, task_code=code)

    def detail_text(self, snapshot: Snapshot, node_id: int) -> str:
        """The detail pane's text: the same layout as `planner show`."""
        code = snapshot.tree.nodes[node_id].code
        with session_scope(self.engine) as session:
            task = get_task(code, session=session)
            history = task_history(task.id or 0, session=session)
            indicators = load_indicators(session=session, task_code=code)
            source, description = task.source, task.description
        return render_item(snapshot.tree, snapshot.rollup, code, unit_names=snapshot.unit_names,
                           indicators=indicators, history=history, source=source,
                           description=description, lang=self.lang, today=self.today())

    def write_weekly_report(self) -> Outcome:
        """This week's printable report (HTML) into the report folder; says where it went."""
        week_start = week_span(self.today())[0]
        label_week = f"{week_start.isocalendar().year}-W{week_start.isocalendar().week:02d}"
        name = f"weekly-{label_week}.html" if self.lang == "en" else f"周报-{label_week}.html"
        path = (self.report_dir / name).resolve()
        with building_snapshot(), session_scope(self.engine) as session:
            write_weekly(session=session, today=self.today(), week_start=week_start,
                         unit_id=None, fmt="html", lang=self.lang, output=path)
        return Outcome(label("report_written", self.lang, path=path), None)

    def write_update(self, code: str, request: UpdateRequest,
                     version: int) -> tuple[UpdateResult, int]:
        """Record a report unless the item changed since `version`; returns the new revision."""
        with session_scope(self.engine, write=True) as session:
            result = record_update(session=session, code=code, at=self.now(),
                                   status=request.status, progress=request.progress,
                                   note=request.note, by_unit=request.by_unit, by_user=self.user,
                                   expected_version=version)
            return result, plan_revision(session=session)

    def write_reading(self, request: ReadingRequest) -> Outcome:
        """Record an indicator reading."""
        with session_scope(self.engine, write=True) as session:
            record_reading(session=session, code=request.code, value=request.value,
                           on=request.on, at=self.now(), source=request.source,
                           by_user=self.user)
        return Outcome(f"{request.code} {label('saved', self.lang)}：{request.value:g}", None)

    def write_due(self, code: str, request: DueRequest, version: int) -> Outcome:
        """Move a deadline with its reason."""
        with session_scope(self.engine, write=True) as session:
            change_due(session=session, code=code, new_due=request.due, reason=request.reason,
                       at=self.now(), by_user=self.user, expected_version=version)
        return Outcome(f"{code} → {request.due.isoformat()}", code)

    def write_add(self, request: ItemRequest, parent_code: str | None,
                  after_code: str | None) -> Outcome:
        """Add an item; returns a message naming its code."""
        with session_scope(self.engine, write=True) as session:
            code = edits.add_task(session=session, title=request.title, lead=request.lead,
                                  at=self.now(), parent_code=parent_code, after_code=after_code,
                                  code=request.code, support=request.support,
                                  start=request.start, due=request.due, weight=request.weight,
                                  by_user=self.user)
        return Outcome(f"+ {code}", code)

    def write_edit(self, code: str, request: ItemRequest, version: int) -> Outcome:
        """Change an item's title, units, start or weight."""
        with session_scope(self.engine, write=True) as session:
            edits.edit_task(session=session, code=code, at=self.now(), expected_version=version,
                            title=request.title, lead=request.lead, support=request.support,
                            start=request.start, weight=request.weight, by_user=self.user)
        return Outcome(f"{code} {label('saved', self.lang)}", code)

    def write_move(self, code: str, offset: int) -> Outcome:
        """Move an item up or down among its siblings."""
        with session_scope(self.engine, write=True) as session:
            edits.move_task(session=session, code=code, offset=offset, at=self.now())
        return Outcome("", code)

    def write_reparent(self, code: str, parent_code: str | None) -> Outcome:
        """Move an item under another parent."""
        with session_scope(self.engine, write=True) as session:
            edits.reparent_task(session=session, code=code, new_parent_code=parent_code,
                                at=self.now())
        return Outcome(f"{code} → {parent_code or '/'}", code)

    def write_delete(self, code: str) -> Outcome:
        """Delete an item, or archive it when it has history."""
        with session_scope(self.engine, write=True) as session:
            outcome = edits.delete_task(session=session, code=code, at=self.now())
        return Outcome(label(outcome, self.lang, code=code), None)

    def write_flag(self, code: str, reason: str | None, version: int) -> Outcome:
        """Flag or clear 'needs coordination'."""
        with session_scope(self.engine, write=True) as session:
            edits.set_coordination(session=session, code=code, reason=reason, at=self.now(),
                                   expected_version=version)
        return Outcome(f"{code} {label('saved', self.lang)}", code)
