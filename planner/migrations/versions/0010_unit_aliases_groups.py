"""Unit aliases (简称) and unit groups (各盟市), so intake resolves the short names and groups
the office uses and a plan file's `aliases` and `groups` survive an import and an export.
Units are shared by every plan: on PostgreSQL both roles read them, coordinators write them,
as for the unit table.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

REGISTRY_TABLES = ("unitalias", "unitgroup")

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add unitalias and unitgroup (empty: the next import of a plan file fills them)."""
    op.create_table(
        "unitgroup",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("members", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("aliases", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "unitalias",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("unit_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_index(op.f("ix_unitalias_unit_id"), "unitalias", ["unit_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        tables = ", ".join(REGISTRY_TABLES)
        op.execute(f"GRANT SELECT ON {tables} TO planner_unit, planner_coordinator")
        op.execute(f"GRANT INSERT, UPDATE, DELETE ON {tables} TO planner_coordinator")


def downgrade() -> None:
    """Drop them again."""
    op.drop_index(op.f("ix_unitalias_unit_id"), table_name="unitalias")
    op.drop_table("unitalias")
    op.drop_table("unitgroup")
