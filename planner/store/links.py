"""Links between items of different plans (tasklink): reads on the DB-API, so `planner show`
stays free of the ORM."""

from dataclasses import dataclass
from datetime import date

from planner.core.status import Status
from planner.store.dbapi import STATUS_BY_VALUE, Db


@dataclass(frozen=True, slots=True)
class LinkedItem:
    """An item at the other end of a link, as an item's detail names it."""

    kind: str
    """The link's kind: `carried_from`, `implements`."""
    outgoing: bool
    """True: this item links to the other one (a copy to its original); False: the other
    item links to this one (the original to its copy)."""
    plan: str
    code: str
    title: str
    status: Status
    progress: float
    is_leaf: bool


_OTHER = ("SELECT l.kind, p.code, o.code, o.title, o.status, o.progress, "
          "NOT EXISTS (SELECT 1 FROM task AS c WHERE c.parent_id = o.id AND NOT c.archived) "
          "FROM tasklink AS l JOIN task AS o ON o.id = l.{other} "
          "JOIN plan AS p ON p.id = o.plan_id WHERE l.{this} = ? ORDER BY l.position, p.id, o.code")


def read_links(db: Db, task_id: int) -> list[LinkedItem]:
    """The items linked to and from `task_id`, outgoing links first."""
    found = []
    for outgoing, this, other in ((True, "task_id", "target_id"),
                                  (False, "target_id", "task_id")):
        found += [LinkedItem(kind, outgoing, plan, code, title, STATUS_BY_VALUE[status],
                             progress, bool(leaf))
                  for kind, plan, code, title, status, progress, leaf in db.rows(
                      _OTHER.format(this=this, other=other), (task_id,))]
    return found


def implemented_this_year(db: Db, day: date) -> set[int]:
    """Ids of the items carried out (`implements`) by an item of an open annual plan whose
    period holds `day`."""
    return {target for (target,) in db.rows(
        "SELECT l.target_id FROM tasklink AS l JOIN task AS t ON t.id = l.task_id "
        "JOIN plan AS p ON p.id = t.plan_id WHERE l.kind = 'implements' AND NOT t.archived "
        "AND p.kind = 'annual' AND p.state = 'open' AND p.start <= ? AND p.\"end\" >= ?",
        (db.value(day), db.value(day)))}
