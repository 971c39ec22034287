"""Planner users: add, change (grant) and list them. Only coordinators manage users; the
first user ends trust mode and must be a coordinator, and the last coordinator stays one.

On PostgreSQL each user is also a login role of the same name, member of the group role
`planner_unit` or `planner_coordinator` (see planner/store/pg_access.py); creating roles
needs the administrator's account (CREATEROLE). Roles belong to the whole server: a name
that already has a role there is reused (made LOGIN, moved to the right group); a restore
reuses only planner's own roles (members of a planner group without administrative rights)
and refuses the others.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, String, func, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from planner.core.errors import PlannerError
from planner.i18n import msg
from planner.services.access import actor_for, forget_actors, require_plan_editor
from planner.services.updates import require_unit
from planner.store.models import PlannerUser
from planner.store.pg_access import COORDINATOR_ROLE, GROUP_ROLES, UNIT_ROLE

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
RESERVED = {"public", "none", "current_user", "session_user", *GROUP_ROLES}


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME.fullmatch(name):
        raise PlannerError("user_name_invalid", name=name)
    if name.lower() in RESERVED or name.lower().startswith("pg_"):
        raise PlannerError("user_name_reserved", name=name)
    return name


def _check_role(unit_id: str | None, coordinator: bool | None, *,
                session: Session) -> tuple[str | None, bool]:
    """(unit, coordinator): exactly one of a unit or the coordinator role."""
    if bool(coordinator) == (unit_id is not None):
        raise PlannerError("user_role_needed")
    require_unit(unit_id, session=session)
    return (None, True) if coordinator else (unit_id, False)


def _coordinators(session: Session) -> int:
    return session.exec(select(func.count()).select_from(PlannerUser)
                        .where(PlannerUser.coordinator == True)).one()  # noqa: E712


def add_user(*, session: Session, name: str, unit_id: str | None, coordinator: bool,
             at: datetime, password: str | None = None,
             by_user: str | None = None) -> PlannerUser:
    """Register a unit's user or a coordinator (on PostgreSQL also its login role)."""
    name = _check_name(name)
    unit_id, coordinator = _check_role(unit_id, coordinator, session=session)
    actor = actor_for(session, by_user)
    require_plan_editor(session, actor)
    if actor.trust and not coordinator:
        raise PlannerError("user_first_coordinator")
    if session.get(PlannerUser, name) is not None:
        raise PlannerError("user_exists", name=name)
    if password is not None and session.connection().dialect.name != "postgresql":
        raise PlannerError("user_password_sqlite")
    user = PlannerUser(name=name, unit_id=unit_id, coordinator=coordinator, created_at=at)
    session.add(user)
    session.flush()
    _sync_role(session, name, coordinator, password)
    forget_actors(session)
    return user


def grant(*, session: Session, name: str, unit_id: str | None = None,
          coordinator: bool | None = None, by_user: str | None = None) -> PlannerUser:
    """Move a user to another unit or make them a coordinator (on PostgreSQL also the login
    role's group; a role missing on this server, e.g. after a restore, is created)."""
    unit_id, coordinator = _check_role(unit_id, coordinator, session=session)
    require_plan_editor(session, actor_for(session, by_user))
    user = session.get(PlannerUser, name)
    if user is None:
        raise PlannerError("user_unknown", name=name)
    if user.coordinator and not coordinator and _coordinators(session) == 1:
        raise PlannerError("user_last_coordinator", name=name)
    user.unit_id, user.coordinator = unit_id, coordinator
    session.add(user)
    session.flush()
    _sync_role(session, name, coordinator, None)
    forget_actors(session)
    return user


def list_users(*, session: Session) -> list[PlannerUser]:
    """Every user, coordinators first, then by unit and name."""
    return list(session.exec(select(PlannerUser).order_by(
        col(PlannerUser.coordinator).desc(), col(PlannerUser.unit_id), PlannerUser.name)).all())


