"""Links between items of different plans: `carried_from` (carry-over, 结转) and `implements`
(an annual item carries out a five-year item, 落实). On PostgreSQL the groups get on the new
table what store/pg_access.py's `install` gives a fresh database: both read it, coordinators
write it; and the integrity checks are remade (as 0006 does), so that the status check admits
the new status 已结转 (carried_over).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from planner.store import pg_access

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add tasklink (empty)."""
    op.create_table(
        "tasklink",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("task_id", "kind", "target_id"),
    )
    op.create_index(op.f("ix_tasklink_target_id"), "tasklink", ["target_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("GRANT SELECT ON tasklink TO planner_unit, planner_coordinator")
        op.execute("GRANT INSERT, UPDATE, DELETE ON tasklink TO planner_coordinator")
        pg_access.install_integrity(bind)


def downgrade() -> None:
    """Drop it again."""
    op.drop_index(op.f("ix_tasklink_target_id"), table_name="tasklink")
    op.drop_table("tasklink")
