"""The coordinators' inbox (督办待办): what waits for them, oldest first — assignments not
yet acknowledged (待签收, with the last day of the 签收 window), returned items (退办, to
reassign), 延期申请 and 办结申请 (to approve or reject). One function for the CLI's
`planner inbox` and the TUI's inbox screen."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from planner.core.cycle import EventKind
from planner.core.dates import add_working_days
from planner.i18n import field, label
from planner.store.cycle import read_cycle_settings, read_inbox
from planner.store.dbapi import Db, as_db, day, local_date, read_unit_names

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One thing to answer: the step waiting (its id answers `planner approve/reject`)."""

    id: int
    kind: EventKind
    at: datetime
    code: str
    title: str
    unit: str | None
    unit_name: str
    reason: str | None
    new_due: date | None
    due: date
    ack_by: date | None
    """待签收 only: the last working day of the 签收 window."""

    @property
    def answerable(self) -> bool:
        """A request (approve / reject); the others wait for the unit (待签收) or for a
        交办 (退办)."""
        return self.kind in (EventKind.EXTEND_REQUEST, EventKind.DONE_REQUEST)

    def late(self, today: date) -> bool:
        """A 签收 window that has passed."""
        return self.ack_by is not None and today > self.ack_by


def inbox(source: "Session | Db") -> list[InboxEntry]:
    """What waits for the coordinators, oldest first."""
    db = as_db(source)
    events = read_inbox(db)
    if not events:
        return []
    window = read_cycle_settings(db).acknowledge_days
    names = read_unit_names(db)
    ids = sorted({event.task_id for event in events})
    marks = ", ".join("?" * len(ids))
    items = {task_id: (title, day(due)) for task_id, title, due in db.rows(
        f"SELECT id, title, due FROM task WHERE id IN ({marks})", ids)}
    entries = []
    for event in events:
        title, due = items[event.task_id]
        ack_by = (add_working_days(local_date(event.at), window)
                  if event.kind == EventKind.ASSIGN else None)
        entries.append(InboxEntry(event.id, event.kind, event.at, event.code, title,
                                  event.unit_id, names.get(event.unit_id or "", "—"),
                                  event.reason, event.new_due, due, ack_by))  # type: ignore[arg-type]  # task.due is NOT NULL
    return entries


def entry_what(entry: InboxEntry, lang: str) -> str:
    """What an entry is: 待签收 (by when, late or not), 退办, or the request."""
    if entry.kind == EventKind.ASSIGN:
        return label("inbox_awaiting_ack", lang, by=entry.ack_by)
    if entry.kind == EventKind.RETURN:
        return label("inbox_returned", lang)
    return label(f"cycle_kind_{entry.kind}", lang)


def entry_detail(entry: InboxEntry, lang: str) -> str:
    """The date asked (with the current one) and the reason."""
    parts = []
    if entry.new_due is not None:
        parts.append(label("inbox_due_asked", lang, due=entry.due, new=entry.new_due))
    if entry.reason:
        parts.append(f"{field('reason', lang)}{entry.reason}")
    return "  ".join(parts)


def render_inbox(entries: list[InboxEntry], *, lang: str, today: date) -> str:
    """`planner inbox`: one line per entry, oldest first; the id first (what `approve`,
    `reject` take), a late 签收 marked."""
    if not entries:
        return label("inbox_empty", lang) + "\n"
    lines = []
    for entry in entries:
        late = "  " + label("inbox_late", lang) if entry.late(today) else ""
        detail = entry_detail(entry, lang)
        lines.append(f"#{entry.id:<6} {local_date(entry.at).isoformat()}  "
                     f"{entry_what(entry, lang)}{late}  {entry.code} {entry.title}  "
                     f"{entry.unit_name}" + (f"  {detail}" if detail else ""))
    return "\n".join(lines) + "\n"
