"""督办 and 催办 notices (督办通知单, 催办通知单): `noticecounter` keeps the last number of each
series (kind and year), so a number is taken under the counter row's lock in the writing
transaction and never reused; `notice` is each issued notice with its number, unit and
feedback date; `noticeitem` the items it names (and, for a 催办, the cycle's 催办 step it
recorded). On PostgreSQL both groups read the new tables and coordinators write them, as
store/pg_access.py's `install` gives a fresh database.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("noticecounter", "notice", "noticeitem")


def upgrade() -> None:
    """Add the three tables (empty)."""
    op.create_table(
        "noticecounter",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "year"),
    )
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("by_user", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("feedback_by", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "year", "serial"),
    )
    op.create_index(op.f("ix_notice_unit_id"), "notice", ["unit_id"], unique=False)
    op.create_table(
        "noticeitem",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["cycleevent.id"]),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("notice_id", "task_id"),
    )
    op.create_index(op.f("ix_noticeitem_task_id"), "noticeitem", ["task_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        tables = ", ".join(TABLES)
        op.execute(f"GRANT SELECT ON {tables} TO planner_unit, planner_coordinator")
        op.execute(f"GRANT INSERT, UPDATE, DELETE ON {tables} TO planner_coordinator")
        op.execute("GRANT USAGE, SELECT, UPDATE ON notice_id_seq TO planner_coordinator")


def downgrade() -> None:
    """Drop them again."""
    op.drop_index(op.f("ix_noticeitem_task_id"), table_name="noticeitem")
    op.drop_table("noticeitem")
    op.drop_index(op.f("ix_notice_unit_id"), table_name="notice")
    op.drop_table("notice")
    op.drop_table("noticecounter")
