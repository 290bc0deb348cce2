"""account administration (issue 17): one-time codes, dated role grants, the staff's home unit

An account is created without a password and a one-time code (only its argon2 hash is kept)
lets its owner set one; a reset issues a new code. A role grant carries its first and last day
(both inclusive, Vietnam's calendar) and a reason; existing grants keep null dates, which read
as "since granted, until revoked". An account without a member gets a home unit so that the
admins of that unit's tree see it.

Revision ID: 0014_account_admin
Revises: 0013_minutes
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0014_account_admin"
down_revision = "0013_minutes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dt = app.core.db.UTCDateTime(timezone=True)
    op.create_table(
        "account_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("created_at", dt, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("expires_at", dt, nullable=False),
        sa.Column("used_at", dt, nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_account_codes_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["accounts.id"], name=op.f("fk_account_codes_created_by_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_codes")),
    )
    op.create_index(op.f("ix_account_codes_account_id"), "account_codes", ["account_id"])
    # Plain ADD COLUMNs (nullable, no default): SQLite takes them without rebuilding the tables,
    # which most others reference.
    op.add_column("role_grants", sa.Column("starts_on", sa.Date(), nullable=True))
    op.add_column("role_grants", sa.Column("ends_on", sa.Date(), nullable=True))
    op.add_column(
        "role_grants",
        sa.Column("reason", sa.String(length=500), nullable=False, server_default=""),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite takes a REFERENCES clause in ADD COLUMN (null default) but no ALTER of
        # constraints, which is what Alembic would emit.
        op.execute("ALTER TABLE accounts ADD COLUMN home_unit_id INTEGER REFERENCES units (id)")
    else:
        op.add_column("accounts", sa.Column("home_unit_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_accounts_home_unit_id_units"), "accounts", "units", ["home_unit_id"], ["id"]
        )
    op.add_column("accounts", sa.Column("last_login_at", dt, nullable=True))
    op.create_index(op.f("ix_accounts_home_unit_id"), "accounts", ["home_unit_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_accounts_home_unit_id"), table_name="accounts")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("last_login_at")
        batch.drop_column("home_unit_id")
    with op.batch_alter_table("role_grants") as batch:
        batch.drop_column("reason")
        batch.drop_column("ends_on")
        batch.drop_column("starts_on")
    op.drop_index(op.f("ix_account_codes_account_id"), table_name="account_codes")
    op.drop_table("account_codes")
