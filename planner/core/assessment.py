"""The unit assessment (考核评分): recorded events and a rule table → a score per unit, a
ranking, and the explanation lines that make up each score.

Pure: the store reads the history, `derive_events` turns it into scored events, `assess`
applies the rules. Points are `Decimal`s rounded to hundredths line by line, and a unit's
score is the plain sum of its lines (the base is the first line), so the lines always add
up to the score exactly.
"""

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import repeat
from operator import attrgetter, itemgetter

from planner.core.cycle import EventKind
from planner.core.dates import working_days_between
from planner.core.status import Status

#: What the rule table may give points for, in the order explanations list them.
EVENT_KINDS = ("on_time", "late", "overdue", "extension", "returned", "missed_report",
               "sent_back")
BASE = "base"
#: Kinds whose points go to the item's lead in full and to its supporting units × the
#: support factor; every other kind goes to the one unit it is attributed to.
SHARED_KINDS = frozenset({"on_time", "late", "overdue"})
CENT = Decimal("0.01")
ONE = Decimal(1)
FINISHED = frozenset({Status.DONE, Status.CLOSED})
SETTLED = FINISHED | {Status.CANCELLED}


@dataclass(frozen=True, slots=True)
class Rules:
    """The rule table: a base score, points per event kind (a kind left out scores
    nothing), the points per working day of a late completion and their cap (the most a late
    completion can count, as an absolute value; None: no cap), the factor for supporting
    units, whether each item's weight multiplies its points, and how many units the
    督查通报's 红榜 (best scores) and 黄榜 (worst) name."""

    base: Decimal
    points: Mapping[str, Decimal]
    late_per_day: Decimal = Decimal(0)
    late_cap: Decimal | None = None
    support_factor: Decimal = Decimal(0)
    item_weight: bool = False
    red_list: int = 3
    yellow_list: int = 3


@dataclass(slots=True)
class Item:
    """A leaf item as the assessment sees it."""

    id: int
    code: str
    title: str
    lead: str | None
    support: tuple[str, ...] = ()
    weight: float = 1.0


@dataclass(slots=True)
class Event:
    """Something that scores: its day, item (if any), kind, the unit it is attributed to (None: the
    item's lead and supporting units, for SHARED_KINDS) and, for a late completion, the
    working days late."""

    day: date
    task_id: int | None  # None: about no one item (a missed reporting window)
    kind: str
    unit: str | None = None
    days: int = 0


@dataclass(slots=True)
class Line:
    """One explanation line: which event of which item gave `points` by which rule. `rule`
    is the table's value (per working day for `late`), `days` the working days late,
    `cap` the cap when it applied, `weight` and `factor` the multipliers used (1 when
    none). The base line has no day and no item."""

    kind: str
    points: Decimal
    rule: Decimal
    day: date | None = None
    code: str | None = None
    title: str | None = None
    role: str | None = None  # lead | support | unit (attributed to the unit itself)
    days: int = 0
    cap: Decimal | None = None
    weight: Decimal = ONE
    factor: Decimal = ONE


@dataclass(slots=True)
class UnitScore:
    """A unit's score, its rank (ties share one), its lines in order (base first), and the
    points its lines after the base added (`gained`) and took away (`lost`, negative)."""

    unit: str
    name: str
    score: Decimal = Decimal(0)
    rank: int = 0
    lines: list[Line] = field(default_factory=list)
    gained: Decimal = Decimal(0)
    lost: Decimal = Decimal(0)


def _points(rules: Rules, event: Event) -> tuple[Decimal, Decimal, Decimal | None] | None:
    """The rule value, the raw points and the cap if it applied; None when the kind scores
    nothing."""
    if event.kind == "late":
        if not rules.late_per_day:
            return None
        raw = rules.late_per_day * event.days
        cap = rules.late_cap
        if cap is not None and abs(raw) > cap:
            return rules.late_per_day, cap.copy_sign(raw), cap
        return rules.late_per_day, raw, None
    rule = rules.points.get(event.kind)
    if not rule:
        return None
    return rule, rule, None


