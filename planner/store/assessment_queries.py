"""The history an assessment reads (core/assessment.py `History`), in a fixed handful of set
queries on the DB-API: no ORM objects, and the progress updates reduced by the database
(a year of 450,000 reaches Python as under 100,000 rows).

Timestamps are stored in UTC (see dbapi.local_date): the period's bounds are the starts of
local days converted to UTC, and every recorded time is counted on its local day.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import repeat
from operator import attrgetter, itemgetter
from time import localtime
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
from planner.store.dbapi import (
    SETTLING_MOVE,
    STATUS_BY_VALUE,
    Db,
    day,
    local_date,
    read_settings,
)

#: The statuses that finish an item (of those that settle it: dbapi.SETTLING_MOVE).
_FINISHED_VALUES = ("done", "closed")

#: Leaves that are not archived: what the assessment scores (parents are derived).
_LEAVES = ("SELECT t.id, t.code, t.title, t.start, t.due, t.status, t.weight, t.created_at "
           "FROM task AS t WHERE NOT t.archived AND NOT EXISTS "
           "(SELECT 1 FROM task AS c WHERE c.parent_id = t.id AND NOT c.archived)")
_HOUR = itemgetter(slice(13))  # of a SQLite timestamp: "YYYY-MM-DD HH"
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
_CODE, _TITLE, _START, _DUE, _STATUS, _WEIGHT, _CREATED = map(itemgetter, range(1, 8))  # _LEAVES
_GMT_OFFSET = attrgetter("tm_gmtoff")


def _bound(db: Db, day_: date) -> Any:
    """The start of the local day `day_` as the column compares it (UTC)."""
    instant = datetime.combine(day_, time.min).astimezone()
    if db.backend == "sqlite":
        return f"{instant.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"
    return instant


class _DaysByHour(dict[str, date | None]):
    """The local day of each UTC hour ("YYYY-MM-DD HH") met, when every time in it falls on
    that day: its offset from local time whole hours and constant through it (else None)."""

    def __missing__(self, hour: str) -> date | None:
        first = datetime.fromisoformat(f"{hour}:00").replace(tzinfo=UTC).timestamp()
        start, end = localtime(first), localtime(first + 3599)  # as `astimezone` reads them
        steady = start.tm_gmtoff == end.tm_gmtoff and not start.tm_gmtoff % 3600
        found = self[hour] = date(start.tm_year, start.tm_mon, start.tm_mday) if steady else None
        return found


def _day_reader(db: Db) -> Callable[[Sequence[Any]], list[date]]:
    """`local_date` of each of many recorded times. SQLite's are ISO text in UTC: within one
    UTC hour whose offset from local time is whole hours and constant, every time falls on
    the same local day, so each hour is converted once and looked up in C (any other hour,
    time by time)."""
    if db.backend != "sqlite":
        return lambda stamps: list(map(local_date, stamps))
    by_hour = _DaysByHour()

    def read(stamps: Sequence[Any]) -> list[date]:
        days = list(map(by_hour.__getitem__, map(_HOUR, stamps)))
        if None in days:
            return [found or local_date(stamp)
                    for found, stamp in zip(days, stamps, strict=True)]
        return days  # type: ignore[return-value]  # no None in it

    return read


def _days(values: Sequence[Any]) -> list[date]:
    """The dates of a date column's values (never NULL)."""
    return list(map(day, values))  # type: ignore[arg-type]  # NOT NULL


