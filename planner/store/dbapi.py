"""The hot reads and writes on the DB-API, without importing SQLAlchemy's ORM.

`planner show`, `update` and `tree` are over before SQLAlchemy and SQLModel would have
finished importing (more than the rest of such a command put together): a SQLite file is
opened straight through `sqlite3`, with the pragmas `store.db.make_engine` sets, and the
schema version is read from the `alembic_version` table and compared with `SCHEMA_HEAD`
without loading Alembic. Any other backend (PostgreSQL) goes through the driver connection
of its SQLAlchemy engine, so the same SQL serves both. The ORM session paths reuse the same
reads through `Db.of_session`, so a tree is read by one piece of code whichever way it is
opened.
"""

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from planner.core.errors import PlannerError
from planner.core.model import (
    FollowedItem,
    PlanSettings,
    PlanTree,
    TaskNode,
    building_snapshot,
)
from planner.core.rollup import SET_ASIDE
from planner.core.status import DONE_STATUSES, Status

if TYPE_CHECKING:
    from sqlmodel import Session

    from planner.core.indicators import IndicatorSnapshot

#: The newest migration; `tests/store/test_migrations.py` checks it is Alembic's head.
SCHEMA_HEAD = "0016"
SQLITE_PREFIX = "sqlite:///"
STATUS_BY_VALUE = {status.value: status for status in Status}
#: A progress update that settles its item (moves it to done, closed or cancelled from any
#: other status): the condition of the partial index `ix_progressupdate_settling`, written
#: out so that a query repeating it can be answered from that index (as migration 0016).
SETTLING_MOVE = ("new_status IN ('done', 'closed', 'cancelled') "
                 "AND old_status NOT IN ('done', 'closed', 'cancelled')")


def encode_list(values: Iterable[str]) -> str:
    """A list of ids or codes as stored in one text column (comma-separated)."""
    return ",".join(values)


def decode_list(stored: str) -> tuple[str, ...]:
    """The ids or codes of a column written by `encode_list`, in order."""
    return tuple(value for value in stored.split(",") if value)


class SchemaNotCurrent(Exception):
    """The database is not at `SCHEMA_HEAD` (new, older or newer): the caller takes the
    migrating path (store/migrate.py) first."""


