"""The `planner` command: parse, call one service or report, print.

Exit 2 on bad input, 1 when the environment is in the way, with one line on standard error
(`main` is the error boundary; PLANNER_DEBUG=1 shows the traceback instead)."""

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.core.dates import check_recorded_day, parse_due, parse_start
from planner.core.errors import PlannerError
from planner.core.model import building_snapshot
from planner.core.rollup import Colour, Rollup
from planner.core.status import parse_status
from planner.core.text import TextField, check_decodable, number_text, terminal_text

EXIT_BAD_INPUT = 2
#: Options whose value is free text, which may begin with "-": `--note -x` is the note "-x".
TEXT_OPTIONS = frozenset({"--note", "--reason", "--source", "--title", "--text", "--action",
                          "--add"})
#: Names for the command-line text checked by `_require_utf8` (others are shown as --option).
ARGUMENT_NAMES = {"note": ("进展说明", "note"), "reason": ("原因", "reason"),
                  "source": ("数据来源", "source"), "code": ("编码", "code")}
EXIT_ENVIRONMENT = 1  # busy, server down, disk full, permission denied; internal errors
EXIT_INTERRUPTED = 130
MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL (bigint) can store


@dataclass(slots=True)
class Context:
    """What every command needs: where the data is, which day it is, the language."""

    url: str
    today: date
    lang: str
    user: str
    _engine: Any = None
    _schema_checked: bool = False

    @property
    def now(self) -> datetime:
        """The current local time of day on `today` (so --today dates history too)."""
        clock = datetime.now().time().replace(microsecond=0)
        return datetime.combine(self.today, clock).astimezone()

    def raw_engine(self):  # type: ignore[no-untyped-def]
        """The run's one engine, as it is (no schema check); disposed by `close`."""
        from planner.store.db import make_engine

        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine

    def engine(self, *, create: bool = False):  # type: ignore[no-untyped-def]
        """The run's engine, the schema created or upgraded (SQLite, with a backup) first.

        Only commands that fill a database (`create=True`) may make a new SQLite file; any
        other command on a path that does not exist says so, rather than leaving an empty
        file (and its folders) behind a mistyped `--db`."""
        from sqlalchemy.engine import make_url

        from planner.store.db import create_schema

        url = make_url(self.url)
        if (not create and url.get_backend_name() == "sqlite" and url.database
                and url.database != ":memory:" and not Path(url.database).exists()):
            raise PlannerError(f"数据库文件不存在：{url.database}（请先运行 planner init）",
                               f"no database file at {url.database} (run `planner init` first)")
        engine = self.raw_engine()
        if not self._schema_checked:
            backup = create_schema(engine)
            self._schema_checked = True
            if backup:
                print(f"数据库已升级到新版本，升级前的备份：{backup}" if self.lang != "en" else
                      f"the database was upgraded to the new schema; backup first: {backup}",
                      file=sys.stderr)
        return engine

    def close(self) -> None:
        """Release the database connections of this run."""
        if self._engine is not None:
            self._engine.dispose()

    def say(self, zh: str, en: str) -> None:
        """Print a message in the chosen language."""
        print(en if self.lang == "en" else zh)


def _today(value: str | None) -> date:
    text = value or os.environ.get("PLANNER_TODAY")
    if not text:
        return date.today()
    try:
        return check_recorded_day(parse_start(text))
    except PlannerError as exc:
        raise PlannerError(f"--today/PLANNER_TODAY：{exc.zh}",
                           f"--today/PLANNER_TODAY: {exc.en}") from None


