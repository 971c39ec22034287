"""The plans of the programme as a whole: which one is current, and closing one (it becomes
read-only once every item is settled). Adding a plan is an import (services/plan_file.py)."""

from typing import TYPE_CHECKING

from planner.core.errors import PlannerError
from planner.core.status import Status
from planner.services.access import require_editor
from planner.services.changes import bump_revision
from planner.store.dbapi import Db, as_db, plan_codes, use_plan

if TYPE_CHECKING:
    from sqlmodel import Session

#: The statuses of an item still to be worked on; a plan closes only without such leaves
#: (done, closed, cancelled and any later settled status such as carried over do not count).
OPEN_STATUSES = (Status.NOT_STARTED.value, Status.IN_PROGRESS.value, Status.BLOCKED.value)
#: How many open items a refusal to close names.
LISTED_OPEN_ITEMS = 20


def plan_id_of(db: Db, code: str) -> int:
    """The database id of the plan `code`, or a PlannerError listing the plans."""
    row = db.one("SELECT id FROM plan WHERE code = ?", (code,))
    if row is None:
        raise PlannerError("db_unknown_plan", plan=code, plans=plan_codes(db))
    return int(row[0])


def set_current_plan(*, session: "Session | Db", code: str, by_user: str | None) -> None:
    """Make `code` the plan commands use when none is named (`planner plans use`), for
    every user of the database; only coordinators choose it."""
    db = as_db(session)
    require_editor(db, by_user)
    plan_id = plan_id_of(db, code)
    db.execute("UPDATE plan SET current = ? WHERE current = ? AND id <> ?",
               (False, True, plan_id))
    db.execute("UPDATE plan SET current = ? WHERE id = ?", (True, plan_id))
    db.wrote()


def open_items(db: Db, plan_id: int) -> list[str]:
    """Codes of the plan's open leaves (not archived, no live children), in code order."""
    marks = ", ".join("?" * len(OPEN_STATUSES))
    return [code for (code,) in db.rows(
        f"SELECT t.code FROM task AS t WHERE t.plan_id = ? AND NOT t.archived "
        f"AND t.status IN ({marks}) AND NOT EXISTS (SELECT 1 FROM task AS c "
        "WHERE c.parent_id = t.id AND NOT c.archived) ORDER BY t.code",
        (plan_id, *OPEN_STATUSES))]


def close_plan(*, session: "Session | Db", code: str, by_user: str | None) -> None:
    """Close the plan `code`: refused (naming them) while any item is open; afterwards every
    write to the plan is refused (services/changes.py) and reports still run."""
    db = as_db(session)
    require_editor(db, by_user)
    plan_id = plan_id_of(db, code)
    use_plan(db, plan_id)
    state = db.one("SELECT state FROM plan WHERE id = ?", (plan_id,))
    if state is not None and state[0] == "closed":
        raise PlannerError("plan_already_closed", plan=code)
    still_open = open_items(db, plan_id)
    if still_open:
        shown = still_open[:LISTED_OPEN_ITEMS] + (["…"] if len(still_open) >
                                                   LISTED_OPEN_ITEMS else [])
        raise PlannerError("plan_close_open_items", plan=code, count=len(still_open),
                           codes=shown)
    bump_revision(session=db)  # the last change counted, while the plan is still open
    db.execute("UPDATE plan SET state = 'closed' WHERE id = ?", (plan_id,))
    db.wrote()
