"""Tests for planner.core.evaluation: item outcomes and indicator judgements, at their edges."""

from datetime import date

import pytest

from planner.core.evaluation import (
    Judgement,
    Outcome,
    item_outcome,
    judge_indicator,
)
from planner.core.indicators import IndicatorSnapshot, Reading
from planner.core.status import Status

PERIOD = (date(2021, 1, 1), date(2025, 12, 31))


def indicator(baseline: float, target: float | None, *readings: tuple[date, float],
              direction: str = "up") -> IndicatorSnapshot:
    return IndicatorSnapshot("I1", "指标", "项", baseline, target, direction,
                             readings=[Reading(on, value) for on, value in readings])


def judge(ind: IndicatorSnapshot, as_of: date, elapsed: float,
          tolerance: float = 10.0) -> Judgement | None:
    return judge_indicator(ind, period=PERIOD, as_of=as_of, elapsed=elapsed,
                           tolerance=tolerance).judgement


def test_done_on_or_before_the_due_date_is_on_time() -> None:
    due = date(2021, 6, 30)
    assert item_outcome(Status.DONE, due, due, date(2021, 8, 1)).outcome == Outcome.ON_TIME
    assert item_outcome(Status.CLOSED, due, date(2021, 6, 1), due).outcome == Outcome.ON_TIME


def test_done_without_a_recorded_completion_counts_as_on_time() -> None:
    assert item_outcome(Status.DONE, date(2021, 6, 30), None,
                        date(2022, 1, 1)).outcome == Outcome.ON_TIME


def test_late_by_working_days_over_a_holiday() -> None:
    """Due Friday 2021-04-30; the May Day holiday runs 1–5 May and Saturday 8 May is a make-up
    working day: 6, 7, 8 and 10 May are the four working days late (weekdays alone give 6)."""
    outcome = item_outcome(Status.DONE, date(2021, 4, 30), date(2021, 5, 10), date(2021, 7, 1))
    assert outcome.outcome == Outcome.LATE
    assert outcome.late_days == 4


def test_open_items_are_overdue_only_after_their_due_date() -> None:
    due = date(2021, 6, 30)
    assert not item_outcome(Status.IN_PROGRESS, due, None, due).overdue
    late = item_outcome(Status.BLOCKED, due, None, date(2021, 7, 1))
    assert (late.outcome, late.overdue) == (Outcome.OPEN, True)
    assert item_outcome(Status.CANCELLED, due, None, date(2022, 1, 1)) \
        .outcome == Outcome.CANCELLED


def test_no_reading_in_the_period_is_not_started() -> None:
    before_start = indicator(0, 100, (date(2020, 12, 31), 50))
    assert judge(before_start, date(2023, 6, 30), 0.5) == Judgement.NOT_STARTED
    after_as_of = indicator(0, 100, (date(2023, 7, 1), 50))
    assert judge(after_as_of, date(2023, 6, 30), 0.5) == Judgement.NOT_STARTED


def test_no_target_is_not_judged() -> None:
    assert judge(indicator(0, None, (date(2022, 1, 1), 5)), date(2023, 1, 1), 0.4) is None


def test_reached_before_the_last_day_is_early_and_on_it_achieved() -> None:
    early = indicator(36, 3, (date(2024, 12, 31), 3), direction="down")
    assert judge(early, date(2026, 1, 10), 1.0) == Judgement.AHEAD
    assert judge(early, date(2025, 1, 10), 0.8) == Judgement.AHEAD
    on_time = indicator(36, 3, (date(2024, 12, 31), 5), (date(2025, 12, 31), 2.5),
                        direction="down")
    assert judge(on_time, date(2026, 1, 10), 1.0) == Judgement.ACHIEVED


def test_the_target_must_have_stayed_reached() -> None:
    """Reached in 2022 and lost in 2023: judged on the way, not as achieved."""
    slipped = indicator(0, 10, (date(2022, 6, 30), 10), (date(2023, 6, 30), 6))
    assert judge(slipped, date(2023, 7, 1), 0.5) == Judgement.ON_TRACK
    regained = indicator(0, 10, (date(2022, 6, 30), 10), (date(2023, 6, 30), 6),
                         (date(2024, 6, 30), 11))
    result = judge_indicator(regained, period=PERIOD, as_of=date(2024, 7, 1), elapsed=0.7,
                             tolerance=10)
    assert (result.judgement, result.reached_on) == (Judgement.AHEAD, date(2024, 6, 30))


def test_on_track_down_to_the_tolerance_below_the_time_elapsed() -> None:
    """Half the period gone, tolerance 10 points: 40% of the way is on track, 39% behind."""
    assert judge(indicator(0, 100, (date(2023, 6, 30), 40)), date(2023, 7, 1),
                 0.5) == Judgement.ON_TRACK
    assert judge(indicator(0, 100, (date(2023, 6, 30), 39)), date(2023, 7, 1),
                 0.5) == Judgement.BEHIND
    assert judge(indicator(0, 100, (date(2023, 6, 30), 39)), date(2023, 7, 1), 0.5,
                 tolerance=15) == Judgement.ON_TRACK


def test_going_backwards_is_behind() -> None:
    assert judge(indicator(36, 3, (date(2022, 1, 1), 40), direction="down"),
                 date(2022, 1, 2), 0.2) == Judgement.BEHIND


def test_a_target_equal_to_the_baseline_is_held_or_missed() -> None:
    held = indicator(100, 100, (date(2022, 1, 1), 100))
    assert judge(held, date(2022, 1, 2), 0.2) == Judgement.AHEAD
    missed = indicator(100, 100, (date(2022, 1, 1), 99))
    assert judge(missed, date(2022, 1, 2), 0.2) == Judgement.BEHIND


@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED])
def test_every_open_status_is_open(status: Status) -> None:
    assert item_outcome(status, date(2021, 1, 1), None, date(2021, 1, 1)).outcome == Outcome.OPEN
