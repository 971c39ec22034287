"""Access by unit on PostgreSQL, enforced by the database itself: two group roles, their
grants, two helper functions and row-level security policies; and what a unit's role writes
is validated there too (`install_integrity`).

- `planner_unit`: reads everything; may UPDATE only a task's status, progress, version and
  updated_at, bump the plan's revision, and INSERT history (progress updates, indicator
  readings) — and row-level security limits those to the items its unit leads or supports.
- `planner_coordinator`: reads and writes every planner table.

Each planner user is a login role in one of the groups, and a `planneruser` row says which
unit it belongs to (or that it is a coordinator). The table owner (the administrator who
runs the migrations) and superusers bypass row-level security, as PostgreSQL does.

Roles belong to the whole server, group membership too: give each planner database its
own server, or user names that are not reused across planner databases on one server.

`install` is idempotent (roles created only when missing, functions replaced, policies
dropped and made again); a later migration that adds a table calls it again so the groups'
grants cover the new table. Run by migration 0003 and when a fresh database is created.

Integrity (`install_integrity`, migration 0005 and a fresh database): CHECK constraints on
the tables units write (known statuses, progress finite and 0–100, finite readings, sane
dates), binding everyone; and triggers that bind only a *restricted* role (neither
administrator nor coordinator, see `planner_is_restricted`):

- a change to an item follows the allowed status transitions (core/status.py), keeps a done
  item at 100%, touches only a leaf that is not archived (parents are rolled up), raises the
  version by exactly one and gets the server's time as updated_at; it is noted as pending
  (old and new status and progress) in `planner_pending`, a table only the SECURITY DEFINER
  trigger functions read and write, and a second change of the item waits for the first
  one's history row; at commit no change may be pending (a deferred constraint trigger,
  which SET CONSTRAINTS can move earlier but not switch off);
- a progress update must match a pending change exactly (old and new status and progress)
  and consumes it, so there is one history row per change, never one without a change;
  savepoints cannot split the two (the pending row is keyed by the top-level transaction
  and goes when a savepoint is rolled back, as the change does). Its note is at most
  MAX_NOTE_CHARS characters without control characters but newline and tab, and its time
  is the server's (`now()`), whatever the client sends; readings likewise get the server's
  time, a value within ±MAX_MEASURE and a short source without control characters (these
  text and range limits bind unit roles only: data written before they existed may break
  them);
- the plan's revision moves by exactly one per statement.

Triggers, not a SECURITY DEFINER function for reporting: the program's own write path
(services/updates.py: UPDATE task … version + 1, INSERT progressupdate, UPDATE plan revision
+ 1, in one transaction) already has this shape, so it runs unchanged as a unit's role.
"""

from sqlalchemy.engine import Connection

from planner.core.cycle import UNIT_STEPS
from planner.core.dates import RECORDED_YEARS
from planner.core.errors import PlannerError
from planner.core.status import ALLOWED_TRANSITIONS, DONE_STATUSES, Status
from planner.core.text import MAX_CODE_CHARS, MAX_MEASURE, MAX_NOTE_CHARS, READING_SOURCE

UNIT_ROLE = "planner_unit"
COORDINATOR_ROLE = "planner_coordinator"
GROUP_ROLES = (UNIT_ROLE, COORDINATOR_ROLE)
RLS_TABLES = ("task", "progressupdate", "indicatorreading")
POLICIES = ("planner_read", "planner_coordinator", "planner_unit_report")

_ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'planner_unit') THEN
        CREATE ROLE planner_unit NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'planner_coordinator') THEN
        CREATE ROLE planner_coordinator NOLOGIN;
    END IF;
