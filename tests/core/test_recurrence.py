"""Tests for planner.core.recurrence: expanding RRULEs into one occurrence per period."""

import time
from datetime import date, timedelta

import pytest

from planner.core.errors import PlannerError
from planner.core.recurrence import MAX_OCCURRENCES, Occurrence, expand, occurrence_code

D = date
TITLE = "知识产权宣传周"


FIRST, UNTIL = D(2021, 4, 20), D(2025, 12, 31)


def run(rule: str, *, first: date = FIRST, until: date = UNTIL,
        duration_days: int = 1) -> list[Occurrence]:
    """Expand `rule` for item X (by default over the 2021 publicity week to the plan's end)."""
    return expand(rule, code="X", title=TITLE, first=first, until=until,
                  duration_days=duration_days)


def test_yearly_publicity_week() -> None:
    occurrences = run("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20", duration_days=7)
    assert [o.code for o in occurrences] == [f"X@{y}-04-20" for y in range(2021, 2026)]
    assert [o.title for o in occurrences] == [f"{TITLE}（{y}年）" for y in range(2021, 2026)]
    for occurrence in occurrences:
        assert occurrence.due == occurrence.start + timedelta(days=6)
    assert occurrences[0] == Occurrence("X@2021-04-20", f"{TITLE}（2021年）",
                                        D(2021, 4, 20), D(2021, 4, 26))


def test_rrule_prefix_and_case_are_accepted() -> None:
    plain = run("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20")
    assert run("RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20") == plain
    assert run("  freq=yearly;bymonth=4;bymonthday=20 ") == plain


def test_monthly_rule() -> None:
    occurrences = run("FREQ=MONTHLY;BYMONTHDAY=25", first=D(2021, 1, 1),
                      until=D(2021, 12, 31), duration_days=5)
    assert len(occurrences) == 12
    assert occurrences[0].code == "X@2021-01-25"
    assert occurrences[0].title == f"{TITLE}（2021-01-25）"
    assert occurrences[-1].start == D(2021, 12, 25)
    assert occurrences[-1].due == D(2021, 12, 29)
    assert len({o.code for o in occurrences}) == 12


def test_quarterly_first_monday() -> None:
    occurrences = run("FREQ=MONTHLY;INTERVAL=3;BYDAY=MO;BYSETPOS=1", first=D(2021, 1, 1),
                      until=D(2021, 12, 31))
    assert [o.start for o in occurrences] == [D(2021, 1, 4), D(2021, 4, 5), D(2021, 7, 5),
                                              D(2021, 10, 4)]
    assert all(o.due == o.start for o in occurrences)


def test_window_bounds_are_inclusive() -> None:
    occurrences = run("FREQ=WEEKLY", first=D(2021, 3, 1), until=D(2021, 3, 15))
    assert [o.start for o in occurrences] == [D(2021, 3, 1), D(2021, 3, 8), D(2021, 3, 15)]
    assert run("FREQ=WEEKLY", first=D(2021, 3, 1), until=D(2021, 2, 1)) == []


def test_count_in_the_rule_is_respected() -> None:
    assert len(run("FREQ=YEARLY;COUNT=2")) == 2


@pytest.mark.parametrize("rule", ["", "garbage", "FREQ=FORTNIGHTLY", "FOO=1",
                                  "FREQ=WEEKLY;BYDAY=XX", "FREQ=YEARLY;BYHOUR=25"])
def test_invalid_rule(rule: str) -> None:
    with pytest.raises(PlannerError) as caught:
        run(rule)
    assert "重复规则" in caught.value.msg.render("zh")
    assert "repeat rule" in caught.value.msg.render("en")


@pytest.mark.parametrize("rule", ["FREQ=DAILY", "FREQ=DAILY;INTERVAL=1"])
def test_too_many_occurrences_fail_quickly(rule: str) -> None:
    began = time.perf_counter()
    with pytest.raises(PlannerError) as caught:
        run(rule, first=D(2021, 1, 1), until=D(2030, 12, 31))
    assert time.perf_counter() - began < 2
    assert str(MAX_OCCURRENCES) in caught.value.msg.render("en")


def test_exactly_max_occurrences_is_allowed() -> None:
    first = D(2021, 1, 1)
    occurrences = run("FREQ=DAILY", first=first,
                      until=first + timedelta(days=MAX_OCCURRENCES - 1))
    assert len(occurrences) == MAX_OCCURRENCES


@pytest.mark.parametrize("rule", [
    "FREQ=MINUTELY", "FREQ=HOURLY;COUNT=3", "FREQ=SECONDLY",
    "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30",  # never occurs: would scan minutes to year 9999
])
def test_finer_than_daily_fails_quickly(rule: str) -> None:
    began = time.perf_counter()
    with pytest.raises(PlannerError):
        run(rule, first=D(2021, 1, 1), until=D(2030, 12, 31))
    assert time.perf_counter() - began < 2


@pytest.mark.parametrize("rule", ["FREQ=DAILY;BYHOUR=9,15;COUNT=4", "FREQ=YEARLY;INTERVAL=0"])
def test_two_occurrences_on_one_day_fail(rule: str) -> None:
    # Codes are made from the date, so they would collide.
    with pytest.raises(PlannerError) as caught:
        run(rule)
    assert "one a day" in caught.value.msg.render("en")


@pytest.mark.parametrize("days", [0, -3])
def test_duration_below_one_day(days: int) -> None:
    with pytest.raises(PlannerError) as caught:
        run("FREQ=YEARLY", duration_days=days)
    assert "at least 1 day" in caught.value.msg.render("en")
    assert "≥1" in caught.value.msg.render("zh")


def test_occurrence_code() -> None:
    assert occurrence_code("7.2", D(2023, 4, 20)) == "7.2@2023-04-20"
