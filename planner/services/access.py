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
from typing import TYPE_CHECKING, Protocol

from planner.core.errors import PlannerError
from planner.core.text import USER_NAME, clean_optional
from planner.store.dbapi import Db, as_db

if TYPE_CHECKING:
    from sqlmodel import Session

_CACHE_KEY = "planner_actors"
_PG_ADMIN = (
    "SELECT current_user, r.rolsuper OR r.rolbypassrls OR pg_has_role(c.relowner, 'USAGE') "
    "FROM pg_roles AS r, pg_class AS c "
    "WHERE r.rolname = current_user AND c.oid = to_regclass('task')")


class TaskLike(Protocol):
    """What the access rules read of an item: a task row or a `store.dbapi.TaskState`."""

    @property
    def id(self) -> int | None: ...
    @property
    def code(self) -> str: ...
    @property
    def status(self) -> str: ...


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


def forget_actors(session: "Session") -> None:
    """Drop the actors remembered for this session (after users change)."""
    session.info.pop(_CACHE_KEY, None)


def actor_for(session: "Session | Db", requested_user: str | None) -> Actor:
    """The acting user: on PostgreSQL the connection's role, elsewhere `requested_user`."""
    db = as_db(session)
    cache: dict[str | None, Actor] = db.info.setdefault(_CACHE_KEY, {})
    if requested_user not in cache:
        cache[requested_user] = _actor(db, requested_user)
    return cache[requested_user]


def _actor(db: Db, requested_user: str | None) -> Actor:
    name = clean_optional(requested_user, USER_NAME)  # recorded in history as given
    if db.backend == "postgresql":
        name, admin = db.one(_PG_ADMIN)  # type: ignore[misc]  # SELECT of session values: always one row
        if admin:
            return Actor(name, coordinator=True, admin=True)
    if db.one("SELECT name FROM planneruser LIMIT 1") is None:
        return Actor(name, coordinator=True, trust=True)
    user = db.one("SELECT unit_id, coordinator FROM planneruser WHERE name = ?",
                  (name,)) if name else None
    if user is None:
        return Actor(name, known=False)
    return Actor(name, user[0], bool(user[1]))


def _require_known(actor: Actor) -> None:
    if not actor.known:
        raise PlannerError("access_unknown_user", user=actor.label())


def require_plan_editor(session: "Session | Db", actor: Actor) -> None:
    """Only coordinators edit the plan (items, deadlines, meetings, imports, users)."""
    if actor.coordinator:
        return
    _require_known(actor)
    raise PlannerError("access_not_editor", user=actor.label(), unit=actor.unit_id)


def require_can_report(session: "Session | Db", actor: Actor, task_id: int | None, *,
                       code: str | None = None) -> None:
    """Coordinators report on anything; a unit's user on the items its unit leads or
    supports (`task_id` None: an indicator without an item, coordinators only)."""
    if actor.coordinator:
        return
    _require_known(actor)
    own = task_id is not None and as_db(session).one(
        "SELECT 1 FROM taskunit WHERE task_id = ? AND unit_id = ?",
        (task_id, actor.unit_id)) is not None
    if not own:
        raise PlannerError("access_not_their_item", where=code, user=actor.label(),
                           unit=actor.unit_id)


def require_can_update(session: "Session | Db", actor: Actor, task: TaskLike, *, closing: bool,
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


def require_editor(session: "Session | Db", by_user: str | None) -> None:
    """Plan edits and meetings are the coordinators': resolve the actor and check."""
    require_plan_editor(session, actor_for(session, by_user))
