"""The supervision cycle (督办): a `cycleevent` row per step (交办, 签收, 退办, 延期申请 and
its answer, 办结申请 and its answer, 催办), and two plan settings: the 签收 window in working
days (`acknowledge_days`, 3) and whether a unit's 办结 is reviewed (`review`, off). On
PostgreSQL the new table gets what store/pg_access.py gives it on a fresh database: both
groups read it, coordinators write it, and a unit's role may only add its own steps
(签收, 退办, 延期申请, 办结申请) on the items its unit leads.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from planner.store import pg_access

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the plan's two settings and the cycleevent table (empty)."""
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledge_days", sa.Integer(), nullable=False,
                                      server_default="3"))
        batch_op.add_column(sa.Column("review", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        "cycleevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("by_user", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("by_unit", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("new_due", sa.Date(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["by_unit"], ["unit.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["cycleevent.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_cycleevent_task_id"), "cycleevent", ["task_id"], unique=False)
    op.create_index(op.f("ix_cycleevent_at"), "cycleevent", ["at"], unique=False)
    op.create_index(op.f("ix_cycleevent_state"), "cycleevent", ["state"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_access.install_cycle_access(bind)


def downgrade() -> None:
    """Drop them again."""
    op.drop_index(op.f("ix_cycleevent_state"), table_name="cycleevent")
    op.drop_index(op.f("ix_cycleevent_at"), table_name="cycleevent")
    op.drop_index(op.f("ix_cycleevent_task_id"), table_name="cycleevent")
    op.drop_table("cycleevent")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("review")
        batch_op.drop_column("acknowledge_days")
