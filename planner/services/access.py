"""Who is acting, and what they may write.

Coordinators may do everything; a unit's user may only report progress (and indicator
readings) on the items its unit leads or supports, and may not close (销号) an item.
**Trust mode**: while no user is registered everyone counts as a coordinator, so a fresh
single-user file works as before; the first `planner user add` ends it.

On SQLite the actor is the name given by the front end (`--as` or the OS user): a local
file is trust-based. On PostgreSQL the actor is the connection's role (`current_user`),
whatever the front end says, and the database enforces the same rules itself (row-level
security, see planner/store/pg_access.py); the table owner and superusers are the
administrator and count as coordinators.
"""

from dataclasses import dataclass

from sqlalchemy import exists, text
from sqlmodel import Session, col, select

from planner.core.errors import PlannerError
from planner.core.text import USER_NAME, clean_optional
from planner.store.models import PlannerUser, Task, TaskUnit

_CACHE_KEY = "planner_actors"
_PG_ADMIN = text(
    "SELECT current_user, r.rolsuper OR r.rolbypassrls OR pg_has_role(c.relowner, 'USAGE') "
    "FROM pg_roles AS r, pg_class AS c "
    "WHERE r.rolname = current_user AND c.oid = to_regclass('task')")


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a write is made by, and what they are."""

    name: str | None
    unit_id: str | None = None
    coordinator: bool = False
    known: bool = True
    trust: bool = False
    """No user is registered yet: everyone is a coordinator."""
    admin: bool = False
    """PostgreSQL: the table owner or a superuser (bypasses row-level security)."""

    def label(self) -> str:
        """The name as shown in messages."""
        return self.name or "?"


def forget_actors(session: Session) -> None:
    """Drop the actors remembered for this session (after users change)."""
    session.info.pop(_CACHE_KEY, None)


def actor_for(session: Session, requested_user: str | None) -> Actor:
    """The acting user: on PostgreSQL the connection's role, elsewhere `requested_user`."""
    cache: dict[str | None, Actor] = session.info.setdefault(_CACHE_KEY, {})
    if requested_user not in cache:
        cache[requested_user] = _actor(session, requested_user)
    return cache[requested_user]


def _actor(session: Session, requested_user: str | None) -> Actor:
    name = clean_optional(requested_user, USER_NAME)  # recorded in history as given
    if session.get_bind().dialect.name == "postgresql":
        name, admin = session.execute(_PG_ADMIN).one()
        if admin:
            return Actor(name, coordinator=True, admin=True)
    if session.exec(select(PlannerUser.name).limit(1)).first() is None:
        return Actor(name, coordinator=True, trust=True)
    user = session.get(PlannerUser, name) if name else None
    if user is None:
        return Actor(name, known=False)
    return Actor(name, user.unit_id, user.coordinator)


def _require_known(actor: Actor) -> None:
    if not actor.known:
        raise PlannerError("access_unknown_user", user=actor.label())


def require_plan_editor(session: Session, actor: Actor) -> None:
    """Only coordinators edit the plan (items, deadlines, meetings, imports, users)."""
    if actor.coordinator:
        return
    _require_known(actor)
    raise PlannerError("access_not_editor", user=actor.label(), unit=actor.unit_id)


def require_can_report(session: Session, actor: Actor, task_id: int | None, *,
                       code: str | None = None) -> None:
    """Coordinators report on anything; a unit's user on the items its unit leads or
    supports (`task_id` None: an indicator without an item, coordinators only)."""
    if actor.coordinator:
        return
    _require_known(actor)
    own = task_id is not None and session.execute(select(exists().where(
        col(TaskUnit.task_id) == task_id, col(TaskUnit.unit_id) == actor.unit_id))).scalar()
    if not own:
        raise PlannerError("access_not_their_item", where=code, user=actor.label(),
                           unit=actor.unit_id)


def require_can_update(session: Session, actor: Actor, task: Task, *, closing: bool,
                       by_unit: str | None) -> str | None:
    """`require_can_report`, plus: a unit's user neither closes (销号) an item nor changes a
    closed one (that is the coordinator's verification), and reports as its own unit.
    Returns the reporting unit to record (a unit's user: its unit)."""
    require_can_report(session, actor, task.id, code=task.code)
    if actor.coordinator:
        return by_unit
    if closing or task.status == "closed":
        raise PlannerError("access_closing_is_coordinators", where=task.code)
    if by_unit is not None and by_unit != actor.unit_id:
        raise PlannerError("access_other_unit", where=task.code, user=actor.label(),
                           unit=actor.unit_id, by_unit=by_unit)
    return actor.unit_id


def require_editor(session: Session, by_user: str | None) -> None:
    """Plan edits and meetings are the coordinators': resolve the actor and check."""
    require_plan_editor(session, actor_for(session, by_user))
