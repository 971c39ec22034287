"""The proposed agenda of a meeting, computed from the tracker (read-only; saved by
services/meetings.build_agenda, so it lives below reports).

In order: (a) follow-up of the previous meeting's decisions, (b) items flagged as needing
coordination, (c) red items by lead unit, (d) yellow items whose lag grew since the previous
meeting, (e) indicators off track, (f) deadlines falling before the next planned meeting.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from planner.core.history import state_at
from planner.core.indicators import is_off_track
from planner.core.model import PlanTree, TaskNode
from planner.core.rollup import Colour, Rollup
from planner.i18n import label
from planner.store.ledger_queries import LatestNote, latest_notes
from planner.store.models import Decision, Meeting, Task
from planner.store.queries import (
    load_indicators,
    load_tree,
    load_units,
    updates_since,
)

DEADLINE_WINDOW_DAYS = 30


@dataclass(slots=True)
class ProposedEntry:
    """One agenda entry as proposed: who presents, who is involved, which items."""

    section: str
    title: str
    detail: str
    presenter: str | None
    units: list[str] = field(default_factory=list)
    task_codes: list[str] = field(default_factory=list)


def previous_meeting(meeting: Meeting, *, session: Session) -> Meeting | None:
    """The latest meeting before this one."""
    return session.exec(select(Meeting).where(Meeting.on < meeting.on, Meeting.id != meeting.id)
                        .order_by(col(Meeting.on).desc(), col(Meeting.id).desc())).first()


def next_meeting(meeting: Meeting, *, session: Session) -> Meeting | None:
    """The first planned meeting after this one."""
    return session.exec(select(Meeting).where(Meeting.on > meeting.on,
                                              Meeting.status == "planned")
                        .order_by(col(Meeting.on), col(Meeting.id))).first()


def coordinator_unit(tree: PlanTree) -> str | None:
    """The unit that owns the plan: the lead of its first work area."""
    return tree.nodes[tree.roots[0]].lead if tree.roots else None


def propose_agenda(*, session: Session, meeting: Meeting, today: date,
                   lang: str = "zh") -> list[ProposedEntry]:
    """The proposal for `meeting` as of `today`, sections in their fixed order."""
    tree = load_tree(session=session)
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    rollup = Rollup(tree, today)
    previous = previous_meeting(meeting, session=session)
    following = next_meeting(meeting, session=session)
    entries: list[ProposedEntry] = []
    entries += _followups(tree, rollup, previous, names, lang, session=session)
    entries += _coordination(tree, names, lang)
    red = [n for n in tree.open_leaves() if rollup[n.id].colour == Colour.RED]
    notes = latest_notes(session=session)
    entries += _by_lead("red", red, tree, names, lang, lambda node: _red_line(
        node, today, notes.get(node.id), lang))
    grown = _yellow_grown(tree, rollup, previous, today, session=session)
    entries += _by_lead("yellow", grown, tree, names, lang, lambda node: _yellow_line(
        node, rollup, lang))
    entries += _indicators(tree, today, names, lang, session=session)
    horizon = following.on if following else meeting.on + timedelta(days=DEADLINE_WINDOW_DAYS)
    entries += _deadlines(tree, rollup, meeting.on, horizon, names, lang,
                          coordinator_unit(tree))
    return entries



def _units_of(nodes: list[TaskNode]) -> list[str]:
    units: list[str] = []
    for node in nodes:
        for unit in (node.lead, *node.support):
            if unit and unit not in units:
                units.append(unit)
    return units


def _state_text(node: TaskNode, rollup: Rollup, lang: str) -> str:
    figures = rollup[node.id]
    return label("agenda_state", lang, status=node.status.label(lang),
                 progress=figures.progress, expected=figures.expected,
                 colour=figures.colour.label(lang))


def _followups(tree: PlanTree, rollup: Rollup, previous: Meeting | None,
               names: dict[str, str], lang: str, *, session: Session) -> list[ProposedEntry]:
    if previous is None:
        return []
    entries = []
    decisions = session.exec(select(Decision).where(Decision.meeting_id == previous.id)
                             .order_by(col(Decision.id))).all()
    for decision in decisions:
        action_codes = session.exec(select(Task.code).where(
            Task.decision_id == decision.id, Task.archived == False)  # noqa: E712
                                    .order_by(col(Task.position))).all()
        actions = [tree.node(code) for code in action_codes if code in tree.by_code]
        lines = [label("agenda_action_line", lang, code=a.code, title=a.title,
                       lead=names.get(a.lead or "", a.lead), due=a.due,
                       state=_state_text(a, rollup, lang)) for a in actions]
        if not lines:
            lines = [label("agenda_no_actions", lang)]
        presenter = actions[0].lead if actions else coordinator_unit(tree)
        title = label("agenda_followup_title", lang, on=previous.on, text=decision.text)
        entries.append(ProposedEntry("followup", title, "\n".join(lines), presenter,
                                     _units_of(actions), [a.code for a in actions]))
    return entries


def _coordination(tree: PlanTree, names: dict[str, str], lang: str) -> list[ProposedEntry]:
    entries = []
    for node_id in tree.preorder():
        node = tree.nodes[node_id]
        if not node.needs_coordination:
            continue
        units = _units_of([node])
        detail = label("agenda_coordination_detail", lang, reason=node.coordination_reason,
                       units=[names.get(u, u) for u in units])
        title = label("agenda_coordination_title", lang, code=node.code, title=node.title)
        entries.append(ProposedEntry("coordination", title, detail, node.lead, units,
                                     [node.code]))
    return entries


def _red_line(node: TaskNode, today: date, note: LatestNote | None, lang: str) -> str:
    if note is None:
        last = label("agenda_no_note", lang)
    else:
        last = label("agenda_last_note", lang, note=note.note, day=note.at.astimezone().date())
    return label("agenda_red_line", lang, code=node.code, title=node.title,
                 days=(today - node.due).days, last=last)


def _yellow_line(node: TaskNode, rollup: Rollup, lang: str) -> str:
    figures = rollup[node.id]
    return label("agenda_yellow_line", lang, code=node.code, title=node.title,
                 progress=figures.progress, expected=figures.expected, lag=figures.lag)


def _by_lead(section: str, nodes: list[TaskNode], tree: PlanTree, names: dict[str, str],
             lang: str, line: Callable[[TaskNode], str]) -> list[ProposedEntry]:
    groups: dict[str, list[TaskNode]] = {}
    for node in nodes:
        groups.setdefault(node.lead or "", []).append(node)
    order = list(names)
    entries = []
    for lead in sorted(groups, key=lambda u: order.index(u) if u in order else len(order)):
        items = groups[lead]
        title = label(f"agenda_{section}_title", lang, unit=names.get(lead, lead),
                      n=len(items))
        entries.append(ProposedEntry(section, title, "\n".join(line(n) for n in items), lead,
                                     _units_of(items), [n.code for n in items]))
    return entries


def _yellow_grown(tree: PlanTree, rollup: Rollup, previous: Meeting | None, today: date, *,
                  session: Session) -> list[TaskNode]:
    yellow = [n for n in tree.open_leaves() if rollup[n.id].colour == Colour.YELLOW]
    if previous is None or previous.on >= today:
        return yellow
    before_tree = state_at(tree, updates_since(previous.on, session=session), previous.on)
    before = Rollup(before_tree, previous.on)
    return [n for n in yellow if rollup[n.id].lag > before[n.id].lag + 0.5]


def _indicators(tree: PlanTree, today: date, names: dict[str, str], lang: str, *,
                session: Session) -> list[ProposedEntry]:
    entries = []
    for indicator in load_indicators(session=session):
        if not is_off_track(indicator, today):
            continue
        latest = indicator.latest
        assert latest is not None
        node = tree.node(indicator.task_code) if indicator.task_code in tree.by_code else None
        target = indicator.year_targets.get(today.year)
        detail = label("agenda_indicator_detail", lang, value=latest.value,
                       unit=indicator.unit, on=latest.on, year=today.year, target=target,
                       baseline=indicator.baseline)
        title = label("agenda_indicator_title", lang, code=indicator.code,
                      name=indicator.name)
        entries.append(ProposedEntry("indicators", title, detail, node.lead if node else None,
                                     _units_of([node]) if node else [],
                                     [node.code] if node else []))
    return entries


def _deadlines(tree: PlanTree, rollup: Rollup, start: date, horizon: date,
               names: dict[str, str], lang: str, presenter: str | None) -> list[ProposedEntry]:
    due = sorted((n for n in tree.open_leaves() if start <= n.due < horizon),
                 key=lambda n: (n.due, n.code))
    if not due:
        return []
    lines = [label("agenda_deadline_line", lang, code=n.code, title=n.title, due=n.due,
                   lead=names.get(n.lead or "", n.lead), state=_state_text(n, rollup, lang))
             for n in due]
    title = label("agenda_deadlines_title", lang, start=start,
                  end=horizon - timedelta(days=1), n=len(due))
    return [ProposedEntry("deadlines", title, "\n".join(lines), presenter, _units_of(due),
                          [n.code for n in due])]
