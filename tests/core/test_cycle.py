"""The cycle's state machine (core/cycle.py), every step in every state."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.cycle import (
    TRANSITIONS,
    CycleState,
    EventKind,
    allowed_in,
    fold_state,
    next_cycle_state,
)
from planner.core.errors import PlannerError

S, K = CycleState, EventKind
#: The whole table, written out by hand: (state, step) → state after, for every allowed pair.
EXPECTED: dict[tuple[CycleState, EventKind], CycleState] = {
    (S.NEW, K.ASSIGN): S.AWAITING_ACK,
    (S.AWAITING_ACK, K.ASSIGN): S.AWAITING_ACK,
    (S.RETURNED, K.ASSIGN): S.AWAITING_ACK,
    (S.IN_HAND, K.ASSIGN): S.AWAITING_ACK,
    (S.AWAITING_ACK, K.ACK): S.IN_HAND,
    (S.NEW, K.RETURN): S.RETURNED,
    (S.AWAITING_ACK, K.RETURN): S.RETURNED,
    (S.NEW, K.EXTEND_REQUEST): S.EXTENSION_PENDING,
    (S.IN_HAND, K.EXTEND_REQUEST): S.EXTENSION_PENDING,
    (S.EXTENSION_PENDING, K.EXTEND_APPROVE): S.IN_HAND,
    (S.EXTENSION_PENDING, K.EXTEND_REJECT): S.IN_HAND,
    (S.NEW, K.DONE_REQUEST): S.DONE_PENDING,
    (S.IN_HAND, K.DONE_REQUEST): S.DONE_PENDING,
    (S.DONE_PENDING, K.DONE_ACCEPT): S.SETTLED,
    (S.DONE_PENDING, K.DONE_SEND_BACK): S.IN_HAND,
    **{(state, K.URGE): state for state in CycleState if state != S.SETTLED},
}


@pytest.mark.parametrize("state", list(CycleState))
@pytest.mark.parametrize("kind", list(EventKind))
def test_every_step_in_every_state(state: CycleState, kind: EventKind) -> None:
    if (state, kind) in EXPECTED:
        assert next_cycle_state(state, kind, code="1.1") == EXPECTED[state, kind]
        assert kind in allowed_in(state)
        return
    assert kind not in allowed_in(state)
    with pytest.raises(PlannerError) as refused:
        next_cycle_state(state, kind, code="1.1")
    message = refused.value.message("zh")
    assert message.startswith("1.1")
    assert refused.value.message("en").endswith(f"the item is {_state_en(state)}")


def _state_en(state: CycleState) -> str:
    from planner.i18n import label

    return label(f"cycle_state_{state}", "en")


def test_the_kinds_are_the_stored_strings() -> None:
    assert sorted(kind.value for kind in EventKind) == sorted(
        ["assign", "ack", "return", "extend_request", "extend_approve", "extend_reject",
         "done_request", "done_accept", "done_send_back", "urge"])
    assert set(TRANSITIONS) == set(EventKind)


def test_acknowledging_a_returned_item_names_its_state() -> None:
    with pytest.raises(PlannerError) as refused:
        next_cycle_state(S.RETURNED, K.ACK, code="3")
    assert refused.value.message("zh") == "3: 不能签收：该事项已退办、待重新交办"


def test_the_status_settles_or_reopens_the_cycle() -> None:
    assert fold_state([]) == S.NEW
    assert fold_state([], item_open=False) == S.SETTLED
    assert fold_state([K.DONE_REQUEST, K.DONE_ACCEPT], item_open=False) == S.SETTLED
    assert fold_state([K.DONE_REQUEST, K.DONE_ACCEPT], item_open=True) == S.IN_HAND
    assert fold_state([K.DONE_REQUEST], item_open=False) == S.DONE_PENDING
    assert fold_state([K.EXTEND_REQUEST], item_open=False) == S.EXTENSION_PENDING
    assert fold_state([K.ASSIGN, K.URGE]) == S.AWAITING_ACK


@given(st.lists(st.sampled_from(list(EventKind)), max_size=12))
def test_folding_an_accepted_history_is_stepping_through_it(kinds: list[EventKind]) -> None:
    state, taken = S.NEW, []
    for kind in kinds:
        if kind in allowed_in(state):
            state = next_cycle_state(state, kind, code="1")
            taken.append(kind)
    assert fold_state(taken) == (S.IN_HAND if state == S.SETTLED else state)
