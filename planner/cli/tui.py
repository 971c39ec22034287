"""`tui`: open the terminal UI (the only command that loads Textual)."""

import argparse

from planner.cli.arguments import Commands, add_command
from planner.cli.context import Context
from planner.i18n import label


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `tui`."""
    add_command(commands, common, "tui", cmd_tui, label("cli_help_tui", lang))


def cmd_tui(ctx: Context, args: argparse.Namespace) -> int:
    """Open the terminal UI on the database."""
    from planner.store.queries import load_settings
    from planner.tui.app import PlannerApp

    with ctx.session() as session:
        load_settings(session=session)
    app = PlannerApp(engine=ctx.engine(), clock=ctx.clock, lang=ctx.lang, user=ctx.user)
    app.run()
    return app.return_code or 0  # Textual sets 1 when it had to stop on an error
