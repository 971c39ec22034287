"""Item statuses, their names in both languages, and the allowed transitions."""

from enum import StrEnum

from planner.core.errors import PlannerError
from planner.i18n import label, msg


class Status(StrEnum):
    """The status of a work item (督办状态)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    CARRIED_OVER = "carried_over"

    @property
    def zh(self) -> str:
        """The Chinese name used in files, screens and reports."""
        return self.label("zh")

    @property
    def en(self) -> str:
        """The English label."""
        return self.label("en")

    def label(self, lang: str) -> str:
        """The name in `lang`, from the message catalogue (`status_<value>`)."""
        return label(f"status_{self.value}", lang)

    @property
    def is_open(self) -> bool:
        """Still work to do: not done, closed, cancelled or carried over."""
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED})

# 未启动 → 推进中 → 已完成 → 已销号, with 受阻 and 已取消 on the side. A unit reports
# 已完成; only the coordinator's verification closes (销号) it, and a done item can be
# sent back to 推进中 when verification fails. Closed and cancelled items can be reopened
# to 推进中 (a coordinator's correction), never skipped straight to done. 已结转 (carried over
# into another plan at year end, `planner plans carry-over`) is final: the work goes on in
# the copy, so no update leads into it or out of it.
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NOT_STARTED: frozenset(
        {Status.IN_PROGRESS, Status.BLOCKED, Status.DONE, Status.CANCELLED}
    ),
    Status.IN_PROGRESS: frozenset({Status.BLOCKED, Status.DONE, Status.CANCELLED}),
    Status.BLOCKED: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
    Status.DONE: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.CANCELLED: frozenset({Status.IN_PROGRESS}),
    Status.CARRIED_OVER: frozenset(),
}

_BY_NAME = {s.value: s for s in Status} | {s.zh: s for s in Status}
_BY_NAME |= {s.en.replace(" ", "_"): s for s in Status}


def parse_status(text: str) -> Status:
    """A status from its English key (`in_progress`) or Chinese name (推进中)."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return _BY_NAME[key]
    except KeyError:
        raise PlannerError("status_unknown", text=text,
                           choices=[msg("status_choice", status=s) for s in Status]) from None


def allowed_next(current: Status) -> frozenset[Status]:
    """The statuses an item in `current` may move to."""
    return ALLOWED_TRANSITIONS[current]


def check_transition(current: Status, new: Status, *, code: str) -> None:
    """Raise a PlannerError naming the item when `current → new` is not allowed; nothing
    changes on a carried-over item (its work goes on in the copy)."""
    if current == Status.CARRIED_OVER:
        raise PlannerError("status_carried_over_final", where=code)
    if new == current or new in ALLOWED_TRANSITIONS[current]:
        return
    allowed = [msg("status_ref", status=s) for s in sorted(ALLOWED_TRANSITIONS[current])]
    raise PlannerError("status_change_not_allowed", old=current, new=new, allowed=allowed,
                       where=code)


DONE_STATUSES = frozenset({Status.DONE, Status.CLOSED})


def settled_progress(status: Status, progress: float | None, *, current: float,
                     code: str) -> float:
    """The progress to store with `status`: a done or closed item is at 100 (another figure is
    an error); otherwise the figure given, else the current one."""
    if status in DONE_STATUSES:
        if progress is not None and progress != 100:
            raise PlannerError("status_done_at_100", status=status, progress=progress,
                               where=code)
        return 100.0
    return current if progress is None else progress


def require_leaf(code: str, *, has_children: bool, where: str | None = None) -> None:
    """Refuse to set the status or progress of an item with children: a parent's state is
    rolled up from its children, never entered (plan file, update, ledger and TUI alike)."""
    if has_children:
        raise PlannerError("status_has_children", code=code, where=where)
