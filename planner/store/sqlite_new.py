"""A new SQLite database on the DB-API alone: its schema, and the bulk rows of a first import.

`planner import` into a new SQLite file would otherwise load SQLAlchemy and SQLModel (about
half a second) only to create the tables (`SQLModel.metadata.create_all`, store/migrate.py)
and to write rows it already holds as tuples. `SCHEMA` is the DDL that `create_all` runs on
SQLite, captured once; `tests/store/test_sqlite_new.py` checks it gives exactly the schema of
`ensure_current` (and so of the migrations), and says how to capture it again when a model
changes. The bulk writes are those of store/bulk.py on a plain `sqlite3` connection: one
executemany per table, an empty table's indexes made after its rows, a large page cache.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from planner.core.model import collector_paused
from planner.store.dbapi import SCHEMA_HEAD, Db, sqlite_file_transaction

#: Rows from which a bulk insert into an empty SQLite table builds the table's indexes after
#: the rows rather than entry by entry (one sort per index instead of a B-tree descent per
#: row and index: about a third of the insert's time at 100,000 items).
INDEX_AFTER_ROWS = 1_000
#: SQLite's page cache during a bulk write (KiB, as `PRAGMA cache_size` takes a negative
#: figure): room for the indexes of a 100,000-item plan, so the inserts seldom go to the
#: file for a page of an index; memory is taken only as pages are read.
BULK_CACHE_KIB = 256 * 1024

#: The columns of a new task as an import writes them, in the order of its row tuples.
TASK_COLUMNS = ("id", "plan_id", "code", "parent_id", "position", "title", "description",
                "source", "start", "due", "original_due", "status", "progress", "weight",
                "rollup_rule", "repeat_rule", "repeat_duration", "generated",
                "needs_coordination", "coordination_reason", "archived", "version",
                "created_at", "updated_at")
#: The columns of a lead/support row, in the order of its row tuples.
TASK_UNIT_COLUMNS = ("task_id", "unit_id", "role", "position")
#: A statement run on the open transaction, with its rows ([] for one that returns none).
Run = Callable[..., list[tuple[Any, ...]]]

#: The tables and indexes of the newest schema (SCHEMA_HEAD) as `create_all` makes them on
#: SQLite, in its order, then Alembic's version table as `store.migrate.VERSION_TABLE`.
SCHEMA: tuple[str, ...] = (
    'CREATE TABLE "plan" (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tcode VARCHAR NOT NULL, \n'
    '\tkind VARCHAR NOT NULL, \n'
    '\tparent_id INTEGER, \n'
    '\tstate VARCHAR NOT NULL, \n'
    '\tcurrent BOOLEAN NOT NULL, \n'
    '\ttitle VARCHAR NOT NULL, \n'
    '\tstart DATE NOT NULL, \n'
    '\t"end" DATE NOT NULL, \n'
    '\treport_cycle VARCHAR NOT NULL, \n'
    '\trollup VARCHAR NOT NULL, \n'
    '\ttolerance FLOAT NOT NULL, \n'
    '\tdue_soon_days INTEGER NOT NULL, \n'
    '\tsource VARCHAR, \n'
    '\trevision INTEGER NOT NULL, \n'
    '\tuid VARCHAR NOT NULL, \n'
    '\tacknowledge_days INTEGER NOT NULL, \n'
    '\treview BOOLEAN NOT NULL, \n'
    '\tfollow_annual BOOLEAN NOT NULL, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(parent_id) REFERENCES "plan" (id)\n'
    ')',
    'CREATE UNIQUE INDEX ix_plan_code ON "plan" (code)',
    'CREATE TABLE unit (\n'
    '\tid VARCHAR NOT NULL, \n'
    '\tname VARCHAR NOT NULL, \n'
    '\tkind VARCHAR NOT NULL, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\tPRIMARY KEY (id)\n'
    ')',
    'CREATE TABLE unitgroup (\n'
    '\tid VARCHAR NOT NULL, \n'
    '\tname VARCHAR NOT NULL, \n'
    '\tmembers VARCHAR NOT NULL, \n'
    '\taliases VARCHAR NOT NULL, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\tPRIMARY KEY (id)\n'
    ')',
    'CREATE TABLE meeting (\n'
    '\tid INTEGER NOT NULL, \n'
    '\t"on" DATE NOT NULL, \n'
    '\ttitle VARCHAR NOT NULL, \n'
    '\tkind VARCHAR NOT NULL, \n'
    '\tstatus VARCHAR NOT NULL, \n'
    '\tlength_minutes INTEGER NOT NULL, \n'
    '\tcreated_at DATETIME NOT NULL, \n'
    '\tplace VARCHAR, \n'
    '\tstart_time VARCHAR, \n'
    '\tPRIMARY KEY (id)\n'
    ')',
    'CREATE INDEX ix_meeting_on ON meeting ("on")',
    'CREATE TABLE rollupstate (\n'
    '\tplan_id INTEGER NOT NULL, \n'
    '\trevision INTEGER NOT NULL, \n'
    '\ttoday DATE NOT NULL, \n'
    '\tzone VARCHAR NOT NULL, \n'
    '\tPRIMARY KEY (plan_id)\n'
    ')',
    'CREATE TABLE rollupcache (\n'
    '\ttask_id INTEGER NOT NULL, \n'
    '\trule VARCHAR NOT NULL, \n'
    '\tprogress FLOAT NOT NULL, \n'
    '\texpected FLOAT NOT NULL, \n'
    '\tcolour VARCHAR NOT NULL, \n'
    '\tstatus_counts VARCHAR NOT NULL, \n'
    '\tearliest_open_due DATE, \n'
    '\tunreported INTEGER NOT NULL, \n'
    '\tactive_leaves INTEGER NOT NULL, \n'
    '\tleaf_progress_sum FLOAT NOT NULL, \n'
    '\tleaf_expected_sum FLOAT NOT NULL, \n'
    '\tPRIMARY KEY (task_id)\n'
    ')',
    'CREATE TABLE noticecounter (\n'
    '\tkind VARCHAR NOT NULL, \n'
    '\tyear INTEGER NOT NULL, \n'
    '\tlast_serial INTEGER NOT NULL, \n'
    '\tPRIMARY KEY (kind, year)\n'
    ')',
    'CREATE TABLE unitalias (\n'
    '\tname VARCHAR NOT NULL, \n'
    '\tunit_id VARCHAR NOT NULL, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\tPRIMARY KEY (name), \n'
    '\tFOREIGN KEY(unit_id) REFERENCES unit (id)\n'
    ')',
    'CREATE INDEX ix_unitalias_unit_id ON unitalias (unit_id)',
    'CREATE TABLE meetingunit (\n'
    '\tmeeting_id INTEGER NOT NULL, \n'
    '\tunit_id VARCHAR NOT NULL, \n'
    '\trole VARCHAR NOT NULL, \n'
    '\tPRIMARY KEY (meeting_id, unit_id), \n'
    '\tFOREIGN KEY(meeting_id) REFERENCES meeting (id), \n'
    '\tFOREIGN KEY(unit_id) REFERENCES unit (id)\n'
    ')',
    'CREATE TABLE agendaitem (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tmeeting_id INTEGER NOT NULL, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\tsection VARCHAR NOT NULL, \n'
    '\ttitle VARCHAR NOT NULL, \n'
    '\tdetail VARCHAR, \n'
    '\tpresenter VARCHAR, \n'
    '\tunits VARCHAR NOT NULL, \n'
    '\ttask_codes VARCHAR NOT NULL, \n'
    '\tminutes INTEGER NOT NULL, \n'
    '\tfixed_minutes BOOLEAN NOT NULL, \n'
    '\tincluded BOOLEAN NOT NULL, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(meeting_id) REFERENCES meeting (id), \n'
    '\tFOREIGN KEY(presenter) REFERENCES unit (id)\n'
    ')',
    'CREATE INDEX ix_agendaitem_meeting_id ON agendaitem (meeting_id)',
    'CREATE TABLE planneruser (\n'
    '\tname VARCHAR NOT NULL, \n'
    '\tunit_id VARCHAR, \n'
    '\tcoordinator BOOLEAN NOT NULL, \n'
    '\tcreated_at DATETIME NOT NULL, \n'
    '\tPRIMARY KEY (name), \n'
    '\tFOREIGN KEY(unit_id) REFERENCES unit (id)\n'
    ')',
    'CREATE TABLE notice (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tkind VARCHAR NOT NULL, \n'
    '\tyear INTEGER NOT NULL, \n'
    '\tserial INTEGER NOT NULL, \n'
    '\tnumber VARCHAR NOT NULL, \n'
    '\tplan_id INTEGER NOT NULL, \n'
    '\tunit_id VARCHAR NOT NULL, \n'
    '\tat DATETIME NOT NULL, \n'
    '\tby_user VARCHAR, \n'
    '\tfeedback_by DATE NOT NULL, \n'
    '\tPRIMARY KEY (id), \n'
    '\tUNIQUE (kind, year, serial), \n'
    '\tFOREIGN KEY(plan_id) REFERENCES "plan" (id), \n'
    '\tFOREIGN KEY(unit_id) REFERENCES unit (id)\n'
    ')',
    'CREATE INDEX ix_notice_unit_id ON notice (unit_id)',
    'CREATE TABLE decision (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tmeeting_id INTEGER NOT NULL, \n'
    '\tagenda_item_id INTEGER, \n'
    '\tabout_code VARCHAR, \n'
    '\ttext VARCHAR NOT NULL, \n'
    '\tcreated_at DATETIME NOT NULL, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(meeting_id) REFERENCES meeting (id), \n'
    '\tFOREIGN KEY(agenda_item_id) REFERENCES agendaitem (id)\n'
    ')',
    'CREATE INDEX ix_decision_meeting_id ON decision (meeting_id)',
    'CREATE TABLE task (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tplan_id INTEGER NOT NULL, \n'
    '\tcode VARCHAR NOT NULL, \n'
    '\tparent_id INTEGER, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\ttitle VARCHAR NOT NULL, \n'
    '\tdescription VARCHAR, \n'
    '\tsource VARCHAR, \n'
    '\tstart DATE NOT NULL, \n'
    '\tdue DATE NOT NULL, \n'
    '\toriginal_due DATE NOT NULL, \n'
    '\tstatus VARCHAR NOT NULL, \n'
    '\tprogress FLOAT NOT NULL, \n'
    '\tweight FLOAT NOT NULL, \n'
    '\trollup_rule VARCHAR, \n'
    '\trepeat_rule VARCHAR, \n'
    '\trepeat_duration INTEGER, \n'
    '\tgenerated BOOLEAN NOT NULL, \n'
    '\tneeds_coordination BOOLEAN NOT NULL, \n'
    '\tcoordination_reason VARCHAR, \n'
    '\tarchived BOOLEAN NOT NULL, \n'
    '\tdecision_id INTEGER, \n'
    '\tversion INTEGER NOT NULL, \n'
    '\tcreated_at DATETIME NOT NULL, \n'
    '\tupdated_at DATETIME NOT NULL, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(plan_id) REFERENCES "plan" (id), \n'
    '\tFOREIGN KEY(parent_id) REFERENCES task (id), \n'
    '\tFOREIGN KEY(decision_id) REFERENCES decision (id)\n'
    ')',
    'CREATE INDEX ix_task_parent_id ON task (parent_id)',
    'CREATE UNIQUE INDEX ix_task_plan_code ON task (plan_id, code)',
    'CREATE INDEX ix_task_decision_id ON task (decision_id)',
    'CREATE TABLE taskunit (\n'
    '\ttask_id INTEGER NOT NULL, \n'
    '\tunit_id VARCHAR NOT NULL, \n'
    '\trole VARCHAR NOT NULL, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\tPRIMARY KEY (task_id, unit_id), \n'
    '\tFOREIGN KEY(task_id) REFERENCES task (id), \n'
    '\tFOREIGN KEY(unit_id) REFERENCES unit (id)\n'
    ')',
    'CREATE INDEX ix_taskunit_unit_id ON taskunit (unit_id)',
    'CREATE TABLE progressupdate (\n'
    '\tid INTEGER NOT NULL, \n'
    '\ttask_id INTEGER NOT NULL, \n'
    '\tat DATETIME NOT NULL, \n'
    '\tby_unit VARCHAR, \n'
    '\tby_user VARCHAR, \n'
    '\told_status VARCHAR NOT NULL, \n'
    '\tnew_status VARCHAR NOT NULL, \n'
    '\told_progress FLOAT NOT NULL, \n'
    '\tnew_progress FLOAT NOT NULL, \n'
    '\tnote VARCHAR, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(task_id) REFERENCES task (id), \n'
    '\tFOREIGN KEY(by_unit) REFERENCES unit (id)\n'
    ')',
    'CREATE INDEX ix_progressupdate_at ON progressupdate (at, by_unit, task_id)',
    'CREATE INDEX ix_progressupdate_task_id ON progressupdate (task_id, at)',
    'CREATE INDEX ix_progressupdate_settling ON progressupdate '
    "(task_id, at, new_status, old_status) WHERE new_status IN ('done', 'closed', "
    "'cancelled') AND old_status NOT IN ('done', 'closed', 'cancelled')",
    'CREATE TABLE duechange (\n'
    '\tid INTEGER NOT NULL, \n'
    '\ttask_id INTEGER NOT NULL, \n'
    '\tat DATETIME NOT NULL, \n'
    '\told_due DATE NOT NULL, \n'
    '\tnew_due DATE NOT NULL, \n'
    '\treason VARCHAR NOT NULL, \n'
    '\tby_user VARCHAR, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(task_id) REFERENCES task (id)\n'
    ')',
    'CREATE INDEX ix_duechange_task_id ON duechange (task_id)',
    'CREATE TABLE indicator (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tplan_id INTEGER NOT NULL, \n'
    '\tcode VARCHAR NOT NULL, \n'
    '\tname VARCHAR NOT NULL, \n'
    '\tmeasure VARCHAR NOT NULL, \n'
    '\tbaseline FLOAT NOT NULL, \n'
    '\ttarget FLOAT, \n'
    '\tdirection VARCHAR NOT NULL, \n'
    '\ttask_id INTEGER, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\tnote VARCHAR, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(plan_id) REFERENCES "plan" (id), \n'
    '\tFOREIGN KEY(task_id) REFERENCES task (id)\n'
    ')',
    'CREATE UNIQUE INDEX ix_indicator_plan_code ON indicator (plan_id, code)',
    'CREATE TABLE cycleevent (\n'
    '\tid INTEGER NOT NULL, \n'
    '\ttask_id INTEGER NOT NULL, \n'
    '\tkind VARCHAR NOT NULL, \n'
    '\tat DATETIME NOT NULL, \n'
    '\tby_user VARCHAR, \n'
    '\tby_unit VARCHAR, \n'
    '\tunit_id VARCHAR, \n'
    '\treason VARCHAR, \n'
    '\tnew_due DATE, \n'
    '\trequest_id INTEGER, \n'
    '\tstate VARCHAR, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(task_id) REFERENCES task (id), \n'
    '\tFOREIGN KEY(by_unit) REFERENCES unit (id), \n'
    '\tFOREIGN KEY(unit_id) REFERENCES unit (id), \n'
    '\tFOREIGN KEY(request_id) REFERENCES cycleevent (id)\n'
    ')',
    'CREATE INDEX ix_cycleevent_task_id ON cycleevent (task_id)',
    'CREATE INDEX ix_cycleevent_at ON cycleevent (at)',
    'CREATE INDEX ix_cycleevent_state ON cycleevent (state)',
    'CREATE TABLE tasklink (\n'
    '\ttask_id INTEGER NOT NULL, \n'
    '\tkind VARCHAR NOT NULL, \n'
    '\ttarget_id INTEGER NOT NULL, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\tPRIMARY KEY (task_id, kind, target_id), \n'
    '\tFOREIGN KEY(task_id) REFERENCES task (id), \n'
    '\tFOREIGN KEY(target_id) REFERENCES task (id)\n'
    ')',
    'CREATE INDEX ix_tasklink_target_id ON tasklink (target_id)',
    'CREATE TABLE indicatortarget (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tindicator_id INTEGER NOT NULL, \n'
    '\tyear INTEGER NOT NULL, \n'
    '\tvalue FLOAT NOT NULL, \n'
    '\tPRIMARY KEY (id), \n'
    '\tUNIQUE (indicator_id, year), \n'
    '\tFOREIGN KEY(indicator_id) REFERENCES indicator (id)\n'
    ')',
    'CREATE INDEX ix_indicatortarget_indicator_id ON indicatortarget (indicator_id)',
    'CREATE TABLE indicatorreading (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tindicator_id INTEGER NOT NULL, \n'
    '\t"on" DATE NOT NULL, \n'
    '\tvalue FLOAT NOT NULL, \n'
    '\tsource VARCHAR, \n'
    '\trecorded_at DATETIME NOT NULL, \n'
    '\tby_user VARCHAR, \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(indicator_id) REFERENCES indicator (id)\n'
    ')',
    'CREATE INDEX ix_indicatorreading_indicator_id ON indicatorreading (indicator_id)',
    'CREATE TABLE noticeitem (\n'
    '\tnotice_id INTEGER NOT NULL, \n'
    '\ttask_id INTEGER NOT NULL, \n'
    '\tposition INTEGER NOT NULL, \n'
    '\trole VARCHAR NOT NULL, \n'
    '\tevent_id INTEGER, \n'
    '\tPRIMARY KEY (notice_id, task_id), \n'
    '\tFOREIGN KEY(notice_id) REFERENCES notice (id), \n'
    '\tFOREIGN KEY(task_id) REFERENCES task (id), \n'
    '\tFOREIGN KEY(event_id) REFERENCES cycleevent (id)\n'
    ')',
    'CREATE INDEX ix_noticeitem_task_id ON noticeitem (task_id)',
    'CREATE TABLE alembic_version (\n'
    '\tversion_num VARCHAR(32) NOT NULL, \n'
    '\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n'
    ')',
)


def create_sqlite_file(path: str) -> None:
    """Make the SQLite file at `path` (and its folders) with the newest schema, stamped, in
    one transaction, as `store.migrate.ensure_current` makes a new database; nothing when
    another process made its tables first."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with sqlite_file_transaction(path, write=True) as db:
        if db.one("SELECT 1 FROM sqlite_master LIMIT 1") is None:
            for statement in SCHEMA:
                db.execute(statement)
            db.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (SCHEMA_HEAD,))


