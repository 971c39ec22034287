"""Users and access: `user add|grant|list`."""

import argparse
import sys
from typing import TYPE_CHECKING

from planner.cli.arguments import Commands, add_command, add_group
from planner.cli.context import Context
from planner.i18n import label

if TYPE_CHECKING:  # only for annotations: the ORM is imported by the commands that use it
    from sqlmodel import Session

    from planner.store.models import PlannerUser


def register(commands: Commands, common: argparse.ArgumentParser, lang: str) -> None:
    """Add `user` and its actions."""
    users = add_group(commands, common, "user", label("cli_help_user", lang),
                      dest="user_action")
    for name, handler, text in (
            ("add", cmd_user_add, "cli_help_user_add"),
            ("grant", cmd_user_grant, "cli_help_user_grant")):
        sub = add_command(users, common, name, handler, label(text, lang))
        sub.add_argument("name", help="user name (on PostgreSQL: the login role)")
        role = sub.add_mutually_exclusive_group(required=True)
        role.add_argument("--unit", help="the unit whose items the user reports on")
        role.add_argument("--coordinator", action="store_true",
                          help=label("cli_help_coordinator", lang))
        if name == "add":
            sub.add_argument("--password", help="PostgreSQL login password (- reads it from "
                             "standard input)")
    add_command(users, common, "list", cmd_user_list, label("cli_help_user_list", lang))


def _role_text(ctx: Context, coordinator: bool, unit_id: str | None,
               unit_names: dict[str, str]) -> str:
    if coordinator:
        return label("cli_role_coordinator", ctx.lang)
    return label("cli_role_unit", ctx.lang, unit=unit_id, name=unit_names.get(unit_id or "", ""))


def _unit_names_role(ctx: Context, session: "Session", user: "PlannerUser") -> str:
    """`_role_text` of one user just written, with the unit's name read in `session`."""
    from planner.store.queries import load_units

    unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
    return _role_text(ctx, user.coordinator, user.unit_id, unit_names)


def cmd_user_add(ctx: Context, args: argparse.Namespace) -> int:
    """Register a unit's user or a coordinator (on PostgreSQL also its login role)."""
    from planner.services.users import add_user

    password = sys.stdin.readline().rstrip("\n") if args.password == "-" else args.password
    with ctx.session(write=True) as session:
        user = add_user(session=session, name=args.name, unit_id=args.unit,
                        coordinator=args.coordinator, at=ctx.now, password=password,
                        by_user=ctx.user)
        role = _unit_names_role(ctx, session, user)
        name = user.name
    ctx.say("cli_user_added", name=name, role=role)
    return 0


def cmd_user_grant(ctx: Context, args: argparse.Namespace) -> int:
    """Move a user to another unit or make them a coordinator."""
    from planner.services.users import grant

    with ctx.session(write=True) as session:
        user = grant(session=session, name=args.name, unit_id=args.unit,
                     coordinator=args.coordinator or None, by_user=ctx.user)
        role = _unit_names_role(ctx, session, user)
        name = user.name
    ctx.say("cli_user_granted", name=name, role=role)
    return 0


def cmd_user_list(ctx: Context, args: argparse.Namespace) -> int:
    """List the users with their unit or the coordinator role."""
    from planner.services.users import list_users
    from planner.store.queries import load_units

    with ctx.session() as session:
        unit_names = {uid: unit.name for uid, unit in load_units(session=session).items()}
        users = [(u.name, _role_text(ctx, u.coordinator, u.unit_id, unit_names))
                 for u in list_users(session=session)]
    if not users:
        ctx.say("cli_no_users")
    for name, role in users:
        print(f"{name:<20} {role}".rstrip())
    return 0