END
$$
"""

_GRANTS = """
GRANT USAGE ON SCHEMA {schema} TO planner_unit, planner_coordinator;
GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO planner_unit, planner_coordinator;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO planner_unit;
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO planner_coordinator;
REVOKE INSERT, UPDATE, DELETE ON {schema}.alembic_version FROM planner_coordinator;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO planner_coordinator;
GRANT INSERT ON {schema}.progressupdate, {schema}.indicatorreading TO planner_unit;
GRANT UPDATE (status, progress, version, updated_at) ON {schema}.task TO planner_unit;
GRANT UPDATE (revision) ON {schema}.plan TO planner_unit
"""

# SECURITY INVOKER on purpose: inside a SECURITY DEFINER function current_user is the
# function's owner. Both groups may read planneruser, and the fixed search_path keeps a
# caller's own objects out. An empty planneruser table means trust mode (everyone is a
# coordinator), as in the Python checks.
_FUNCTIONS = """
CREATE OR REPLACE FUNCTION {schema}.planner_is_coordinator() RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
    SELECT NOT EXISTS (SELECT 1 FROM planneruser)
        OR EXISTS (SELECT 1 FROM planneruser WHERE name = current_user AND coordinator)
$$;
CREATE OR REPLACE FUNCTION {schema}.planner_current_unit() RETURNS varchar
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
    SELECT unit_id FROM planneruser WHERE name = current_user AND NOT coordinator
