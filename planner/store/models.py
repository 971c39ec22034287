"""SQLModel tables: the plan, units, the task tree, history, and indicators."""

from datetime import date, datetime
from typing import Protocol
from uuid import uuid4

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel, UniqueConstraint

from planner.store.dbapi import SETTLING_MOVE

# The list columns' codec lives with the DB-API reads and writes, which import no ORM.
from planner.store.dbapi import decode_list as decode_list
from planner.store.dbapi import encode_list as encode_list


class Plan(SQLModel, table=True):
    """One plan of the programme (a five-year plan, an annual plan, a programme), with its
    settings; `code` is its short id (`sw14`, `2026`), the one users type (`--plan`,
    `PLAN:CODE`); `current` marks the plan commands use when none is named."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    kind: str = "five-year"
    parent_id: int | None = Field(default=None, foreign_key="plan.id")
    state: str = "open"
    current: bool = False
    title: str
    start: date
    end: date
    report_cycle: str = "weekly"
    rollup: str = "weighted"
    tolerance: float = 10.0
    due_soon_days: int = 14
    source: str | None = None
    revision: int = 0
    uid: str = Field(default_factory=lambda: uuid4().hex)  # identity across exports
    acknowledge_days: int = 3  # the 签收 window after 交办, in working days
    review: bool = False  # on: a unit's 办结 is a request the coordinator reviews (复核)
    follow_annual: bool = False  # on: leaves carried out by other plans' items follow them


class Unit(SQLModel, table=True):
    """A responsible unit (责任单位): a department, league/city or external body."""

    id: str = Field(primary_key=True)
    name: str
    kind: str = "department"
    position: int = 0


class UnitAlias(SQLModel, table=True):
    """A unit's short name (简称): intake resolves it to the unit (migration 0010)."""

    name: str = Field(primary_key=True)
    unit_id: str = Field(foreign_key="unit.id", index=True)
    position: int = 0


class UnitGroup(SQLModel, table=True):
    """A named set of units (各盟市): an item it leads is split into one per member. Members
    and aliases are lists (`encode_list`), members in order."""

    id: str = Field(primary_key=True)
    name: str
    members: str = ""
    aliases: str = ""
    position: int = 0