@dataclass(slots=True)
class Db:
    """A DB-API connection in one transaction, with `?` placeholders on every backend."""

    connection: Any
    backend: str  # "sqlite" or "postgresql"
    info: dict[str, Any] = field(default_factory=dict)
    """What the transaction remembers (an ORM session's `info`, shared with it)."""
    session: Any = None
    """The ORM session this transaction belongs to, if any."""

    @classmethod
    def of_session(cls, session: "Session") -> "Db":
        """The DB-API connection under an ORM session, inside the session's transaction
        (the session's pending changes flushed first, as a query through it would)."""
        session.flush()
        connection = session.connection()
        return cls(connection.connection.dbapi_connection, connection.dialect.name,
                   session.info, session)

    def wrote(self) -> None:
        """After a write on the DB-API: an ORM session reloads the rows it holds."""
        if self.session is not None:
            self.session.expire_all()

    def value(self, value: Any) -> Any:
        """A date or timestamp as the ORM stores it: ISO text on SQLite (a timestamp without
        its offset, as SQLAlchemy writes it), the object itself for the server's driver."""
        if self.backend != "sqlite":
            return value
        if isinstance(value, datetime):
            return f"{value:%Y-%m-%d %H:%M:%S.%f}"
        if isinstance(value, date):
            return value.isoformat()
        return value

    def _sql(self, sql: str) -> str:
        return sql if self.backend == "sqlite" else sql.replace("?", "%s")

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query."""
        cursor = self.connection.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        cursor = self.connection.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            row = cursor.fetchone()
            return None if row is None else tuple(row)
        finally:
            cursor.close()

    def stream(self, sql: str, params: Sequence[Any] = (),
               batch: int = 10_000) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, fetched `batch` at a time (a long history is never held as
        one list)."""
        cursor = self.connection.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            cursor.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement; the number of rows it changed."""
        cursor = self.connection.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            return int(cursor.rowcount)
        finally:
            cursor.close()


def as_db(source: "Session | Db") -> Db:
    """`source` itself, or the DB-API transaction under an ORM session."""
    return source if isinstance(source, Db) else Db.of_session(source)


def sqlite_path(url: str) -> str | None:
    """The file of a plain `sqlite:///PATH` URL (what `resolve_url` makes of a path); None
    for anything else (another backend, a driver name, URL options, in-memory)."""
    if not url.startswith(SQLITE_PREFIX) or "?" in url:
        return None
    path = url[len(SQLITE_PREFIX):]
    return path if path and path != ":memory:" else None


# How long a writer waits for another writer's lock (a long import, a restore) before it
# gives up and says so; PLANNER_BUSY_TIMEOUT (seconds) overrides it.
BUSY_TIMEOUT_MS = 30_000
BUSY_TIMEOUT_ENV = "PLANNER_BUSY_TIMEOUT"


def busy_timeout_ms() -> int:
    """How long a writer waits for the write lock: PLANNER_BUSY_TIMEOUT seconds, else
    BUSY_TIMEOUT_MS."""
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return BUSY_TIMEOUT_MS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:  # also refuses NaN
        raise PlannerError("db_bad_busy_timeout", name=BUSY_TIMEOUT_ENV, text=text)
    return round(seconds * 1000)


def _connect_sqlite(path: str) -> Any:
    """A sqlite3 connection with the pragmas of `store.db.make_engine`, in autocommit mode
    (the transaction is begun explicitly)."""
    import sqlite3

    timeout_ms = busy_timeout_ms()
    connection = sqlite3.connect(path, timeout=timeout_ms / 1000, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute(f"PRAGMA busy_timeout={timeout_ms}")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


@contextmanager
def sqlite_transaction(path: str, *, write: bool = False) -> Iterator[Db]:
    """One transaction on a SQLite file at the current schema, committed when the block
    ends and rolled back on any error; `write=True` takes the write lock up front (BEGIN
    IMMEDIATE), so writers queue as with `store.db.session_scope`. Raises SchemaNotCurrent
    (having changed nothing) when the file is not at `SCHEMA_HEAD`."""
    with sqlite_file_transaction(path, write=write) as db:
        if schema_version(db) != SCHEMA_HEAD:
            raise SchemaNotCurrent
        yield db


@contextmanager
def sqlite_file_transaction(path: str, *, write: bool = False) -> Iterator[Db]:
    """One transaction on a SQLite file whatever its schema (`sqlite_transaction` checks
    it), committed when the block ends and rolled back on any error."""
    connection = _connect_sqlite(path)
    try:
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield Db(connection, "sqlite")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()


def schema_version(db: Db) -> str | None:
    """The schema version stamped in the database; None when it has no stamp (empty, or made
    by the first release)."""
    has_table = db.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                       ("alembic_version",)) if db.backend == "sqlite" else \
        db.one("SELECT to_regclass('alembic_version')")
    if has_table is None or has_table[0] is None:
        return None
    row = db.one("SELECT version_num FROM alembic_version")
    return None if row is None else str(row[0])


@lru_cache(maxsize=65536)
def day(value: date | str | None) -> date | None:
    """A date from a raw driver value (PostgreSQL gives dates, SQLite ISO text); cached, since
    a plan's items share a few thousand distinct dates."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def moment(value: datetime | str) -> datetime:
    """A stored timestamp as the ORM returns it (SQLite keeps it as ISO text, naive)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def local_date(value: datetime | str) -> date:
    """The local date of a stored UTC timestamp."""
    stamp = moment(value)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone().date()


#: Where a transaction keeps the id of the plan it works on (`plan_scope`), and the plan id
#: (`code`) asked for by `--plan` / PLANNER_PLAN, resolved on first use (`ask_plan`).
PLAN_SCOPE = "planner.plan_id"
PLAN_ASKED = "planner.plan_asked"
#: `PLAN:CODE` names an item of another plan wherever a code is taken.
PLAN_SEPARATOR = ":"


def ask_plan(db: Db, plan_code: str | None) -> None:
    """Make the transaction work on the plan `plan_code` (None: the current plan), checked
    when first needed, so that commands that never touch a plan do not fail on it."""
    db.info.pop(PLAN_SCOPE, None)
    if plan_code is None:
        db.info.pop(PLAN_ASKED, None)
    else:
        db.info[PLAN_ASKED] = plan_code


def use_plan(db: Db, plan_id: int) -> None:
    """Make the transaction work on the plan with database id `plan_id` from now on."""
    db.info[PLAN_SCOPE] = plan_id


def plan_scope(db: Db) -> int:
    """The database id of the plan this transaction works on: the one asked for
    (`ask_plan`), else the current plan (`planner plans use`), else the only open plan,
    else the only plan; a PlannerError listing the plans when none of these says."""
    plan_id = db.info.get(PLAN_SCOPE)
    if plan_id is None:
        plan_id = db.info[PLAN_SCOPE] = _resolve_plan(db, db.info.get(PLAN_ASKED))
    return int(plan_id)


def plan_codes(db: Db) -> list[str]:
    """Every plan's id (`code`), oldest first."""
    return [code for (code,) in db.rows("SELECT code FROM plan ORDER BY id")]