$$
"""

_COORDINATOR = "(SELECT {schema}.planner_is_coordinator())"
_UNIT = "(SELECT {schema}.planner_current_unit())"
_OWN_TASK = ("EXISTS (SELECT 1 FROM {schema}.taskunit AS tu WHERE tu.task_id = {task_id} "
             "AND tu.unit_id = " + _UNIT + ")")

_POLICIES = {
    "task": [
        "CREATE POLICY planner_unit_report ON {schema}.task FOR UPDATE "
        "USING (status <> 'closed' AND " + _OWN_TASK.replace("{task_id}", "task.id") + ") "
        "WITH CHECK (status <> 'closed' AND "
        + _OWN_TASK.replace("{task_id}", "task.id") + ")",
    ],
    "progressupdate": [
        "CREATE POLICY planner_unit_report ON {schema}.progressupdate FOR INSERT "
        "WITH CHECK (by_user = current_user::text AND old_status <> 'closed' "
        "AND new_status <> 'closed' AND coalesce(by_unit, " + _UNIT + ") = " + _UNIT
        + " AND EXISTS (SELECT 1 FROM {schema}.task AS t WHERE t.id = progressupdate.task_id "
        "AND t.status <> 'closed') AND "
        + _OWN_TASK.replace("{task_id}", "progressupdate.task_id") + ")",
    ],
    "indicatorreading": [
        "CREATE POLICY planner_unit_report ON {schema}.indicatorreading FOR INSERT "
        "WITH CHECK (by_user = current_user::text AND EXISTS (SELECT 1 FROM "
        "{schema}.indicator AS i JOIN {schema}.taskunit AS tu ON tu.task_id = i.task_id "
        "WHERE i.id = indicatorreading.indicator_id AND tu.unit_id = " + _UNIT + "))",
    ],
}


def _schema(connection: Connection) -> str:
    name = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    return str(connection.dialect.identifier_preparer.quote_identifier(name))


def _run(connection: Connection, script: str, schema: str) -> None:
    for statement in script.format(schema=schema).split(";\n"):
        if statement.strip():
            connection.exec_driver_sql(statement)


def _reset_policies(connection: Connection, schema: str, table: str) -> None:
    """Row-level security on `table` with the policies every table has: everyone reads,
    coordinators write (the unit's own policies are added by the caller)."""
    qualified = f"{schema}.{table}"
    for policy in POLICIES:
        connection.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON {qualified}")
    connection.exec_driver_sql(f"ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY")
    connection.exec_driver_sql(f"CREATE POLICY planner_read ON {qualified} FOR SELECT "
                               "USING (true)")
    coordinator = _COORDINATOR.format(schema=schema)
    connection.exec_driver_sql(f"CREATE POLICY planner_coordinator ON {qualified} FOR ALL "
                               f"USING ({coordinator}) WITH CHECK ({coordinator})")


def install(connection: Connection) -> None:
    """Create (or refresh) the group roles, grants, helper functions and policies."""
    schema = _schema(connection)
    connection.exec_driver_sql(_ROLES)
    _run(connection, _GRANTS, schema)
    _run(connection, _FUNCTIONS, schema)
    for table, own_policies in _POLICIES.items():
        _reset_policies(connection, schema, table)
        for policy in own_policies:
            connection.exec_driver_sql(policy.format(schema=schema))
    if _has_cycle_table(connection):  # a fresh database (before 0009, migrations add it)
        install_cycle_access(connection)


# The supervision cycle's steps (migration 0009): everyone reads them, coordinators write
# them, and a unit's role adds only its own steps — 签收, 退办, 延期申请 and 办结申请 on the
# items its unit leads, as itself, never an answer (a request's state stays pending).
CYCLE_TABLE = "cycleevent"
_CYCLE_GRANTS = """
GRANT SELECT ON {schema}.cycleevent TO planner_unit, planner_coordinator;
GRANT INSERT ON {schema}.cycleevent TO planner_unit;
GRANT INSERT, UPDATE, DELETE ON {schema}.cycleevent TO planner_coordinator;
GRANT USAGE, SELECT ON {schema}.cycleevent_id_seq TO planner_unit, planner_coordinator"""
_CYCLE_UNIT_POLICY = (
    "CREATE POLICY planner_unit_report ON {schema}.cycleevent FOR INSERT "
    "WITH CHECK (by_user = current_user::text AND by_unit = " + _UNIT + " "
    "AND kind IN (" + ", ".join(f"'{kind}'" for kind in sorted(UNIT_STEPS)) + ") "
    "AND (state IS NULL OR state = 'pending') "
    "AND EXISTS (SELECT 1 FROM {schema}.taskunit AS tu WHERE tu.task_id = cycleevent.task_id "
    "AND tu.role = 'lead' AND tu.unit_id = " + _UNIT + "))")


def install_cycle_access(connection: Connection) -> None:
    """Grants and row-level security of the cycle's events (idempotent)."""
    schema = _schema(connection)
    _run(connection, _CYCLE_GRANTS, schema)
    _reset_policies(connection, schema, CYCLE_TABLE)
    connection.exec_driver_sql(_CYCLE_UNIT_POLICY.format(schema=schema))


def _has_cycle_table(connection: Connection) -> bool:
    schema = _schema(connection)
    return connection.exec_driver_sql(
        f"SELECT to_regclass('{schema}.{CYCLE_TABLE}')").scalar() is not None


def uninstall(connection: Connection) -> None:
    """Remove the policies, functions and grants (the cluster-wide roles stay: other
    databases on the server may use them)."""
    schema = _schema(connection)
    cycle = (CYCLE_TABLE,) if _has_cycle_table(connection) else ()
    for table in RLS_TABLES + cycle:
        qualified = f"{schema}.{table}"
        for policy in POLICIES:
            connection.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON {qualified}")
        connection.exec_driver_sql(f"ALTER TABLE {qualified} DISABLE ROW LEVEL SECURITY")
    for function in ("planner_is_coordinator", "planner_current_unit"):
        connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {schema}.{function}()")
    for role in GROUP_ROLES:
        connection.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
        connection.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} "
                                   f"FROM {role}")
        connection.exec_driver_sql(f"REVOKE USAGE ON SCHEMA {schema} FROM {role}")


# --- integrity: checks for everyone, triggers for restricted (unit) roles -------------------

_STATUSES = ", ".join(f"'{status.value}'" for status in Status)
_PERCENT = "{column} BETWEEN 0 AND 100"  # NaN sorts above every number: excluded, as ±inf
# When a row was written: RECORDED_YEARS, as restores require (a unit gets the server's time).
_RECENT = (f"{{column}} >= '{RECORDED_YEARS[0]}-01-01 00:00+00' "
           f"AND {{column}} < '{RECORDED_YEARS[1] + 1}-01-01 00:00+00'")
