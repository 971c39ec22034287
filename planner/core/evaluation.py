"""The rules of a plan evaluation (中期评估 / 总结评估): how an item's outcome and an
indicator's judgement are decided. Pure: the report (reports/evaluation.py) feeds them.

Items (leaves only; a parent is the sum of its children):
- **completed on time** (按期完成): done or closed, reported done on or before its due date
  (the due date in force, i.e. after approved moves; the moves are listed separately). An
  item whose completion is not in its history (imported as done) counts as on time.
- **completed late** (逾期完成): done or closed, reported done after its due date; by the
  working days in (due, completed] on China's official calendar (core/dates.py).
- **carried over** (已结转), **cancelled** (已取消): by status.
- **open** (未完成): still to do; *overdue* when its due date is before the evaluation date.

Indicators, with `share` the share of the way from baseline to target of the latest reading
(core/indicators.share_of_way), `elapsed` the share of the plan period elapsed on the
evaluation date (序时进度, 0–1) and `tolerance` the plan's tolerance in percentage points
(the one the yellow warning uses, 10 by default):
- **未开展** (not started): no reading dated from the plan's start up to the evaluation date
  (a reading dated after the period, e.g. the final year's figure published in January,
  counts in a final evaluation run after it).
- **提前实现** (achieved early): the target is reached (share ≥ 1) and has stayed reached
  since a reading dated before the last day of the period.
- **已实现** (achieved): the target is reached, first (for good) on the period's last day or
  after it.
- **基本符合预期** (on track): not reached, and share ≥ elapsed − tolerance / 100.
- **滞后** (behind): not reached, and share < elapsed − tolerance / 100.
An indicator without a target is not judged. A target equal to the baseline is reached when
the reading is at or beyond it in the indicator's direction.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from planner.core.dates import working_days_between
from planner.core.indicators import IndicatorSnapshot, Reading, share_of_way
from planner.core.status import DONE_STATUSES, Status
from planner.i18n import label


class Outcome(StrEnum):
    """How an item stands in an evaluation."""

    ON_TIME = "on_time"
    LATE = "late"
    CARRIED_OVER = "carried_over"
    CANCELLED = "cancelled"
    OPEN = "open"

    def label(self, lang: str) -> str:
        """The outcome's name in `lang` (`outcome_<value>`)."""
        return label(f"outcome_{self.value}", lang)


class Judgement(StrEnum):
    """The fixed words an evaluation judges an indicator in."""

    AHEAD = "ahead"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_STARTED = "not_started"

    def label(self, lang: str) -> str:
        """The judgement in `lang` (`judgement_<value>`): 提前实现, 已实现, …"""
        return label(f"judgement_{self.value}", lang)


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """An item's outcome, and for a late completion by how many working days."""

    outcome: Outcome
    late_days: int = 0
    overdue: bool = False
    """Open and past its due date on the evaluation date."""


def item_outcome(status: Status, due: date, completed: date | None, as_of: date) -> ItemOutcome:
    """The outcome of a leaf with `status` and `due` on `as_of`; `completed` is the day it was
    last reported done (None when its history does not say)."""
    if status in DONE_STATUSES:
        if completed is not None and completed > due:
            return ItemOutcome(Outcome.LATE, working_days_between(due, completed))
        return ItemOutcome(Outcome.ON_TIME)
    if status == Status.CANCELLED:
        return ItemOutcome(Outcome.CANCELLED)
    if status == Status.CARRIED_OVER:
        return ItemOutcome(Outcome.CARRIED_OVER)
    return ItemOutcome(Outcome.OPEN, overdue=due < as_of)


def reaches(baseline: float, target: float, direction: str, value: float) -> bool:
    """Whether `value` is at or beyond `target` on the way from `baseline`."""
    share = share_of_way(baseline, target, value)
    if share is not None:
        return share >= 1
    return value <= target if direction == "down" else value >= target


@dataclass(frozen=True, slots=True)
class IndicatorJudgement:
    """An indicator's standing on the evaluation date."""

    latest: Reading | None
    share: float | None
    judgement: Judgement | None
    """None when the indicator has no target."""
    reached_on: date | None = None
    """The day of the reading since which the target has stayed reached."""


def judge_indicator(indicator: IndicatorSnapshot, *, period: tuple[date, date], as_of: date,
                    elapsed: float, tolerance: float) -> IndicatorJudgement:
    """Judge `indicator` on `as_of` by the rules in this module's docstring."""
    start, end = period
    readings = [r for r in indicator.readings if start <= r.on <= as_of]
    latest = readings[-1] if readings else None
    target = indicator.target
    share = (share_of_way(indicator.baseline, target, latest.value)
             if latest is not None else None)
    if target is None:
        return IndicatorJudgement(latest, share, None)
    if latest is None:
        return IndicatorJudgement(None, None, Judgement.NOT_STARTED)
    reached_on: date | None = None
    for reading in reversed(readings):
        if not reaches(indicator.baseline, target, indicator.direction, reading.value):
            break
        reached_on = reading.on
    if reached_on is not None:
        judgement = Judgement.AHEAD if reached_on < end else Judgement.ACHIEVED
    elif (share if share is not None else 0.0) >= elapsed - tolerance / 100:
        judgement = Judgement.ON_TRACK
    else:
        judgement = Judgement.BEHIND
    return IndicatorJudgement(latest, share, judgement, reached_on)