def _resolve_plan(db: Db, plan_code: str | None) -> int:
    rows = db.rows("SELECT id, code, state, current FROM plan ORDER BY id")
    if not rows:
        raise PlannerError("db_no_plan")
    if plan_code is not None:
        for plan_id, code, _state, _current in rows:
            if code == plan_code:
                return int(plan_id)
        raise PlannerError("db_unknown_plan", plan=plan_code,
                           plans=[code for _id, code, _s, _c in rows])
    chosen = ([plan_id for plan_id, _code, _state, current in rows if current]
              or [plan_id for plan_id, _code, state, _current in rows if state == "open"])
    if len(chosen) == 1 or len(rows) == 1:
        return int((chosen or [rows[0][0]])[0])
    raise PlannerError("db_choose_plan", plans=[code for _id, code, _s, _c in rows])


def split_code(db: Db, code: str) -> tuple[int, str]:
    """(plan id, item code) of a code as typed: `PLAN:CODE` names an item of plan PLAN,
    a bare code one of the transaction's plan (`plan_scope`). Naming the plan makes the
    transaction work on it from then on: the item's detail is read in its plan, a write
    to it counts in (and is refused by the state of) its plan."""
    plan_code, separator, item_code = code.partition(PLAN_SEPARATOR)
    if not separator or not plan_code:
        return plan_scope(db), code
    row = db.one("SELECT id FROM plan WHERE code = ?", (plan_code,))
    if row is None:
        raise PlannerError("db_unknown_plan", plan=plan_code, plans=plan_codes(db))
    use_plan(db, int(row[0]))
    return int(row[0]), item_code


def read_settings(db: Db) -> PlanSettings:
    """The plan's settings; a clear error when the database holds no plan yet."""
    row = db.one('SELECT title, start, "end", report_cycle, rollup, tolerance, due_soon_days, '
                 "source, follow_annual FROM plan WHERE id = ?", (plan_scope(db),))
    if row is None:
        raise PlannerError("db_no_plan")
    title, start, end, cycle, rollup, tolerance, due_soon_days, source, follow_annual = row
    return PlanSettings(title, day(start), day(end), cycle, rollup,  # type: ignore[arg-type]  # NOT NULL columns
                        tolerance, due_soon_days, source, bool(follow_annual))


#: The items of other plans that carry out (`implements`) the items chosen by `{chosen}`,
#: and the copies they were carried over into (`carried_from`, 结转), each with its leaves.
_FOLLOWED = """WITH RECURSIVE
impl(target, pos, id) AS (
    SELECT l.target_id, l.position, l.task_id FROM tasklink AS l JOIN task AS f
    ON f.id = l.target_id WHERE l.kind = 'implements' AND {chosen}
    UNION SELECT impl.target, impl.pos, c.task_id FROM tasklink AS c JOIN impl
    ON c.target_id = impl.id WHERE c.kind = 'carried_from'),
down(target, pos, root, id) AS (
    SELECT target, pos, id, id FROM impl
    UNION ALL SELECT down.target, down.pos, down.root, t.id FROM task AS t JOIN down
    ON t.parent_id = down.id WHERE NOT t.archived)
SELECT down.target, down.root, p.code, r.code, r.title, r.weight, r.status, r.archived,
       t.status, t.progress,
       EXISTS (SELECT 1 FROM task AS c WHERE c.parent_id = t.id AND NOT c.archived)
FROM down JOIN task AS r ON r.id = down.root JOIN plan AS p ON p.id = r.plan_id
JOIN task AS t ON t.id = down.id ORDER BY down.pos, p.id, r.code"""