def stored(value: Any) -> Any:
    """A value as SQLAlchemy's SQLite types store it: dates as ISO text, timestamps as
    `YYYY-MM-DD HH:MM:SS.ffffff` (any offset dropped), booleans as 0 or 1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S.%f}"
    return value.isoformat() if isinstance(value, date) else value


def once_per_value(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, run once per distinct value (a plan repeats its dates, flags and
    timestamps)."""
    converted: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        known = converted.get(value, converted)
        if known is converted:
            known = converted[value] = convert(value)
        return known

    return cached


def insert_rows(db: Db, table: str, columns: Sequence[str],
                rows: list[tuple[Any, ...]]) -> None:
    """INSERT every row (a tuple in `columns` order, values as stored) into `table` of a
    SQLite transaction, in one executemany."""
    if not rows:
        return
    nulls = _null_columns(rows)
    if nulls and len(nulls) < len(columns) - 1:  # (every row must stay a tuple)
        # Binding a None costs the `sqlite3` module an adapter look-up that fails (a key
        # tuple, a dict miss, two attribute searches: some 3,000 instructions): a column
        # None in every row is written once, as NULL in the statement.
        rows = list(map(itemgetter(*[index for index in range(len(columns))
                                     if index not in nulls]), rows))
    else:
        nulls = set()
    names = ", ".join(f'"{name}"' for name in columns)
    values = ", ".join("NULL" if index in nulls else "?" for index in range(len(columns)))
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({values})'
    with collector_paused(), indexes_after(db.rows, table, len(rows)):
        db.connection.executemany(sql, rows)


