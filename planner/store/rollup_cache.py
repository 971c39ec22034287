"""The stored rollup cache: every item's rollup figures (core/rollup.py `Figures`) as of one
plan revision, day and time zone (`rollupstate`, `rollupcache`, migration 0007).

`planner tree --depth N` then reads only the rows it shows with their stored figures. The
figures are served only when the state matches the plan's revision, the day asked for and
the local time zone, checked in the same statement that reads them (one snapshot on both
backends); otherwise the caller recomputes and, in a writer's transaction, stores them again
(`store_figures`). An update patches the changed item's path (`patch_path`) when the cache
was current just before it, so the next read finds it current; every other write only bumps
the revision and so leaves the cache stale, never wrong.

Who may write here on PostgreSQL (`may_store`): whoever may change the plan (coordinators,
the administrator). A unit's role only reads it: figures every reader trusts must not be
writable by a role that may not write what they are derived from.
"""

import time
from collections.abc import Sequence
from datetime import date
from typing import Any

from planner.core.model import PlanTree, TaskNode
from planner.core.rollup import Colour, Figures, Rollup
from planner.core.status import Status
from planner.store.dbapi import (
    STATUS_BY_VALUE,
    Db,
    day,
    local_date,
    plan_scope,
    read_followed,
    read_settings,
    split_code,
)

FIGURE_COLUMNS = ("rule", "progress", "expected", "colour", "status_counts",
                  "earliest_open_due", "unreported", "active_leaves", "leaf_progress_sum",
                  "leaf_expected_sum")
_CACHED = ", ".join(f"c.{column}" for column in FIGURE_COLUMNS)
_TASK = ("t.id, t.code, t.title, t.parent_id, t.position, t.start, t.due, t.status, "
         "t.progress, t.weight, t.rollup_rule, t.original_due, t.needs_coordination, "
         "t.coordination_reason, t.version, lead.unit_id")
_TASK_JOINS = ("LEFT OUTER JOIN taskunit AS lead ON lead.task_id = t.id AND lead.role = 'lead' "
               "LEFT OUTER JOIN rollupcache AS c ON c.task_id = t.id ")
_PLAN = "(SELECT id, revision FROM plan WHERE id = ?) AS p"
INSERT_ROWS = 500  # rows per INSERT: 5,500 parameters, within both backends' limits


def zone_key() -> str:
    """The local time zone, in which the last reports' dates are taken (dbapi.local_date)."""
    return f"{'/'.join(time.tzname)} {time.timezone} {time.altzone}"


def encode_counts(counts: dict[Status, int]) -> str:
    """Leaves by status as stored: `status=count` pairs, comma-separated."""
    return ",".join(f"{status.value}={count}" for status, count in counts.items())


def decode_counts(text: str) -> dict[Status, int]:
    """The leaves by status of a stored `status_counts`."""
    pairs = (pair.split("=") for pair in text.split(",") if pair)
    return {STATUS_BY_VALUE[status]: int(count) for status, count in pairs}


def _figures(row: Sequence[Any]) -> Figures:
    """Figures from the FIGURE_COLUMNS of a row."""
    (rule, progress, expected, colour, counts, earliest, unreported, active, progress_sum,
     expected_sum) = row
    return Figures(progress, expected, Colour(colour), rule, decode_counts(counts),
                   day(earliest), unreported, active, progress_sum, expected_sum)


def _values(db: Db, task_id: int, figures: Figures) -> tuple[Any, ...]:
    return (task_id, figures.rule, figures.progress, figures.expected, figures.colour.value,
            encode_counts(figures.status_counts), db.value(figures.earliest_open_due),
            figures.unreported, figures.active_leaves, figures.leaf_progress_sum,
            figures.leaf_expected_sum)