CHECKS: dict[str, dict[str, str]] = {
    "task": {
        "planner_task_status": f"status IN ({_STATUSES})",
        "planner_task_progress": _PERCENT.format(column="progress"),
        "planner_task_dates": "start <= due",
    },
    "progressupdate": {
        "planner_history_status": f"old_status IN ({_STATUSES}) "
                                  f"AND new_status IN ({_STATUSES})",
        "planner_history_progress": _PERCENT.format(column="old_progress") + " AND "
                                    + _PERCENT.format(column="new_progress"),
        "planner_history_at": _RECENT.format(column="at"),
    },
    "indicatorreading": {
        "planner_reading_value": "value > '-Infinity' AND value < 'Infinity'",
        "planner_reading_at": _RECENT.format(column="recorded_at"),
    },
}
_TRANSITIONS = ", ".join(f"('{old.value}', '{new.value}')"
                         for old, news in ALLOWED_TRANSITIONS.items() for new in sorted(news))
_SETTLED = ", ".join(f"'{status.value}'" for status in sorted(DONE_STATUSES))
_LABELS = {"task": "code", "progressupdate": "id", "indicatorreading": "id"}
# What a unit's role may write as text (regular expressions as E-strings, so that
# standard_conforming_strings cannot change them): as core/text.py's clean_text refuses.
_C1_BIDI_NONCHARS = r"\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\ufffe\\uffff"
_CONTROLS = r"E'[\\x01-\\x1f" + _C1_BIDI_NONCHARS + "]'"
_NOTE_CONTROLS = r"E'[\\x01-\\x08\\x0b-\\x1f" + _C1_BIDI_NONCHARS + "]'"  # newline, tab allowed
_LIMITS = {"controls": _CONTROLS, "note_controls": _NOTE_CONTROLS,
           "max_note": MAX_NOTE_CHARS, "max_source": READING_SOURCE.max_chars,
           "max_name": MAX_CODE_CHARS, "max_measure": f"{MAX_MEASURE:g}"}
# A unit's change to an item waiting for its history row, one per item and transaction
# (`xact`, the top-level transaction: a savepoint changes nothing there). Written and read
# only by the SECURITY DEFINER trigger functions: row-level security without a policy keeps
# every other role out. A savepoint rolled back takes its rows with it, as it takes the change.
_PENDING = """
CREATE TABLE {schema}.planner_pending (
    xact bigint NOT NULL, task_id integer NOT NULL,
    old_status varchar NOT NULL, old_progress float8 NOT NULL,
    new_status varchar NOT NULL, new_progress float8 NOT NULL,
    PRIMARY KEY (xact, task_id));
REVOKE ALL ON {schema}.planner_pending FROM PUBLIC, planner_unit, planner_coordinator;
ALTER TABLE {schema}.planner_pending ENABLE ROW LEVEL SECURITY"""

