"""The history reads of the weekly report and the ledger on the DB-API (store/dbapi.py).

`planner report weekly` opens a SQLite file through `sqlite3` alone, as `show` does: these
reads import neither SQLAlchemy nor SQLModel, and give what the ORM queries gave (a
timestamp on SQLite comes back naive, as SQLAlchemy parses it; a bound timestamp is written
as SQLAlchemy writes it, `Db.value`). The ORM paths (`store.queries`, `store.ledger_queries`)
call these same functions through `Db.of_session`, so each read is written once.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.core.errors import PlannerError
from planner.core.status import Status
from planner.store.dbapi import STATUS_BY_VALUE, Db, day, moment, plan_scope


@dataclass(slots=True)
class UpdateRow:
    """A progress update with the item's code, for reports."""

    task_id: int
    code: str
    title: str
    at: datetime
    by_unit: str | None
    by_user: str | None
    old_status: Status
    new_status: Status
    old_progress: float
    new_progress: float
    note: str | None


@dataclass(slots=True)
class DueMoveRow:
    """A recorded deadline move of an item."""

    task_id: int
    code: str
    title: str
    at: datetime
    old_due: date
    new_due: date
    reason: str


@dataclass(slots=True)
class DueChangeRow(DueMoveRow):
    """A deadline move with how often that item has moved in all."""

    times_moved: int


@dataclass(frozen=True, slots=True)
class LatestNote:
    """The most recent non-empty note on an item and when it was recorded."""

    note: str
    at: datetime


def local_midnight(day: date) -> datetime:
    """The start of `day` in local time, as an aware datetime (history is stored in UTC)."""
    return datetime.combine(day, datetime.min.time()).astimezone()


def read_updates_since(db: Db, since: date, until: date | None = None) -> list[UpdateRow]:
    """Progress updates from local midnight of `since` (to the end of `until`), oldest first."""
    sql = ("SELECT u.task_id, t.code, t.title, u.at, u.by_unit, u.by_user, u.old_status, "
           "u.new_status, u.old_progress, u.new_progress, u.note FROM progressupdate AS u "
           "JOIN task AS t ON t.id = u.task_id WHERE t.plan_id = ? AND u.at >= ?")
    params = [plan_scope(db), db.value(local_midnight(since))]
    if until is not None:
        sql += " AND u.at < ?"
        params.append(db.value(local_midnight(until + timedelta(days=1))))
    status_of = STATUS_BY_VALUE
    return [
        UpdateRow(task_id, code, title, moment(at), by_unit, by_user, status_of[old_status],
                  status_of[new_status], old_progress, new_progress, note)
        for (task_id, code, title, at, by_unit, by_user, old_status, new_status, old_progress,
             new_progress, note) in db.rows(sql + " ORDER BY u.at, u.id", params)
    ]


def read_due_changes(db: Db, start: date, end: date | None = None) -> list[DueChangeRow]:
    """Deadline moves recorded from `start` to `end` (local dates; open-ended without `end`),
    each with the number of times its item had moved by `end`."""
    plan_id = plan_scope(db)
    until = "" if end is None else " AND c.at < ?"
    until_params = [] if end is None else [db.value(local_midnight(end + timedelta(days=1)))]
    totals = dict(db.rows(
        "SELECT c.task_id, count(*) FROM duechange AS c JOIN task AS t ON t.id = c.task_id "
        "WHERE t.plan_id = ?" + until + " GROUP BY c.task_id", [plan_id, *until_params]))
    rows = db.rows(
        "SELECT c.task_id, t.code, t.title, c.at, c.old_due, c.new_due, c.reason "
        "FROM duechange AS c JOIN task AS t ON t.id = c.task_id "
        "WHERE t.plan_id = ? AND c.at >= ?" + until + " ORDER BY c.at, c.id",
        [plan_id, db.value(local_midnight(start)), *until_params])
    return [
        DueChangeRow(task_id, code, title, moment(at), day(old_due), day(new_due),  # type: ignore[arg-type]  # NOT NULL columns
                     reason, totals.get(task_id, 0))
        for task_id, code, title, at, old_due, new_due, reason in rows
    ]


def read_latest_notes(db: Db, before: datetime | None = None) -> dict[int, LatestNote]:
    """Task id → its latest non-empty progress note (latest by time, then by entry order),
    among the notes recorded before `before` when given; one query (a window function, on
    SQLite 3.25+ and PostgreSQL) whatever the size of the plan."""
    params: list[object] = [plan_scope(db)]
    before_sql = ""
    if before is not None:
        before_sql, params = " AND u.at < ?", [*params, db.value(before)]
    rows = db.rows(
        "SELECT task_id, note, at FROM (SELECT u.task_id, u.note, u.at, row_number() OVER "
        "(PARTITION BY u.task_id ORDER BY u.at DESC, u.id DESC) AS rank "
        "FROM progressupdate AS u WHERE u.task_id IN (SELECT id FROM task WHERE plan_id = ?) "
        "AND u.note IS NOT NULL AND trim(u.note) != ''" + before_sql + ") AS ranked "
        "WHERE rank = 1", params)
    return {task_id: LatestNote(note, moment(at)) for task_id, note, at in rows}


def read_plan_uid(db: Db) -> str:
    """The plan's identity (plan.uid): written into an exported ledger, checked on import."""
    row = db.one("SELECT uid FROM plan WHERE id = ?", (plan_scope(db),))
    if row is None or row[0] is None:
        raise PlannerError("db_no_plan")
    return str(row[0])
