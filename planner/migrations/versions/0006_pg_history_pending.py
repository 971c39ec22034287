"""PostgreSQL: a unit's change waits for its history row in a table only the triggers write
(planner_pending), instead of comparing rows' xmin with the transaction id — a row written
inside a savepoint carries the subtransaction's id, which let a unit's role add a second,
forged history row. Also bounds what a unit's role writes as text and readings. Re-runs
`install_integrity`, which remakes the checks, functions and triggers of 0005. Nothing on
SQLite.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

from planner.store import pg_access

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Remake the integrity checks and triggers with the current definitions."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_access.install_integrity(bind)


def downgrade() -> None:
    """Nothing: the stricter triggers stay until 0005's downgrade removes them all (the old
    definitions let a unit's role forge history)."""
