"""Tests for planner.core.indicators: progress toward a target and year-target checks."""

from datetime import date

import pytest

from planner.core.indicators import IndicatorSnapshot, Reading, is_off_track, share_of_way

D = date


@pytest.mark.parametrize(("baseline", "target", "value", "share"), [
    (36, 3, 20, 16 / 33),     # grant time falling from 36 months to 3: a reading of 20
    (36, 3, 36, 0.0),
    (36, 3, 3, 1.0),
    (36, 3, 2, 34 / 33),      # overshooting a falling target
    (36, 3, 40, -4 / 33),     # going the wrong way
    (0, 1, 0.5, 0.5),
    (0, 1, 1.2, 1.2),         # overshooting a rising target
    (170, 250, 210, 0.5),     # GI trademarks
])
def test_share_of_way_is_direction_aware(baseline: float, target: float, value: float,
                                         share: float) -> None:
    assert share_of_way(baseline, target, value) == pytest.approx(share)


def test_share_of_way_overshoot_exceeds_one() -> None:
    assert share_of_way(36, 3, 1) > 1  # type: ignore[operator]
    assert share_of_way(0, 10, 11) > 1  # type: ignore[operator]


@pytest.mark.parametrize(("baseline", "target"), [(36, None), (5, 5), (0, 0)])
def test_share_of_way_none_without_distance(baseline: float, target: float | None) -> None:
    assert share_of_way(baseline, target, 4) is None


def indicator(direction: str, baseline: float, target: float, year_targets: dict[int, float],
              *values: float) -> IndicatorSnapshot:
    """An indicator with readings taken at the end of successive years from 2021."""
    readings = [Reading(D(2021 + i, 12, 31), v) for i, v in enumerate(values)]
    return IndicatorSnapshot("I1", "指标", "件", baseline, target, direction,
                             year_targets=year_targets, readings=readings)


def test_is_off_track_rising() -> None:
    rising = indicator("up", 170, 250, {2021: 190, 2022: 210}, 180, 200)
    assert rising.latest == Reading(D(2022, 12, 31), 200)
    assert not is_off_track(rising, D(2021, 6, 1))   # 200 ≥ 190
    assert is_off_track(rising, D(2022, 6, 1))       # 200 < 210
    assert not is_off_track(indicator("up", 0, 10, {2022: 5}, 5), D(2022, 1, 1))  # exactly met


def test_is_off_track_falling() -> None:
    falling = indicator("down", 36, 3, {2021: 24, 2022: 12}, 30, 20)
    assert not is_off_track(falling, D(2021, 6, 1))  # 20 ≤ 24
    assert is_off_track(falling, D(2022, 6, 1))      # 20 > 12
    assert not is_off_track(indicator("down", 36, 3, {2022: 20}, 20), D(2022, 1, 1))


def test_is_off_track_needs_a_reading_and_a_year_target() -> None:
    assert not is_off_track(indicator("up", 0, 10, {2021: 5}), D(2021, 6, 1))
    assert not is_off_track(indicator("up", 0, 10, {2021: 5}, 1), D(2023, 6, 1))


def test_target_for_falls_back_to_the_final_target() -> None:
    item = indicator("down", 36, 3, {2021: 24})
    assert item.target_for(2021) == 24
    assert item.target_for(2025) == 3
    assert item.latest is None
