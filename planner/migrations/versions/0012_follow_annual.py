"""The plan setting `follow_annual` (off): whether a five-year plan's leaf items carried out
by items of other plans (`implements`, 落实) take their progress from those items.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the setting, off for every plan."""
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_annual", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("follow_annual")
