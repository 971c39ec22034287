"""The history an assessment reads (core/assessment.py `History`), in a fixed handful of set
queries on the DB-API: no ORM objects, so a year of 500,000 events reads in a second.

Timestamps are stored in UTC (see dbapi.local_date): the period's bounds are the starts of
local days converted to UTC, and every recorded time is counted on its local day.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from planner.core.assessment import (
    CycleStep,
    DueMove,
    History,
    Item,
    LeafFacts,
    report_windows,
)
from planner.core.cycle import EventKind
from planner.store.dbapi import STATUS_BY_VALUE, Db, day, local_date, read_settings

_FINISHED = frozenset({"done", "closed"})
_SETTLED = _FINISHED | {"cancelled"}

#: Leaves that are not archived: what the assessment scores (parents are derived).
_LEAVES = ("SELECT t.id, t.code, t.title, t.start, t.due, t.status, t.weight, t.created_at "
           "FROM task AS t WHERE NOT t.archived AND NOT EXISTS "
           "(SELECT 1 FROM task AS c WHERE c.parent_id = t.id AND NOT c.archived)")


def _bound(db: Db, day_: date) -> Any:
    """The start of the local day `day_` as the column compares it (UTC)."""
    instant = datetime.combine(day_, time.min).astimezone()
    if db.backend == "sqlite":
        return f"{instant.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"
    return instant


def _day_reader(db: Db) -> Callable[[Any], date]:
    """`local_date` for many recorded times at once. SQLite's are ISO text in UTC: within one
    UTC hour whose offset from local time is whole hours and constant, every time falls on
    the same local day, so each hour is converted once (any other hour, time by time)."""
    if db.backend != "sqlite":
        return local_date
    by_hour: dict[str, date | None] = {}

    def read(stamp: str) -> date:
        hour = stamp[:13]
        if hour not in by_hour:
            start = datetime.fromisoformat(f"{hour}:00").replace(tzinfo=UTC)
            offset = start.astimezone().utcoffset()
            steady = offset == (start + timedelta(hours=1)).astimezone().utcoffset()
            whole = offset is not None and offset % timedelta(hours=1) == timedelta(0)
            by_hour[hour] = start.astimezone().date() if steady and whole else None
        return by_hour[hour] or local_date(stamp)

    return read


def read_assessment_units(db: Db) -> list[tuple[str, str]]:
    """Every unit (id, name) in the plan file's order."""
    return [(unit, name) for unit, name in db.rows(
        "SELECT id, name FROM unit ORDER BY position, id")]


def read_history(db: Db, start: date, end: date) -> tuple[History, dict[int, Item]]:
    """The history of the period [start, end] (local days) as `core.assessment` reads it,
    with the leaves by id.

    Progress updates are read in one sequential pass, in storage order (an index would
    visit a large history's pages at random, several times slower), and sorted out here:
    each item's last finishing and settling moves up to the period's end, its first update
    after it (whose old status is the one at the end), and the reporting windows each unit
    recorded an update in. Recorded times compare as stored (ISO text in UTC on SQLite),
    so none is converted row by row."""
    settings = read_settings(db)
    after_end = _bound(db, end + timedelta(days=1))
    leads: dict[int, str] = {}
    support: dict[int, list[str]] = defaultdict(list)
    for task_id, unit_id, role in db.rows(
            "SELECT task_id, unit_id, role FROM taskunit ORDER BY task_id, position"):
        if role == "lead":
            leads[task_id] = unit_id
        else:
            support[task_id].append(unit_id)
    windows = report_windows(start, end, settings.report_cycle)
    window_starts = [_bound(db, first) for first, _ in windows]
    window_ends = [_bound(db, last + timedelta(days=1)) for _, last in windows]
    finished_at: dict[int, Any] = {}
    settled_at: dict[int, Any] = {}
    first_later: dict[int, tuple[Any, int, str]] = {}  # at, id, old status
    # The units that reported in each window (a set per window: no pair made per row).
    reported_in: list[set[str]] = [set() for _ in windows]
    first_start = window_starts[0] if window_starts else None
    for task_id, at, old_status, new_status, by_unit, update_id in db.stream(
            "SELECT task_id, at, old_status, new_status, by_unit, id FROM progressupdate"):
        if at >= after_end:
            later = first_later.get(task_id)
            if later is None or (at, update_id) < later[:2]:
                first_later[task_id] = (at, update_id, old_status)
            continue
        if new_status in _SETTLED and old_status not in _SETTLED:
            settled = settled_at.get(task_id)
            if settled is None or at > settled:
                settled_at[task_id] = at
            finished = finished_at.get(task_id)
            if new_status in _FINISHED and (finished is None or at > finished):
                finished_at[task_id] = at
        if first_start is not None and at >= first_start:
            index = bisect_right(window_starts, at) - 1
            if at < window_ends[index]:
                unit = by_unit or leads.get(task_id)
                if unit is not None:
                    reported_in[index].add(unit)
    reported = {(unit, first) for (first, _), units in zip(windows, reported_in, strict=True)
                for unit in units}
    local_day = _day_reader(db)
    due_after: dict[int, Any] = {}
    moves: list[DueMove] = []
    for task_id, at, old_due, new_due in db.rows(
            "SELECT task_id, at, old_due, new_due FROM duechange ORDER BY at, id"):
        if at < after_end:
            moves.append(DueMove(task_id, local_day(at), day(old_due), day(new_due)))  # type: ignore[arg-type]  # NOT NULL
        else:
            due_after.setdefault(task_id, old_due)
    items: dict[int, Item] = {}
    leaves: list[LeafFacts] = []
    status_of = STATUS_BY_VALUE
    for task_id, code, title, start_, due, status, weight, created_at in db.rows(
            _LEAVES + " AND t.created_at < ?", (after_end,)):
        item = Item(task_id, code, title, leads.get(task_id), tuple(support.get(task_id, ())),
                    weight)
        items[task_id] = item
        later = first_later.get(task_id)
        finished, settled = finished_at.get(task_id), settled_at.get(task_id)
        leaves.append(LeafFacts(
            item, day(start_), local_day(created_at),  # type: ignore[arg-type]  # NOT NULL
            status_of[later[2] if later else status],
            day(due_after.get(task_id, due)),  # type: ignore[arg-type]  # NOT NULL
            None if finished is None else local_day(finished),
            None if settled is None else local_day(settled)))
    steps = [CycleStep(task_id, kind, local_day(at), by_unit, unit_id)
             for task_id, kind, at, by_unit, unit_id in db.rows(
                 "SELECT task_id, kind, at, by_unit, unit_id FROM cycleevent "
                 "WHERE kind IN (?, ?, ?) AND at < ? ORDER BY at, id",
                 (EventKind.ASSIGN.value, EventKind.RETURN.value,
                  EventKind.DONE_SEND_BACK.value, after_end))]
    history = History(start, end, settings.report_cycle, leaves, moves, reported, steps)
    return history, items
