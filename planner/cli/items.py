"""Items: `tree`, `show`, `update`, `reading`, `indicators`, `flag`, `unflag`."""

import argparse
import os
import sys

from planner.cli.arguments import Commands, add_command, split_list
from planner.cli.context import Context
from planner.core.dates import parse_due, parse_start
from planner.core.errors import PlannerError
from planner.core.model import PlanTree
from planner.core.rollup import Colour, Rollup
from planner.core.status import parse_status
from planner.core.text import number_text


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    """Add the commands that read or change items."""
    sub = add_command(commands, common, "tree", cmd_tree, "the tree with rollups / 任务树")
    sub.add_argument("code", nargs="?", help="show only this subtree")
    sub.add_argument("--depth", type=int, help="levels to show")
    sub.add_argument("--unit", help="items this unit leads or supports (ancestors kept)")
    sub.add_argument("--warn", help="only these colours: red,yellow,blue,green (红,黄,蓝,绿)")
    add_command(commands, common, "show", cmd_show,
                "one item with its history / 事项详情").add_argument("code")
    sub = add_command(commands, common, "update", cmd_update, "record progress / 更新进展")
    sub.add_argument("code")
    sub.add_argument("--status", help="not_started|in_progress|blocked|done|closed|cancelled "
                     "or 未启动|推进中|受阻|已完成|已销号|已取消")
    sub.add_argument("--progress", type=float, help="0–100")
    sub.add_argument("--note", help="progress note / 进展说明")
    sub.add_argument("--by", help="reporting unit id / 报送单位")
    sub.add_argument("--due", help="new due date (needs --reason) / 调整截止日期")
    sub.add_argument("--reason", help="why the due date moves / 调整原因")
    sub = add_command(commands, common, "reading", cmd_reading,
                      "record an indicator reading / 记录指标读数")
    sub.add_argument("code")
    sub.add_argument("value", type=float)
    sub.add_argument("--date", help="date of the reading (default: today)")
    sub.add_argument("--source", help="where the figure comes from / 数据来源")
    add_command(commands, common, "indicators", cmd_indicators, "list indicators / 指标一览")
    sub = add_command(commands, common, "flag", cmd_flag, "flag: needs coordination / 标记需协调")
    sub.add_argument("code")
    sub.add_argument("--reason", required=True)
    add_command(commands, common, "unflag", cmd_unflag,
                "clear the flag / 取消需协调").add_argument("code")


def _snapshot(ctx: Context, branch: str | None = None) -> tuple[PlanTree, Rollup, dict[str, str]]:
    """The plan (or only the `branch` item, its ancestors and subtree: enough for that
    subtree's figures), its rollup as of today, and the unit names by id."""
    from planner.store.dbapi import read_tree, read_unit_names

    with ctx.transaction() as db:
        tree = read_tree(db, branch=branch)
        unit_names = read_unit_names(db)
    return tree, Rollup(tree, ctx.today), unit_names


def _colour(name: str) -> Colour:
    """The warning colour called `name` (red or 红, …)."""
    names = {c.value: c for c in Colour} | {c.label("zh"): c for c in Colour}
    if name not in names:
        raise PlannerError(f"未知预警颜色\"{name}\"（red/yellow/blue/green 或 红/黄/蓝/绿）",
                           f'unknown warning colour "{name}" (red, yellow, blue, green)')
    return names[name]


