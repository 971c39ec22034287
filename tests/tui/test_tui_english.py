"""The terminal UI's own words in English: dialog choices, refusals and what a write reports
carry no Chinese punctuation (the data shown inside them may be Chinese)."""

from pathlib import Path

import pytest

from planner.core.errors import PlannerError
from planner.core.indicators import IndicatorSnapshot
from planner.tui.forms import item_form, reading_form
from planner.tui.gateway import PlanGateway
from planner.tui.requests import ReadingRequest
from tests.tui_support import CLOCK, TODAY, seeded_engine


def test_a_recorded_reading_is_reported_with_an_english_colon(tmp_path: Path) -> None:
    engine = seeded_engine(tmp_path / "plan.db")
    try:
        english = PlanGateway(engine, clock=CLOCK, lang="en", user=None)
        chinese = PlanGateway(engine, clock=CLOCK, lang="zh", user=None)
        assert english.write_reading(ReadingRequest("I1", 20, TODAY, None)).message \
            == "I1 Saved: 20"
        assert chinese.write_reading(ReadingRequest("I1", 21, TODAY, None)).message \
            == "I1 已保存：21"
    finally:
        engine.dispose()


def test_dialog_choices_and_refusals_in_english() -> None:
    indicator = IndicatorSnapshot(code="I1", name="Grant time", unit="months", baseline=36,
                                  target=3, direction="down")
    fields, _ = reading_form([indicator], TODAY, "en")
    assert fields[0].options == (("I1 Grant time (months)", "I1"),)
    fields, _ = reading_form([indicator], TODAY, "zh")
    assert fields[0].options == (("I1 Grant time（months）", "I1"),)

    _, validate = item_form([("Head Office", "hq")], "en", today=TODAY)
    values: dict[str, object] = {"code": "", "title": "", "lead": "hq", "support": "",
                                 "start": "", "due": "", "weight": "1"}
    with pytest.raises(PlannerError) as refusal:
        validate(values)
    assert refusal.value.message("en") == "the title must not be empty"
    assert refusal.value.message("zh") == "标题不能为空"
