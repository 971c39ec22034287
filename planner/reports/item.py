"""One item in full: owners, dates, progress and how it was computed, indicators, history."""

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from planner.core.errors import PlannerError
from planner.core.indicators import IndicatorSnapshot, share_of_way, share_text
from planner.core.model import PlanTree
from planner.core.rollup import FOLLOW_RULE, Rollup, explain
from planner.core.status import Status
from planner.core.text import terminal_text
from planner.i18n import field, label, list_separator, paren
from planner.reports.tree import PlanView, plan_view, progress_bar, warning_text
from planner.store.dbapi import (
    PLAN_SEPARATOR,
    Db,
    HistoryEntry,
    as_db,
    plan_scope,
    read_followed,
    read_history,
    read_indicators,
    read_item,
    read_settings,
)
from planner.store.links import LinkedItem, read_links

if TYPE_CHECKING:
    from sqlmodel import Session


def days_left_text(due: date, today: date, lang: str) -> str:
    """'剩余 N 天', '今天到期' or '已逾期 N 天'."""
    days = (due - today).days
    if days > 0:
        return label("days_left", lang, n=days)
    if days == 0:
        return label("due_today", lang)
    return label("overdue_by", lang, n=-days)


def format_number(value: float) -> str:
    """12 rather than 12.0, 8.53 as is."""
    return f"{value:g}"


def indicator_line(indicator: IndicatorSnapshot, lang: str) -> str:
    """Code, name, baseline → target, latest reading and share of the way, safe to print."""
    target = "—" if indicator.target is None else format_number(indicator.target)
    latest = indicator.latest
    parts = [
        f"{indicator.code} {indicator.name}{paren(indicator.unit, lang)}",
        f"{label('baseline', lang)} {format_number(indicator.baseline)} → "
        f"{label('target', lang)} {target}",
        label(f"direction_{indicator.direction}", lang),
    ]
    if latest is not None:
        parts.append(f"{label('latest', lang)} {format_number(latest.value)}"
                     + paren(latest.on.isoformat()
                             + (list_separator(lang) + latest.source if latest.source else ""),
                             lang))
        if indicator.target is not None and indicator.target != indicator.baseline:
            share = share_of_way(indicator.baseline, indicator.target, latest.value)
            parts.append(f"{label('share', lang)} {share_text(share)}")
    return terminal_text("  ".join(parts))


def history_line(entry: HistoryEntry, lang: str) -> str:
    """One dated history line: who, old→new status and progress, note; or a due change."""
    when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
    who = (entry.unit + paren(entry.user, lang) if entry.unit and entry.user
           else entry.unit or entry.user or "—")
    if entry.step is not None:
        return f"{when}  {who}  {step_text(entry, lang)}"
    if entry.notice is not None:
        return f"{when}  {who}  " + label(
            "history_notice", lang, number=entry.notice, unit=entry.step_unit,
            role=label(f"notice_role_{entry.notice_role}", lang), due=entry.notice_feedback)
    if entry.new_due is not None:
        change = label("due_change", lang, old=entry.old_due, new=entry.new_due)
        return f"{when}  {who}  {change}  {field('reason', lang)}{entry.note}"
    old_status = Status(entry.old_status).label(lang) if entry.old_status else ""
    new_status = Status(entry.new_status).label(lang) if entry.new_status else ""
    change = (f"{old_status} → {new_status}" if old_status != new_status else new_status)
    progress = (f"{entry.old_progress:g}% → {entry.new_progress:g}%"
                if entry.old_progress != entry.new_progress else f"{entry.new_progress:g}%")
    note = f"  {entry.note}" if entry.note else ""
    return f"{when}  {who}  {change}  {progress}{note}"


def step_text(entry: HistoryEntry, lang: str) -> str:
    """A step of the 督办 cycle as its history line says it after the date and the actor:
    the step and its number, the unit it concerns, the date asked or granted, the request it
    answers or its state, and the reason."""
    parts = [f"{label(f'cycle_kind_{entry.step}', lang)} #{entry.step_id}"]
    if entry.step == "assign" and entry.step_unit:
        parts.append(label("cycle_to_unit", lang, unit=entry.step_unit))
    if entry.new_due is not None:
        parts.append(label("cycle_new_due", lang, due=entry.new_due))
    if entry.step_request is not None and entry.step not in ("ack", "return", "assign"):
        parts.append(label("cycle_answers", lang, id=entry.step_request))
    if entry.step_state is not None:
        parts.append(paren(label(f"cycle_request_{entry.step_state}", lang), lang).strip())
    if entry.note:
        parts.append(f"{field('reason', lang)}{entry.note}")
    return "  ".join(parts)
def link_line(link: LinkedItem, lang: str) -> str:
    """`结转自：2025:1.2 title` or `已结转至：2026:1.2 title（推进中 40%）`: a linked item,
    with its status and progress when it is a leaf."""
    direction = "from" if link.outgoing else "to"
    state = paren(f"{link.status.label(lang)} {link.progress:g}%", lang) if link.is_leaf else ""
    return (f"{field(f'link_{link.kind}_{direction}', lang)}{link.plan}{PLAN_SEPARATOR}"
            f"{link.code} {link.title}{state}")


