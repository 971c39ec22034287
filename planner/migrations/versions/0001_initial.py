"""The first released schema: plan, units, the task tree, history and indicators.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the first schema."""
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("report_cycle", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rollup", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tolerance", sa.Float(), nullable=False),
        sa.Column("due_soon_days", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("original_due", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("rollup_rule", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("repeat_rule", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("repeat_duration", sa.Integer(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("needs_coordination", sa.Boolean(), nullable=False),
        sa.Column("coordination_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["task.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_code"), ["code"], unique=True)
        batch_op.create_index(batch_op.f("ix_task_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "unit",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "duechange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("old_due", sa.Date(), nullable=False),
        sa.Column("new_due", sa.Date(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("by_user", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("duechange", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duechange_task_id"), ["task_id"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("measure", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("direction", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_code"), ["code"], unique=True)

    op.create_table(
        "progressupdate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("by_unit", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("by_user", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("old_status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("new_status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old_progress", sa.Float(), nullable=False),
        sa.Column("new_progress", sa.Float(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_unit"],
            ["unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("progressupdate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progressupdate_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_progressupdate_task_id"), ["task_id"], unique=False)

    op.create_table(
        "taskunit",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("task_id", "unit_id"),
    )
    with op.batch_alter_table("taskunit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taskunit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "indicatorreading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("by_user", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("indicatorreading", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicatorreading_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "indicatortarget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("indicator_id", "year"),
    )
    with op.batch_alter_table("indicatortarget", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicatortarget_indicator_id"), ["indicator_id"], unique=False
        )


def downgrade() -> None:
    """Drop everything."""
    with op.batch_alter_table("indicatortarget", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicatortarget_indicator_id"))

    op.drop_table("indicatortarget")
    with op.batch_alter_table("indicatorreading", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicatorreading_indicator_id"))

    op.drop_table("indicatorreading")
    with op.batch_alter_table("taskunit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taskunit_unit_id"))

    op.drop_table("taskunit")
    with op.batch_alter_table("progressupdate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progressupdate_task_id"))
        batch_op.drop_index(batch_op.f("ix_progressupdate_at"))

    op.drop_table("progressupdate")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_code"))

    op.drop_table("indicator")
    with op.batch_alter_table("duechange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duechange_task_id"))

    op.drop_table("duechange")
    op.drop_table("unit")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_parent_id"))
        batch_op.drop_index(batch_op.f("ix_task_code"))

    op.drop_table("task")
    op.drop_table("plan")
