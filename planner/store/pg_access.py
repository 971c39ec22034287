"""Access by unit on PostgreSQL, enforced by the database itself: two group roles, their
grants, two helper functions and row-level security policies.

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
"""

from sqlalchemy.engine import Connection

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


def install(connection: Connection) -> None:
    """Create (or refresh) the group roles, grants, helper functions and policies."""
    schema = _schema(connection)
    connection.exec_driver_sql(_ROLES)
    _run(connection, _GRANTS, schema)
    _run(connection, _FUNCTIONS, schema)
    for table, own_policies in _POLICIES.items():
        qualified = f"{schema}.{table}"
        for policy in POLICIES:
            connection.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON {qualified}")
        connection.exec_driver_sql(f"ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY")
        connection.exec_driver_sql(f"CREATE POLICY planner_read ON {qualified} FOR SELECT "
                                   "USING (true)")
        coordinator = _COORDINATOR.format(schema=schema)
        connection.exec_driver_sql(f"CREATE POLICY planner_coordinator ON {qualified} FOR ALL "
                                   f"USING ({coordinator}) WITH CHECK ({coordinator})")
        for policy in own_policies:
            connection.exec_driver_sql(policy.format(schema=schema))


def uninstall(connection: Connection) -> None:
    """Remove the policies, functions and grants (the cluster-wide roles stay: other
    databases on the server may use them)."""
    schema = _schema(connection)
    for table in RLS_TABLES:
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