def ensure_login_roles(session: Session, former_users: Iterable[str] = ()) -> None:
    """PostgreSQL, after the users' rows came from elsewhere (a restore): give each user a
    login role in its group and not in the other, and take `former_users` that are users no
    more out of both groups (their roles would keep the groups' table rights). Only what
    differs is changed, so a restore that changes nothing needs no administrator; a role
    that would change but is not planner's own (`_refuse_foreign_role`) is refused first."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    users = list_users(session=session)
    to_sync = []
    for user in users:
        group, other = ((COORDINATOR_ROLE, UNIT_ROLE) if user.coordinator
                        else (UNIT_ROLE, COORDINATOR_ROLE))
        role = connection.execute(text(
            "SELECT rolcanlogin AND pg_has_role(oid, :group, 'MEMBER') "
            "AND NOT pg_has_role(oid, :other, 'MEMBER') FROM pg_roles WHERE rolname = :name"),
            {"group": group, "other": other, "name": user.name}).first()
        if role is None or not role[0]:
            if role is not None:
                _refuse_foreign_role(connection, user.name)
            to_sync.append(user)
    for user in to_sync:  # checked all first: refused before any role changes
        _sync_role(session, user.name, user.coordinator, None)
    quote = connection.dialect.identifier_preparer.quote_identifier
    for name in sorted(set(former_users) - {user.name for user in users}):
        member = connection.execute(text(
            "SELECT 1 FROM pg_auth_members AS m JOIN pg_roles AS g ON g.oid = m.roleid "
            "JOIN pg_roles AS r ON r.oid = m.member WHERE r.rolname = :name "
            "AND g.rolname IN (:unit, :coordinator)"),
            {"name": name, "unit": UNIT_ROLE, "coordinator": COORDINATOR_ROLE}).first()
        if member is not None:
            _run_role_change(connection, name,
                             f"REVOKE {UNIT_ROLE}, {COORDINATOR_ROLE} FROM {quote(name)}")


_ROLE_RIGHTS = text(
    "SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls, "
    "EXISTS (SELECT 1 FROM pg_database WHERE datname = current_database() "
    "AND datdba = r.oid), "
    "EXISTS (SELECT 1 FROM pg_class WHERE relowner = r.oid "
    "AND relnamespace = current_schema()::regnamespace), "
    "pg_has_role(r.oid, :unit, 'MEMBER') OR pg_has_role(r.oid, :coordinator, 'MEMBER') "
    "FROM pg_roles AS r WHERE r.rolname = :name")
_ROLE_REASONS = ("user_role_superuser", "user_role_createrole", "user_role_createdb",
                 "user_role_bypassrls", "user_role_owns_database", "user_role_owns_tables",
                 "user_role_foreign")
"""Catalogue keys of what makes a role not planner's own, in the order `_ROLE_RIGHTS` asks."""


def _refuse_foreign_role(connection: Connection, name: str) -> None:
    """A restore changes only roles planner made: refuse an existing role `name` that has
    rights beyond a planner user's or belongs to something else (another application, the
    administrator), before anything is changed."""
    rights = connection.execute(_ROLE_RIGHTS, {"name": name, "unit": UNIT_ROLE,
                                               "coordinator": COORDINATOR_ROLE}).one()
    flags = (*rights[:6], not rights[6])
    for reason, flagged in zip(_ROLE_REASONS, flags, strict=True):
        if flagged:
            raise PlannerError("user_role_not_planners", name=name, reason=msg(reason))


def _run_role_change(connection: Connection, name: str, statement: str) -> None:
    """Run a statement on login role `name`; a refusal (not the administrator) becomes one
    clear line."""
    try:
        connection.exec_driver_sql(statement)
    except DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise PlannerError("user_role_change_refused", name=name, detail=detail) from None


def _sync_role(session: Session, name: str, coordinator: bool, password: str | None) -> None:
    """PostgreSQL: a login role `name` in the right group (created when missing)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote_identifier
    role = quote(name)
    group, other = (COORDINATOR_ROLE, UNIT_ROLE) if coordinator else (UNIT_ROLE, COORDINATOR_ROLE)
    secret = ""
    if password is not None:
        if not password or "\x00" in password:
            raise PlannerError("user_password_empty")
        literal = String().literal_processor(dialect=connection.dialect)
        assert literal is not None
        # The server gets a SCRAM verifier, never the password itself: it writes a failed
        # statement to its log in full.
        pgconn = connection.connection.dbapi_connection.pgconn  # type: ignore[union-attr]  # psycopg's live connection: set, and has pgconn
        verifier = pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
        secret = f" PASSWORD {literal(verifier.decode())}"
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                                {"name": name}).first()
    if exists is None:
        statements = [f"CREATE ROLE {role} LOGIN{secret} IN ROLE {group}"]
    else:
        statements = [f"ALTER ROLE {role} LOGIN{secret}", f"GRANT {group} TO {role}",
                      f"REVOKE {other} FROM {role}"]
    for statement in statements:
        _run_role_change(connection, name, statement)
