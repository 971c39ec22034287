"""The supervision cycle (督办) of one item as a state machine: which step may follow which.

交办 → 签收 (or 退办, and the coordinator 交办s again) → 办理 → 办结申请 → 复核: 销号, or sent
back to 办理; on the side 延期申请 (approved or rejected) and 催办. An item whose cycle was
never started (`NEW`: plans tracked before the cycle, small offices that do not 交办) is in
hand as far as its unit's requests go. The state is a fold of the item's events; a step
that does not fit is refused naming the state the item is in.
"""

from collections.abc import Iterable
from enum import StrEnum

from planner.core.errors import PlannerError
from planner.i18n import msg


class EventKind(StrEnum):
    """A step of the cycle, as stored in `cycleevent.kind` (read by the assessment too)."""

    ASSIGN = "assign"  # 交办
    ACK = "ack"  # 签收
    RETURN = "return"  # 退办
    EXTEND_REQUEST = "extend_request"  # 延期申请
    EXTEND_APPROVE = "extend_approve"
    EXTEND_REJECT = "extend_reject"
    DONE_REQUEST = "done_request"  # 办结申请
    DONE_ACCEPT = "done_accept"  # 复核通过，销号
    DONE_SEND_BACK = "done_send_back"  # 复核退回
    URGE = "urge"  # 催办


class CycleState(StrEnum):
    """Where an item stands in the cycle."""

    NEW = "new"  # no step recorded yet
    AWAITING_ACK = "awaiting_ack"  # 待签收
    RETURNED = "returned"  # 已退办, awaiting reassignment
    IN_HAND = "in_hand"  # 办理中
    EXTENSION_PENDING = "extension_pending"  # 延期待审
    DONE_PENDING = "done_pending"  # 办结待复核
    SETTLED = "settled"  # 已销号, or done, closed or cancelled without a pending request


class RequestState(StrEnum):
    """A request's answer (`cycleevent.state`)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


#: Requests (a 延期申请 or 办结申请), and how each answer settles one.
REQUEST_KINDS = frozenset({EventKind.EXTEND_REQUEST, EventKind.DONE_REQUEST})
ANSWERS: dict[EventKind, tuple[EventKind, RequestState]] = {
    EventKind.EXTEND_APPROVE: (EventKind.EXTEND_REQUEST, RequestState.APPROVED),
    EventKind.EXTEND_REJECT: (EventKind.EXTEND_REQUEST, RequestState.REJECTED),
    EventKind.DONE_ACCEPT: (EventKind.DONE_REQUEST, RequestState.APPROVED),
    EventKind.DONE_SEND_BACK: (EventKind.DONE_REQUEST, RequestState.REJECTED),
}
#: The steps a unit takes; the others are the coordinators'.
UNIT_STEPS = frozenset({EventKind.ACK, EventKind.RETURN, EventKind.EXTEND_REQUEST,
                        EventKind.DONE_REQUEST})
#: Steps that must give a reason (退办, 延期申请 and the refusals).
NEEDS_REASON = frozenset({EventKind.RETURN, EventKind.EXTEND_REQUEST, EventKind.EXTEND_REJECT,
                          EventKind.DONE_SEND_BACK})

_IN_HAND = (CycleState.NEW, CycleState.IN_HAND)
_OPEN = tuple(state for state in CycleState if state != CycleState.SETTLED)
#: The states each step may be taken in, and the state it leaves (None: unchanged).
TRANSITIONS: dict[EventKind, tuple[tuple[CycleState, ...], CycleState | None]] = {
    EventKind.ASSIGN: ((CycleState.NEW, CycleState.AWAITING_ACK, CycleState.RETURNED,
                        CycleState.IN_HAND), CycleState.AWAITING_ACK),
    EventKind.ACK: ((CycleState.AWAITING_ACK,), CycleState.IN_HAND),
    EventKind.RETURN: ((CycleState.NEW, CycleState.AWAITING_ACK), CycleState.RETURNED),
    EventKind.EXTEND_REQUEST: (_IN_HAND, CycleState.EXTENSION_PENDING),
    EventKind.EXTEND_APPROVE: ((CycleState.EXTENSION_PENDING,), CycleState.IN_HAND),
    EventKind.EXTEND_REJECT: ((CycleState.EXTENSION_PENDING,), CycleState.IN_HAND),
    EventKind.DONE_REQUEST: (_IN_HAND, CycleState.DONE_PENDING),
    EventKind.DONE_ACCEPT: ((CycleState.DONE_PENDING,), CycleState.SETTLED),
    EventKind.DONE_SEND_BACK: ((CycleState.DONE_PENDING,), CycleState.IN_HAND),
    EventKind.URGE: (_OPEN, None),
}


def allowed_in(state: CycleState) -> frozenset[EventKind]:
    """The steps an item in `state` may take."""
    return frozenset(kind for kind, (sources, _) in TRANSITIONS.items() if state in sources)


def next_cycle_state(state: CycleState, kind: EventKind, *, code: str) -> CycleState:
    """The state `kind` leaves an item in `state` in; a PlannerError naming the item, the
    step and the state when the step does not fit."""
    sources, target = TRANSITIONS[kind]
    if state not in sources:
        raise PlannerError("cycle_step_out_of_order", where=code, step=msg(f"cycle_kind_{kind}"),
                           state=msg(f"cycle_state_{state}"))
    return state if target is None else target


#: States an item leaves when its status is no longer open (set directly: done, closed or
#: cancelled); a pending request stays, to be answered.
_SETTLED_BY_STATUS = frozenset({CycleState.NEW, CycleState.AWAITING_ACK, CycleState.RETURNED,
                                CycleState.IN_HAND})


def fold_state(kinds: Iterable[EventKind], *, item_open: bool = True) -> CycleState:
    """The state after the item's events (oldest first), given whether its status is open
    (`item_open`): an item set done, closed or cancelled directly is settled, and a settled
    item reopened by a coordinator's status change is back in hand."""
    state = CycleState.NEW
    for kind in kinds:
        target = TRANSITIONS[kind][1]
        state = state if target is None else target
    if item_open and state == CycleState.SETTLED:
        return CycleState.IN_HAND
    if not item_open and state in _SETTLED_BY_STATUS:
        return CycleState.SETTLED
    return state
