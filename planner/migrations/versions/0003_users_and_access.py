"""Users and access by unit: the planneruser table; on PostgreSQL also the group roles,
grants, helper functions and row-level security policies (see planner/store/pg_access.py).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from planner.store import pg_access

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the users table; on PostgreSQL, let the database enforce access by unit."""
    op.create_table(
        "planneruser",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("coordinator", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("name"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_access.install(bind)


def downgrade() -> None:
    """Remove them again (the server-wide group and login roles stay)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_access.uninstall(bind)
    op.drop_table("planneruser")