def _fixed_offset(first: datetime, last: datetime) -> timedelta | None:
    """Local time's offset from UTC when it is the same at every hour from `first` to
    `last` (aware instants); None when it changes (a daylight-saving zone). Each hour's
    offset is read as `astimezone` reads it (`localtime`), in C."""
    hours = range(int(first.timestamp() // 3600) * 3600, int(last.timestamp() + 3600) + 1, 3600)
    offsets = {_GMT_OFFSET(localtime(hour)) for hour in hours}  # converts, reads no clock
    return timedelta(seconds=offsets.pop()) if len(offsets) == 1 else None


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
        local_days = _day_reader(db)
        on_day = "at"
    else:
        local_days = _days
        seconds = int(offset.total_seconds())
        if db.backend != "sqlite":
            on_day = f"CAST(at + INTERVAL '{seconds} seconds' AS DATE)"
        elif seconds:  # the seconds cut off first: date() would round .9999995 up
            on_day = f"date(substr(at, 1, 19), '{seconds:+d} seconds')"
        else:
            on_day = "substr(at, 1, 10)"  # the day as stored: twice as fast as date()
    firsts = [first for first, _ in windows]
    lasts = [last for _, last in windows]
    reported: set[tuple[str, date]] = set()
    # CASE, not COALESCE: SQLite reads the lead only for an update without a reporting unit
    # (of two leads, the first by id, as `_item_units` takes it).
    rows = db.rows(
        "SELECT DISTINCT CASE WHEN p.by_unit <> '' THEN p.by_unit ELSE (SELECT "
        "min(lead.unit_id) FROM taskunit AS lead WHERE lead.task_id = p.task_id "
        f"AND lead.role = 'lead') END, {on_day} FROM progressupdate AS p "
        "WHERE at >= ? AND at < ?",  # from the index on (at, by_unit, task_id) alone
        (_bound(db, windows[0][0]), _bound(db, windows[-1][1] + timedelta(days=1))))
    for (unit, _), recorded in zip(rows, local_days([stamp for _, stamp in rows]),
                                   strict=True):
        if unit is None:
            continue
        index = bisect_right(firsts, recorded) - 1
        if index >= 0 and recorded <= lasts[index]:
            reported.add((unit, firsts[index]))
    return reported


def read_assessment_units(db: Db) -> list[tuple[str, str]]:
    """Every unit (id, name) in the plan file's order."""
    return [(unit, name) for unit, name in db.rows(
        "SELECT id, name FROM unit ORDER BY position, id")]


def _item_units(db: Db) -> tuple[dict[int, str], dict[int, tuple[str, ...]]]:
    """Each item's lead (of two, which the schema allows and the services never write, the
    first by id) and its supporting units in their order."""
    rows = db.rows("SELECT task_id, unit_id FROM taskunit WHERE role = 'lead'")
    leads = dict(rows)
    if len(leads) < len(rows):
        for task_id, unit_id in rows:
            leads[task_id] = min(leads[task_id], unit_id)
    rows = db.rows("SELECT task_id, position, unit_id FROM taskunit WHERE role <> 'lead'")
    rows.sort()  # by item and position; nearly free when stored in that order
    support: dict[int, list[str]] = defaultdict(list)
    for task_id, _, unit_id in rows:
        support[task_id].append(unit_id)
    return leads, {task_id: tuple(units) for task_id, units in support.items()}


def read_history(db: Db, start: date, end: date) -> tuple[History, dict[int, Item]]:
    """The history of the period [start, end] (local days) as `core.assessment` reads it,
    with the leaves by id.

    Progress updates are reduced by the database, each from an index that holds what it
    reads (migration 0016): each item's last finishing and settling moves up to the
    period's end, its updates after it (the first one's old status is the one at the end),
    and the reporting windows each unit recorded an update in (`_reported`). Only those
    few rows reach Python."""
    settings = read_settings(db)
    after_end = _bound(db, end + timedelta(days=1))
    leads, support = _item_units(db)
    local_days = _day_reader(db)
    # The settling moves alone, in item order, from their partial index (SETTLING_MOVE
    # repeated word for word, as SQLite needs to use it): no pass over the whole history.
    finishes = db.rows(
        "SELECT task_id, MAX(CASE WHEN new_status IN (?, ?) THEN at END), MAX(at) "
        f"FROM progressupdate WHERE {SETTLING_MOVE} AND at < ? GROUP BY task_id",
        (*_FINISHED_VALUES, after_end))
    settled_at = dict(zip(map(_FIRST, finishes), local_days(list(map(_THIRD, finishes))),
                          strict=True))
    finishes = [(task_id, finished) for task_id, finished, _ in finishes
                if finished is not None]
    finished_at = dict(zip(map(_FIRST, finishes), local_days(list(map(_SECOND, finishes))),
                           strict=True))
    first_later: dict[int, tuple[Any, int, str]] = {}  # at, id, old status
    for task_id, at, update_id, old_status in db.rows(
            "SELECT task_id, at, id, old_status FROM progressupdate WHERE at >= ?",
            (after_end,)):
        later = first_later.get(task_id)
        if later is None or (at, update_id) < later[:2]:
            first_later[task_id] = (at, update_id, old_status)
    reported = _reported(db, start, end, settings.report_cycle)
    due_after: dict[int, Any] = {}
    moved = []
    for row in db.rows("SELECT task_id, at, old_due, new_due FROM duechange ORDER BY at, id"):
        if row[1] < after_end:
            moved.append(row)
        else:
            due_after.setdefault(row[0], row[2])
    moves = [DueMove(task_id, on, day(old_due), day(new_due))  # type: ignore[arg-type]  # NOT NULL
             for (task_id, _, old_due, new_due), on
             in zip(moved, local_days(list(map(_SECOND, moved))), strict=True)]
    rows = db.rows(_LEAVES + " AND t.created_at < ?", (after_end,))
    ids = list(map(_FIRST, rows))
    # Made a column at a time in C: 100,000 leaves (an item's status at the end is the old
    # status of its first update after it, where there is one).
    statuses = list(map(_STATUS, rows))
    if first_later:
        statuses = [first_later[task_id][2] if task_id in first_later else status
                    for task_id, status in zip(ids, statuses, strict=True)]
    items = dict(zip(ids, map(Item, ids, map(_CODE, rows), map(_TITLE, rows),
                              map(leads.get, ids), map(support.get, ids, repeat(())),
                              map(_WEIGHT, rows)), strict=True))
    leaves = list(map(LeafFacts, items.values(), map(day, map(_START, rows)),
                      local_days(list(map(_CREATED, rows))),
                      map(STATUS_BY_VALUE.__getitem__, statuses),
                      map(day, map(due_after.get, ids, map(_DUE, rows))),
                      map(finished_at.get, ids), map(settled_at.get, ids)))
    rows = db.rows("SELECT task_id, kind, at, by_unit, unit_id FROM cycleevent "
                   "WHERE kind IN (?, ?, ?) AND at < ? ORDER BY at, id",
                   (EventKind.ASSIGN.value, EventKind.RETURN.value,
                    EventKind.DONE_SEND_BACK.value, after_end))
    steps = [CycleStep(task_id, kind, on, by_unit, unit_id)
             for (task_id, kind, _, by_unit, unit_id), on
             in zip(rows, local_days(list(map(_THIRD, rows))), strict=True)]
    history = History(start, end, settings.report_cycle, leaves, moves, reported, steps)
    return history, items