def _require_utf8(args: argparse.Namespace) -> None:
    """Refuse command-line text that was not UTF-8 (Python carries such bytes as lone
    surrogates) with one line naming the argument, before anything is read or written."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list | tuple) else [value]
        for text in values:
            if isinstance(text, str):
                zh, en = ARGUMENT_NAMES.get(name, (name, name))
                option = "" if name == "code" else f"--{name.replace('_', '-')}"
                check_decodable(text, TextField(f"{zh}（{option}）" if option else zh,
                                                f"{en} ({option})" if option else en, 0))


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    """Create the database and load the plan file unless a plan is already there."""
    from sqlmodel import select

    from planner.services.plan_file import import_plan, load_plan_file
    from planner.store.db import display_url, session_scope
    from planner.store.models import Plan

    spec = load_plan_file(Path(args.file), today=ctx.today)
    engine = ctx.engine(create=True)
    shown = display_url(ctx.url)
    with session_scope(engine, write=True) as session:
        if session.exec(select(Plan)).first() is not None:
            ctx.say(f"数据库已有计划，未做改动：{shown}（合并新内容请用 planner import FILE）",
                    f"the database already holds a plan, nothing changed: {shown} "
                    "(use `planner import FILE` to merge)")
            return 0
        summary = import_plan(spec, session=session, origin=Path(args.file).name, at=ctx.now,
                              by_user=ctx.user)
    ctx.say(f"已初始化 {shown}：{summary.created} 个事项、{summary.units} 个单位、"
            f"{summary.indicators} 个指标",
            f"initialised {shown}: {summary.created} items, {summary.units} units, "
            f"{summary.indicators} indicators")
    return 0


def cmd_validate(ctx: Context, args: argparse.Namespace) -> int:
    """Check a plan file without touching any database."""
    from planner.services.plan_file import expand_repeats, load_plan_file

    spec = load_plan_file(Path(args.file), today=ctx.today)
    rows = expand_repeats(spec)
    generated = sum(1 for row in rows if row.generated)
    ctx.say(f"{args.file}：有效。{len(spec.units)} 个单位，{len(spec.tasks)} 个事项"
            f"（另由重复规则生成 {generated} 个），{len(spec.indicators)} 个指标",
            f"{args.file}: valid. {len(spec.units)} units, {len(spec.tasks)} items "
            f"(plus {generated} generated by repeat rules), {len(spec.indicators)} indicators")
    return 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """Merge a plan file into the database by code, atomically."""
    from planner.services.plan_file import import_plan, load_plan_file
    from planner.store.db import session_scope

    spec = load_plan_file(Path(args.file), today=ctx.today)
    engine = ctx.engine(create=True)
    with session_scope(engine, write=True) as session:
        summary = import_plan(spec, session=session, origin=Path(args.file).name, at=ctx.now,
                              by_user=ctx.user)
        if args.dry_run:
            session.rollback()
    prefix_zh, prefix_en = ("（试运行，未保存）", "(dry run, nothing saved) ") if args.dry_run \
        else ("", "")
    ctx.say(f"{prefix_zh}新增 {summary.created}，更新 {summary.updated}，未变 {summary.unchanged}；"
            f"状态/进度变更 {summary.status_changes}，截止日期变更 {summary.due_changes}",
            f"{prefix_en}created {summary.created}, updated {summary.updated}, unchanged "
            f"{summary.unchanged}; status/progress changes {summary.status_changes}, due-date "
            f"changes {summary.due_changes}")
    return 0


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """Write the plan back as a plan file (or to standard output with `-`)."""
    from planner.services.plan_file import export_plan
    from planner.store.db import session_scope

    with session_scope(ctx.engine()) as session:
        text = export_plan(session=session)
    if args.file == "-":
        sys.stdout.write(text)
    else:
        from planner.reports.document import write_text_file

        write_text_file(Path(args.file), text)
        ctx.say(f"已导出到 {args.file}", f"exported to {args.file}")
    return 0


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    """Back up the whole database: a SQLite file, or a portable JSON dump (.json, .json.gz)."""
    from planner.services.backup import backup_database

    summary = backup_database(ctx.engine(), Path(args.file))
    kind_zh = "SQLite 数据库文件" if summary.kind == "sqlite" else "JSON 导出"
    ctx.say(f"已备份到 {args.file}（{kind_zh}，共 {summary.rows} 行，其中历史记录 "
            f"{summary.history} 条）",
            f"backed up to {args.file} ({summary.kind}, {summary.rows} rows, "
            f"{summary.history} history entries)")
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    """Restore a backup into the database; a non-empty one only with --force, a backup
    without users over a database with users only with --allow-trust-mode."""
    from planner.services.backup import restore_database

    summary = restore_database(ctx.engine(create=True), Path(args.file), force=args.force,
                               by_user=ctx.user, allow_trust_mode=args.allow_trust_mode)
    if summary.trust_mode:
        print("警告：恢复的备份中没有用户，数据库现处于信任模式（人人都是协调员）；"
              "请尽快用 planner user add 添加协调员" if ctx.lang != "en" else
              "warning: the restored backup has no users, so the database is in trust mode "
              "now (everyone is a coordinator); add a coordinator soon with `planner user add`",
              file=sys.stderr)
    replaced_zh, replaced_en = ("（已覆盖原有内容）", " (previous content replaced)") \
        if summary.replaced else ("", "")
    ctx.say(f"已从 {args.file} 恢复 {summary.rows} 行，其中历史记录 {summary.history} 条"
            f"{replaced_zh}",
            f"restored {summary.rows} rows ({summary.history} history entries) from "
            f"{args.file}{replaced_en}")
    return 0


def _snapshot(ctx: Context):  # type: ignore[no-untyped-def]
    from planner.store.db import session_scope
    from planner.store.queries import load_tree, load_units

    with building_snapshot(), session_scope(ctx.engine()) as session:
        tree = load_tree(session=session)
        unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
        return tree, Rollup(tree, ctx.today), unit_names


def _colours(text: str) -> frozenset[Colour]:
    names = {c.value: c for c in Colour} | {c.label("zh"): c for c in Colour}
    chosen = set()
    for part in text.replace("，", ",").split(","):
        if part.strip() not in names:
            raise PlannerError(f"未知预警颜色\"{part}\"（red/yellow/blue/green 或 红/黄/蓝/绿）",
                               f'unknown warning colour "{part}" (red, yellow, blue, green)')
        chosen.add(names[part.strip()])
    return frozenset(chosen)


def cmd_tree(ctx: Context, args: argparse.Namespace) -> int:
    """Print the tree with rollups, optionally a subtree, a unit's items or some colours."""
    from planner.core.outline import Criteria
    from planner.reports.tree import render_tree

    tree, rollup, unit_names = _snapshot(ctx)
    if args.code and args.code not in tree.by_code:
        raise PlannerError(f"没有编码为 {args.code} 的事项", f"no item with code {args.code}",
                           where=args.code)
    if args.unit and args.unit not in unit_names:
        raise PlannerError(f"未知单位\"{args.unit}\"", f'unknown unit "{args.unit}"')
    if args.depth is not None and args.depth < 1:
        raise PlannerError("--depth 必须 ≥ 1", "--depth must be at least 1")
    criteria = Criteria(unit=args.unit,
                        colours=_colours(args.warn) if args.warn else frozenset())
    ansi = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(render_tree(tree, rollup, unit_names, lang=ctx.lang, today=ctx.today,
                                 criteria=criteria, root_code=args.code, max_depth=args.depth,
                                 ansi=ansi))
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Print one item with its owners, dates, rollup explanation, indicators and history."""
    from planner.reports.item import render_item
    from planner.store.db import session_scope
    from planner.store.queries import (
        get_task,
        load_indicators,
        load_tree,
        load_units,
        task_history,
    )

    with session_scope(ctx.engine()) as session:
        tree = load_tree(session=session)
        task = get_task(args.code, session=session)
        if args.code not in tree.by_code:
            raise PlannerError("该事项已归档", "this item is archived", where=args.code)
        unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
        indicators = load_indicators(session=session, task_code=args.code)
        history = task_history(task.id or 0, session=session)
        source, description = task.source, task.description
    sys.stdout.write(render_item(tree, Rollup(tree, ctx.today), args.code,
                                 unit_names=unit_names, indicators=indicators, history=history,
                                 source=source, description=description, lang=ctx.lang,
                                 today=ctx.today))
    return 0


def cmd_update(ctx: Context, args: argparse.Namespace) -> int:
    """Record a unit's report on an item, and/or move its deadline with a reason."""
    from planner.services.updates import change_due, record_update
    from planner.store.db import session_scope

    if args.reason and not args.due:
        raise PlannerError("--reason 需与 --due 一起使用", "--reason goes with --due")
    reports = any(v is not None for v in (args.status, args.progress, args.note))
    if not reports and not args.due:
        raise PlannerError("请至少给出 --status、--progress、--note 或 --due 之一",
                           "give at least one of --status, --progress, --note or --due",
                           where=args.code)
    status = parse_status(args.status) if args.status else None
    with session_scope(ctx.engine(), write=True) as session:
        if args.due:
            new_due = parse_due(args.due, today=ctx.today)
            change_due(session=session, code=args.code, new_due=new_due, reason=args.reason or "",
                       at=ctx.now, by_user=ctx.user)
            ctx.say(f"{args.code} 截止日期调整为 {new_due}", f"{args.code} now due {new_due}")
        if reports:
            result = record_update(session=session, code=args.code, at=ctx.now, status=status,
                                   progress=args.progress, note=args.note, by_unit=args.by,
                                   by_user=ctx.user)
            ctx.say(f"{result.code}：{result.status.zh} {result.progress:g}%（已记录）",
                    f"{result.code}: {result.status.en} {result.progress:g}% (recorded)")
    return 0


