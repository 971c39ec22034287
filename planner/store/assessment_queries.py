"""The history an assessment reads (core/assessment.py `History`), in a fixed handful of set
queries on the DB-API: no ORM objects, so a year of 500,000 events reads in a second.

Timestamps are stored in UTC (see dbapi.local_date): the period's bounds are the starts of
local days converted to UTC, and every recorded time is counted on its local day.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from planner.core.assessment import CycleStep, DueMove, History, Item, LeafFacts
from planner.core.cycle import EventKind
from planner.store.dbapi import STATUS_BY_VALUE, Db, day, local_date, read_settings

_SETTLED = "('done', 'closed', 'cancelled')"

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


def read_assessment_units(db: Db) -> list[tuple[str, str]]:
    """Every unit (id, name) in the plan file's order."""
    return [(unit, name) for unit, name in db.rows(
        "SELECT id, name FROM unit ORDER BY position, id")]


def read_history(db: Db, start: date, end: date) -> tuple[History, dict[int, Item]]:
    """The history of the period [start, end] (local days) as `core.assessment` reads it,
    with the leaves by id."""
    settings = read_settings(db)
    after_end = _bound(db, end + timedelta(days=1))
    local_day = lru_cache(maxsize=None)(local_date)  # an import dates many items alike
    leads: dict[int, str] = {}
    support: dict[int, list[str]] = defaultdict(list)
    for task_id, unit_id, role in db.rows(
            "SELECT task_id, unit_id, role FROM taskunit ORDER BY task_id, position"):
        if role == "lead":
            leads[task_id] = unit_id
        else:
            support[task_id].append(unit_id)
    status_after: dict[int, str] = dict(db.rows(
        "SELECT task_id, old_status FROM (SELECT task_id, old_status, ROW_NUMBER() OVER "
        "(PARTITION BY task_id ORDER BY at, id) AS n FROM progressupdate WHERE at >= ?) "
        "AS later WHERE n = 1", (after_end,)))
    due_after: dict[int, Any] = dict(db.rows(
        "SELECT task_id, old_due FROM (SELECT task_id, old_due, ROW_NUMBER() OVER "
        "(PARTITION BY task_id ORDER BY at, id) AS n FROM duechange WHERE at >= ?) "
        "AS later WHERE n = 1", (after_end,)))
    finished: dict[int, tuple[Any, Any]] = {
        task_id: (done_at, settled_at) for task_id, done_at, settled_at in db.rows(
            "SELECT task_id, max(CASE WHEN new_status IN ('done', 'closed') THEN at END), "
            f"max(at) FROM progressupdate WHERE at < ? AND new_status IN {_SETTLED} "
            f"AND old_status NOT IN {_SETTLED} GROUP BY task_id", (after_end,))}
    items: dict[int, Item] = {}
    leaves: list[LeafFacts] = []
    status_of = STATUS_BY_VALUE
    for task_id, code, title, start_, due, status, weight, created_at in db.rows(
            _LEAVES + " AND t.created_at < ?", (after_end,)):
        item = Item(task_id, code, title, leads.get(task_id), tuple(support.get(task_id, ())),
                    weight)
        items[task_id] = item
        done_at, settled_at = finished.get(task_id, (None, None))
        leaves.append(LeafFacts(
            item, day(start_), local_day(created_at),  # type: ignore[arg-type]  # NOT NULL
            status_of[status_after.get(task_id, status)],
            day(due_after.get(task_id, due)),  # type: ignore[arg-type]  # NOT NULL
            None if done_at is None else local_day(done_at),
            None if settled_at is None else local_day(settled_at)))
    moves = [DueMove(task_id, local_date(at), day(old_due), day(new_due))  # type: ignore[arg-type]  # NOT NULL
             for task_id, at, old_due, new_due in db.rows(
                 "SELECT task_id, at, old_due, new_due FROM duechange WHERE at < ? "
                 "ORDER BY at, id", (after_end,))]
    steps = [CycleStep(task_id, kind, local_date(at), by_unit, unit_id)
             for task_id, kind, at, by_unit, unit_id in db.rows(
                 "SELECT task_id, kind, at, by_unit, unit_id FROM cycleevent "
                 "WHERE kind IN (?, ?, ?) AND at < ? ORDER BY at, id",
                 (EventKind.ASSIGN.value, EventKind.RETURN.value,
                  EventKind.DONE_SEND_BACK.value, after_end))]
    history = History(start, end, settings.report_cycle, leaves, moves,
                      _report_days(db, start, after_end), steps)
    return history, items


def _report_days(db: Db, start: date, after_end: Any) -> set[tuple[str, date]]:
    """(unit, local day) for each day a unit recorded an update in the period: the update's
    reporting unit, else the item's lead. SQLite reduces them to distinct days itself; the
    server's rows are dated here, in this machine's time zone, as everywhere else."""
    unit = "COALESCE(u.by_unit, lead.unit_id)"
    joins = ("FROM progressupdate AS u LEFT OUTER JOIN taskunit AS lead "
             "ON lead.task_id = u.task_id AND lead.role = 'lead' "
             f"WHERE u.at >= ? AND u.at < ? AND {unit} IS NOT NULL")
    params = (_bound(db, start), after_end)
    if db.backend == "sqlite":
        return {(unit_id, day(on)) for unit_id, on in db.rows(  # type: ignore[misc]  # a date
            f"SELECT DISTINCT {unit}, date(u.at, 'localtime') " + joins, params)}
    return {(unit_id, local_date(at)) for unit_id, at in db.rows(
        f"SELECT {unit}, u.at " + joins, params)}
