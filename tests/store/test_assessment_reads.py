"""The reporting windows an assessment finds in the progress updates (`_reported`): the
database reduces the updates to (unit, local day) pairs, by an offset added in SQL where
local time is a fixed offset from UTC and time by time where it is not. Against the plain
reading, update by update, in zones east, west and half an hour off UTC, one with daylight
saving, and at the instants either side of local midnight."""

import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from planner.core.assessment import report_windows
from planner.store.assessment_queries import _day_reader, _fixed_offset, _reported, read_history
from planner.store.dbapi import Db, local_date, sqlite_transaction

START, END = date(2021, 1, 1), date(2021, 12, 31)


@pytest.fixture(params=["UTC", "Asia/Shanghai", "Asia/Kolkata", "America/New_York"])
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The process's local time zone for one test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def _updates(path: Path) -> list[tuple[int, str | None, str]]:
    """Updates recorded straight into the file, a few units', a few without a reporting unit
    (NULL and empty: they count for the item's lead), at the UTC instants either side of
    local midnight in each zone tested (16:00 for UTC+8, 18:30 for UTC+5:30, 04:00 and 05:00
    for New York), a microsecond before each of them, and at midday; every few days."""
    with sqlite3.connect(path) as connection:
        leads = connection.execute(
            "SELECT task_id, unit_id FROM taskunit WHERE role = 'lead' ORDER BY task_id "
            "LIMIT 4").fetchall()
        units = [unit for (unit,) in connection.execute("SELECT id FROM unit LIMIT 3")]
        clocks = ["00:00:00.000000", "15:59:59.999999", "16:00:00.000000", "18:29:59.999999",
                  "18:30:00.000000", "03:59:59.999999", "04:00:00.000000", "04:59:59.999999",
                  "05:00:00.000000", "12:00:00.000000", "23:59:59.999999"]
        rows = []
        day_ = START - timedelta(days=3)
        step = 0
        while day_ <= END + timedelta(days=3):
            task_id, _lead = leads[step % len(leads)]
            by_unit = [*units, None, ""][step % (len(units) + 2)]
            rows.append((task_id, by_unit, f"{day_} {clocks[step % len(clocks)]}"))
            day_ += timedelta(days=1 + step % 9)
            step += 1
        connection.executemany(
            "INSERT INTO progressupdate (task_id, by_unit, at, by_user, old_status, "
            "new_status, old_progress, new_progress, note) "
            "VALUES (?, ?, ?, 'test', 'in_progress', 'in_progress', 0, 10, '')", rows)
        return rows


def _reference(path: Path, updates: list[tuple[int, str | None, str]],
               cycle: str) -> set[tuple[str, date]]:
    """The reports of each window, update by update with `local_date`."""
    with sqlite3.connect(path) as connection:
        leads = dict(connection.execute(
            "SELECT task_id, unit_id FROM taskunit WHERE role = 'lead'").fetchall())
    windows = report_windows(START, END, cycle)
    found = set()
    for task_id, by_unit, at in updates:
        recorded = local_date(datetime.fromisoformat(at))
        for first, last in windows:
            if first <= recorded <= last:
                found.add((by_unit or leads[task_id], first))
    return found


@pytest.mark.parametrize("cycle", ["weekly", "biweekly", "monthly"])
def test_reports_are_counted_on_local_days_in_any_zone(
        bundled_db: Path, zone: str, cycle: str) -> None:
    updates = _updates(bundled_db)
    with sqlite_transaction(str(bundled_db)) as db:
        reported = _reported(db, START, END, cycle)
    expected = _reference(bundled_db, updates, cycle)
    assert reported == expected
    assert len({first for _, first in expected}) > 10  # the updates reach most windows


def _fixed_offset_hour_by_hour(first: datetime, last: datetime) -> timedelta | None:
    """The offset as `_fixed_offset` read it before: `astimezone`, hour by hour."""
    hour = first.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    offset = hour.astimezone().utcoffset()
    while hour <= last:
        hour += timedelta(hours=1)
        if hour.astimezone().utcoffset() != offset:
            return None
    return offset


