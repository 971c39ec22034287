"""Indicators (指标): baseline, targets by year, readings, and progress toward the target."""

import math
from dataclasses import dataclass, field
from datetime import date

#: Shares of the way beyond ±this many percent are shown as "—", not as a 300-digit number.
MAX_SHOWN_SHARE = 1000


@dataclass(slots=True)
class Reading:
    """One measured value of an indicator."""

    on: date
    value: float
    source: str | None = None


@dataclass(slots=True)
class IndicatorSnapshot:
    """An indicator with its year targets and readings (oldest first)."""

    code: str
    name: str
    unit: str
    baseline: float
    target: float | None
    direction: str
    task_code: str | None = None
    year_targets: dict[int, float] = field(default_factory=dict)
    readings: list[Reading] = field(default_factory=list)
    note: str | None = None

    @property
    def latest(self) -> Reading | None:
        """The most recent reading."""
        return self.readings[-1] if self.readings else None

    def target_for(self, year: int) -> float | None:
        """The target for a plan year: its own, else the final target."""
        return self.year_targets.get(year, self.target)


def share_of_way(baseline: float, target: float | None, value: float) -> float | None:
    """Share (0–1, beyond when overshooting) of the way from baseline to target.

    Direction-aware by construction: for a falling target (36 → 3 months) a reading of 20
    is (36 − 20) / (36 − 3) of the way. None when there is no target or no distance to go,
    or when the figures are too far apart for the share to be a finite number.
    """
    if target is None or target == baseline:
        return None
    share = (value - baseline) / (target - baseline)
    return share if math.isfinite(share) else None


def share_text(share: float | None) -> str:
    """A share of the way as a percentage; "—" when unknown or beyond ±MAX_SHOWN_SHARE %."""
    if share is None or not abs(share * 100) <= MAX_SHOWN_SHARE:
        return "—"
    return f"{share * 100:.0f}%"


def is_off_track(indicator: IndicatorSnapshot, today: date) -> bool:
    """The latest reading misses the target set for this year, in the indicator's direction."""
    reading = indicator.latest
    year_target = indicator.year_targets.get(today.year)
    if reading is None or year_target is None:
        return False
    if indicator.direction == "down":
        return reading.value > year_target
    return reading.value < year_target