def read_followed(db: Db, plan_id: int,
                  task_ids: Sequence[int] | None = None) -> dict[int, list[FollowedItem]]:
    """For the items of plan `plan_id` (or only `task_ids`), the items of other plans that
    carry them out (`implements`), or the copies those were carried over into, not
    archived: each with its progress (100 when done or closed, its active leaves' average
    when it has items below) and whether it counts (not cancelled, not carried over)."""
    if task_ids is None:
        chosen, params = "f.plan_id = ?", [plan_id]
    elif not task_ids:
        return {}
    else:
        chosen = f"f.id IN ({', '.join('?' * len(task_ids))})"
        params = list(task_ids)
    found: dict[tuple[int, int], tuple[str, str, float, Status]] = {}
    leaves: dict[tuple[int, int], list[tuple[bool, float]]] = defaultdict(list)
    for (target, root, plan_code, code, title, weight, root_status, archived, status,
         progress, has_kids) in db.rows(_FOLLOWED.format(chosen=chosen), params):
        if archived:
            continue
        key = (target, root)
        found.setdefault(key, (f"{plan_code}{PLAN_SEPARATOR}{code}", title, weight,
                               STATUS_BY_VALUE[root_status]))
        leaf_status = STATUS_BY_VALUE[status]
        if not has_kids:
            leaves[key].append((leaf_status not in SET_ASIDE,
                                100.0 if leaf_status in DONE_STATUSES else progress))
    followed: dict[int, list[FollowedItem]] = defaultdict(list)
    for (target, root), (name, title, weight, status) in found.items():
        every = leaves.get((target, root), [])
        # Set-aside items show the progress they reached, though it no longer counts.
        shares = [share for active, share in every if active] or [s for _a, s in every]
        counted = status not in SET_ASIDE and any(active for active, _share in every)
        followed[target].append(FollowedItem(name, title, weight,
                                             sum(shares) / len(shares) if shares else 0.0,
                                             counted))
    return dict(followed)


def read_unit_names(db: Db) -> dict[str, str]:
    """Unit names by id, in their file order."""
    return dict(db.rows("SELECT id, name FROM unit ORDER BY position, id"))


def read_revision(db: Db) -> int:
    """The plan's change counter (0 when there is no plan yet), as `queries.plan_revision`."""
    if db.one("SELECT 1 FROM plan LIMIT 1") is None:
        return 0
    row = db.one("SELECT revision FROM plan WHERE id = ?", (plan_scope(db),))
    return int(row[0]) if row is not None and row[0] is not None else 0


#: The ids of one item, its ancestors and its subtree (not archived below the item).
_BRANCH = """WITH RECURSIVE
down(id) AS (SELECT id FROM task WHERE plan_id = ? AND code = ?
             UNION ALL SELECT t.id FROM task AS t JOIN down ON t.parent_id = down.id
             WHERE NOT t.archived),
up(id, parent_id) AS (SELECT id, parent_id FROM task WHERE plan_id = ? AND code = ?
                      UNION ALL SELECT t.id, t.parent_id FROM task AS t
                      JOIN up ON t.id = up.parent_id),
wanted(id) AS (SELECT id FROM down UNION SELECT id FROM up)
"""


