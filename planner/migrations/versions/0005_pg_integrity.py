"""PostgreSQL: validate what row-level security lets a unit's role write — CHECK constraints
on the tables units write, and triggers so that a unit's change to an item comes with its
history row, history and readings carry the server's time, and the plan's revision moves by
one (see planner/store/pg_access.py). Nothing on SQLite.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from planner.store import pg_access

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Install the checks and triggers; refused (nothing changed) if existing rows break a
    check, naming them."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_access.install_integrity(bind)


def downgrade() -> None:
    """Remove them again."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_access.uninstall_integrity(bind)
