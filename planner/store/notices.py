"""督办 and 催办 notices on the DB-API: take the next number of a series under its counter
row's lock, record a notice and the items it names, and read what a notice says about its
items (their source: a meeting's decision, or the plan).

A number is taken by `UPDATE noticecounter … RETURNING` in the writing transaction: the row
stays locked until that transaction ends, so a second writer waits and then reads the new
value (PostgreSQL re-checks the row at READ COMMITTED; SQLite has one writer at a time). A
transaction rolled back gives its number back, unprinted; a committed one has printed it,
and no later notice gets it again (`notice` also holds each number once, by its unique key).
"""

from dataclasses import dataclass
from datetime import date, datetime

from planner.store.dbapi import Db, day, plan_scope


def take_serial(db: Db, kind: str, year: int) -> int:
    """The next number of the series (`kind`, `year`), taken: its counter row stays locked
    until the transaction ends."""
    db.execute("INSERT INTO noticecounter (kind, year, last_serial) VALUES (?, ?, 0) "
               "ON CONFLICT (kind, year) DO NOTHING", (kind, year))
    row = db.one("UPDATE noticecounter SET last_serial = last_serial + 1 "
                 "WHERE kind = ? AND year = ? RETURNING last_serial", (kind, year))
    assert row is not None  # the row exists: inserted above or before
    return int(row[0])


def peek_serial(db: Db, kind: str, year: int) -> int:
    """The number the series (`kind`, `year`) would give next, not taken (a dry run's)."""
    row = db.one("SELECT last_serial FROM noticecounter WHERE kind = ? AND year = ?",
                 (kind, year))
    return (0 if row is None else int(row[0])) + 1


def insert_notice(db: Db, *, kind: str, year: int, serial: int, number: str, unit_id: str,
                  at: datetime, by_user: str | None, feedback_by: date) -> int:
    """Record an issued notice of the transaction's plan; its id."""
    row = db.one("INSERT INTO notice (kind, year, serial, number, plan_id, unit_id, at, "
                 "by_user, feedback_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 (kind, year, serial, number, plan_scope(db), unit_id, db.value(at), by_user,
                  db.value(feedback_by)))
    assert row is not None  # INSERT … RETURNING gives its row
    return int(row[0])


def insert_notice_item(db: Db, *, notice_id: int, task_id: int, position: int, role: str,
                       event_id: int | None) -> None:
    """Record that the notice names the item (in its `position`), with the unit's role."""
    db.execute("INSERT INTO noticeitem (notice_id, task_id, position, role, event_id) "
               "VALUES (?, ?, ?, ?, ?)", (notice_id, task_id, position, role, event_id))


@dataclass(frozen=True, slots=True)
class DecisionSource:
    """The meeting decision an item was assigned by."""

    meeting_title: str
    meeting_on: date
    text: str


def read_decision_sources(db: Db) -> dict[int, DecisionSource]:
    """For the plan's items made by a meeting's decision (会议交办事项): the decision and
    its meeting, by item id."""
    return {task_id: DecisionSource(title, day(on), text)  # type: ignore[arg-type]  # NOT NULL column
            for task_id, title, on, text in db.rows(
                'SELECT t.id, m.title, m."on", d.text FROM task AS t '
                "JOIN decision AS d ON d.id = t.decision_id "
                "JOIN meeting AS m ON m.id = d.meeting_id WHERE t.plan_id = ?",
                (plan_scope(db),))}


def read_requirements(db: Db, task_ids: list[int]) -> dict[int, str]:
    """What each item asks for: its description, else the report's words (source)."""
    if not task_ids:
        return {}
    marks = ", ".join("?" * len(task_ids))
    return {task_id: (description or source or "").strip()
            for task_id, description, source in db.rows(
                f"SELECT id, description, source FROM task WHERE id IN ({marks})", task_ids)}