@pytest.mark.parametrize(("first", "last"), [
    (date(2021, 1, 4), date(2021, 12, 27)), (date(2021, 1, 4), date(2021, 3, 1)),
    (date(2021, 3, 14), date(2021, 3, 15)), (date(2021, 11, 1), date(2021, 11, 8)),
])
def test_the_offset_is_fixed_where_local_time_never_changes_it(
        zone: str, first: date, last: date) -> None:
    lower = datetime.combine(first, datetime.min.time()).astimezone()
    upper = datetime.combine(last, datetime.min.time()).astimezone()
    assert _fixed_offset(lower, upper) == _fixed_offset_hour_by_hour(lower, upper)


def test_recorded_times_are_read_on_their_local_days(zone: str) -> None:
    """Every minute of the days around New York's changes of clock, read in batch."""
    stamps = [f"{datetime(2021, month, day_) + timedelta(minutes=minute):%Y-%m-%d %H:%M:%S.%f}"
              for month, day_ in ((3, 13), (3, 14), (11, 6), (11, 7))
              for minute in range(0, 48 * 60, 7)]
    read = _day_reader(Db(None, "sqlite"))
    assert read(stamps) == [local_date(stamp) for stamp in stamps]


def test_the_history_is_read_from_indexes_not_the_whole_table(bundled_db: Path) -> None:
    """Every read of the progress history goes through an index that holds what it reads
    (migration 0016): the settling moves through their partial index, the period's
    reports through (at, by_unit, task_id); none scans the table."""
    _updates(bundled_db)
    statements: list[str] = []
    with sqlite_transaction(str(bundled_db)) as db:
        db.connection.set_trace_callback(statements.append)
        read_history(db, START, END)
        db.connection.set_trace_callback(None)
        plans = {sql: [row[3] for row in db.connection.execute(f"EXPLAIN QUERY PLAN {sql}")
                       if "progressupdate" in row[3] or " p " in f"{row[3]} "]
                 for sql in statements if "progressupdate" in sql}
    assert len(plans) >= 3
    for sql, steps in plans.items():
        assert steps and all("INDEX" in step for step in steps), (sql, steps)
    plans = {sql: " | ".join(steps) for sql, steps in plans.items()}
    assert any("COVERING INDEX ix_progressupdate_settling" in plan for plan in plans.values())
    assert any("COVERING INDEX ix_progressupdate_at" in plan for plan in plans.values())


def test_of_two_leads_the_first_by_id_is_credited_and_scored(bundled_db: Path) -> None:
    """The schema allows an item two leads (the services never write it): an update
    without a reporting unit counts for the same one the scores go to, the first by id."""
    with sqlite3.connect(bundled_db) as connection:
        task_id, lead = connection.execute(
            "SELECT task_id, unit_id FROM taskunit WHERE role = 'lead' AND task_id NOT IN "
            "(SELECT parent_id FROM task WHERE parent_id IS NOT NULL) ORDER BY task_id "
            "LIMIT 1").fetchone()
        connection.execute("UPDATE task SET created_at = '2020-12-01 00:00:00.000000' "
                           "WHERE id = ?", (task_id,))  # an item of the period
        other = connection.execute(
            "SELECT id FROM unit WHERE id > ? AND id NOT IN (SELECT unit_id FROM taskunit "
            "WHERE task_id = ?) ORDER BY id LIMIT 1", (lead, task_id)).fetchone()[0]
        connection.execute("INSERT INTO taskunit (task_id, unit_id, role, position) "
                           "VALUES (?, ?, 'lead', 9)", (task_id, other))
        connection.execute(
            "INSERT INTO progressupdate (task_id, by_unit, at, by_user, old_status, "
            "new_status, old_progress, new_progress, note) VALUES "
            "(?, '', '2021-03-03 04:00:00.000000', 'test', 'in_progress', 'in_progress', "
            "0, 10, '')", (task_id,))
    first = min(lead, other)  # the one listed first, not the one added last
    with sqlite_transaction(str(bundled_db)) as db:
        reported = _reported(db, START, END, "weekly")
        _history, items = read_history(db, START, END)
    assert reported == {(first, date(2021, 3, 1))}
    assert items[task_id].lead == first
