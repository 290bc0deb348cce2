"""minutes: the biên bản of a meeting, its versions and review steps

One minutes record per meeting; every draft, re-draft, edit and correction is a version row
holding the full text, and the locked version's SHA-256 is also written to the audit log.

Revision ID: 0013_minutes
Revises: 0012_recordings
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0013_minutes"
down_revision = "0012_recordings"
branch_labels = None
depends_on = None


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    ref = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{ref}"), ondelete=ondelete
    )


def upgrade() -> None:
    dt = app.core.db.UTCDateTime(timezone=True)
    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("edited_keys", sa.JSON(), nullable=False),
        sa.Column("mismatches", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=True),
        sa.Column("fallback_reason", sa.String(length=500), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("drafted_at", dt, nullable=True),
        sa.Column("submitted_at", dt, nullable=True),
        sa.Column("submitted_by_account_id", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=True),
        sa.Column("approved_at", dt, nullable=True),
        sa.Column("approved_by_account_id", sa.Integer(), nullable=True),
        sa.Column("locked_version_id", sa.Integer(), nullable=True),
        sa.Column("locked_sha256", sa.String(length=64), nullable=True),
        sa.Column("locked_at", dt, nullable=True),
        sa.Column("created_at", dt, nullable=False),
        sa.Column("updated_at", dt, nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'returned', 'locked')", name=op.f("ck_minutes_state")
        ),
        _fk("minutes", "meeting_id", "meetings.id"),
        _fk("minutes", "unit_id", "units.id"),
        _fk("minutes", "job_id", "jobs.id"),
        _fk("minutes", "submitted_by_account_id", "accounts.id"),
        _fk("minutes", "approved_by_account_id", "accounts.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_minutes_meeting_id")),
    )
    op.create_index(op.f("ix_minutes_unit_id"), "minutes", ["unit_id"])
    op.create_table(
        "minutes_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("author_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", dt, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_keys", sa.JSON(), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('draft', 'redraft', 'edit', 'correction')",
            name=op.f("ck_minutes_versions_kind"),
        ),
        _fk("minutes_versions", "minutes_id", "minutes.id", ondelete="CASCADE"),
        _fk("minutes_versions", "author_account_id", "accounts.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_versions")),
        sa.UniqueConstraint("minutes_id", "number", name="uq_minutes_versions_number"),
    )
    op.create_table(
        "minutes_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("author_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", dt, nullable=False),
        sa.CheckConstraint(
            "action IN ('submit', 'approve', 'return')", name=op.f("ck_minutes_reviews_action")
        ),
        _fk("minutes_reviews", "minutes_id", "minutes.id", ondelete="CASCADE"),
        _fk("minutes_reviews", "author_account_id", "accounts.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_reviews")),
    )
    op.create_index(op.f("ix_minutes_reviews_minutes_id"), "minutes_reviews", ["minutes_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_minutes_reviews_minutes_id"), table_name="minutes_reviews")
    op.drop_table("minutes_reviews")
    op.drop_table("minutes_versions")
    op.drop_index(op.f("ix_minutes_unit_id"), table_name="minutes")
    op.drop_table("minutes")
