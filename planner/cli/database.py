"""The database as a whole: `db upgrade|current`, `backup`, `restore`."""

import argparse
import sys
from pathlib import Path

from planner.cli.arguments import Commands, add_command, add_group
from planner.cli.context import Context


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    """Add `db`, `backup` and `restore`."""
    database = add_group(commands, common, "db", "schema version / 数据库结构",
                         dest="db_action")
    add_command(database, common, "upgrade", cmd_db,
                "upgrade the schema to this program's version")
    add_command(database, common, "current", cmd_db, "show the schema version")
    add_command(commands, common, "backup", cmd_backup,
                "back up the whole database / 备份").add_argument(
        "file", help="a .db file (SQLite) or a .json/.json.gz dump")
    sub = add_command(commands, common, "restore", cmd_restore, "restore a backup / 从备份恢复")
    sub.add_argument("file")
    sub.add_argument("--force", action="store_true",
                     help="replace the content of a non-empty database / 覆盖已有数据")
    sub.add_argument("--allow-trust-mode", action="store_true",
                     help="restore a backup without users over a database with users "
                     "(everyone becomes a coordinator) / 允许进入信任模式")


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


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    """Back up the whole database: a SQLite file, or a portable JSON dump (.json, .json.gz)."""
    from planner.services.backup import backup_database

    summary = backup_database(ctx.engine(), Path(args.file), now=ctx.now)
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
