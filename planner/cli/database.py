"""The database as a whole: `db upgrade|current`, `backup`, `restore`."""

import argparse
import sys
from pathlib import Path

from planner.cli.arguments import Commands, add_command, add_group
from planner.cli.context import Context
from planner.i18n import label, msg


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `db`, `backup` and `restore`."""
    database = add_group(commands, common, "db", label("cli_help_db", lang),
                         dest="db_action")
    add_command(database, common, "upgrade", cmd_db,
                "upgrade the schema to this program's version")
    add_command(database, common, "current", cmd_db, "show the schema version")
    add_command(commands, common, "backup", cmd_backup,
                label("cli_help_backup", lang)).add_argument(
        "file", help="a .db file (SQLite) or a .json/.json.gz dump")
    sub = add_command(commands, common, "restore", cmd_restore, label("cli_help_restore", lang))
    sub.add_argument("file")
    sub.add_argument("--force", action="store_true",
                     help=label("cli_help_restore_force", lang))
    sub.add_argument("--allow-trust-mode", action="store_true",
                     help=label("cli_help_restore_trust", lang))


def cmd_db(ctx: Context, args: argparse.Namespace) -> int:
    """Show or upgrade the database's schema version."""
    from planner.store.db import display_url
    from planner.store.migrate import current_revision, head_revision, upgrade

    engine = ctx.raw_engine()
    if args.db_action == "current":
        current = current_revision(engine) or "—"
        shown = display_url(ctx.url)
        ctx.say("cli_db_current", url=shown, current=current, head=head_revision())
        return 0
    before, after = upgrade(engine)
    if before == after:
        ctx.say("cli_db_up_to_date", revision=after)
    else:
        ctx.say("cli_db_upgraded", before=before or msg("cli_db_empty"), after=after)
    return 0


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    """Back up the whole database: a SQLite file, or a portable JSON dump (.json, .json.gz)."""
    from planner.services.backup import backup_database

    summary = backup_database(ctx.engine(), Path(args.file), now=ctx.now)
    ctx.say("cli_backed_up", file=args.file, kind=msg(f"cli_backup_kind_{summary.kind}"),
            rows=summary.rows, history=summary.history)
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    """Restore a backup into the database; a non-empty one only with --force, a backup
    without users over a database with users only with --allow-trust-mode."""
    from planner.services.backup import restore_database

    summary = restore_database(ctx.engine(create=True), Path(args.file), force=args.force,
                               by_user=ctx.user, allow_trust_mode=args.allow_trust_mode)
    if summary.trust_mode:
        print(label("cli_restore_trust_mode", ctx.lang), file=sys.stderr)
    ctx.say("cli_restored", file=args.file, rows=summary.rows, history=summary.history,
            replaced=msg("cli_restore_replaced") if summary.replaced else "")
    return 0
