"""Meeting papers: a meeting's place (会议地点) and start time, and each attached unit's
attendance role — `attend` 出席, `sit-in` 列席 or `absent` 请假 — for the 会议通知 and the
纪要's three lines. Units attached before this revision attended (`attend`).

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add meeting.place and meeting.start_time (empty) and meetingunit.role (出席 for
    every unit attached so far)."""
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
        batch_op.add_column(sa.Column("start_time", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
    with op.batch_alter_table("meetingunit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default="attend"))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("meetingunit", schema=None) as batch_op:
        batch_op.drop_column("role")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("start_time")
        batch_op.drop_column("place")
