"""Alembic environment: runs on the connection handed over by app.core.migrate."""

from alembic import context

import app.models  # noqa: F401 - registers every table on the metadata
from app.core.db import Base

config = context.config
target_metadata = Base.metadata

connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `sotay migrate` (app.core.migrate)")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