def read_tree(db: Db, *, include_archived: bool = False, branch: str | None = None) -> PlanTree:
    """The plan as a snapshot: tasks, their units, last reports and postponements, in a fixed
    handful of set queries whatever the plan's size.

    With `branch` (an item's code), only that item, its ancestors and its subtree: enough
    for the item's own figures and those of its children, and the path above it (the
    ancestors' figures in such a tree are not the plan's). The garbage collector pauses while
    the snapshot is built (core.model.building_snapshot)."""
    with building_snapshot():
        settings = read_settings(db)
        plan_id = plan_scope(db)
        prefix, params = ((_BRANCH, [plan_id, branch, plan_id, branch]) if branch is not None
                          else ("", []))
        only = " AND t.id IN (SELECT id FROM wanted)" if branch is not None else ""
        archived = "" if include_archived else " AND NOT t.archived"
        status_of = STATUS_BY_VALUE
        nodes = [
            TaskNode(task_id, code, title, parent_id, position, day(start), day(due),  # type: ignore[arg-type]  # NOT NULL
                     status_of[status], progress, weight, lead_unit, (), rollup_rule,
                     day(original_due), 0, bool(needs_coordination), coordination_reason, None,
                     version)
            for (task_id, code, title, parent_id, position, start, due, status, progress, weight,
                 rollup_rule, original_due, needs_coordination, coordination_reason, version,
                 lead_unit) in db.rows(
                prefix + "SELECT t.id, t.code, t.title, t.parent_id, t.position, t.start, t.due, "
                "t.status, t.progress, t.weight, t.rollup_rule, t.original_due, "
                "t.needs_coordination, t.coordination_reason, t.version, lead.unit_id "
                "FROM task AS t LEFT OUTER JOIN taskunit AS lead "
                "ON lead.task_id = t.id AND lead.role = 'lead' WHERE t.plan_id = ?"
                + archived + only,
                [*params, plan_id])
        ]
        by_id = {node.id: node for node in nodes}
        within = (" AND t.task_id IN (SELECT id FROM wanted)" if branch is not None else
                  " AND t.task_id IN (SELECT id FROM task WHERE plan_id = ?)")
        params = params if branch is not None else [plan_id]
        support: dict[int, list[str]] = defaultdict(list)
        for task_id, unit_id in db.rows(
                prefix + "SELECT t.task_id, t.unit_id FROM taskunit AS t "
                "WHERE t.role = 'support'" + within + " ORDER BY t.position", params):
            support[task_id].append(unit_id)
        for task_id, units in support.items():
            if task_id in by_id:
                by_id[task_id].support = tuple(units)
        for task_id, last_at in db.rows(
                prefix + "SELECT t.task_id, max(t.at) FROM progressupdate AS t WHERE 1 = 1"
                + within + " GROUP BY t.task_id", params):
            if task_id in by_id:
                by_id[task_id].last_report = local_date(last_at)
        for task_id, moved_later in db.rows(
                prefix + "SELECT t.task_id, count(*) FROM duechange AS t "
                "WHERE t.new_due > t.old_due" + within + " GROUP BY t.task_id", params):
            if task_id in by_id:
                by_id[task_id].postponements = moved_later
        tree = PlanTree.build(settings, nodes)
        if settings.follow_annual:
            tree.followed = read_followed(
                db, plan_id, None if branch is None else [n.id for n in nodes
                                                          if tree.is_leaf(n.id)])
        return tree


@dataclass(slots=True)
class ItemRow:
    """What an item's detail shows besides its tree node."""

    id: int
    code: str
    archived: bool
    source: str | None
    description: str | None


def read_item(db: Db, code: str) -> ItemRow:
    """The item with `code` (archived or not; `PLAN:CODE` for another plan's), or a
    PlannerError naming the code."""
    row = db.one("SELECT id, code, archived, source, description FROM task "
                 "WHERE plan_id = ? AND code = ?", split_code(db, code))
    if row is None:
        raise PlannerError("db_no_item", code=code, where=code)
    task_id, found, archived, source, description = row
    return ItemRow(task_id, found, bool(archived), source, description)


@dataclass(slots=True)
class TaskState:
    """What a write to one item checks and changes."""

    id: int
    code: str
    status: str
    progress: float
    version: int
    archived: bool
    start: date
    due: date


def read_task_state(db: Db, code: str) -> TaskState:
    """The item with `code` (archived or not; `PLAN:CODE` for another plan's) as a write
    sees it, or a PlannerError."""
    plan_id, item_code = split_code(db, code)
    row = db.one("SELECT id, code, status, progress, version, archived, start, due FROM task "
                 "WHERE plan_id = ? AND code = ?", (plan_id, item_code))
    if row is None:
        raise PlannerError("db_no_item", code=code, where=code)
    task_id, found, status, progress, version, archived, start, due = row
    return TaskState(task_id, found, status, progress, version, bool(archived),
                     day(start), day(due))  # type: ignore[arg-type]  # NOT NULL columns


@dataclass(slots=True)
class HistoryEntry:
    """One line of an item's history: a progress update or a deadline move."""

    at: datetime
    unit: str | None
    user: str | None
    old_status: str | None = None
    new_status: str | None = None
    old_progress: float | None = None
    new_progress: float | None = None
    note: str | None = None
    old_due: date | None = None
    new_due: date | None = None
    step: str | None = None
    """A step of the 督办 cycle (`cycleevent.kind`): `note` is its reason, `new_due` the
    date an extension asks or grants, and the fields below the rest."""
    step_id: int | None = None
    step_unit: str | None = None
    step_request: int | None = None
    step_state: str | None = None
    notice: str | None = None
    """A notice naming the item (督办〔2026〕3号): `step_unit` is the unit it went to, in
    its `notice_role`, and `notice_feedback` the date its answer is due."""
    notice_role: str | None = None
    notice_feedback: date | None = None