def cmd_reading(ctx: Context, args: argparse.Namespace) -> int:
    """Record a dated reading of an indicator."""
    from planner.services.updates import record_reading
    from planner.store.db import session_scope

    on = parse_start(args.date, today=ctx.today) if args.date else ctx.today
    with session_scope(ctx.engine(), write=True) as session:
        record_reading(session=session, code=args.code, value=args.value, on=on, at=ctx.now,
                       source=args.source, by_user=ctx.user)
    ctx.say(f"{args.code}：已记录 {number_text(args.value)}（{on}）",
            f"{args.code}: recorded {number_text(args.value)} ({on})")
    return 0


def cmd_indicators(ctx: Context, args: argparse.Namespace) -> int:
    """List indicators with baseline, target, latest reading and share of the way."""
    from planner.reports.item import indicator_line
    from planner.store.db import session_scope
    from planner.store.queries import load_indicators

    with session_scope(ctx.engine()) as session:
        indicators = load_indicators(session=session)
    for indicator in indicators:
        task = f"  [{indicator.task_code}]" if indicator.task_code else ""
        print(indicator_line(indicator, ctx.lang) + task)
    return 0


REPORT_FORMATS = ("txt", "md", "html", "xlsx")


def _report_format(args: argparse.Namespace) -> str:
    """--format, else the output file's extension, else txt."""
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lstrip(".").lower() if args.output else ""
    return {"markdown": "md", "htm": "html", "text": "txt"}.get(suffix, suffix) \
        if suffix in (*REPORT_FORMATS, "markdown", "htm", "text") else "txt"


def _report_week(ctx: Context, args: argparse.Namespace) -> date:
    """Monday of the week asked for: --week 2021-W17, --date D, or the week of today."""
    from planner.core.dates import parse_iso_week, week_span

    if args.week and args.date:
        raise PlannerError("--week 与 --date 只能给一个", "give --week or --date, not both")
    if args.week:
        return parse_iso_week(args.week)[0]
    day = parse_start(args.date, today=ctx.today) if args.date else ctx.today
    return week_span(day)[0]


def cmd_report_weekly(ctx: Context, args: argparse.Namespace) -> int:
    """Write the weekly progress report (周报) in txt, md, html or xlsx."""
    from planner.reports.document import check_folder
    from planner.reports.weekly_output import write_weekly
    from planner.store.db import session_scope

    fmt = _report_format(args)
    if fmt == "xlsx" and not args.output:
        raise PlannerError("xlsx 格式需要 -o 文件名", "the xlsx format needs -o FILE")
    if args.output:
        check_folder(Path(args.output))
    week_start = _report_week(ctx, args)
    with building_snapshot(), session_scope(ctx.engine()) as session:
        if args.unit:
            from planner.store.queries import load_units

            if args.unit not in load_units(session=session):
                raise PlannerError(f"未知单位\"{args.unit}\"", f'unknown unit "{args.unit}"')
        content = write_weekly(session=session, today=ctx.today, week_start=week_start,
                               unit_id=args.unit, fmt=fmt, lang=ctx.lang,
                               output=Path(args.output) if args.output else None)
    if args.output:
        ctx.say(f"周报已写入 {args.output}", f"weekly report written to {args.output}")
    else:
        sys.stdout.write(content or "")
    return 0


