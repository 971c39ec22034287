"""`tui`: open the terminal UI (the only command that loads Textual)."""

import argparse

from planner.cli.arguments import Commands, add_command
from planner.cli.context import Context
from planner.i18n import label


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `tui`."""
    add_command(commands, common, "tui", cmd_tui, label("cli_help_tui", lang))


def cmd_tui(ctx: Context, args: argparse.Namespace) -> int:
    """Open the terminal UI on the database.

    The plan is checked and its snapshot read (a thread, on the DB-API) before Textual is
    imported, so the read and the UI's start overlap; on a SQLite file at the current schema
    neither touches SQLAlchemy, whose engine is made on the first write."""
    from concurrent.futures import ThreadPoolExecutor

    from planner.store.dbapi import read_settings, sqlite_path
    from planner.tui.gateway import PlanGateway

    with ctx.transaction() as db:
        read_settings(db)  # a database without a plan says so before the screen opens
    sqlite_file = sqlite_path(ctx.url)
    engine = ctx.engine if sqlite_file is not None else ctx.engine()
    reader = PlanGateway(engine, clock=ctx.clock, lang=ctx.lang, user=ctx.user,
                         sqlite_file=sqlite_file, plan=ctx.plan)
    with ThreadPoolExecutor(max_workers=1) as pool:
        first_snapshot = pool.submit(reader.read_snapshot)
        from planner.tui.app import PlannerApp

        app = PlannerApp(engine=engine, clock=ctx.clock, lang=ctx.lang, user=ctx.user,
                         sqlite_file=sqlite_file, first_snapshot=first_snapshot,
                         plan=ctx.plan)
        app.run()
    return app.return_code or 0  # Textual sets 1 when it had to stop on an error
