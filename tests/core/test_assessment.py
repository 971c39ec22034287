"""The assessment engine: lines that always add up to the score, ranking with ties, the cap,
the support factor and weights, and the events derived from history."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.assessment import (
    EVENT_KINDS,
    CycleStep,
    DueMove,
    Event,
    History,
    Item,
    LeafFacts,
    Rules,
    assess,
    derive_events,
    report_windows,
)
from planner.core.status import Status

UNITS = [("a", "甲"), ("b", "乙"), ("c", "丙"), ("d", "丁")]
RULES = Rules(base=Decimal(100), points={"on_time": Decimal(1), "overdue": Decimal(-3),
                                         "extension": Decimal("-1.25"),
                                         "missed_report": Decimal(-1)},
              late_per_day=Decimal("-0.5"), late_cap=Decimal(5),
              support_factor=Decimal("0.5"), item_weight=True)

#: Rule values with up to three decimals (integers scaled: much quicker to draw than
#: st.decimals).
decimals = st.integers(-50_000, 50_000).map(lambda n: Decimal(n).scaleb(-3))
unit_ids = st.sampled_from([unit for unit, _ in UNITS])


@st.composite
def rule_tables(draw: st.DrawFn) -> Rules:
    kinds = draw(st.sets(st.sampled_from([k for k in EVENT_KINDS if k != "late"])))
    return Rules(base=draw(decimals), points={kind: draw(decimals) for kind in kinds},
                 late_per_day=draw(decimals),
                 late_cap=draw(st.none() | decimals.map(abs)),
                 support_factor=draw(st.integers(0, 1000).map(lambda n: Decimal(n).scaleb(-3))),
                 item_weight=draw(st.booleans()))


@st.composite
def histories(draw: st.DrawFn) -> tuple[dict[int, Item], list[Event]]:
    items = {
        index: Item(index, f"1.{index}", f"事项{index}", draw(st.none() | unit_ids),
                    tuple(draw(st.lists(unit_ids, max_size=3, unique=True))),
                    draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 1 / 3, 3.0])))
        for index in range(1, draw(st.integers(1, 8)) + 1)}
    events = draw(st.lists(st.builds(
        Event, st.integers(0, 364).map(lambda n: date(2025, 1, 1) + timedelta(days=n)),
        st.none() | st.sampled_from(sorted(items)), st.sampled_from(EVENT_KINDS),
        st.none() | unit_ids, st.integers(0, 40)), max_size=30))
    return items, events


@settings(max_examples=100, deadline=None)
@given(rule_tables(), histories())
def test_every_units_lines_add_up_exactly_to_its_score(
        rules: Rules, history: tuple[dict[int, Item], list[Event]]) -> None:
    items, events = history
    scores = assess(rules, UNITS, items, events)
    assert sorted(score.unit for score in scores) == sorted(unit for unit, _ in UNITS)
    for score in scores:
        assert score.score == sum((line.points for line in score.lines), Decimal(0))
        assert score.lines[0].kind == "base" and score.lines[0].points == rules.base
        after_base = [line.points for line in score.lines[1:]]
        assert score.gained == sum((points for points in after_base if points > 0), Decimal(0))
        assert score.lost == sum((points for points in after_base if points < 0), Decimal(0))
        assert all(line.points == line.points.quantize(Decimal("0.01"))
                   for line in score.lines[1:])  # the base is as written
    ranked = [(score.rank, score.score) for score in scores]
    assert ranked == sorted(ranked, key=lambda pair: (pair[0], -pair[1]))
    for (rank, score), (next_rank, next_score) in pairwise(ranked):
        assert (rank == next_rank) == (score == next_score)


def test_equal_scores_share_a_rank_in_the_units_order_and_the_next_rank_skips() -> None:
    items = {1: Item(1, "1.1", "一", "c"), 2: Item(2, "1.2", "二", "b")}
    events = [Event(date(2025, 1, 5), 1, "on_time"), Event(date(2025, 1, 6), 2, "on_time")]
    scores = assess(RULES, UNITS, items, events)
    assert [(s.unit, s.rank, s.score) for s in scores] == [
        ("b", 1, 101), ("c", 1, 101), ("a", 3, 100), ("d", 3, 100)]


def test_late_points_are_capped_weighted_and_shared_with_supporting_units() -> None:
    items = {1: Item(1, "1.1", "一", "a", ("b",), weight=1.5)}
    scores = {s.unit: s for s in assess(RULES, UNITS, items, [
        Event(date(2025, 2, 1), 1, "late", days=30)])}
    lead, support = scores["a"].lines[1], scores["b"].lines[1]
    assert (lead.points, lead.cap, lead.weight, lead.role) == (Decimal("-7.5"), 5, 1.5, "lead")
    assert (support.points, support.factor, support.role) == (Decimal("-3.75"), 0.5, "support")
    assert scores["c"].lines[1:] == []


def test_an_attributed_event_goes_to_its_unit_only_and_a_kind_left_out_scores_nothing() -> None:
    items = {1: Item(1, "1.1", "一", "a", ("b",))}
    scores = {s.unit: s for s in assess(RULES, UNITS, items, [
        Event(date(2025, 3, 1), 1, "extension", unit="a"),
        Event(date(2025, 3, 2), None, "missed_report", unit="c"),
        Event(date(2025, 3, 3), 1, "returned", unit="b")])}
    assert [(line.kind, line.points, line.code) for line in scores["a"].lines[1:]] == [
        ("extension", Decimal("-1.25"), "1.1")]
    assert [(line.kind, line.code) for line in scores["c"].lines[1:]] == [
        ("missed_report", None)]
    assert scores["b"].lines[1:] == []


def test_report_windows_lie_wholly_inside_the_period() -> None:
    assert report_windows(date(2025, 1, 1), date(2025, 1, 31), "weekly") == [
        (date(2025, 1, 6) + timedelta(weeks=n), date(2025, 1, 12) + timedelta(weeks=n))
        for n in range(3)]
    assert report_windows(date(2025, 1, 6), date(2025, 2, 2), "biweekly") == [
        (date(2025, 1, 6), date(2025, 1, 19)), (date(2025, 1, 20), date(2025, 2, 2))]
    assert report_windows(date(2025, 1, 15), date(2025, 4, 30), "monthly") == [
        (date(2025, 2, 1), date(2025, 2, 28)), (date(2025, 3, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 4, 30))]


def _leaf(task_id: int, lead: str, *, status: Status = Status.IN_PROGRESS,
          due: date = date(2025, 12, 31), finished: date | None = None,
          settled: date | None = None, start: date = date(2024, 1, 1)) -> LeafFacts:
    return LeafFacts(Item(task_id, f"1.{task_id}", "事项", lead), start, date(2024, 1, 1),
                     status, due, finished, settled)


def test_derived_events_follow_the_state_at_the_periods_end() -> None:
    history = History(date(2025, 1, 1), date(2025, 3, 31), "monthly", [
        _leaf(1, "a", status=Status.DONE, due=date(2025, 1, 10), finished=date(2025, 1, 14),
              settled=date(2025, 1, 14)),
        _leaf(2, "a", due=date(2025, 3, 1)),
        _leaf(3, "b", status=Status.CANCELLED, due=date(2025, 1, 1), settled=date(2025, 1, 2)),
        _leaf(4, "b", status=Status.DONE, due=date(2025, 6, 1), finished=date(2024, 12, 1),
              settled=date(2024, 12, 1)),
    ], due_moves=[
        DueMove(2, date(2024, 12, 1), date(2024, 12, 31), date(2025, 2, 1)),
        DueMove(2, date(2025, 1, 20), date(2025, 2, 1), date(2025, 3, 1)),
        DueMove(1, date(2025, 1, 2), date(2025, 1, 9), date(2025, 1, 10)),
    ], reported={("a", date(2025, 1, 1)), ("a", date(2025, 3, 1)),
                 ("b", date(2025, 1, 1))})  # 1.3's cancellation counts for its lead
    events = sorted(derive_events(history), key=lambda e: (e.day, e.kind))
    assert events == [
        # 1.1 was due 01-10 after its move on 01-02; finished 01-14: two working days late.
        Event(date(2025, 1, 14), 1, "late", days=2),
        Event(date(2025, 1, 20), 2, "extension", unit="a"),
        Event(date(2025, 2, 28), None, "missed_report", unit="a"),
        Event(date(2025, 3, 31), 2, "overdue"),
    ]  # b reported in January, its one open item's month, and had nothing open after


def test_a_return_counts_only_when_the_item_comes_back_and_a_send_back_always() -> None:
    history = History(date(2025, 1, 1), date(2025, 3, 31), "monthly", [
        _leaf(1, "a", due=date(2025, 12, 31)), _leaf(2, "b", due=date(2025, 12, 31))],
        reported={(unit, date(2025, month, 1)) for unit in "ab" for month in (1, 2, 3)},
        cycle_steps=[
            CycleStep(1, "assign", date(2025, 1, 2), None, "b"),
            CycleStep(1, "return", date(2025, 1, 3), "b", "b"),
            CycleStep(1, "assign", date(2025, 1, 6), None, "a"),  # misdirected: no points
            CycleStep(2, "assign", date(2025, 1, 2), None, "a"),
            CycleStep(2, "return", date(2025, 1, 3), "a", "a"),
            CycleStep(2, "assign", date(2025, 1, 8), None, "a"),  # back to a: a's fault
            CycleStep(2, "done_send_back", date(2025, 2, 4), None, None),
            CycleStep(1, "done_send_back", date(2025, 4, 2), None, "a"),  # after the period
        ])
    assert sorted(derive_events(history), key=lambda e: e.day) == [
        Event(date(2025, 1, 8), 2, "returned", unit="a"),
        Event(date(2025, 2, 4), 2, "sent_back", unit="b"),
    ]
