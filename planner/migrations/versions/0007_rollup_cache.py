"""The stored rollup cache: each item's rollup figures as of one plan revision, day and time
zone, so `planner tree --depth N` reads only the rows it shows. On PostgreSQL the groups get
on the new tables what store/pg_access.py's `install` gives on every table of a fresh
database: both read them, coordinators write them (units only read: figures everyone trusts
are not written by a role that may not write what they are derived from). Only these two
tables: re-running `install` would grant the groups planner_pending, which 0006 keeps from
everyone.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

CACHE_TABLES = ("rollupstate", "rollupcache")

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add rollupstate and rollupcache (empty: the first read fills them)."""
    op.create_table(
        "rollupstate",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("zone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id"),
    )
    op.create_table(
        "rollupcache",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("colour", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status_counts", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("earliest_open_due", sa.Date(), nullable=True),
        sa.Column("unreported", sa.Integer(), nullable=False),
        sa.Column("active_leaves", sa.Integer(), nullable=False),
        sa.Column("leaf_progress_sum", sa.Float(), nullable=False),
        sa.Column("leaf_expected_sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("task_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        tables = ", ".join(CACHE_TABLES)
        op.execute(f"GRANT SELECT ON {tables} TO planner_unit, planner_coordinator")
        op.execute(f"GRANT INSERT, UPDATE, DELETE ON {tables} TO planner_coordinator")


def downgrade() -> None:
    """Drop them again."""
    op.drop_table("rollupcache")
    op.drop_table("rollupstate")
