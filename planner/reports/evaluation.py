"""The evaluation of the session's plan (中期评估 while it runs, 总结评估 from its last day or
once it is closed) as data.

Built once, then laid out as md, html or xlsx (reports/evaluation_output.py). The plan is
taken as it stood at the end of the evaluation day, rebuilt from the append-only history,
so `--today` gives the evaluation of that day. The counting and judging rules are in
core/evaluation.py.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from planner.core.dates import elapsed_fraction
from planner.core.evaluation import (
    IndicatorJudgement,
    ItemOutcome,
    Judgement,
    Outcome,
    item_outcome,
    judge_indicator,
)
from planner.core.history import state_at
from planner.core.model import PlanTree, TaskNode
from planner.core.rollup import Rollup, plan_progress
from planner.core.status import Status
from planner.i18n import label
from planner.store.evaluation_queries import completion_times, due_moves_before
from planner.store.ledger_queries import latest_notes
from planner.store.queries import (
    due_changes_between,
    load_indicators,
    load_plan,
    load_tree,
    load_units,
    local_midnight,
    updates_since,
)


@dataclass(slots=True)
class Counts:
    """Leaves by outcome (open ones also counted as overdue when past their due date)."""

    total: int = 0
    on_time: int = 0
    late: int = 0
    carried_over: int = 0
    cancelled: int = 0
    open: int = 0
    overdue: int = 0

    def add(self, outcome: ItemOutcome) -> None:
        """Count one leaf."""
        self.total += 1
        attribute = {Outcome.ON_TIME: "on_time", Outcome.LATE: "late",
                     Outcome.CARRIED_OVER: "carried_over", Outcome.CANCELLED: "cancelled",
                     Outcome.OPEN: "open"}[outcome.outcome]
        setattr(self, attribute, getattr(self, attribute) + 1)
        self.overdue += outcome.overdue

    @property
    def completed(self) -> int:
        """Completed on time or late."""
        return self.on_time + self.late


@dataclass(frozen=True, slots=True)
class AreaLine:
    """A work area (top-level item): its leaves' outcomes and its progress against 序时进度."""

    code: str
    title: str
    counts: Counts
    progress: float
    expected: float


@dataclass(frozen=True, slots=True)
class UnitLine:
    """The outcomes of the leaves a unit leads (unit_id None: items without a lead)."""

    unit_id: str | None
    name: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class LateItem:
    """An item completed after its due date."""

    code: str
    title: str
    lead: str
    due: date
    completed: date
    working_days: int


@dataclass(frozen=True, slots=True)
class DueMoveLine:
    """A recorded deadline move."""

    day: date
    code: str
    title: str
    old_due: date
    new_due: date
    reason: str


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    """An indicator with its judgement on the evaluation day."""

    code: str
    name: str
    measure: str
    direction: str
    baseline: float
    target: float | None
    judged: IndicatorJudgement


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An unfinished item with its latest note."""

    code: str
    title: str
    lead: str
    due: date
    status: Status
    progress: float
    expected: float
    overdue: bool
    note: str | None
    note_day: date | None


@dataclass(slots=True)
class EvaluationReport:
    """Everything the evaluation shows, in its order."""

    plan_title: str
    start: date
    end: date
    as_of: date
    final: bool
    """总结评估 (the plan is closed, or the evaluation day is its last day or later), else
    中期评估."""
    elapsed: float
    """序时进度 of the plan period on the evaluation day, 0–100."""
    progress: float
    expected: float
    tolerance: float
    """The plan's tolerance in percentage points (the on-track margin of a judgement)."""
    overall: Counts
    areas: list[AreaLine]
    units: list[UnitLine]
    late: list[LateItem]
    due_moves: list[DueMoveLine]
    indicators: list[IndicatorLine]
    unfinished: list[OpenItem]
    judgements: dict[Judgement, int] = field(default_factory=dict)


