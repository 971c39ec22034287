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
    zh = lang != "en"
    tree = load_tree(session=session)
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    rollup = Rollup(tree, today)
    previous = previous_meeting(meeting, session=session)
    following = next_meeting(meeting, session=session)
    entries: list[ProposedEntry] = []
    entries += _followups(tree, rollup, previous, names, zh, session=session)
    entries += _coordination(tree, names, zh)
    red = [n for n in tree.open_leaves() if rollup[n.id].colour == Colour.RED]
    notes = latest_notes(session=session)
    entries += _by_lead("red", red, tree, names, zh, lambda node: _red_line(
        node, today, notes.get(node.id), zh))
    grown = _yellow_grown(tree, rollup, previous, today, session=session)
    entries += _by_lead("yellow", grown, tree, names, zh, lambda node: _yellow_line(
        node, rollup, zh))
    entries += _indicators(tree, today, names, zh, session=session)
    horizon = following.on if following else meeting.on + timedelta(days=DEADLINE_WINDOW_DAYS)
    entries += _deadlines(tree, rollup, meeting.on, horizon, names, zh,
                          coordinator_unit(tree))
    return entries



def _units_of(nodes: list[TaskNode]) -> list[str]:
    units: list[str] = []
    for node in nodes:
        for unit in (node.lead, *node.support):
            if unit and unit not in units:
                units.append(unit)
    return units


def _state_text(node: TaskNode, rollup: Rollup, zh: bool) -> str:
    figures = rollup[node.id]
    lang = "zh" if zh else "en"
    return (f"{node.status.label(lang)} {figures.progress:.0f}%"
            f"（{'序时' if zh else 'expected'} {figures.expected:.0f}%，"
            f"{figures.colour.label(lang)}）")


def _followups(tree: PlanTree, rollup: Rollup, previous: Meeting | None,
               names: dict[str, str], zh: bool, *, session: Session) -> list[ProposedEntry]:
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
        lines = [f"{a.code} {a.title}｜{'牵头' if zh else 'lead'} "
                 f"{names.get(a.lead or '', a.lead)}｜{'截止' if zh else 'due'} {a.due}｜"
                 f"{_state_text(a, rollup, zh)}" for a in actions]
        if not lines:
            lines = ["（无交办事项）" if zh else "(no action items)"]
        presenter = actions[0].lead if actions else coordinator_unit(tree)
        title = (f"落实{previous.on}会议决定：{decision.text}" if zh
                 else f"Follow-up of the {previous.on} decision: {decision.text}")
        entries.append(ProposedEntry("followup", title, "\n".join(lines), presenter,
                                     _units_of(actions), [a.code for a in actions]))
    return entries


def _coordination(tree: PlanTree, names: dict[str, str], zh: bool) -> list[ProposedEntry]:
    entries = []
    for node_id in tree.preorder():
        node = tree.nodes[node_id]
        if not node.needs_coordination:
            continue
        units = _units_of([node])
        agree = "、".join(names.get(u, u) for u in units)
        detail = (f"原因：{node.coordination_reason}；需协商单位：{agree}" if zh
                  else f"Reason: {node.coordination_reason}; units to agree: {agree}")
        title = f"协调事项：{node.code} {node.title}" if zh else \
            f"Needs coordination: {node.code} {node.title}"
        entries.append(ProposedEntry("coordination", title, detail, node.lead, units,
                                     [node.code]))
    return entries


def _red_line(node: TaskNode, today: date, note: LatestNote | None, zh: bool) -> str:
    overdue = (today - node.due).days
    if note is None:
        last = "暂无进展说明" if zh else "no note yet"
    else:
        day = note.at.astimezone().date()
        last = f"最近进展：{note.note}（{day}）" if zh else f"last note: {note.note} ({day})"
    return (f"{node.code} {node.title}｜{'逾期' if zh else 'overdue'} {overdue}"
            f"{'天' if zh else ' days'}｜{last}")


def _yellow_line(node: TaskNode, rollup: Rollup, zh: bool) -> str:
    figures = rollup[node.id]
    return (f"{node.code} {node.title}｜{'进度' if zh else 'progress'} {figures.progress:.0f}%｜"
            f"{'序时' if zh else 'expected'} {figures.expected:.0f}%｜"
            f"{'滞后' if zh else 'behind by'} {figures.lag:.0f}")


def _by_lead(section: str, nodes: list[TaskNode], tree: PlanTree, names: dict[str, str],
             zh: bool, line: Callable[[TaskNode], str]) -> list[ProposedEntry]:
    groups: dict[str, list[TaskNode]] = {}
    for node in nodes:
        groups.setdefault(node.lead or "", []).append(node)
    order = list(names)
    entries = []
    for lead in sorted(groups, key=lambda u: order.index(u) if u in order else len(order)):
        items = groups[lead]
        name = names.get(lead, lead)
        if section == "red":
            title = f"逾期事项：{name}（{len(items)}项）" if zh else \
                f"Overdue: {name} ({len(items)} items)"
        else:
            title = f"滞后加大事项：{name}（{len(items)}项）" if zh else \
                f"Falling further behind: {name} ({len(items)} items)"
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


def _indicators(tree: PlanTree, today: date, names: dict[str, str], zh: bool, *,
                session: Session) -> list[ProposedEntry]:
    entries = []
    for indicator in load_indicators(session=session):
        if not is_off_track(indicator, today):
            continue
        latest = indicator.latest
        assert latest is not None
        node = tree.node(indicator.task_code) if indicator.task_code in tree.by_code else None
        target = indicator.year_targets.get(today.year)
        detail = (f"最新读数 {latest.value:g}{indicator.unit}（{latest.on}），"
                  f"{today.year}年目标 {target:g}，基线 {indicator.baseline:g}" if zh
                  else f"latest {latest.value:g} {indicator.unit} ({latest.on}); "
                  f"{today.year} target {target:g}; baseline {indicator.baseline:g}")
        title = f"指标未达年度目标：{indicator.code} {indicator.name}" if zh else \
            f"Indicator off track: {indicator.code} {indicator.name}"
        entries.append(ProposedEntry("indicators", title, detail, node.lead if node else None,
                                     _units_of([node]) if node else [],
                                     [node.code] if node else []))
    return entries


def _deadlines(tree: PlanTree, rollup: Rollup, start: date, horizon: date,
               names: dict[str, str], zh: bool, presenter: str | None) -> list[ProposedEntry]:
    due = sorted((n for n in tree.open_leaves() if start <= n.due < horizon),
                 key=lambda n: (n.due, n.code))
    if not due:
        return []
    lines = [f"{n.code} {n.title}｜{'截止' if zh else 'due'} {n.due}｜"
             f"{'牵头' if zh else 'lead'} {names.get(n.lead or '', n.lead)}｜"
             f"{_state_text(n, rollup, zh)}" for n in due]
    title = (f"下次会议前到期事项（{start}至{horizon - timedelta(days=1)}，{len(due)}项）" if zh
             else f"Due before the next meeting ({start} to {horizon - timedelta(days=1)}, "
             f"{len(due)} items)")
    return [ProposedEntry("deadlines", title, "\n".join(lines), presenter, _units_of(due),
                          [n.code for n in due])]
