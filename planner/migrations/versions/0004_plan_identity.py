"""The plan's identity: a random id written into exported workbooks, so a ledger from
another database (or another plan) is recognised and refused on import.

Revision ID: 0004
Revises: 0003
"""

from uuid import uuid4

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add plan.uid and give every existing plan a fresh one."""
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=""))
    bind = op.get_bind()
    plan = sa.table("plan", sa.column("id", sa.Integer()), sa.column("uid", sa.String()))
    for (plan_id,) in bind.execute(sa.select(plan.c.id)).all():
        bind.execute(sa.update(plan).where(plan.c.id == plan_id).values(uid=uuid4().hex))
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.alter_column("uid", server_default=None)


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("uid")