_KIND_POINTS = attrgetter("kind", "points")


def _weight(value: float) -> Decimal:
    """An item's weight as a short decimal (2.0 → 2, 1.5 → 1.5)."""
    return Decimal(repr(value)).normalize()


def assess(rules: Rules, units: Sequence[tuple[str, str]], items: Mapping[int, Item],
           events: Iterable[Event]) -> list[UnitScore]:
    """Every unit of `units` (id, name; in their listed order) with its score and lines,
    ranked: highest score first; equal scores share a rank and keep the listed order (1, 2,
    2, 4). Events on units not listed are ignored."""
    scores = {unit: UnitScore(unit, name, lines=[Line(BASE, rules.base, rules.base)])
              for unit, name in units}
    lines_of = {unit: score.lines for unit, score in scores.items()}
    rounded: dict[tuple[Decimal, Decimal, Decimal], Decimal] = {}  # a year repeats a few

    def points(raw: Decimal, weight: Decimal, factor: Decimal) -> Decimal:
        key = (raw, weight, factor)
        found = rounded.get(key)
        if found is None:
            found = rounded[key] = (raw * weight * factor).quantize(CENT, ROUND_HALF_UP)
        return found

    found_by: dict[tuple[str, int], tuple[Decimal, Decimal, Decimal | None] | None] = {}
    support_factor = rules.support_factor
    for event in _in_order(events):
        kind, days = event.kind, event.days
        kind_days = (kind, days)
        if kind_days in found_by:
            found = found_by[kind_days]
        else:
            found = found_by[kind_days] = _points(rules, event)
        if found is None:
            continue  # scores nothing
        item = None if event.task_id is None else items.get(event.task_id)
        if item is None and event.task_id is not None:
            continue  # an item the assessment does not cover
        rule, raw, cap = found
        weight = _weight(item.weight) if rules.item_weight and item else ONE
        code, title = (item.code, item.title) if item else (None, None)
        if event.unit is not None:
            lines = lines_of.get(event.unit)
            if lines is not None:
                lines.append(Line(kind, points(raw, weight, ONE), rule, event.day, code, title,
                                  "unit", days, cap, weight, ONE))
            continue
        if item is None:
            continue  # shared between an item's units, but about no item
        lines = lines_of.get(item.lead) if item.lead else None
        if lines is not None:
            lines.append(Line(kind, points(raw, weight, ONE), rule, event.day, code, title,
                              "lead", days, cap, weight, ONE))
        if support_factor and item.support:
            shared = points(raw, weight, support_factor)
            for unit in item.support:
                lines = lines_of.get(unit)
                if lines is not None:
                    lines.append(Line(kind, shared, rule, event.day, code, title, "support",
                                      days, cap, weight, support_factor))
    ranked = list(scores.values())
    for score in ranked:  # each distinct value times how often: exactly the lines' sums
        counts = Counter(map(_KIND_POINTS, score.lines)).items()
        score.score = sum((points * count for (_, points), count in counts), Decimal(0))
        score.gained = sum((points * count for (kind, points), count in counts
                            if kind != BASE and points > 0), Decimal(0))
        score.lost = sum((points * count for (kind, points), count in counts
                          if kind != BASE and points < 0), Decimal(0))
    ranked.sort(key=lambda s: -s.score)  # stable: ties keep the listed order
    for index, score in enumerate(ranked):
        previous = ranked[index - 1] if index else None
        score.rank = previous.rank if previous and previous.score == score.score else index + 1
    return ranked


_KIND_RANK = {kind: index for index, kind in enumerate(EVENT_KINDS)}
_DAY, _KIND, _TASK = attrgetter("day"), attrgetter("kind"), attrgetter("task_id")
_INDEX = itemgetter(3)  # of an event's sort key