def cmd_ledger_export(ctx: Context, args: argparse.Namespace) -> int:
    """Write the item ledger (台账) as an xlsx workbook."""
    from planner.reports.document import check_folder
    from planner.reports.ledger import build_ledger
    from planner.reports.xlsx import write_ledger_xlsx
    from planner.store.db import session_scope

    check_folder(Path(args.file))
    with building_snapshot(), session_scope(ctx.engine()) as session:
        ledger = build_ledger(session=session, today=ctx.today)
    write_ledger_xlsx(ledger, Path(args.file), lang=ctx.lang)
    ctx.say(f"台账已写入 {args.file}（{len(ledger.rows)} 项）",
            f"ledger written to {args.file} ({len(ledger.rows)} items)")
    return 0


def cmd_ledger_import(ctx: Context, args: argparse.Namespace) -> int:
    """Read back a ledger a unit filled in; show the changes, apply them with --apply."""
    from planner.services.ledger import apply_ledger, plan_ledger_changes, read_ledger
    from planner.store.db import session_scope

    ledger = read_ledger(Path(args.file))
    with session_scope(ctx.engine(), write=True) as session:
        changes = plan_ledger_changes(ledger, session=session, by_unit=args.by,
                                      today=ctx.today)
        for change in changes:
            print(change.describe(ctx.lang))
        if args.apply:
            apply_ledger(changes, session=session, by_unit=args.by, by_user=ctx.user,
                         at=ctx.now)
    if args.apply:
        ctx.say(f"已应用 {len(changes)} 项变更（记入历史，报送单位 {args.by or '—'}）",
                f"applied {len(changes)} changes (recorded in history, unit {args.by or '—'})")
    else:
        ctx.say(f"试运行：{len(changes)} 项将变更；确认无误后加 --apply 应用",
                f"dry run: {len(changes)} changes; add --apply to record them")
    return 0


def _meeting_id(ctx: Context, value: str | None, session) -> int:  # type: ignore[no-untyped-def]
    """A meeting id from the command line, or the next planned meeting."""
    from planner.services.meetings import get_meeting, next_planned_meeting

    if value is None:
        return next_planned_meeting(ctx.today, session=session).id or 0
    if not (value.isascii() and value.isdigit()):
        raise PlannerError(f"会议编号必须是数字：{value}", f"a meeting id is a number: {value}")
    if int(value) > MAX_ID:  # no database holds it, and SQLite cannot even compare it
        raise PlannerError(f"没有编号为 {value} 的会议", f"no meeting {value}",
                           where=f"meeting {value}")
    return get_meeting(int(value), session=session).id or 0


def _print_document(ctx: Context, args: argparse.Namespace, header: list[str],
                    sections: list) -> None:  # type: ignore[type-arg]
    """Lay out header and sections as txt, md or html; to -o FILE or standard output."""
    from planner.reports.document import TEXT_FORMATS, render_document, write_text_file

    fmt = _report_format(args)
    if fmt not in TEXT_FORMATS:
        raise PlannerError("议程和纪要支持 txt、md、html 格式", "agenda and minutes are txt, md "
                           "or html")
    content = render_document(header, sections, fmt=fmt, lang=ctx.lang)
    if args.output:
        write_text_file(Path(args.output), content)
        ctx.say(f"已写入 {args.output}", f"written to {args.output}")
    else:
        sys.stdout.write(content)


def cmd_meeting_new(ctx: Context, args: argparse.Namespace) -> int:
    """Plan a meeting."""
    from planner.services.meetings import create_meeting
    from planner.store.db import session_scope

    on = parse_start(args.date, today=ctx.today)
    units = [u.strip() for u in args.units.replace("，", ",").split(",") if u.strip()] \
        if args.units else None
    with session_scope(ctx.engine(), write=True) as session:
        meeting_id = create_meeting(session=session, on=on, title=args.title, today=ctx.today,
                                    at=ctx.now, kind=args.kind, length_minutes=args.minutes,
                                    attendees=units, by_user=ctx.user)
    ctx.say(f"已创建会议 {meeting_id}：{on} {args.title}",
            f"meeting {meeting_id} created: {on} {args.title}")
    return 0


def cmd_meeting_list(ctx: Context, args: argparse.Namespace) -> int:
    """List meetings, latest first."""
    from sqlmodel import select

    from planner.core.text import terminal_text
    from planner.core.textwidth import fit
    from planner.store.db import session_scope
    from planner.store.models import Meeting

    status = {"planned": ("待召开", "planned"), "held": ("已召开", "held")}
    kinds = {"joint": ("联席会议", "joint"), "office": ("办公会", "office")}
    pick = 1 if ctx.lang == "en" else 0
    with session_scope(ctx.engine()) as session:
        meetings = session.exec(select(Meeting).order_by(Meeting.on.desc())).all()  # type: ignore
        for meeting in meetings:
            state = status.get(meeting.status, (meeting.status,) * 2)[pick]
            kind = kinds.get(meeting.kind, (meeting.kind,) * 2)[pick]
            print(f"{meeting.id:>4}  {meeting.on}  {fit(state, 8)}  {fit(kind, 8)}  "
                  f"{terminal_text(meeting.title)}")
    return 0


def cmd_meeting_show(ctx: Context, args: argparse.Namespace) -> int:
    """A meeting: its header, saved agenda and decisions."""
    from planner.reports.document import render_document
    from planner.reports.meeting_print import meeting_document
    from planner.store.db import session_scope

    with session_scope(ctx.engine()) as session:
        header, sections = meeting_document(_meeting_id(ctx, args.meeting, session),
                                            session=session, lang=ctx.lang, part="all")
    sys.stdout.write(render_document(header, sections, fmt="txt", lang=ctx.lang))
    return 0


