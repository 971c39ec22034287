"""Users and access: `user add|grant|list`."""

import argparse
import sys
from typing import TYPE_CHECKING

from planner.cli.arguments import Commands, add_command, add_group
from planner.cli.context import Context

if TYPE_CHECKING:  # only for annotations: the ORM is imported by the commands that use it
    from sqlmodel import Session

    from planner.store.models import PlannerUser


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    """Add `user` and its actions."""
    users = add_group(commands, common, "user", "users and access / 用户与权限",
                      dest="user_action")
    for name, handler, text in (
            ("add", cmd_user_add, "add a unit's user or a coordinator / 添加用户"),
            ("grant", cmd_user_grant, "change a user's unit or role / 调整用户单位或角色")):
        sub = add_command(users, common, name, handler, text)
        sub.add_argument("name", help="user name (on PostgreSQL: the login role)")
        role = sub.add_mutually_exclusive_group(required=True)
        role.add_argument("--unit", help="the unit whose items the user reports on")
        role.add_argument("--coordinator", action="store_true",
                          help="may do everything / 协调员")
        if name == "add":
            sub.add_argument("--password", help="PostgreSQL login password (- reads it from "
                             "standard input)")
    add_command(users, common, "list", cmd_user_list, "list users / 用户列表")


def _role_text(ctx: Context, coordinator: bool, unit_id: str | None,
               unit_names: dict[str, str]) -> str:
    if coordinator:
        return "coordinator" if ctx.lang == "en" else "协调员"
    name = unit_names.get(unit_id or "", "")
    return f"unit {unit_id} {name}" if ctx.lang == "en" else f"单位 {unit_id} {name}"


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
    ctx.say(f"已添加用户 {name}（{role}）", f"user {name} added ({role})")
    return 0


def cmd_user_grant(ctx: Context, args: argparse.Namespace) -> int:
    """Move a user to another unit or make them a coordinator."""
    from planner.services.users import grant

    with ctx.session(write=True) as session:
        user = grant(session=session, name=args.name, unit_id=args.unit,
                     coordinator=args.coordinator or None, by_user=ctx.user)
        role = _unit_names_role(ctx, session, user)
        name = user.name
    ctx.say(f"用户 {name} 现为{role}", f"user {name} is now {role}")
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
        ctx.say("尚无用户：信任模式，任何人都可修改计划（planner user add NAME --coordinator "
                "添加第一位协调员）",
                "no users yet: trust mode, anyone may edit the plan (add the first coordinator "
                "with `planner user add NAME --coordinator`)")
    for name, role in users:
        print(f"{name:<20} {role}".rstrip())
    return 0
