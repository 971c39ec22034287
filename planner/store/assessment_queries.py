"""The history an assessment reads (core/assessment.py `History`), in a fixed handful of set
queries on the DB-API: no ORM objects, and the progress updates reduced by the database
(a year of 450,000 reaches Python as under 100,000 rows).

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

#: The statuses that finish an item, and those that settle it (finished or cancelled).
_FINISHED_VALUES = ("done", "closed")
_SETTLED_VALUES = (*_FINISHED_VALUES, "cancelled")

#: Leaves that are not archived, with their lead unit: what the assessment scores (parents
#: are derived).
_LEAVES = ("SELECT t.id, t.code, t.title, t.start, t.due, t.status, t.weight, t.created_at, "
           "lead.unit_id FROM task AS t LEFT JOIN taskunit AS lead ON lead.task_id = t.id "
           "AND lead.role = 'lead' WHERE NOT t.archived AND NOT EXISTS "
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


def _fixed_offset(first: datetime, last: datetime) -> timedelta | None:
    """Local time's offset from UTC when it is the same at every hour from `first` to
    `last` (aware instants); None when it changes (a daylight-saving zone)."""
    hour = first.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    offset = hour.astimezone().utcoffset()
    while hour <= last:
        hour += timedelta(hours=1)
        if hour.astimezone().utcoffset() != offset:
            return None
    return offset


def _reported(db: Db, start: date, end: date, report_cycle: str) -> set[tuple[str, date]]:
    """(unit, first day of the window) for each reporting window of [start, end] in which
    the unit recorded a progress update (one without a reporting unit counts for its item's
    lead).

    The database reduces the updates to the distinct (unit, local day) pairs, a few
    thousand in a year, where local time is a fixed offset from UTC over the windows (an
    offset added in SQL gives the local day); elsewhere to distinct (unit, time) pairs,
    each converted here."""
    windows = report_windows(start, end, report_cycle)
    if not windows:
        return set()
    lower = datetime.combine(windows[0][0], time.min).astimezone()
    upper = datetime.combine(windows[-1][1] + timedelta(days=1), time.min).astimezone()
    offset = _fixed_offset(lower, upper)
    if offset is None:
        local_day: Callable[[Any], date] = _day_reader(db)
        on_day = "at"
    else:
        local_day = day  # type: ignore[assignment]  # a date column: never NULL here
        seconds = int(offset.total_seconds())
        if db.backend != "sqlite":
            on_day = f"CAST(at + INTERVAL '{seconds} seconds' AS DATE)"
        elif seconds:  # the seconds cut off first: date() would round .9999995 up
            on_day = f"date(substr(at, 1, 19), '{seconds:+d} seconds')"
        else:
            on_day = "substr(at, 1, 10)"  # the day as stored: twice as fast as date()
    scan = "+" if db.backend == "sqlite" else ""
    firsts = [first for first, _ in windows]
    lasts = [last for _, last in windows]
    reported: set[tuple[str, date]] = set()
    for unit, stamp in db.rows(
            "SELECT DISTINCT COALESCE(NULLIF(p.by_unit, ''), (SELECT lead.unit_id FROM taskunit "
            "AS lead WHERE lead.task_id = p.task_id AND lead.role = 'lead' "
            f"ORDER BY lead.position DESC LIMIT 1)), {on_day} FROM progressupdate AS p "
            f"WHERE {scan}at >= ? AND {scan}at < ?",
            (_bound(db, windows[0][0]), _bound(db, windows[-1][1] + timedelta(days=1)))):
        if unit is None:
            continue
        recorded = local_day(stamp)
        index = bisect_right(firsts, recorded) - 1
        if index >= 0 and recorded <= lasts[index]:
            reported.add((unit, firsts[index]))
    return reported


def read_assessment_units(db: Db) -> list[tuple[str, str]]:
    """Every unit (id, name) in the plan file's order."""
    return [(unit, name) for unit, name in db.rows(
        "SELECT id, name FROM unit ORDER BY position, id")]


def read_history(db: Db, start: date, end: date) -> tuple[History, dict[int, Item]]:
    """The history of the period [start, end] (local days) as `core.assessment` reads it,
    with the leaves by id.

    Progress updates are reduced by the database, in sequential passes (an index would
    visit a large history's pages at random, several times slower): each item's last
    finishing and settling moves up to the period's end, its updates after it (the first
    one's old status is the one at the end), and the reporting windows each unit recorded
    an update in (`_reported`). Only those few rows reach Python."""
    settings = read_settings(db)
    after_end = _bound(db, end + timedelta(days=1))
    support: dict[int, list[str]] = defaultdict(list)
    for task_id, unit_id in db.rows("SELECT task_id, unit_id FROM taskunit "
                                    "WHERE role <> 'lead' ORDER BY task_id, position"):
        support[task_id].append(unit_id)
    local_day = _day_reader(db)
    # `+` keeps SQLite from reading through the `at` or `task_id` index: one sequential
    # pass over the table is several times faster than visiting its pages at random.
    scan = "+" if db.backend == "sqlite" else ""
    finished_at: dict[int, date] = {}
    settled_at: dict[int, date] = {}
    for task_id, finished, settled in db.rows(
            f"SELECT {scan}task_id AS item, MAX(CASE WHEN new_status IN (?, ?) THEN at END), "
            f"MAX(at) FROM progressupdate WHERE {scan}at < ? AND new_status IN (?, ?, ?) "
            "AND old_status NOT IN (?, ?, ?) GROUP BY item",
            (*_FINISHED_VALUES, after_end, *_SETTLED_VALUES, *_SETTLED_VALUES)):
        settled_at[task_id] = local_day(settled)
        if finished is not None:
            finished_at[task_id] = local_day(finished)
    first_later: dict[int, tuple[Any, int, str]] = {}  # at, id, old status
    for task_id, at, update_id, old_status in db.rows(
            "SELECT task_id, at, id, old_status FROM progressupdate WHERE at >= ?",
            (after_end,)):
        later = first_later.get(task_id)
        if later is None or (at, update_id) < later[:2]:
            first_later[task_id] = (at, update_id, old_status)
    reported = _reported(db, start, end, settings.report_cycle)
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
    for task_id, code, title, start_, due, status, weight, created_at, lead in db.rows(
            _LEAVES + " AND t.created_at < ?", (after_end,)):
        if task_id in items:
            continue  # a second lead (the schema allows it, the services never write it)
        item = Item(task_id, code, title, lead, tuple(support.get(task_id, ())), weight)
        items[task_id] = item
        later = first_later.get(task_id)
        leaves.append(LeafFacts(
            item, day(start_), local_day(created_at),  # type: ignore[arg-type]  # NOT NULL
            status_of[later[2] if later else status],
            day(due_after.get(task_id, due)),  # type: ignore[arg-type]  # NOT NULL
            finished_at.get(task_id), settled_at.get(task_id)))
    steps = [CycleStep(task_id, kind, local_day(at), by_unit, unit_id)
             for task_id, kind, at, by_unit, unit_id in db.rows(
                 "SELECT task_id, kind, at, by_unit, unit_id FROM cycleevent "
                 "WHERE kind IN (?, ?, ?) AND at < ? ORDER BY at, id",
                 (EventKind.ASSIGN.value, EventKind.RETURN.value,
                  EventKind.DONE_SEND_BACK.value, after_end))]
    history = History(start, end, settings.report_cycle, leaves, moves, reported, steps)
    return history, items