def cmd_meeting_held(ctx: Context, args: argparse.Namespace) -> int:
    """Mark a meeting as held."""
    from planner.services.meetings import mark_held
    from planner.store.db import session_scope

    with session_scope(ctx.engine(), write=True) as session:
        mark_held(session=session, meeting_id=_meeting_id(ctx, args.meeting, session),
                  by_user=ctx.user)
    ctx.say("已标记为已召开", "marked as held")
    return 0


def cmd_meeting_decide(ctx: Context, args: argparse.Namespace) -> int:
    """Record a decision with its action items (each becomes a tracked item)."""
    from planner.core.dates import parse_due
    from planner.services.meetings import ActionSpec, record_decision
    from planner.store.db import session_scope

    titles, leads, dues, supports = (args.action or [], args.lead or [], args.due or [],
                                     args.support or [])
    if len(leads) > len(titles) or len(dues) > len(titles) or len(supports) > len(titles):
        raise PlannerError("--lead、--due、--support 须跟在各自的 --action 之后",
                           "--lead, --due and --support belong to an --action")
    actions = []
    for index, title in enumerate(titles):
        due = parse_due(dues[index], today=ctx.today) if index < len(dues) else None
        support = tuple(u.strip() for u in supports[index].replace("，", ",").split(",")
                        if u.strip()) if index < len(supports) else ()
        actions.append(ActionSpec(title, leads[index] if index < len(leads) else None, due,
                                  support))
    with session_scope(ctx.engine(), write=True) as session:
        result = record_decision(session=session, meeting_id=_meeting_id(ctx, args.meeting,
                                                                          session),
                                 text=args.text, at=ctx.now, about_code=args.about,
                                 agenda_number=args.item, actions=actions, by_user=ctx.user)
    codes = "、".join(result.action_codes) or "—"
    ctx.say(f"已记录决定 {result.decision_id}；交办事项：{codes}",
            f"decision {result.decision_id} recorded; action items: {codes}")
    return 0


def cmd_meeting_minutes(ctx: Context, args: argparse.Namespace) -> int:
    """Print a meeting's minutes: decisions and action items."""
    from planner.reports.meeting_print import meeting_document
    from planner.store.db import session_scope

    with session_scope(ctx.engine()) as session:
        header, sections = meeting_document(_meeting_id(ctx, args.meeting, session),
                                            session=session, lang=ctx.lang, part="minutes")
    _print_document(ctx, args, header, sections)
    return 0


def cmd_agenda(ctx: Context, args: argparse.Namespace) -> int:
    """Propose (first time or --refresh), edit and print a meeting's agenda."""
    from planner.reports.meeting_print import meeting_document
    from planner.services import meetings
    from planner.store.db import session_scope

    if (args.move is None) != (args.to is None):
        raise PlannerError("--move 与 --to 需一起使用", "--move and --to go together")
    with session_scope(ctx.engine(), write=True) as session:
        meeting_id = _meeting_id(ctx, args.meeting, session)
        meetings.build_agenda(session=session, meeting_id=meeting_id, today=ctx.today,
                              lang=ctx.lang, refresh=args.refresh, by_user=ctx.user)
        for number in args.exclude or []:
            meetings.set_included(session=session, meeting_id=meeting_id, number=number,
                                  included=False, by_user=ctx.user)
        for number in args.include or []:
            meetings.set_included(session=session, meeting_id=meeting_id, number=number,
                                  included=True, by_user=ctx.user)
        if args.move is not None:
            meetings.move_entry(session=session, meeting_id=meeting_id, number=args.move,
                                to=args.to, by_user=ctx.user)
        if args.add:
            meetings.add_entry(session=session, meeting_id=meeting_id, title=args.add,
                               minutes=args.minutes, presenter=args.presenter,
                               by_user=ctx.user)
        header, sections = meeting_document(meeting_id, session=session, lang=ctx.lang,
                                            part="agenda")
    _print_document(ctx, args, header, sections)
    return 0


def cmd_flag(ctx: Context, args: argparse.Namespace) -> int:
    """Flag an item as needing coordination at the joint meeting."""
    from planner.services.edits import set_coordination
    from planner.store.db import session_scope

    with session_scope(ctx.engine(), write=True) as session:
        set_coordination(session=session, code=args.code, reason=args.reason, at=ctx.now,
                         by_user=ctx.user)
    ctx.say(f"{args.code} 已标记为需协调", f"{args.code} flagged for coordination")
    return 0


def cmd_unflag(ctx: Context, args: argparse.Namespace) -> int:
    """Clear the needs-coordination flag."""
    from planner.services.edits import set_coordination
    from planner.store.db import session_scope

    with session_scope(ctx.engine(), write=True) as session:
        set_coordination(session=session, code=args.code, reason=None, at=ctx.now,
                         by_user=ctx.user)
    ctx.say(f"{args.code} 已取消需协调标记", f"{args.code}: coordination flag cleared")
    return 0


def _role_text(ctx: Context, coordinator: bool, unit_id: str | None,
               unit_names: dict[str, str]) -> str:
    if coordinator:
        return "coordinator" if ctx.lang == "en" else "协调员"
    name = unit_names.get(unit_id or "", "")
    return f"unit {unit_id} {name}" if ctx.lang == "en" else f"单位 {unit_id} {name}"