def _null_columns(rows: list[tuple[Any, ...]]) -> set[int]:
    """The indexes of the columns that are None in every row."""
    first, last = rows[0], rows[-1]
    return {index for index, value in enumerate(first)
            if value is None and last[index] is None
            and list(map(itemgetter(index), rows)).count(None) == len(rows)}


@contextmanager
def indexes_after(run: Run, table: str, row_count: int) -> Iterator[None]:
    """Into an empty SQLite table, `row_count` ≥ INDEX_AFTER_ROWS rows go in without the
    table's own indexes, which are made again after them from their stored definitions,
    in the same transaction (the caller's, which `run` executes in): a failed insert, or a
    unique index the rows break (refused when it is made again), rolls the drop back with
    everything else. Readers keep their snapshot (WAL) and writers queue behind the write
    lock, so no one sees the table without them. Elsewhere nothing changes."""
    if row_count < INDEX_AFTER_ROWS or run(f'SELECT 1 FROM "{table}" LIMIT 1'):
        yield
        return
    indexes = run("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                  "AND sql IS NOT NULL ORDER BY rowid", (table,))
    for name, _ in indexes:
        run(f'DROP INDEX "{name}"')
    yield
    for _, definition in indexes:
        run(definition)


@contextmanager
def large_cache(run: Run) -> Iterator[None]:
    """A page cache large enough for a big import's indexes while the block runs (SQLite),
    the connection's own size restored after (whatever happens: a pooled connection keeps
    its settings). Durability and atomicity are those of every transaction: no journal or
    synchronous setting is touched."""
    before = run("PRAGMA cache_size")[0][0]
    run(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        run(f"PRAGMA cache_size = {int(before or 0)}")
