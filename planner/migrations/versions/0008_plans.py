"""Several plans in one database: a plan gets its short id (`code`), kind, parent plan, state
and the `current` mark; items and indicators belong to a plan, their codes unique within it.
The one plan of an existing database becomes `sw14`, a five-year plan, open and current,
and every item and indicator is put in it: history, readings, meetings and decisions are
not touched.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: The id an existing one-plan database's plan gets (the bundled plan's, 十四五).
UPGRADED_PLAN_CODE = "sw14"


def upgrade() -> None:
    """Add the plan's columns and the items' and indicators' plan, filled from the one plan."""
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=UPGRADED_PLAN_CODE))
        batch_op.add_column(sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default="five-year"))
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("state", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default="open"))
        batch_op.add_column(sa.Column("current", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.create_foreign_key("fk_plan_parent_id_plan", "plan", ["parent_id"], ["id"])
    with op.batch_alter_table("plan", schema=None) as batch_op:
        for column in ("code", "kind", "state", "current"):
            batch_op.alter_column(column, server_default=None)
        batch_op.create_index(batch_op.f("ix_plan_code"), ["code"], unique=True)
    first_plan = sa.text("(SELECT min(id) FROM plan)")
    for table in ("task", "indicator"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET plan_id = {first_plan}"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("plan_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(f"fk_{table}_plan_id_plan", "plan", ["plan_id"], ["id"])
            batch_op.drop_index(batch_op.f(f"ix_{table}_code"))
            batch_op.create_index(f"ix_{table}_plan_code", ["plan_id", "code"], unique=True)


def downgrade() -> None:
    """Back to one plan: refused by the unique code indexes if two plans share a code."""
    for table in ("indicator", "task"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_plan_code")
            batch_op.create_index(batch_op.f(f"ix_{table}_code"), ["code"], unique=True)
            batch_op.drop_constraint(f"fk_{table}_plan_id_plan", type_="foreignkey")
            batch_op.drop_column("plan_id")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_code"))
        batch_op.drop_constraint("fk_plan_parent_id_plan", type_="foreignkey")
        for column in ("current", "state", "parent_id", "kind", "code"):
            batch_op.drop_column(column)
