"""Alembic environment: the package's own migrations, run by `planner db upgrade`."""

from alembic import context
from sqlmodel import SQLModel

from planner.store import models  # noqa: F401  (registers the tables)

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