class Task(SQLModel, table=True):
    """A work item in the tree (adjacency list with sibling position); its code is unique
    within its plan."""

    __table_args__ = (Index("ix_task_plan_code", "plan_id", "code", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    code: str
    parent_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    position: int = 0
    title: str
    description: str | None = None
    source: str | None = None
    start: date
    due: date
    original_due: date
    status: str = "not_started"
    progress: float = 0.0
    weight: float = 1.0
    rollup_rule: str | None = None
    repeat_rule: str | None = None
    repeat_duration: int | None = None
    generated: bool = False
    needs_coordination: bool = False
    coordination_reason: str | None = None
    archived: bool = False
    decision_id: int | None = Field(default=None, foreign_key="decision.id", index=True)
    version: int = 1
    created_at: datetime
    updated_at: datetime


class TaskUnit(SQLModel, table=True):
    """A unit's role on a task: one lead, any number of supporting units."""

    task_id: int = Field(foreign_key="task.id", primary_key=True)
    unit_id: str = Field(foreign_key="unit.id", primary_key=True, index=True)
    role: str
    position: int = 0


class ProgressUpdate(SQLModel, table=True):
    """Append-only history of status and progress changes (调度记录). Its indexes answer the
    assessment's reads from the index alone (migration 0016): the updates of a period with
    their reporting units, each item's updates in time order, and the moves that settled
    an item."""

    __table_args__ = (
        Index("ix_progressupdate_at", "at", "by_unit", "task_id"),
        Index("ix_progressupdate_task_id", "task_id", "at"),
        Index("ix_progressupdate_settling", "task_id", "at", "new_status", "old_status",
              sqlite_where=text(SETTLING_MOVE), postgresql_where=text(SETTLING_MOVE)),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    at: datetime
    by_unit: str | None = Field(default=None, foreign_key="unit.id")
    by_user: str | None = None
    old_status: str
    new_status: str
    old_progress: float
    new_progress: float
    note: str | None = None


class DueChange(SQLModel, table=True):
    """A deadline move with its reason; the original due date stays on the task."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    at: datetime
    old_due: date
    new_due: date
    reason: str
    by_user: str | None = None


class Indicator(SQLModel, table=True):
    """A measurable target with a baseline (指标); its code is unique within its plan."""

    __table_args__ = (Index("ix_indicator_plan_code", "plan_id", "code", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    code: str
    name: str
    measure: str
    baseline: float
    target: float | None = None
    direction: str = "up"
    task_id: int | None = Field(default=None, foreign_key="task.id")
    position: int = 0
    note: str | None = None


class IndicatorTarget(SQLModel, table=True):
    """The target of an indicator for one plan year."""

    __table_args__ = (UniqueConstraint("indicator_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    year: int
    value: float


class IndicatorReading(SQLModel, table=True):
    """A measured value of an indicator, with its date and source."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    on: date
    value: float
    source: str | None = None
    recorded_at: datetime
    by_user: str | None = None


class Meeting(SQLModel, table=True):
    """A joint meeting (联席会议) or an office meeting, planned or held."""

    id: int | None = Field(default=None, primary_key=True)
    on: date = Field(index=True)
    title: str
    kind: str = "joint"
    status: str = "planned"
    length_minutes: int = 120
    created_at: datetime
    place: str | None = None
    """会议地点, for the 会议通知 and the minutes (none until it is set)."""
    start_time: str | None = None
    """When it starts, `HH:MM` (core.dates.parse_clock), for the 会议通知 (none until set)."""


#: A meeting unit's attendance: 出席 (attends), 列席 (sits in), 请假 (excused, absent).
ATTENDANCE_ROLES = ("attend", "sit-in", "absent")


class MeetingUnit(SQLModel, table=True):
    """A unit asked to a meeting, with its attendance role (ATTENDANCE_ROLES)."""

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    unit_id: str = Field(foreign_key="unit.id", primary_key=True)
    role: str = "attend"


class AgendaItem(SQLModel, table=True):
    """One entry of a meeting's agenda: proposed from the tracker or added by hand."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int = 0
    section: str
    title: str
    detail: str | None = None
    presenter: str | None = Field(default=None, foreign_key="unit.id")
    units: str = ""
    task_codes: str = ""
    minutes: int = 0
    fixed_minutes: bool = False
    included: bool = True

    @property
    def unit_ids(self) -> tuple[str, ...]:
        """The units involved, decoded from their stored comma-separated column."""
        return decode_list(self.units)

    @property
    def codes(self) -> tuple[str, ...]:
        """The items concerned, decoded from their stored comma-separated column."""
        return decode_list(self.task_codes)


class Decision(SQLModel, table=True):
    """A decision recorded in a meeting's minutes, optionally about an item or agenda entry."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    about_code: str | None = None
    text: str
    created_at: datetime


class PlannerUser(SQLModel, table=True):
    """Who may write: a unit's user (reports on the unit's items) or a coordinator. On
    PostgreSQL each is also a login role of that name."""

    name: str = Field(primary_key=True)
    unit_id: str | None = Field(default=None, foreign_key="unit.id")
    coordinator: bool = False
    created_at: datetime


class RollupState(SQLModel, table=True):
    """What the stored rollup figures (`RollupCache`) are as of: the plan's revision, the
    day (序时进度 and the colours depend on it) and the time zone the last reports' dates
    were taken in. Figures whose state differs from the plan's are never read."""

    plan_id: int = Field(primary_key=True)
    revision: int
    today: date
    zone: str


class RollupCache(SQLModel, table=True):
    """One item's rollup figures (core/rollup.py `Figures`) as of `RollupState`: derived
    data, rewritten in full when stale and patched along a path by an update; no foreign key,
    so that deleting an item never waits on it."""

    task_id: int = Field(primary_key=True)
    rule: str
    progress: float
    expected: float
    colour: str
    status_counts: str  # status=count pairs, comma-separated
    earliest_open_due: date | None = None
    unreported: int = 0
    active_leaves: int = 0
    leaf_progress_sum: float = 0.0
    leaf_expected_sum: float = 0.0


class CycleEvent(SQLModel, table=True):
    """One step of the supervision cycle (督办) on an item: 交办, 签收, 退办, 延期申请 and its
    answer, 办结申请 and its answer, 催办 (`core.cycle.EventKind`). Append-only but for a
    request's `state`, which its answer moves from pending to approved or rejected."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    kind: str
    at: datetime = Field(index=True)
    by_user: str | None = None
    by_unit: str | None = Field(default=None, foreign_key="unit.id")
    unit_id: str | None = Field(default=None, foreign_key="unit.id")
    """The unit the step concerns: the one an item is assigned (交办) to, else its lead."""
    reason: str | None = None
    new_due: date | None = None
    request_id: int | None = Field(default=None, foreign_key="cycleevent.id")
    """An answer's request (an assignment's, for 签收 and 退办; a 退办's, for a 交办 again)."""
    state: str | None = Field(default=None, index=True)
    """Requests only: pending, approved or rejected."""


class _Saved(Protocol):
    """A table row with an integer primary key, None until it is first flushed."""

    id: int | None


def saved_id(row: _Saved) -> int:
    """The primary key of a row read from (or flushed to) the database, where it always has one."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: it was never flushed")
    return row.id


class TaskLink(SQLModel, table=True):
    """A link from an item to an item of another plan: `carried_from` (the copy carry-over
    made, 结转, points to its original) or `implements` (an annual item carries out a
    five-year item, 落实)."""

    task_id: int = Field(foreign_key="task.id", primary_key=True)
    kind: str = Field(primary_key=True)
    target_id: int = Field(foreign_key="task.id", primary_key=True, index=True)
    position: int = 0


class NoticeCounter(SQLModel, table=True):
    """The last number taken in one series of notices (a kind in a year): the row a new
    notice's number is taken under, locked by its UPDATE until the notice is committed."""

    kind: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    last_serial: int = 0


class Notice(SQLModel, table=True):
    """An issued 督办 or 催办 notice (督办通知单, 催办通知单) to one unit: its number in its
    series (督办〔2026〕3号), the plan it was issued in and the date feedback is due."""

    __table_args__ = (UniqueConstraint("kind", "year", "serial"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    year: int
    serial: int
    number: str
    plan_id: int = Field(foreign_key="plan.id")
    unit_id: str = Field(foreign_key="unit.id", index=True)
    at: datetime
    by_user: str | None = None
    feedback_by: date


class NoticeItem(SQLModel, table=True):
    """An item a notice names, in the notice's order, with the unit's role on it (lead or
    support); `event_id` is the cycle's 催办 step a 催办 notice recorded for it."""

    notice_id: int = Field(foreign_key="notice.id", primary_key=True)
    task_id: int = Field(foreign_key="task.id", primary_key=True, index=True)
    position: int = 0
    role: str
    event_id: int | None = Field(default=None, foreign_key="cycleevent.id")