def _in_order(events: Iterable[Event]) -> list[Event]:
    """The events by day, then kind (in `EVENT_KINDS` order, any other last), then item (none
    first): the order of a unit's lines. The keys are made in C, the item's in one
    comprehension, and an index breaks ties, so events are never compared."""
    events = list(events)
    ranks = map(_KIND_RANK.get, map(_KIND, events), repeat(len(EVENT_KINDS)))
    tasks = [task_id or 0 for task_id in map(_TASK, events)]
    keys = sorted(zip(map(_DAY, events), ranks, tasks, range(len(events)), strict=True))
    return list(map(events.__getitem__, map(_INDEX, keys)))


# --- events from the recorded history --------------------------------------------------------

@dataclass(slots=True)
class DueMove:
    """A recorded deadline move (its local day, the due date before and after)."""

    task_id: int
    day: date
    old_due: date
    new_due: date


@dataclass(slots=True)
class LeafFacts:
    """A leaf's state at the period's end as the store derives it from history: its status
    and due date then, when it was last finished (moved to done or closed) and when it last
    settled (done, closed or cancelled) up to then, its start and the day it was created."""

    item: Item
    start: date
    created: date
    status_at_end: Status
    due_at_end: date
    finished: date | None = None
    settled: date | None = None


@dataclass(slots=True)
class CycleStep:
    """A recorded step of the supervision cycle (`cycleevent`): its item, kind
    (`core.cycle.EventKind`), local day, the unit that took it and the unit it concerns."""

    task_id: int
    kind: str
    day: date
    by_unit: str | None
    unit: str | None


@dataclass(slots=True)
class History:
    """What the store reads for one period: leaves, deadline moves (all, oldest first), the
    reporting windows (`report_windows`, by their first day) in which each unit recorded an
    update, and the supervision cycle's 交办, 退办 and 复核退回
    steps up to its end (oldest first)."""

    start: date
    end: date
    report_cycle: str
    leaves: list[LeafFacts]
    due_moves: list[DueMove] = field(default_factory=list)
    reported: set[tuple[str, date]] = field(default_factory=set)
    cycle_steps: list[CycleStep] = field(default_factory=list)


def due_on(moves: Sequence[DueMove], day: date, due_at_end: date) -> date:
    """The due date in force at the end of `day`, from the item's moves (oldest first) and
    its due date at the period's end (when no move is recorded after `day`)."""
    for move in moves:
        if move.day > day:
            return move.old_due
    return due_at_end


def report_windows(start: date, end: date, report_cycle: str) -> list[tuple[date, date]]:
    """The reporting windows wholly inside [start, end]: ISO weeks (weekly), pairs of ISO
    weeks counted from the first Monday on or after `start` (biweekly), calendar months
    (monthly)."""
    windows: list[tuple[date, date]] = []
    if report_cycle == "monthly":
        first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(
            day=1)
        while True:
            following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            if following - timedelta(days=1) > end:
                return windows
            windows.append((first, following - timedelta(days=1)))
            first = following
    length = 14 if report_cycle == "biweekly" else 7
    monday = start + timedelta(days=-start.weekday() % 7)
    while monday + timedelta(days=length - 1) <= end:
        windows.append((monday, monday + timedelta(days=length - 1)))
        monday += timedelta(days=length)
    return windows