def read_history(db: Db, task_id: int) -> list[HistoryEntry]:
    """Progress updates, deadline moves, steps of the 督办 cycle and the notices naming one
    item, oldest first."""
    entries = [
        HistoryEntry(moment(at), unit, user, old_status, new_status, old_progress,
                     new_progress, note)
        for at, unit, user, old_status, new_status, old_progress, new_progress, note in db.rows(
            "SELECT at, by_unit, by_user, old_status, new_status, old_progress, new_progress, "
            "note FROM progressupdate WHERE task_id = ? ORDER BY id", (task_id,))
    ]
    entries += [
        HistoryEntry(moment(at), None, user, note=reason, old_due=day(old_due),
                     new_due=day(new_due))
        for at, user, reason, old_due, new_due in db.rows(
            "SELECT at, by_user, reason, old_due, new_due FROM duechange WHERE task_id = ? "
            "ORDER BY id", (task_id,))
    ]
    entries += [
        HistoryEntry(moment(at), unit, user, note=reason, new_due=day(new_due), step=kind,
                     step_id=event_id, step_unit=concerned, step_request=request_id,
                     step_state=state)
        for event_id, kind, at, user, unit, concerned, reason, new_due, request_id, state
        in db.rows("SELECT id, kind, at, by_user, by_unit, unit_id, reason, new_due, "
                   "request_id, state FROM cycleevent WHERE task_id = ? ORDER BY id",
                   (task_id,))
    ]
    entries += [
        HistoryEntry(moment(at), None, user, step_unit=unit, notice=number, notice_role=role,
                     notice_feedback=day(feedback_by))
        for at, user, unit, number, role, feedback_by in db.rows(
            "SELECT n.at, n.by_user, n.unit_id, n.number, i.role, n.feedback_by "
            "FROM noticeitem AS i JOIN notice AS n ON n.id = i.notice_id "
            "WHERE i.task_id = ? AND i.event_id IS NULL ORDER BY n.id", (task_id,))
    ]  # a notice that recorded a 催办 step shows as that step
    return sorted(entries, key=lambda e: e.at)


def read_indicators(db: Db, *, task_code: str | None = None) -> "list[IndicatorSnapshot]":
    """Indicators (all, or those of one item) with year targets and readings, oldest first."""
    from planner.core.indicators import IndicatorSnapshot, Reading  # not needed at start

    where = " WHERE i.plan_id = ?"
    params: list[int | str] = [plan_scope(db)]
    if task_code is not None:
        plan_id, item_code = split_code(db, task_code)
        where, params = " WHERE t.plan_id = ? AND t.code = ?", [plan_id, item_code]
    rows = db.rows("SELECT i.id, i.code, i.name, i.measure, i.baseline, i.target, i.direction, "
                   "i.note, t.code FROM indicator AS i LEFT OUTER JOIN task AS t "
                   "ON t.id = i.task_id" + where + " ORDER BY i.position, i.code", params)
    ids = [row[0] for row in rows]
    targets: dict[int, dict[int, float]] = defaultdict(dict)
    readings: dict[int, list[Reading]] = defaultdict(list)
    if ids:
        marks = ", ".join("?" * len(ids))
        for indicator_id, year, value in db.rows(
                f"SELECT indicator_id, year, value FROM indicatortarget "
                f"WHERE indicator_id IN ({marks})", ids):
            targets[indicator_id][year] = value
        for indicator_id, on, value, source in db.rows(
                f'SELECT indicator_id, "on", value, source FROM indicatorreading '
                f'WHERE indicator_id IN ({marks}) ORDER BY "on", id', ids):
            readings[indicator_id].append(Reading(day(on), value, source))  # type: ignore[arg-type]  # NOT NULL column
    return [
        IndicatorSnapshot(code=code, name=name, unit=measure, baseline=baseline, target=target,
                          direction=direction, task_code=task, year_targets=targets[ind_id],
                          readings=readings[ind_id], note=note)
        for ind_id, code, name, measure, baseline, target, direction, note, task in rows
    ]
