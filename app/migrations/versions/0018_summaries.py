"""summaries (issue 16): a summary per document version, a feedback summary per target, and
the clause a task taken from a summary came from

Revision ID: 0018_summaries
Revises: 0017_unit_settings
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0018_summaries"
down_revision = "0017_unit_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'ready', 'failed')",
            name=op.f("ck_document_summaries_document_summary_status"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_summaries_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_document_summaries_version_id_document_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_summaries")),
        sa.UniqueConstraint("version_id", name=op.f("uq_document_summaries_version_id")),
    )
    op.create_table(
        "feedback_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("post_count", sa.Integer(), nullable=False),
        sa.Column("last_post_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'ready', 'failed')",
            name=op.f("ck_feedback_summaries_feedback_summary_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_summaries")),
        sa.UniqueConstraint("target_type", "target_id", name="uq_feedback_summaries_target"),
    )
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("source_chunk_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("source_article", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("source_article")
        batch.drop_column("source_chunk_key")
    op.drop_table("feedback_summaries")
    op.drop_table("document_summaries")
