"""The progress history's indexes answer the assessment's reads from the index alone: the
updates of a period with their reporting units (`at`, `by_unit`, `task_id`), each item's
updates in time order (`task_id`, `at`), and a partial index of the moves that settled an
item (to done, closed or cancelled from any other status). A year of 450,000 updates is
then read from narrow index pages rather than the whole table. Same on both backends.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: store/dbapi.SETTLING_MOVE as this revision writes it.
SETTLING_MOVE = ("new_status IN ('done', 'closed', 'cancelled') "
                 "AND old_status NOT IN ('done', 'closed', 'cancelled')")


def upgrade() -> None:
    """Widen the two indexes and add the partial one."""
    op.drop_index("ix_progressupdate_at", table_name="progressupdate")
    op.drop_index("ix_progressupdate_task_id", table_name="progressupdate")
    op.create_index("ix_progressupdate_at", "progressupdate", ["at", "by_unit", "task_id"])
    op.create_index("ix_progressupdate_task_id", "progressupdate", ["task_id", "at"])
    op.create_index("ix_progressupdate_settling", "progressupdate",
                    ["task_id", "at", "new_status", "old_status"],
                    sqlite_where=sa.text(SETTLING_MOVE),
                    postgresql_where=sa.text(SETTLING_MOVE))


def downgrade() -> None:
    """The one-column indexes of 0001 again."""
    op.drop_index("ix_progressupdate_settling", table_name="progressupdate")
    op.drop_index("ix_progressupdate_task_id", table_name="progressupdate")
    op.drop_index("ix_progressupdate_at", table_name="progressupdate")
    op.create_index("ix_progressupdate_at", "progressupdate", ["at"])
    op.create_index("ix_progressupdate_task_id", "progressupdate", ["task_id"])
