"""Item statuses, their names in both languages, and the allowed transitions."""

from enum import StrEnum

from planner.core.errors import PlannerError


class Status(StrEnum):
    """The status of a work item (督办状态)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def zh(self) -> str:
        """The Chinese name used in files, screens and reports."""
        return STATUS_ZH[self]

    @property
    def en(self) -> str:
        """The English label."""
        return STATUS_EN[self]

    def label(self, lang: str) -> str:
        """The label in `lang`."""
        return self.en if lang == "en" else self.zh

    @property
    def is_open(self) -> bool:
        """Still work to do: not done, closed or cancelled."""
        return self in OPEN_STATUSES


STATUS_ZH = {
    Status.NOT_STARTED: "未启动",
    Status.IN_PROGRESS: "推进中",
    Status.BLOCKED: "受阻",
    Status.DONE: "已完成",
    Status.CLOSED: "已销号",
    Status.CANCELLED: "已取消",
}
STATUS_EN = {
    Status.NOT_STARTED: "not started",
    Status.IN_PROGRESS: "in progress",
    Status.BLOCKED: "blocked",
    Status.DONE: "done",
    Status.CLOSED: "closed",
    Status.CANCELLED: "cancelled",
}
OPEN_STATUSES = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED})

# 未启动 → 推进中 → 已完成 → 已销号, with 受阻 and 已取消 on the side. A unit reports
# 已完成; only the coordinator's verification closes (销号) it, and a done item can be
# sent back to 推进中 when verification fails. Closed and cancelled items can be reopened
# to 推进中 (a coordinator's correction), never skipped straight to done.
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NOT_STARTED: frozenset(
        {Status.IN_PROGRESS, Status.BLOCKED, Status.DONE, Status.CANCELLED}
    ),
    Status.IN_PROGRESS: frozenset({Status.BLOCKED, Status.DONE, Status.CANCELLED}),
    Status.BLOCKED: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
    Status.DONE: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.CANCELLED: frozenset({Status.IN_PROGRESS}),
}

_BY_NAME = {s.value: s for s in Status} | {name: s for s, name in STATUS_ZH.items()}
_BY_NAME |= {name.replace(" ", "_"): s for s, name in STATUS_EN.items()}


def parse_status(text: str) -> Status:
    """A status from its English key (`in_progress`) or Chinese name (推进中)."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return _BY_NAME[key]
    except KeyError:
        choices = "、".join(f"{s.value}/{s.zh}" for s in Status)
        raise PlannerError(
            f'未知状态"{text}"，可选：{choices}',
            f'unknown status "{text}"; one of: {", ".join(s.value for s in Status)}',
        ) from None


def allowed_next(current: Status) -> frozenset[Status]:
    """The statuses an item in `current` may move to."""
    return ALLOWED_TRANSITIONS[current]


def check_transition(current: Status, new: Status, *, code: str) -> None:
    """Raise a PlannerError naming the item when `current → new` is not allowed."""
    if new == current or new in ALLOWED_TRANSITIONS[current]:
        return
    zh_allowed = "、".join(s.zh for s in sorted(ALLOWED_TRANSITIONS[current]))
    en_allowed = ", ".join(s.value for s in sorted(ALLOWED_TRANSITIONS[current]))
    raise PlannerError(
        f"不允许的状态变更：{current.zh} → {new.zh}（可变更为：{zh_allowed}）",
        f"status change not allowed: {current.value} → {new.value} (allowed: {en_allowed})",
        where=code,
    )


DONE_STATUSES = frozenset({Status.DONE, Status.CLOSED})


def settled_progress(status: Status, progress: float | None, *, current: float,
                     code: str) -> float:
    """The progress to store with `status`: a done or closed item is at 100 (another figure is
    an error); otherwise the figure given, else the current one."""
    if status in DONE_STATUSES:
        if progress is not None and progress != 100:
            raise PlannerError(f"{status.zh}的事项进度应为 100%（给出的是 {progress:g}%）",
                               f"a {status.value} item is at 100% (got {progress:g}%)",
                               where=code)
        return 100.0
    return current if progress is None else progress


def require_leaf(code: str, *, has_children: bool, where: str | None = None) -> None:
    """Refuse to set the status or progress of an item with children: a parent's state is
    rolled up from its children, never entered (plan file, update, ledger and TUI alike)."""
    if has_children:
        raise PlannerError(f"事项 {code} 有下级事项（汇总项）：其状态和进度由下级汇总，"
                           "不能直接填写，请填报具体的下级事项",
                           f"item {code} has children: its status and progress are rolled up "
                           "from them and cannot be set; report on its child items instead",
                           where=where)