def derive_events(history: History) -> list[Event]:
    """The scored events of the period:

    - on_time / late: a leaf finished (done or closed) in the period and still finished at
      its end, against the due date in force on the day it was finished; late by the
      working days after that due date (none: on time);
    - overdue: a leaf open at the period's end whose due date then had passed;
    - extension: the second and each later postponement of an item, recorded in the period,
      attributed to its lead;
    - missed_report: a reporting window inside the period in which a unit led an open leaf
      but recorded no update (an update counts for its reporting unit, else the item's lead);
    - returned: a 退办 found unjustified — the item's next 交办 gave it back to the unit that
      returned it — dated that 交办 and attributed to the unit (a return followed by a
      交办 to another unit was a misdirected item: no points);
    - sent_back: a 办结 the coordinator sent back (复核退回), attributed to the unit it
      concerns (else the item's lead).

    Approved extensions move the deadline through the deadline-change path, so they are
    among the deadline moves and are not counted again from the cycle.
    """
    start, end = history.start, history.end
    moves_by_task: dict[int, list[DueMove]] = defaultdict(list)
    for move in history.due_moves:
        moves_by_task[move.task_id].append(move)
    events: list[Event] = []
    for leaf in history.leaves:
        item = leaf.item
        finished = leaf.finished
        if (leaf.status_at_end in FINISHED and finished is not None
                and start <= finished <= end):
            due = due_on(moves_by_task.get(item.id, ()), finished, leaf.due_at_end)
            late = working_days_between(due, finished) if finished > due else 0
            events.append(Event(finished, item.id, "late" if late > 0 else "on_time",
                                days=max(late, 0)))
        elif leaf.status_at_end not in SETTLED and leaf.due_at_end < end \
                and leaf.created <= end:
            events.append(Event(end, item.id, "overdue"))
    leads = {leaf.item.id: leaf.item.lead for leaf in history.leaves}
    for task_id, moves in moves_by_task.items():
        postponements = 0
        for move in moves:
            if move.new_due <= move.old_due:
                continue
            postponements += 1
            lead = leads.get(task_id)
            if postponements > 1 and start <= move.day <= end and lead:
                events.append(Event(move.day, task_id, "extension", unit=lead))
    events += _missed_reports(history)
    events += _cycle_events(history.cycle_steps, leads)
    return [event for event in events if start <= event.day <= end]


def _cycle_events(steps: Iterable[CycleStep], leads: Mapping[int, str | None]) -> list[Event]:
    """The returned and sent_back events of the cycle's steps (see `derive_events`)."""
    events: list[Event] = []
    returned_by: dict[int, str] = {}  # an item returned and not reassigned yet: by whom
    for step in steps:
        if step.kind == EventKind.RETURN:
            unit = step.by_unit or step.unit
            if unit:
                returned_by[step.task_id] = unit
        elif step.kind == EventKind.ASSIGN:
            unit = returned_by.pop(step.task_id, None)
            if unit is not None and step.unit == unit:
                events.append(Event(step.day, step.task_id, "returned", unit=unit))
        elif step.kind == EventKind.DONE_SEND_BACK:
            unit = step.unit or leads.get(step.task_id)
            if unit:
                events.append(Event(step.day, step.task_id, "sent_back", unit=unit))
    return events


def _missed_reports(history: History) -> list[Event]:
    """A missed_report event, dated the window's last day and attributed to the unit, for
    each window in which the unit was due to report and did not (see `derive_events`)."""
    windows = report_windows(history.start, history.end, history.report_cycle)
    if not windows:
        return []
    firsts = [first for first, _ in windows]
    lasts = [last for _, last in windows]
    # A unit that reported in every window missed none, however many leaves it led.
    in_windows = set(firsts)
    reports = Counter(unit for unit, first in history.reported if first in in_windows)
    always = {unit for unit, count in reports.items() if count == len(windows)}
    # open_count[unit][i]: how many of the unit's led leaves were open in window i (as a
    # difference array: +1 at the first window an item is open in, -1 after its last).
    open_diff: dict[str, list[int]] = defaultdict(lambda: [0] * (len(windows) + 1))
    for leaf in history.leaves:
        lead = leaf.item.lead
        if lead is None or lead in always:
            continue
        opened = max(leaf.start, leaf.created)
        if leaf.status_at_end in SETTLED:
            if leaf.settled is None:
                continue  # settled with nothing recorded: never open in the period's history
            closes = leaf.settled
        else:
            closes = None
        # Open on at least one day of window i: opened by its last day, settled on or
        # after its first.
        first = bisect_left(lasts, opened)
        last = len(windows) - 1 if closes is None else bisect_right(firsts, closes) - 1
        if first > last:
            continue
        diff = open_diff[lead]
        diff[first] += 1
        diff[last + 1] -= 1
    events: list[Event] = []
    for unit, diff in open_diff.items():
        running = 0
        for index, (first_day, last_day) in enumerate(windows):
            running += diff[index]
            if running > 0 and (unit, first_day) not in history.reported:
                events.append(Event(last_day, None, "missed_report", unit=unit))
    return events