def build_evaluation(*, session: Session, today: date) -> EvaluationReport:
    """The evaluation of the plan as of the end of `today`."""
    after = today + timedelta(days=1)
    before = local_midnight(after)
    tree = state_at(load_tree(session=session), updates_since(after, session=session), today,
                    due_changes_between(after, session=session))
    settings = tree.settings
    plan = load_plan(session=session)
    names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    completed = {task_id: at.astimezone().date()
                 for task_id, at in completion_times(session=session, before=before).items()}
    rollup = Rollup(tree, today)
    outcomes = {node.id: item_outcome(node.status, node.due, completed.get(node.id), today)
                for node in _leaves(tree)}
    overall = Counts()
    by_unit: dict[str | None, Counts] = {}
    for node_id, outcome in outcomes.items():
        overall.add(outcome)
        by_unit.setdefault(tree.nodes[node_id].lead, Counts()).add(outcome)
    progress, expected = plan_progress(tree, rollup)
    elapsed = elapsed_fraction(settings.start, settings.end, today)
    indicators = [
        IndicatorLine(i.code, i.name, i.unit, i.direction, i.baseline, i.target,
                      judge_indicator(i, period=(settings.start, settings.end), as_of=today,
                                      elapsed=elapsed, tolerance=settings.tolerance))
        for i in load_indicators(session=session)]
    judgements = {judgement: 0 for judgement in Judgement}
    for line in indicators:
        if line.judged.judgement is not None:
            judgements[line.judged.judgement] += 1
    return EvaluationReport(
        plan_title=settings.title, start=settings.start, end=settings.end, as_of=today,
        final=plan.state == "closed" or today >= settings.end, elapsed=100 * elapsed,
        progress=progress, expected=expected, tolerance=settings.tolerance, overall=overall,
        areas=[_area(tree, rollup, root, outcomes) for root in tree.roots],
        units=_units(by_unit, names),
        late=[LateItem(node.code, node.title, _name(node, names), node.due,
                       completed[node.id], outcomes[node.id].late_days)
              for node in _leaves(tree) if outcomes[node.id].outcome == Outcome.LATE],
        due_moves=[DueMoveLine(move.at.astimezone().date(), move.code, move.title,
                               move.old_due, move.new_due, move.reason)
                   for move in due_moves_before(session=session, before=before)
                   if move.task_id in tree.nodes],
        indicators=indicators,
        unfinished=_unfinished(tree, rollup, outcomes, names, session, before),
        judgements=judgements,
    )


def _leaves(tree: PlanTree) -> list[TaskNode]:
    """The plan's leaves in display order."""
    return [tree.nodes[i] for i in tree.preorder() if tree.is_leaf(i)]


def _name(node: TaskNode, names: dict[str, str]) -> str:
    return names.get(node.lead or "", node.lead or "")


def _area(tree: PlanTree, rollup: Rollup, root: int,
          outcomes: dict[int, ItemOutcome]) -> AreaLine:
    counts = Counts()
    for node_id in tree.preorder(root):
        if node_id in outcomes:
            counts.add(outcomes[node_id])
    node, figures = tree.nodes[root], rollup[root]
    return AreaLine(node.code, node.title, counts, figures.progress, figures.expected)


def _units(by_unit: dict[str | None, Counts], names: dict[str, str]) -> list[UnitLine]:
    """Lead units in the registry's order, then unknown ids, then items without a lead."""
    order = {unit_id: index for index, unit_id in enumerate(names)}
    leads = sorted(by_unit, key=lambda unit: (unit is None, order.get(unit or "", len(order)),
                                              unit or ""))
    return [UnitLine(unit, names.get(unit or "", unit or ""), by_unit[unit]) for unit in leads]


def _unfinished(tree: PlanTree, rollup: Rollup, outcomes: dict[int, ItemOutcome],
                names: dict[str, str], session: Session, before: datetime) -> list[OpenItem]:
    notes = latest_notes(session=session, before=before)
    items = []
    for node in _leaves(tree):
        outcome = outcomes[node.id]
        if outcome.outcome != Outcome.OPEN:
            continue
        note = notes.get(node.id)
        items.append(OpenItem(node.code, node.title, _name(node, names), node.due, node.status,
                              rollup[node.id].progress, rollup[node.id].expected,
                              outcome.overdue, note.note if note else None,
                              note.at.astimezone().date() if note else None))
    return items


COUNT_KEYS = ("eval_items", "outcome_on_time", "outcome_late", "outcome_carried_over",
              "outcome_cancelled", "outcome_open", "eval_overdue")
"""Column headers of the outcome counts, in the order of `count_values`."""


def count_headers(lang: str) -> list[str]:
    """The headers of the outcome counts (capitalised: outcome names run in sentences too)."""
    return [(text := label(key, lang))[:1].upper() + text[1:] for key in COUNT_KEYS]


def count_values(counts: Counts) -> list[int]:
    """The counts in the order of COUNT_KEYS."""
    return [counts.total, counts.on_time, counts.late, counts.carried_over, counts.cancelled,
            counts.open, counts.overdue]


def kind_text(report: EvaluationReport, lang: str) -> str:
    """总结评估, or 中期评估 with its yardstick."""
    return label("eval_kind_final" if report.final else "eval_kind_midterm", lang)
