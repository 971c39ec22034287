"""Tests for planner.core.status: the transition table and status names in both languages."""

import pytest

from planner.core.errors import PlannerError
from planner.core.status import (
    OPEN_STATUSES,
    Status,
    allowed_next,
    check_transition,
    parse_status,
)

S = Status
# Written out from the rules, not copied from the module: 未启动 → 推进中 → 已完成 → 已销号,
# 受阻 and 已取消 on the side, done sent back on failed verification, closed and cancelled
# reopened to 推进中 only. Staying in the same status is always allowed, except in 已结转: a
# carried-over item is final, nothing leads into it or out of it.
ALLOWED = {
    S.NOT_STARTED: {S.IN_PROGRESS, S.BLOCKED, S.DONE, S.CANCELLED},
    S.IN_PROGRESS: {S.BLOCKED, S.DONE, S.CANCELLED},
    S.BLOCKED: {S.IN_PROGRESS, S.CANCELLED},
    S.DONE: {S.IN_PROGRESS, S.CLOSED},
    S.CLOSED: {S.IN_PROGRESS},
    S.CANCELLED: {S.IN_PROGRESS},
    S.CARRIED_OVER: set(),
}
PAIRS = [(old, new) for old in Status for new in Status if old != S.CARRIED_OVER]


@pytest.mark.parametrize(("old", "new"), [p for p in PAIRS if p[1] in ALLOWED[p[0]] | {p[0]}])
def test_allowed_transition(old: Status, new: Status) -> None:
    check_transition(old, new, code="3.1")
    assert new == old or new in allowed_next(old)


@pytest.mark.parametrize(("old", "new"),
                         [p for p in PAIRS if p[1] not in ALLOWED[p[0]] | {p[0]}])
def test_forbidden_transition(old: Status, new: Status) -> None:
    assert new not in allowed_next(old)
    with pytest.raises(PlannerError) as caught:
        check_transition(old, new, code="3.1")
    error = caught.value
    assert error.where == "3.1"
    assert f"{old.zh} → {new.zh}" in error.msg.render("zh")
    assert f"{old.value} → {new.value}" in error.msg.render("en")
    assert error.message("en").startswith("3.1: status change not allowed")
    for allowed in ALLOWED[old]:
        assert allowed.zh in error.msg.render("zh")
        assert allowed.value in error.msg.render("en")


@pytest.mark.parametrize("new", list(Status))
def test_a_carried_over_item_is_final(new: Status) -> None:
    with pytest.raises(PlannerError) as caught:
        check_transition(S.CARRIED_OVER, new, code="3.1")
    assert caught.value.message("en").startswith("3.1: this item was carried over")
    assert S.CARRIED_OVER not in allowed_next(new)


def test_the_table_covers_every_status() -> None:
    assert {s: set(allowed_next(s)) for s in Status} == ALLOWED
    assert len([p for p in PAIRS if p[1] in ALLOWED[p[0]]]) == 13


def test_open_statuses() -> None:
    assert {s for s in Status if s.is_open} == {S.NOT_STARTED, S.IN_PROGRESS, S.BLOCKED}
    assert frozenset(s for s in Status if s.is_open) == OPEN_STATUSES


@pytest.mark.parametrize(("text", "status"), [
    ("not_started", S.NOT_STARTED), ("in_progress", S.IN_PROGRESS), ("blocked", S.BLOCKED),
    ("done", S.DONE), ("closed", S.CLOSED), ("cancelled", S.CANCELLED),
    ("未启动", S.NOT_STARTED), ("推进中", S.IN_PROGRESS), ("受阻", S.BLOCKED),
    ("已完成", S.DONE), ("已销号", S.CLOSED), ("已取消", S.CANCELLED),
    ("in progress", S.IN_PROGRESS), ("In Progress", S.IN_PROGRESS),
    ("in-progress", S.IN_PROGRESS), ("NOT STARTED", S.NOT_STARTED),
    ("  推进中 ", S.IN_PROGRESS), ("Done\n", S.DONE),
])
def test_parse_status_accepts_both_languages(text: str, status: Status) -> None:
    assert parse_status(text) is status


def test_names_round_trip() -> None:
    for status in Status:
        assert parse_status(status.value) is status
        assert parse_status(status.zh) is status
        assert parse_status(status.en) is status
        assert status.label("zh") == status.zh
        assert status.label("en") == status.en


@pytest.mark.parametrize("text", ["finished", "进行中", "", "in__progress", "done!"])
def test_unknown_status_names_both_languages(text: str) -> None:
    with pytest.raises(PlannerError) as caught:
        parse_status(text)
    error = caught.value
    assert f'未知状态"{text}"' in error.msg.render("zh")
    assert f'unknown status "{text}"' in error.msg.render("en")
    for status in Status:
        assert status.zh in error.msg.render("zh")
        assert status.value in error.msg.render("en")
