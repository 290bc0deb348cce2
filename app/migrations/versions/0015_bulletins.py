"""audio bulletins (issue 15): bulletins, their audience, their audio by cache key, podcast tokens

Revision ID: 0015_bulletins
Revises: 0014_account_admin
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0015_bulletins"
down_revision = "0014_account_admin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dt = app.core.db.UTCDateTime(timezone=True)
    op.create_table(
        "bulletin_audio",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cache_key", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.Column("voice", sa.String(length=120), nullable=False),
        sa.Column("provider", sa.String(length=24), nullable=False),
        sa.Column("chapters", sa.JSON(), nullable=False),
        sa.Column("sentences", sa.JSON(), nullable=False),
        sa.Column("created_at", dt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_audio")),
        sa.UniqueConstraint("cache_key", name=op.f("uq_bulletin_audio_cache_key")),
    )
    op.create_index(op.f("ix_bulletin_audio_sha256"), "bulletin_audio", ["sha256"])
    op.create_table(
        "bulletins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("source_document_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", dt, nullable=False),
        sa.Column("published_at", dt, nullable=True),
        sa.Column("audio_status", sa.String(length=16), nullable=False),
        sa.Column("audio_id", sa.Integer(), nullable=True),
        sa.Column("audio_job_id", sa.Integer(), nullable=True),
        sa.Column("audio_error", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'withdrawn')",
            name=op.f("ck_bulletins_bulletin_status_valid"),
        ),
        sa.CheckConstraint(
            "audio_status IN ('none', 'queued', 'making', 'done', 'failed')",
            name=op.f("ck_bulletins_bulletin_audio_status_valid"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_bulletins_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["source_document_id"],
            ["documents.id"],
            name=op.f("fk_bulletins_source_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["accounts.id"], name=op.f("fk_bulletins_created_by_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["audio_id"], ["bulletin_audio.id"], name=op.f("fk_bulletins_audio_id_bulletin_audio")
        ),
        sa.ForeignKeyConstraint(
            ["audio_job_id"], ["jobs.id"], name=op.f("fk_bulletins_audio_job_id_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletins")),
    )
    op.create_index(op.f("ix_bulletins_unit_id"), "bulletins", ["unit_id"])
    op.create_index("ix_bulletins_status_published", "bulletins", ["status", "published_at"])
    op.create_table(
        "bulletin_audiences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("include_subtree", sa.Boolean(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletins.id"],
            name=op.f("fk_bulletin_audiences_bulletin_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_bulletin_audiences_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_audiences")),
        sa.UniqueConstraint("bulletin_id", "unit_id", "role", name="uq_bulletin_audience"),
    )
    op.create_index("ix_bulletin_audiences_unit", "bulletin_audiences", ["unit_id", "bulletin_id"])
    op.create_table(
        "podcast_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", dt, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_podcast_tokens_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_podcast_tokens")),
        sa.UniqueConstraint("account_id", name=op.f("uq_podcast_tokens_account_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_podcast_tokens_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("podcast_tokens")
    op.drop_index("ix_bulletin_audiences_unit", table_name="bulletin_audiences")
    op.drop_table("bulletin_audiences")
    op.drop_index("ix_bulletins_status_published", table_name="bulletins")
    op.drop_index(op.f("ix_bulletins_unit_id"), table_name="bulletins")
    op.drop_table("bulletins")
    op.drop_index(op.f("ix_bulletin_audio_sha256"), table_name="bulletin_audio")
    op.drop_table("bulletin_audio")
