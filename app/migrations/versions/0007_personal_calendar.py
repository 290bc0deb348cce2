"""personal calendar: a member's own items, shown beside unit meetings and in the .ics feed

Revision ID: 0007_personal_calendar
Revises: 0006_merge
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0007_personal_calendar"
down_revision = "0006_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_at IS NULL OR ends_at >= starts_at",
            name=op.f("ck_calendar_items_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_calendar_items_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_items")),
    )
    op.create_index(
        "ix_calendar_items_account_starts",
        "calendar_items",
        ["account_id", "starts_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_calendar_items_account_starts", table_name="calendar_items")
    op.drop_table("calendar_items")