# A restricted role is neither an administrator (superuser, BYPASSRLS or a member of the
# tables' owner) nor a coordinator (planner_is_coordinator: trust mode included), the same
# split as row-level security. SECURITY INVOKER: current_user is the caller.
# No percent signs in these: the driver would read them as placeholders.
_INTEGRITY_SQL = ("""
CREATE OR REPLACE FUNCTION {schema}.planner_is_restricted() RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
    SELECT NOT (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user
                                                 AND (rolsuper OR rolbypassrls))
                OR pg_has_role(current_user, (SELECT relowner FROM pg_class
                                              WHERE oid = 'task'::regclass), 'USAGE')
                OR planner_is_coordinator())
$$""", """
CREATE OR REPLACE FUNCTION {schema}.planner_guard_task() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF NEW.version IS DISTINCT FROM OLD.version + 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = OLD.code
            || ': 单位用户的每次变更使版本加一 / a unit''s change raises the version by one ('
            || OLD.version || ' → ' || coalesce(NEW.version::text, 'NULL') || ')';
    END IF;
    IF NEW.status <> OLD.status AND (OLD.status, NEW.status) NOT IN ({transitions}) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = OLD.code
            || ': 不允许的状态变更 / status change not allowed (' || OLD.status || ' → '
            || NEW.status || ')';
    END IF;
    IF NEW.status IN ({settled}) AND NEW.progress <> 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = OLD.code
            || ': 已完成的事项进度应为 100 / a done item is at progress 100';
    END IF;
    IF OLD.archived OR EXISTS (SELECT 1 FROM task AS c WHERE c.parent_id = OLD.id
                                                      AND NOT c.archived) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = OLD.code
            || ': 已归档或有下级事项（由下级汇总） / archived, or rolled up from its children';
    END IF;
    IF EXISTS (SELECT 1 FROM planner_pending
               WHERE xact = pg_current_xact_id()::text::bigint AND task_id = OLD.id) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = OLD.code
            || ': 上一次变更还没有调度记录 / the previous change has no history row yet';
    END IF;
    INSERT INTO planner_pending VALUES (pg_current_xact_id()::text::bigint, OLD.id,
                                        OLD.status, OLD.progress, NEW.status, NEW.progress);
    NEW.updated_at := now();
    RETURN NEW;
END
$$""", """
CREATE OR REPLACE FUNCTION {schema}.planner_require_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM planner_pending
               WHERE xact = pg_current_xact_id()::text::bigint AND task_id = NEW.id) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = OLD.code
            || ': 变更没有对应的调度记录 / the change has no history row ('
            || OLD.status || ' ' || OLD.progress || ' → ' || NEW.status || ' '
            || NEW.progress || ')';
    END IF;
    RETURN NULL;
END
$$""", """
CREATE OR REPLACE FUNCTION {schema}.planner_guard_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    DELETE FROM planner_pending
        WHERE xact = pg_current_xact_id()::text::bigint AND task_id = NEW.task_id
        AND old_status = NEW.old_status AND old_progress = NEW.old_progress
        AND new_status = NEW.new_status AND new_progress = NEW.new_progress;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = coalesce(
                (SELECT code FROM task WHERE id = NEW.task_id), NEW.task_id::text)
            || ': 调度记录只随它记录的变更写入，每次变更一条 / a history row is written '
            || 'with the change it records, one per change';
    END IF;
    IF char_length(NEW.note) > {max_note} OR NEW.note ~ {note_controls}
            OR char_length(NEW.by_user) > {max_name} OR NEW.by_user ~ {controls} THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = coalesce(
                (SELECT code FROM task WHERE id = NEW.task_id), NEW.task_id::text)
            || ': 进展说明过长或含控制字符 / the note is too long or holds control characters';
    END IF;
    NEW.at := now();
    RETURN NEW;
END
$$""", """
CREATE OR REPLACE FUNCTION {schema}.planner_guard_reading() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF NOT abs(NEW.value) <= {max_measure} OR char_length(NEW.source) > {max_source}
            OR NEW.source ~ {controls} OR char_length(NEW.by_user) > {max_name}
            OR NEW.by_user ~ {controls} THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE =
            '指标读数超出范围、来源过长或含控制字符 / the reading is out of range, or its '
            || 'source too long or holding control characters';
    END IF;
    NEW.recorded_at := now();
    RETURN NEW;
END
$$""", """
CREATE OR REPLACE FUNCTION {schema}.planner_guard_revision() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF NEW.revision IS DISTINCT FROM OLD.revision + 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = '计划的变更计数每次只能加一 / the plan''s revision moves by one ('
            || OLD.revision || ' → ' || coalesce(NEW.revision::text, 'NULL') || ')';
    END IF;
    RETURN NEW;
END
$$""")
_RESTRICTED = "FOR EACH ROW WHEN ({schema}.planner_is_restricted()) EXECUTE FUNCTION"
TRIGGERS: dict[str, tuple[str, str]] = {  # name: (table, what follows CREATE)
    "planner_guard_task": (
        "task", "TRIGGER planner_guard_task BEFORE UPDATE ON {schema}.task "
        f"{_RESTRICTED} {{schema}}.planner_guard_task()"),
    "planner_require_history": (
        "task", "CONSTRAINT TRIGGER planner_require_history AFTER UPDATE ON {schema}.task "
        f"DEFERRABLE INITIALLY DEFERRED {_RESTRICTED} {{schema}}.planner_require_history()"),
    "planner_guard_history": (
        "progressupdate", "TRIGGER planner_guard_history BEFORE INSERT ON "
        f"{{schema}}.progressupdate {_RESTRICTED} {{schema}}.planner_guard_history()"),
    "planner_guard_reading": (
        "indicatorreading", "TRIGGER planner_guard_reading BEFORE INSERT ON "
        f"{{schema}}.indicatorreading {_RESTRICTED} {{schema}}.planner_guard_reading()"),
    "planner_guard_revision": (
        "plan", "TRIGGER planner_guard_revision BEFORE UPDATE ON {schema}.plan "
        f"{_RESTRICTED} {{schema}}.planner_guard_revision()"),
}
INTEGRITY_FUNCTION_NAMES = ("planner_guard_task", "planner_require_history",
                       "planner_guard_history", "planner_guard_reading",
                       "planner_guard_revision", "planner_guard_cycle",
                       "planner_is_restricted")