def _node(row: Sequence[Any]) -> TaskNode:
    """A tree node from the _TASK columns of a row (no support units, reports or moves)."""
    (task_id, code, title, parent_id, position, start, due, status, progress, weight,
     rollup_rule, original_due, needs_coordination, coordination_reason, version, lead) = row
    return TaskNode(task_id, code, title, parent_id, position, day(start), day(due),  # type: ignore[arg-type]  # NOT NULL columns
                    STATUS_BY_VALUE[status], progress, weight, lead, (), rollup_rule,
                    day(original_due), 0, bool(needs_coordination), coordination_reason, None,
                    version)


def read_shown(db: Db, *, today: date, root: str | None,
               depth: int) -> tuple[PlanTree, dict[int, Figures]] | None:
    """The rows `planner tree [ROOT] --depth DEPTH` shows (the top items, or ROOT, and
    `depth - 1` levels below, not archived) with their stored figures as of `today`; None
    when the cache is not current. One statement, so rows, figures and state are one
    snapshot."""
    # The top items are found by parent_id's index, their plan checked after (`+plan_id`
    # keeps SQLite from scanning the plan's every item by the (plan_id, code) index).
    start = "parent_id IS NULL AND +plan_id = ?" if root is None else "plan_id = ? AND code = ?"
    plan_id, code = split_code(db, root) if root is not None else (plan_scope(db), None)
    params: list[Any] = [plan_id] if code is None else [plan_id, code]
    rows = db.rows(
        "WITH RECURSIVE shown(id, depth) AS ("
        f"SELECT id, 0 FROM task WHERE {start} AND NOT archived "
        "UNION ALL SELECT t.id, shown.depth + 1 FROM task AS t JOIN shown "
        "ON t.parent_id = shown.id WHERE NOT t.archived AND shown.depth + 1 < ?) "
        f"SELECT {_TASK}, (SELECT count(*) FROM duechange AS d WHERE d.task_id = t.id "
        f"AND d.new_due > d.old_due), {_CACHED}, p.revision, s.revision, s.today, s.zone "
        f"FROM shown JOIN task AS t ON t.id = shown.id {_TASK_JOINS}"
        f"CROSS JOIN {_PLAN} LEFT OUTER JOIN rollupstate AS s ON s.plan_id = p.id",
        [*params, depth, plan_id])
    settings = read_settings(db)
    nodes: list[TaskNode] = []
    figures: dict[int, Figures] = {}
    zone = zone_key()
    for row in rows:
        plan_revision, revision, cached_today, cached_zone = row[-4:]
        if (revision != plan_revision or day(cached_today) != today or cached_zone != zone
                or row[17] is None):
            return None
        node = _node(row[:16])
        node.postponements = row[16]
        nodes.append(node)
        figures[node.id] = _figures(row[17:-4])
    return PlanTree.build(settings, nodes), figures


def plan_revision(db: Db) -> tuple[int, int]:
    """(the plan's id, its revision)."""
    row = db.one("SELECT id, revision FROM plan WHERE id = ?", (plan_scope(db),))
    if row is None:
        from planner.core.errors import PlannerError

        raise PlannerError("db_no_plan")
    return int(row[0]), int(row[1])


def may_store(db: Db) -> bool:
    """Whether this transaction's user may write the cache: always on SQLite; on PostgreSQL
    a role granted the writes (coordinators and the administrator, store/pg_access.py)."""
    if db.backend == "sqlite":
        return True
    row = db.one("SELECT " + " AND ".join(
        f"has_table_privilege('{table}', '{privilege}')" for table in ("rollupcache",
                                                                      "rollupstate")
        for privilege in ("INSERT", "UPDATE", "DELETE")))
    return bool(row and row[0])


def store_figures(db: Db, figures: dict[int, Figures], *, plan_id: int, revision: int,
                  today: date) -> None:
    """Replace the plan's figures in the cache with `figures`, stamped as of `revision`
    (read before the data the figures come from, so that a change committed meanwhile
    leaves them stale) and `today`; other plans' figures stay. In a writer's transaction,
    after `may_store`."""
    db.execute("DELETE FROM rollupstate WHERE plan_id = ?", (plan_id,))
    db.execute("DELETE FROM rollupcache WHERE task_id IN (SELECT id FROM task "
               "WHERE plan_id = ?)", (plan_id,))
    _insert(db, [_values(db, task_id, each) for task_id, each in figures.items()])
    db.execute("INSERT INTO rollupstate (plan_id, revision, today, zone) VALUES (?, ?, ?, ?)",
               (plan_id, revision, db.value(today), zone_key()))


