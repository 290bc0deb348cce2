"""throttle buckets: failed sign-ins and check-in codes wait growing delays instead of a lockout

One row per key (login and source, login, source, member at a meeting), keyed by the SHA-256
of its parts. The accounts' failed_logins and locked_until are no longer read; they stay,
because dropping them would rebuild the accounts table, which most others reference, on SQLite.

Revision ID: 0011_throttle_buckets
Revises: 0010_chunk_heading
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0011_throttle_buckets"
down_revision = "0010_chunk_heading"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle_buckets",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttle_buckets")),
    )
    op.create_index(
        op.f("ix_throttle_buckets_last_failure_at"), "throttle_buckets", ["last_failure_at"]
    )
    # Lockouts in force end now: nothing reads them any more.
    op.execute("UPDATE accounts SET locked_until = NULL, failed_logins = 0")


def downgrade() -> None:
    op.drop_index(op.f("ix_throttle_buckets_last_failure_at"), table_name="throttle_buckets")
    op.drop_table("throttle_buckets")