# A unit's step of the cycle (migration 0009 adds the table) is stamped with the server's
# time, like its progress updates: a 签收 cannot be dated back into its window, nor a 办结申请
# before its due date, by a client with a wrong or forged clock.
_CYCLE_TIME_SQL = """
CREATE OR REPLACE FUNCTION {schema}.planner_guard_cycle() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
    NEW.at := now();
    RETURN NEW;
END
$$"""
_CYCLE_TIME_TRIGGER = ("TRIGGER planner_guard_cycle BEFORE INSERT ON {schema}.cycleevent "
                       f"{_RESTRICTED} {{schema}}.planner_guard_cycle()")


def integrity_violations(connection: Connection, *, limit: int = 5) -> list[str]:
    """Rows the checks would refuse, as `table code-or-id (check)`: at most `limit` each."""
    schema = _schema(connection)
    found = []
    for table, checks in CHECKS.items():
        for name, condition in checks.items():
            rows = connection.exec_driver_sql(
                f"SELECT {_LABELS[table]} FROM {schema}.{table} WHERE NOT ({condition}) "
                f"ORDER BY 1 LIMIT {limit}").scalars()
            found += [f"{table} {label} ({name})" for label in rows]
    return found


def install_integrity(connection: Connection) -> None:
    """Add (or remake) the CHECK constraints and the triggers that bind unit roles; refuse
    with one message naming the rows when existing data breaks a check."""
    schema = _schema(connection)
    uninstall_integrity(connection)
    problems = integrity_violations(connection)
    if problems:
        listed = "; ".join(problems[:10])
        raise PlannerError("db_integrity_violations", listed=listed)
    for table, checks in CHECKS.items():
        for name, condition in checks.items():
            connection.exec_driver_sql(f"ALTER TABLE {schema}.{table} ADD CONSTRAINT {name} "
                                       f"CHECK ({condition})")
    _run(connection, _PENDING, schema)
    for function in _INTEGRITY_SQL:
        connection.exec_driver_sql(function.format(schema=schema, transitions=_TRANSITIONS,
                                                   settled=_SETTLED, **_LIMITS))
    for _table, definition in TRIGGERS.values():
        connection.exec_driver_sql("CREATE " + definition.format(schema=schema))
    if _has_cycle_table(connection):
        connection.exec_driver_sql(_CYCLE_TIME_SQL.format(schema=schema))
        connection.exec_driver_sql("CREATE " + _CYCLE_TIME_TRIGGER.format(schema=schema))


def uninstall_integrity(connection: Connection) -> None:
    """Remove the triggers, their functions and the CHECK constraints."""
    schema = _schema(connection)
    for name, (table, _definition) in TRIGGERS.items():
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {schema}.{table}")
    if _has_cycle_table(connection):
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS planner_guard_cycle "
                                   f"ON {schema}.{CYCLE_TABLE}")
    for function in INTEGRITY_FUNCTION_NAMES:
        connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {schema}.{function}()")
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {schema}.planner_pending")
    for table, checks in CHECKS.items():
        for name in checks:
            connection.exec_driver_sql(f"ALTER TABLE {schema}.{table} "
                                       f"DROP CONSTRAINT IF EXISTS {name}")