def _insert(db: Db, rows: Sequence[tuple[Any, ...]]) -> None:
    marks = "(" + ", ".join("?" * (len(FIGURE_COLUMNS) + 1)) + ")"
    for begin in range(0, len(rows), INSERT_ROWS):
        chunk = rows[begin:begin + INSERT_ROWS]
        db.execute(f"INSERT INTO rollupcache (task_id, {', '.join(FIGURE_COLUMNS)}) VALUES "
                   + ", ".join([marks] * len(chunk)), [value for row in chunk for value in row])


def patch_path(db: Db, task_id: int) -> bool:
    """After one item changed and the plan's revision was bumped (in the same writer's
    transaction): recompute the item's figures and its ancestors' from the stored figures of
    the children along the path, when the cache was current just before the change; True
    when it was patched. The state row is compared-and-set first, so two writers cannot both
    patch from the same state, and a cache that was stale stays stale."""
    if not may_store(db):
        return False
    plan_id, revision = plan_revision(db)
    if db.execute("UPDATE rollupstate SET revision = ? WHERE plan_id = ? AND revision = ? "
                  "AND zone = ?", (revision, plan_id, revision - 1, zone_key())) != 1:
        return False
    nodes: list[TaskNode] = []
    known: dict[int, Figures] = {}
    path: list[int] = []
    for row in db.rows(
            "WITH RECURSIVE up(id) AS (SELECT CAST(? AS integer) UNION ALL "
            "SELECT t.parent_id FROM task AS t JOIN up ON t.id = up.id "
            "WHERE t.parent_id IS NOT NULL), "
            "near(id) AS (SELECT id FROM up UNION SELECT t.id FROM task AS t "
            "WHERE t.parent_id IN (SELECT id FROM up) AND NOT t.archived) "
            f"SELECT {_TASK}, {_CACHED}, t.archived, t.id IN (SELECT id FROM up), "
            "(SELECT max(u.at) FROM progressupdate AS u WHERE u.task_id = t.id) "
            f"FROM near JOIN task AS t ON t.id = near.id {_TASK_JOINS}", (task_id,)):
        node = _node(row[:16])
        cached, archived, on_path, last_at = row[16:26], row[26], row[27], row[28]
        if cached[0] is None or archived:  # not in the stored tree: leave the cache stale
            db.execute("UPDATE rollupstate SET revision = -1 WHERE plan_id = ?", (plan_id,))
            return False
        nodes.append(node)
        if on_path:
            path.append(node.id)
            node.last_report = None if last_at is None else local_date(last_at)
        else:
            known[node.id] = _figures(cached)
    stamped = db.one("SELECT today FROM rollupstate WHERE plan_id = ?", (plan_id,))
    today = day(stamped[0] if stamped else None)  # the row just compared-and-set: always there
    if today is None:
        return False
    settings = read_settings(db)
    tree = PlanTree.build(settings, nodes)
    if settings.follow_annual:
        tree.followed = read_followed(db, plan_id, path)
    rollup = Rollup(tree, today, known=known)
    for node_id in path:
        values = _values(db, node_id, rollup[node_id])
        db.execute("UPDATE rollupcache SET " + ", ".join(f"{column} = ?" for column in
                                                         FIGURE_COLUMNS)
                   + " WHERE task_id = ?", [*values[1:], node_id])
    return True


def stored_figures(db: Db) -> dict[int, Figures]:
    """Every stored item's figures by id, whatever the cache's state (for checks)."""
    return {row[0]: _figures(row[1:])
            for row in db.rows(f"SELECT c.task_id, {_CACHED} FROM rollupcache AS c")}
