"""On PostgreSQL, a unit's step of the 督办 cycle gets the server's time, as its progress
updates do: the integrity checks and triggers are remade (as 0006 and 0011 do), which now
include `planner_guard_cycle` on cycleevent. Nothing changes on SQLite.

Revision ID: 0015
Revises: 0014
"""

from alembic import op

from planner.store import pg_access

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Remake the integrity triggers, the cycle's time stamp among them."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_access.install_integrity(bind)


def downgrade() -> None:
    """Drop the cycle's time stamp again (the other triggers are 0014's)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS planner_guard_cycle ON cycleevent")
        op.execute("DROP FUNCTION IF EXISTS planner_guard_cycle()")
