"""Plans and files: `init`, `validate`, `import`, `export`, and `plans` (list, use, add,
close)."""

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.arguments import Commands, add_command
from planner.cli.context import Context
from planner.core.errors import PlannerError
from planner.i18n import label, msg

if TYPE_CHECKING:
    from planner.services.plan_rows import ImportSummary
    from planner.services.plan_yaml import PlanSpec


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add the plan-file commands."""
    add_command(commands, common, "init", cmd_init,
                label("cli_help_init", lang)).add_argument(
        "--file", default=None,
        help="plan file (default: the plan bundled with planner, a copy of tasks.yaml)")
    add_command(commands, common, "validate", cmd_validate,
                label("cli_help_validate", lang)).add_argument("file")
    sub = add_command(commands, common, "import", cmd_import,
                      label("cli_help_import", lang))
    sub.add_argument("file")
    sub.add_argument("--dry-run", action="store_true", help="show what would change, save nothing")
    sub = add_command(commands, common, "export", cmd_export, label("cli_help_export", lang))
    sub.add_argument("file", nargs="?", default=None,
                     help="output path, or - for standard output (the plan file)")
    sub.add_argument("-o", "--output", default=None, help="output path (the same as FILE)")
    sub.add_argument("--format", default=None,
                     help="yaml: the plan file; xlsx, docx, pdf: the plan as a task division table "
                     "(default: from the file's extension, else yaml)")
    group = commands.add_parser("plans", parents=[common], help=label("cli_help_plans", lang),
                                description=label("cli_help_plans", lang))
    group.set_defaults(handler=cmd_plans)
    actions = group.add_subparsers(dest="plans_action", metavar="ACTION")
    add_command(actions, common, "list", cmd_plans, label("cli_help_plans", lang))
    add_command(actions, common, "use", cmd_plans_use,
                label("cli_help_plans_use", lang)).add_argument("id")
    sub = add_command(actions, common, "add", cmd_plans_add, label("cli_help_plans_add", lang))
    sub.add_argument("file")
    sub.add_argument("--dry-run", action="store_true", help="show what would change, save nothing")
    add_command(actions, common, "close", cmd_plans_close,
                label("cli_help_plans_close", lang)).add_argument("id")
    sub = add_command(actions, common, "carry-over", cmd_plans_carry_over,
                      label("cli_help_plans_carry_over", lang))
    sub.add_argument("source", metavar="FROM")
    sub.add_argument("target", metavar="TO")
    sub.add_argument("--dry-run", action="store_true",
                     help="print what would be created, save nothing")


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    """Create the database and load the plan file unless a plan is already there."""
    from sqlmodel import select

    from planner.services.plan_file import bundled_plan_path, import_plan, load_plan_file
    from planner.store.db import display_url
    from planner.store.models import Plan

    plan_path = Path(args.file) if args.file else bundled_plan_path()
    spec = load_plan_file(plan_path, today=ctx.today)
    shown = display_url(ctx.url)
    with ctx.session(write=True, create=True) as session:
        if session.exec(select(Plan)).first() is not None:
            ctx.say("cli_init_has_plan", url=shown)
            return 0
        summary = import_plan(spec, session=session, origin=plan_path.name, at=ctx.now,
                              by_user=ctx.user)
    ctx.say("cli_initialised", url=shown, created=summary.created, units=summary.units,
            indicators=summary.indicators)
    return 0


def cmd_validate(ctx: Context, args: argparse.Namespace) -> int:
    """Check a plan file without touching any database (nor loading the SQL layers); the
    collector paused as in `cmd_import`."""
    from planner.core.model import collector_paused
    from planner.services.plan_yaml import expand_repeats, load_plan_file

    with collector_paused():
        spec = load_plan_file(Path(args.file), today=ctx.today)
        generated = sum(1 for row in expand_repeats(spec) if row.generated)
        counts = {"units": len(spec.units), "items": len(spec.tasks),
                  "indicators": len(spec.indicators)}
        del spec  # freed while the collector is paused, not walked once it runs again
    ctx.say("cli_valid", file=args.file, generated=generated, **counts)
    return 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """Merge a plan file into the database by code, atomically; into a new SQLite file (or
    one without plans or units) on the DB-API alone (services/plan_rows.py), never loading
    SQLAlchemy. The cyclic garbage collector stays paused from reading the file to the
    commit: the parsed plan is a million small objects without cycles, and each pass over
    them between the steps (the first after any pause ends walks all of them) cost half a
    second at 100,000 items."""
    from planner.core.model import collector_paused
    from planner.services.plan_yaml import load_plan_file

    origin = Path(args.file).name
    with collector_paused():
        spec = load_plan_file(Path(args.file), today=ctx.today)
        summary = None if args.dry_run else _import_into_empty(ctx, spec)
        if summary is None:
            from planner.services.plan_file import import_plan

            with ctx.session(write=True, create=True) as session:
                summary = import_plan(spec, session=session, origin=origin, at=ctx.now,
                                      by_user=ctx.user)
                if args.dry_run:
                    session.rollback()
        del spec  # freed while the collector is paused, not walked once it runs again
    ctx.say("cli_imported", prefix=msg("cli_dry_run_prefix") if args.dry_run else "",
            created=summary.created, updated=summary.updated, unchanged=summary.unchanged,
            status_changes=summary.status_changes, due_changes=summary.due_changes)
    return 0


def _import_into_empty(ctx: Context, spec: "PlanSpec") -> "ImportSummary | None":
    """The import into a SQLite database without plans or units, a new file made for it
    (`Context.transaction`); None, nothing written, when the database is another."""
    from planner.services.plan_rows import NotEmpty, import_into_empty
    from planner.store.dbapi import sqlite_path

    if sqlite_path(ctx.url) is None:
        return None
    try:
        with ctx.transaction(write=True, create=True) as db:
            return import_into_empty(spec, db, at=ctx.now, by_user=ctx.user)
    except NotEmpty:
        return None


EXPORT_FORMATS = ("yaml", "xlsx", "docx", "pdf")


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """Write the plan back as a plan file (to standard output with `-` or no file), or as a
    分工方案 table in .xlsx, .docx or .pdf (--format, else the file's extension)."""
    if args.file and args.output and args.file != args.output:
        raise PlannerError("cli_export_two_files", file=args.file, output=args.output)
    target = args.output or args.file
    suffix = Path(target).suffix.lower().lstrip(".") if target and target != "-" else ""
    fmt = (args.format or (suffix if suffix in EXPORT_FORMATS else "yaml")).lower()
    if fmt == "yml":
        fmt = "yaml"
    if fmt not in EXPORT_FORMATS:
        raise PlannerError("cli_export_formats", fmt=args.format)
    if fmt != "yaml":
        return _export_division(ctx, fmt, target)
    from planner.services.plan_export import export_plan

    with ctx.transaction() as db:
        text = export_plan(db)
    if target in (None, "-"):
        sys.stdout.write(text)
    else:
        from planner.reports.document import write_text_file

        write_text_file(Path(target), text)
        ctx.say("cli_exported", file=target)
    return 0


def _export_division(ctx: Context, fmt: str, target: str | None) -> int:
    """The plan as a 分工方案 in `fmt` (xlsx, docx, pdf) at `target`."""
    from planner.reports.document import check_folder
    from planner.reports.officedoc import Fonts, libreoffice

    if target in (None, "-"):
        raise PlannerError("cli_format_needs_output", fmt=fmt)
    if fmt == "pdf" and libreoffice() is None:
        raise PlannerError("office_no_libreoffice")
    path = Path(str(target))
    check_folder(path)
    from planner.reports.division import write_division

    with ctx.session() as session:
        write_division(session, fmt=fmt, path=path, lang=ctx.lang,
                       fonts=Fonts.from_environment(os.environ))
    ctx.say("cli_exported", file=target)
    return 0


def cmd_plans(ctx: Context, args: argparse.Namespace) -> int:
    """List the plans: id (* the current one), kind, title, period, state, items, progress
    against 序时进度, warnings. Stale stored rollups are stored again first where this user
    may, so the next listing reads only each plan's top rows."""
    from planner.reports.plans import plan_rows, render_plans
    from planner.services.rollups import refresh_rollups
    from planner.store.dbapi import use_plan
    from planner.store.rollup_cache import may_store

    with ctx.transaction() as db:
        rows = plan_rows(db, today=ctx.today)
        storing = may_store(db)
    stale = [row.id for row in rows if not row.fresh and row.items]
    if stale and storing:
        with ctx.transaction(write=True) as db:
            for plan_id in stale:
                use_plan(db, plan_id)
                refresh_rollups(db, today=ctx.today)
    sys.stdout.write(render_plans(rows, lang=ctx.lang))
    return 0


def cmd_plans_use(ctx: Context, args: argparse.Namespace) -> int:
    """Make a plan the current one: commands without --plan work on it."""
    from planner.services.plans import set_current_plan

    with ctx.transaction(write=True) as db:
        set_current_plan(session=db, code=args.id, by_user=ctx.user)
    ctx.say("cli_plans_current", plan=args.id)
    return 0


def cmd_plans_add(ctx: Context, args: argparse.Namespace) -> int:
    """Add a new plan from a plan file (its `plan.id`, else --plan); an id in use is refused."""
    from planner.services.plan_file import import_plan, load_plan_file
    from planner.store.queries import load_plan

    spec = load_plan_file(Path(args.file), today=ctx.today)
    with ctx.session(write=True, create=True) as session:
        summary = import_plan(spec, session=session, origin=Path(args.file).name, at=ctx.now,
                              by_user=ctx.user, new_plan=True)
        code = load_plan(session=session).code
        if args.dry_run:
            session.rollback()
    ctx.say("cli_plans_added", prefix=msg("cli_dry_run_prefix") if args.dry_run else "",
            plan=code, created=summary.created, units=summary.units,
            indicators=summary.indicators)
    return 0


def cmd_plans_close(ctx: Context, args: argparse.Namespace) -> int:
    """Close a plan whose items are all settled; it is read-only afterwards."""
    from planner.services.plans import close_plan

    with ctx.transaction(write=True) as db:
        close_plan(session=db, code=args.id, by_user=ctx.user)
    ctx.say("cli_plans_closed", plan=args.id)
    return 0


def cmd_plans_carry_over(ctx: Context, args: argparse.Namespace) -> int:
    """Carry FROM's unfinished items over into TO (结转); --dry-run prints exactly what would
    be created and saves nothing."""
    from planner.services.carry_over import carry_over, plan_carry_over

    with ctx.transaction(write=not args.dry_run) as db:
        if args.dry_run:
            done = plan_carry_over(session=db, from_code=args.source, to_code=args.target)
        else:
            done = carry_over(session=db, from_code=args.source, to_code=args.target,
                              at=ctx.now, by_user=ctx.user, lang=ctx.lang)
    ctx.say("carry_over_header", prefix=msg("cli_dry_run_prefix") if args.dry_run else "",
            source=done.from_plan, target=done.to_plan, count=len(done.leaves))
    for item in done.items:
        if item.is_leaf:
            ctx.say("carry_over_item_line", source=f"{done.from_plan}:{item.source_code}",
                    target=f"{done.to_plan}:{item.code}", title=item.title,
                    status=item.status.label(ctx.lang), progress=f"{item.progress:g}",
                    due=item.due.isoformat())
        else:
            ctx.say("carry_over_parent_line", target=f"{done.to_plan}:{item.code}",
                    title=item.title)
    return 0