def cmd_user_add(ctx: Context, args: argparse.Namespace) -> int:
    """Register a unit's user or a coordinator (on PostgreSQL also its login role)."""
    from planner.services.users import add_user
    from planner.store.db import session_scope
    from planner.store.queries import load_units

    password = sys.stdin.readline().rstrip("\n") if args.password == "-" else args.password
    with session_scope(ctx.engine(), write=True) as session:
        user = add_user(session=session, name=args.name, unit_id=args.unit,
                        coordinator=args.coordinator, at=ctx.now, password=password,
                        by_user=ctx.user)
        unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
        role = _role_text(ctx, user.coordinator, user.unit_id, unit_names)
        name = user.name
    ctx.say(f"已添加用户 {name}（{role}）", f"user {name} added ({role})")
    return 0


def cmd_user_grant(ctx: Context, args: argparse.Namespace) -> int:
    """Move a user to another unit or make them a coordinator."""
    from planner.services.users import grant
    from planner.store.db import session_scope
    from planner.store.queries import load_units

    with session_scope(ctx.engine(), write=True) as session:
        user = grant(session=session, name=args.name, unit_id=args.unit,
                     coordinator=args.coordinator or None, by_user=ctx.user)
        unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
        role = _role_text(ctx, user.coordinator, user.unit_id, unit_names)
        name = user.name
    ctx.say(f"用户 {name} 现为{role}", f"user {name} is now {role}")
    return 0


def cmd_user_list(ctx: Context, args: argparse.Namespace) -> int:
    """List the users with their unit or the coordinator role."""
    from planner.services.users import list_users
    from planner.store.db import session_scope
    from planner.store.queries import load_units

    with session_scope(ctx.engine()) as session:
        unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
        users = [(u.name, _role_text(ctx, u.coordinator, u.unit_id, unit_names))
                 for u in list_users(session=session)]
    if not users:
        ctx.say("尚无用户：信任模式，任何人都可修改计划（planner user add NAME --coordinator "
                "添加第一位协调员）",
                "no users yet: trust mode, anyone may edit the plan (add the first coordinator "
                "with `planner user add NAME --coordinator`)")
    for name, role in users:
        print(f"{name:<20} {role}".rstrip())
    return 0


def cmd_db(ctx: Context, args: argparse.Namespace) -> int:
    """Show or upgrade the database's schema version."""
    from planner.store.db import display_url
    from planner.store.migrate import current_revision, head_revision, upgrade

    engine = ctx.raw_engine()
    if args.db_action == "current":
        current = current_revision(engine) or "—"
        shown = display_url(ctx.url)
        ctx.say(f"数据库 {shown}：结构版本 {current}，程序版本 {head_revision()}",
                f"database {shown}: schema {current}, program schema {head_revision()}")
        return 0
    before, after = upgrade(engine)
    if before == after:
        ctx.say(f"数据库结构已是最新（{after}）", f"the schema is already current ({after})")
    else:
        ctx.say(f"数据库结构已从 {before or '空'} 升级到 {after}",
                f"schema upgraded from {before or 'empty'} to {after}")
    return 0