def render_item(tree: PlanTree, rollup: Rollup, code: str, *, unit_names: dict[str, str],
                indicators: list[IndicatorSnapshot], history: list[HistoryEntry],
                source: str | None, description: str | None, lang: str, today: date,
                links: Sequence[LinkedItem] = ()) -> str:
    """The `planner show` text for one item; `links`, the items of other plans linked to it
    (carried over from or to, carried out by or carrying out)."""
    node_id = tree.by_code[code]
    node, figures = tree.nodes[node_id], rollup[node_id]
    name = lambda unit: unit_names.get(unit, unit)  # noqa: E731
    lines = [f"{node.code}  {node.title}"]
    path = [tree.nodes[a] for a in reversed(tree.ancestors(node_id))]
    if path:
        lines.append(f"{field('path', lang)}" + " › ".join(f"{a.code} {a.title}" for a in path))
    lines.append(f"{field('lead', lang)}{name(node.lead or '') or '—'}")
    supports = list_separator(lang).join(unit_names.get(u, u) for u in node.support)
    lines.append(field("support", lang) + (supports or label("none", lang)))
    due_text = node.due.isoformat() + paren(days_left_text(node.due, today, lang), lang)
    lines.append(f"{field('start', lang)}{node.start.isoformat()}    "
                 f"{field('due', lang)}{due_text}")
    if node.original_due and node.original_due != node.due:
        lines.append(f"{field('original_due', lang)}{node.original_due.isoformat()}    "
                     + label("postponed", lang, n=node.postponements))
    state = node.status.label(lang) if tree.is_leaf(node_id) else ""
    lines.append(f"{field('progress', lang)}{progress_bar(figures.progress)} "
                 f"{figures.progress:.1f}%    {field('expected', lang)}{figures.expected:.1f}%"
                 f"    {field('warning', lang)}{warning_text(figures.colour, lang)}"
                 + (f"    {field('status', lang)}{state}" if state else ""))
    if rollup.is_unreported(node_id):
        lines.append(f"⚠ {label('unreported', lang)}")
    if node.needs_coordination:
        lines.append(f"{field('coordination_reason', lang)}{node.coordination_reason or ''}")
    explanation = explain(rollup, node_id)
    if explanation is not None and explanation.rule != FOLLOW_RULE:
        counts = list_separator(lang).join(f"{status.label(lang)} {figures.count(status)}"
                          for status in Status if figures.count(status))
        lines.append(f"{field('leaves_by_status', lang)}{figures.leaves}{paren(counts, lang)}")
        if figures.earliest_open_due:
            lines.append(f"{field('earliest_due', lang)}{figures.earliest_open_due.isoformat()}")
    if explanation is not None:
        lines.append(f"{field('how_computed', lang)}{label('rollup_' + explanation.rule, lang)}")
        for row in explanation.rows:
            share = f"{row.share * 100:5.1f}%" if row.counted else label("not_counted", lang)
            lines.append(f"  {row.code:<10} {label('weight', lang)} {row.weight:g}  "
                         f"{label('progress', lang)} {row.progress:5.1f}%  "
                         f"{label('contribution', lang)} {share}  {row.title}")
    lines += [link_line(link, lang) for link in links]
    if description:
        lines.append(f"{field('description', lang)}{description}")
    if source:
        lines.append(f"{field('source', lang)}{source}")
    if indicators:
        lines.append(f"{field('indicators', lang)}")
        lines += [f"  {indicator_line(ind, lang)}" for ind in indicators]
    lines.append(f"{field('history', lang)}")
    lines += [f"  {history_line(e, lang)}" for e in history] or [f"  {label('no_history', lang)}"]
    return terminal_text("\n".join(lines), multiline=True) + "\n"


def show_item(code: str, source: "Session | Db", *, lang: str, today: date,
              view: PlanView | None = None) -> str:
    """One item in full, as `planner show CODE` prints it and the TUI's detail pane shows it:
    `render_item` over its history and indicators. Only the item, its ancestors and its
    subtree are read (its figures and its children's need nothing else), unless the caller
    holds the plan already (`view`, the TUI's snapshot). An unknown or archived code is
    refused."""
    db = as_db(source)
    read_settings(db)  # a database without a plan says so first
    item = read_item(db, code)
    if item.archived:
        raise PlannerError("show_item_archived", where=code)
    code = item.code  # `PLAN:CODE` named the plan: the transaction now works on it
    view = view or plan_view(db, today=today, branch=code)
    node_id = view.tree.by_code.get(code)
    if (view.tree.settings.follow_annual and node_id is not None
            and node_id not in view.tree.followed):  # a view of stored figures: read them
        view.tree.followed[node_id] = read_followed(db, plan_scope(db), [node_id]).get(
            node_id, [])
    return render_item(view.tree, view.rollup, code, unit_names=view.unit_names,
                       indicators=read_indicators(db, task_code=code),
                       history=read_history(db, item.id), source=item.source,
                       description=item.description, lang=lang, today=today,
                       links=read_links(db, item.id))
