"""What the TUI's dialogs hand to its gateway: plain values, no Textual (the gateway imports
these, so it stays importable without the UI)."""

from dataclasses import dataclass
from datetime import date

from planner.core.notice import NoticeKind
from planner.core.status import Status


@dataclass(frozen=True, slots=True)
class UpdateRequest:
    """A progress report entered in the update dialog."""

    status: Status
    progress: float
    note: str | None
    by_unit: str | None


@dataclass(frozen=True, slots=True)
class ReadingRequest:
    """An indicator reading entered in the reading dialog."""

    code: str
    value: float
    on: date
    source: str | None


@dataclass(frozen=True, slots=True)
class ItemRequest:
    """A new or edited item."""

    code: str | None
    title: str
    lead: str
    support: tuple[str, ...]
    start: date | None
    due: date | None
    weight: float


@dataclass(frozen=True, slots=True)
class DueRequest:
    """A deadline move with its reason."""

    due: date
    reason: str


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """A meeting to plan."""

    on: date
    title: str
    kind: str
    length_minutes: int
    place: str | None = None
    start_time: str | None = None
    """`HH:MM`, or None when not set yet."""


@dataclass(frozen=True, slots=True)
class EntryRequest:
    """A free-text agenda entry."""

    title: str
    minutes: int | None
    presenter: str | None


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """A decision, with at most one action item (`action_title` None: no action item)."""

    text: str
    action_title: str | None = None
    lead: str | None = None
    due: date | None = None
    support: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NoticeRequest:
    """A 督办 or 催办 notice to issue: its kind and the file (None: named by its number, in
    the report folder)."""

    kind: NoticeKind
    path: str | None
    whole_unit: bool = False
    """To the lead unit about every warned item it leads, not this item alone."""