def cmd_tui(ctx: Context, args: argparse.Namespace) -> int:
    """Open the terminal UI on the database."""
    from planner.store.db import session_scope
    from planner.store.queries import load_settings
    from planner.tui.app import PlannerApp

    engine = ctx.engine()
    with session_scope(engine) as session:
        load_settings(session=session)
    today = ctx.today
    app = PlannerApp(engine=engine, today=lambda: today, lang=ctx.lang, user=ctx.user)
    app.run()
    return app.return_code or 0  # Textual sets 1 when it had to stop on an error


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; global options work before or after the command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="SQLAlchemy URL or SQLite file (env PLANNER_DB)")
    common.add_argument("--today", default=argparse.SUPPRESS,
                        help="the date to compute as of (env PLANNER_TODAY)")
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                        help="language: zh (default) or en")
    common.add_argument("--as", dest="user", default=argparse.SUPPRESS,
                        help="acting user, recorded in history (default: OS user; on "
                        "PostgreSQL the login role)")
    parser = _Parser(prog="planner", parents=[common],
                     description="十四五知识产权重点任务督办台账 / plan tracker")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[Context, argparse.Namespace], int],
            help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("init", cmd_init, "create the database and load the plan / 初始化").add_argument(
        "--file", default="tasks.yaml", help="plan file (default: tasks.yaml)")
    add("validate", cmd_validate, "check a plan file / 校验计划文件").add_argument("file")
    sub = add("import", cmd_import, "merge a plan file by code / 导入合并")
    sub.add_argument("file")
    sub.add_argument("--dry-run", action="store_true", help="show what would change, save nothing")
    add("export", cmd_export, "write the plan file / 导出").add_argument(
        "file", help="output path, or - for standard output")
    add("backup", cmd_backup, "back up the whole database / 备份").add_argument(
        "file", help="a .db file (SQLite) or a .json/.json.gz dump")
    sub = add("restore", cmd_restore, "restore a backup / 从备份恢复")
    sub.add_argument("file")
    sub.add_argument("--force", action="store_true",
                     help="replace the content of a non-empty database / 覆盖已有数据")
    sub.add_argument("--allow-trust-mode", action="store_true",
                     help="restore a backup without users over a database with users "
                     "(everyone becomes a coordinator) / 允许进入信任模式")
    sub = add("tree", cmd_tree, "the tree with rollups / 任务树")
    sub.add_argument("code", nargs="?", help="show only this subtree")
    sub.add_argument("--depth", type=int, help="levels to show")
    sub.add_argument("--unit", help="items this unit leads or supports (ancestors kept)")
    sub.add_argument("--warn", help="only these colours: red,yellow,blue,green (红,黄,蓝,绿)")
    add("show", cmd_show, "one item with its history / 事项详情").add_argument("code")
    sub = add("update", cmd_update, "record progress / 更新进展")
    sub.add_argument("code")
    sub.add_argument("--status", help="not_started|in_progress|blocked|done|closed|cancelled "
                     "or 未启动|推进中|受阻|已完成|已销号|已取消")
    sub.add_argument("--progress", type=float, help="0–100")
    sub.add_argument("--note", help="progress note / 进展说明")
    sub.add_argument("--by", help="reporting unit id / 报送单位")
    sub.add_argument("--due", help="new due date (needs --reason) / 调整截止日期")
    sub.add_argument("--reason", help="why the due date moves / 调整原因")
    sub = add("reading", cmd_reading, "record an indicator reading / 记录指标读数")
    sub.add_argument("code")
    sub.add_argument("value", type=float)
    sub.add_argument("--date", help="date of the reading (default: today)")
    sub.add_argument("--source", help="where the figure comes from / 数据来源")
    add("indicators", cmd_indicators, "list indicators / 指标一览")
    add("tui", cmd_tui, "open the terminal UI / 打开终端界面")
    report = commands.add_parser(
        "report", help="reports / 报表", parents=[common]).add_subparsers(
        dest="report", required=True, metavar="REPORT")
    sub = report.add_parser("weekly", parents=[common], help="weekly progress report / 周报")
    sub.set_defaults(handler=cmd_report_weekly)
    sub.add_argument("--week", help="ISO week, e.g. 2021-W17 (default: this week)")
    sub.add_argument("--date", help="any day of the week to report")
    sub.add_argument("--unit", help="only the items this unit leads or supports")
    sub.add_argument("--format", choices=REPORT_FORMATS, help="default: from -o, else txt")
    sub.add_argument("-o", "--output", help="write to this file instead of standard output")
    database = commands.add_parser(
        "db", help="schema version / 数据库结构", parents=[common]).add_subparsers(
        dest="db_action", required=True, metavar="ACTION")
    for name, text in (("upgrade", "upgrade the schema to this program's version"),
                       ("current", "show the schema version")):
        database.add_parser(name, parents=[common], help=text).set_defaults(handler=cmd_db)
    meeting = commands.add_parser(
        "meeting", help="joint meetings / 联席会议", parents=[common]).add_subparsers(
        dest="meeting_action", required=True, metavar="ACTION")
    sub = meeting.add_parser("new", parents=[common], help="plan a meeting / 新建会议")
    sub.set_defaults(handler=cmd_meeting_new)
    sub.add_argument("--date", required=True)
    sub.add_argument("--title", required=True)
    sub.add_argument("--kind", choices=("joint", "office"), default="joint")
    sub.add_argument("--minutes", type=int, default=120, help="meeting length (default 120)")
    sub.add_argument("--units", help="attending unit ids, comma-separated (default: all)")
    meeting.add_parser("list", parents=[common], help="list meetings").set_defaults(
        handler=cmd_meeting_list)
    for name, handler, text in (("show", cmd_meeting_show, "a meeting with agenda and "
                                 "decisions"), ("held", cmd_meeting_held, "mark as held")):
        sub = meeting.add_parser(name, parents=[common], help=text)
        sub.set_defaults(handler=handler)
        sub.add_argument("meeting", nargs="?", help="meeting id (default: next planned)")
    sub = meeting.add_parser("decide", parents=[common], help="record a decision / 记录决定")
    sub.set_defaults(handler=cmd_meeting_decide)
    sub.add_argument("meeting", help="meeting id")
    sub.add_argument("--text", required=True, help="the decision")
    sub.add_argument("--about", help="the item code the decision is about")
    sub.add_argument("--item", type=int, help="the agenda entry number it answers")
    sub.add_argument("--action", action="append", help="an action item title (repeatable)")
    sub.add_argument("--lead", action="append", help="lead unit of the preceding --action")
    sub.add_argument("--due", action="append", help="due date of the preceding --action")
    sub.add_argument("--support", action="append", help="supporting units U1,U2 of it")
    sub = meeting.add_parser("minutes", parents=[common], help="print the minutes / 会议纪要")
    sub.set_defaults(handler=cmd_meeting_minutes)
    sub.add_argument("meeting", nargs="?", help="meeting id (default: next planned)")
    sub.add_argument("--format", choices=("txt", "md", "html"))
    sub.add_argument("-o", "--output")
    sub = add("agenda", cmd_agenda, "propose, edit and print an agenda / 会议议程")
    sub.add_argument("meeting", nargs="?", help="meeting id (default: next planned)")
    sub.add_argument("--format", choices=("txt", "md", "html"))
    sub.add_argument("-o", "--output")
    sub.add_argument("--refresh", action="store_true",
                     help="propose again (keeps added entries and exclusions)")
    sub.add_argument("--exclude", type=int, action="append", help="leave out entry N")
    sub.add_argument("--include", type=int, action="append", help="put entry N back")
    sub.add_argument("--move", type=int, help="move entry N ...")
    sub.add_argument("--to", type=int, help="... to position M")
    sub.add_argument("--add", help="add a free-text entry")
    sub.add_argument("--minutes", type=int, help="fixed minutes for the added entry")
    sub.add_argument("--presenter", help="presenting unit of the added entry")
    sub = add("flag", cmd_flag, "flag: needs coordination / 标记需协调")
    sub.add_argument("code")
    sub.add_argument("--reason", required=True)
    add("unflag", cmd_unflag, "clear the flag / 取消需协调").add_argument("code")
    users = commands.add_parser(
        "user", help="users and access / 用户与权限", parents=[common]).add_subparsers(
        dest="user_action", required=True, metavar="ACTION")
    for name, handler, text in (
            ("add", cmd_user_add, "add a unit's user or a coordinator / 添加用户"),
            ("grant", cmd_user_grant, "change a user's unit or role / 调整用户单位或角色")):
        sub = users.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(handler=handler)
        sub.add_argument("name", help="user name (on PostgreSQL: the login role)")
        role = sub.add_mutually_exclusive_group(required=True)
        role.add_argument("--unit", help="the unit whose items the user reports on")
        role.add_argument("--coordinator", action="store_true",
                          help="may do everything / 协调员")
        if name == "add":
            sub.add_argument("--password", help="PostgreSQL login password (- reads it from "
                             "standard input)")
    users.add_parser("list", parents=[common], help="list users / 用户列表").set_defaults(
        handler=cmd_user_list)
    ledger = commands.add_parser(
        "ledger", help="the item ledger / 台账", parents=[common]).add_subparsers(
        dest="ledger", required=True, metavar="ACTION")
    sub = ledger.add_parser("export", parents=[common], help="write the ledger as xlsx")
    sub.set_defaults(handler=cmd_ledger_export)
    sub.add_argument("file")
    sub = ledger.add_parser("import", parents=[common],
                            help="read back a filled-in ledger (dry run unless --apply)")
    sub.set_defaults(handler=cmd_ledger_import)
    sub.add_argument("file")
    sub.add_argument("--by", help="the unit that filled it in (recorded in history)")
    sub.add_argument("--apply", action="store_true", help="record the changes")
    parser.known_options = _option_strings(parser)
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse, except that a text option's value may begin with "-" (TEXT_OPTIONS).

    argparse takes any word starting with "-" for an option, so `--note -x` was refused;
    the top-level parser rewrites it as `--note=-x` before parsing. A value that is itself
    one of planner's options (`--note --status done`) is left alone, so a forgotten value
    is still reported; such a note is written `--note=--status`.
    """

    known_options: frozenset[str] = frozenset()

    def parse_known_args(self, args: Any = None,
                         namespace: Any = None) -> tuple[argparse.Namespace, list[str]]:
        if self.known_options:
            args = _join_dash_values(sys.argv[1:] if args is None else list(args),
                                     self.known_options)
        return super().parse_known_args(args, namespace)


def _option_strings(parser: argparse.ArgumentParser) -> frozenset[str]:
    """Every option string of `parser` and of its sub-commands."""
    found: set[str] = set()
    for action in parser._actions:
        found.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _option_strings(sub)
    return frozenset(found)


def _join_dash_values(argv: list[str], known_options: frozenset[str]) -> list[str]:
    """`argv` with each `TEXT_OPTION VALUE` whose value starts with "-" (and is not one of
    `known_options`) joined into `TEXT_OPTION=VALUE`; nothing after "--" is touched."""
    joined: list[str] = []
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            joined += argv[index:]
            break
        value = argv[index + 1] if index + 1 < len(argv) else None
        if (word in TEXT_OPTIONS and value is not None and value.startswith("-")
                and value != "--" and value.split("=", 1)[0] not in known_options):
            joined.append(f"{word}={value}")
            index += 2
        else:
            joined.append(word)
            index += 1
    return joined


def main(argv: list[str] | None = None) -> int:
    """Entry point: exit 0 on success; otherwise one line on standard error and exit 2 on bad
    input, 1 when the environment is in the way (database busy, server down, disk full,
    permission denied) or on an internal error. PLANNER_DEBUG=1 re-raises instead, so a
    developer sees the traceback."""
    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", None) or os.environ.get("PLANNER_LANG", "zh")
    url: str | None = None
    ctx: Context | None = None
    try:
        _require_utf8(args)
        from planner.store.db import resolve_url

        url = resolve_url(getattr(args, "db", None))
        ctx = Context(url=url, today=_today(getattr(args, "today", None)), lang=lang,
                      user=getattr(args, "user", None) or getpass.getuser())
        return args.handler(ctx, args)
    except BrokenPipeError:  # the reader went away (`planner tree | head`): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ENVIRONMENT
    except (Exception, KeyboardInterrupt) as exc:
        if os.environ.get("PLANNER_DEBUG", "") not in ("", "0"):
            raise
        line, code = _failure(exc, lang, url)
        print(line, file=sys.stderr)
        return code
    finally:
        if ctx is not None:
            ctx.close()


def _failure(exc: BaseException, lang: str, url: str | None) -> tuple[str, int]:
    """The one line to print for `exc` (any password in it hidden) and the exit status."""
    from planner.core.errors import EnvironmentProblem

    if isinstance(exc, KeyboardInterrupt):
        return ("interrupted; an unfinished change was not saved" if lang == "en" else
                "已中断，未完成的改动没有保存"), EXIT_INTERRUPTED
    if isinstance(exc, PlannerError):
        problem: PlannerError | None = exc
    else:
        from planner.store.errors import explain_error

        problem = explain_error(exc, url)
    if problem is None:
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        line = (f"internal error: {detail} (PLANNER_DEBUG=1 for details)" if lang == "en" else
                f"内部错误：{detail}（设置 PLANNER_DEBUG=1 查看详情）")
        code = EXIT_ENVIRONMENT
    else:
        line = problem.message(lang)
        code = EXIT_ENVIRONMENT if isinstance(problem, EnvironmentProblem) else EXIT_BAD_INPUT
    if url is not None:
        from planner.store.db import hide_password

        line = hide_password(line, url)
    return terminal_text(line), code  # an echoed argument cannot drive the terminal