def cmd_tree(ctx: Context, args: argparse.Namespace) -> int:
    """Print the tree with rollups, optionally a subtree, a unit's items or some colours."""
    from planner.core.outline import Criteria
    from planner.reports.tree import render_tree

    tree, rollup, unit_names = _snapshot(ctx, branch=args.code)
    if args.code and args.code not in tree.by_code:
        raise PlannerError(f"没有编码为 {args.code} 的事项", f"no item with code {args.code}",
                           where=args.code)
    if args.unit and args.unit not in unit_names:
        raise PlannerError(f"未知单位\"{args.unit}\"", f'unknown unit "{args.unit}"')
    if args.depth is not None and args.depth < 1:
        raise PlannerError("--depth 必须 ≥ 1", "--depth must be at least 1")
    criteria = Criteria(unit=args.unit, colours=frozenset(split_list(args.warn, "--warn",
                                                                     _colour)))
    ansi = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(render_tree(tree, rollup, unit_names, lang=ctx.lang, today=ctx.today,
                                 criteria=criteria, root_code=args.code, max_depth=args.depth,
                                 ansi=ansi))
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Print one item with its owners, dates, rollup explanation, indicators and history.

    Only the item, its ancestors and its subtree are read: its figures and its children's
    need nothing else, whatever the size of the plan."""
    from planner.reports.item import render_item
    from planner.store.dbapi import (
        read_history,
        read_indicators,
        read_item,
        read_settings,
        read_tree,
        read_unit_names,
    )

    with ctx.transaction() as db:
        read_settings(db)  # a database without a plan says so first
        item = read_item(db, args.code)
        if item.archived:
            raise PlannerError("该事项已归档", "this item is archived", where=args.code)
        tree = read_tree(db, branch=args.code)
        unit_names = read_unit_names(db)
        indicators = read_indicators(db, task_code=args.code)
        history = read_history(db, item.id)
    sys.stdout.write(render_item(tree, Rollup(tree, ctx.today), args.code,
                                 unit_names=unit_names, indicators=indicators, history=history,
                                 source=item.source, description=item.description,
                                 lang=ctx.lang, today=ctx.today))
    return 0


def cmd_update(ctx: Context, args: argparse.Namespace) -> int:
    """Record a unit's report on an item, and/or move its deadline with a reason."""
    from planner.services.updates import change_due, record_update

    if args.reason and not args.due:
        raise PlannerError("--reason 需与 --due 一起使用", "--reason goes with --due")
    reports = any(v is not None for v in (args.status, args.progress, args.note))
    if not reports and not args.due:
        raise PlannerError("请至少给出 --status、--progress、--note 或 --due 之一",
                           "give at least one of --status, --progress, --note or --due",
                           where=args.code)
    status = parse_status(args.status) if args.status else None
    with ctx.transaction(write=True) as db:
        if args.due:
            new_due = parse_due(args.due, today=ctx.today)
            change_due(session=db, code=args.code, new_due=new_due, reason=args.reason or "",
                       at=ctx.now, by_user=ctx.user)
            ctx.say(f"{args.code} 截止日期调整为 {new_due}", f"{args.code} now due {new_due}")
        if reports:
            result = record_update(session=db, code=args.code, at=ctx.now, status=status,
                                   progress=args.progress, note=args.note, by_unit=args.by,
                                   by_user=ctx.user)
            ctx.say(f"{result.code}：{result.status.zh} {result.progress:g}%（已记录）",
                    f"{result.code}: {result.status.en} {result.progress:g}% (recorded)")
    return 0


def cmd_reading(ctx: Context, args: argparse.Namespace) -> int:
    """Record a dated reading of an indicator."""
    from planner.services.updates import record_reading

    on = parse_start(args.date, today=ctx.today) if args.date else ctx.today
    with ctx.session(write=True) as session:
        record_reading(session=session, code=args.code, value=args.value, on=on, at=ctx.now,
                       source=args.source, by_user=ctx.user)
    ctx.say(f"{args.code}：已记录 {number_text(args.value)}（{on}）",
            f"{args.code}: recorded {number_text(args.value)} ({on})")
    return 0


def cmd_indicators(ctx: Context, args: argparse.Namespace) -> int:
    """List indicators with baseline, target, latest reading and share of the way."""
    from planner.reports.item import indicator_line
    from planner.store.queries import load_indicators

    with ctx.session() as session:
        indicators = load_indicators(session=session)
    for indicator in indicators:
        task = f"  [{indicator.task_code}]" if indicator.task_code else ""
        print(indicator_line(indicator, ctx.lang) + task)
    return 0


def cmd_flag(ctx: Context, args: argparse.Namespace) -> int:
    """Flag an item as needing coordination at the joint meeting."""
    from planner.services.edits import set_coordination

    with ctx.session(write=True) as session:
        set_coordination(session=session, code=args.code, reason=args.reason, at=ctx.now,
                         by_user=ctx.user)
    ctx.say(f"{args.code} 已标记为需协调", f"{args.code} flagged for coordination")
    return 0


def cmd_unflag(ctx: Context, args: argparse.Namespace) -> int:
    """Clear the needs-coordination flag."""
    from planner.services.edits import set_coordination

    with ctx.session(write=True) as session:
        set_coordination(session=session, code=args.code, reason=None, at=ctx.now,
                         by_user=ctx.user)
    ctx.say(f"{args.code} 已取消需协调标记", f"{args.code}: coordination flag cleared")
    return 0
