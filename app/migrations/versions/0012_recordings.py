"""recordings: meeting audio stored by hash, transcript segments, their edits, listening policy

Segments are unique per (recording, piece index): the transcription job stores each piece with
its checkpoint in one transaction, and a resumed job can never store a piece twice.

Revision ID: 0012_recordings
Revises: 0011_throttle_buckets
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0012_recordings"
down_revision = "0011_throttle_buckets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.Column("pieces", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'transcribing', 'done', 'failed')",
            name=op.f("ck_recordings_status"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_recordings_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_recordings_uploaded_by_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_recordings_job_id_jobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recordings")),
    )
    op.create_index(op.f("ix_recordings_meeting_id"), "recordings", ["meeting_id"])
    op.create_index(op.f("ix_recordings_sha256"), "recordings", ["sha256"])
    op.create_table(
        "transcript_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("end", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("speaker_name", sa.String(length=200), nullable=True),
        sa.Column("speaker_member_id", sa.Integer(), nullable=True),
        sa.Column("edited_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("edited_by_account_id", sa.Integer(), nullable=True),
        sa.CheckConstraint('"end" >= start', name=op.f("ck_transcript_segments_times")),
        sa.ForeignKeyConstraint(
            ["recording_id"],
            ["recordings.id"],
            name=op.f("fk_transcript_segments_recording_id_recordings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_member_id"],
            ["members.id"],
            name=op.f("fk_transcript_segments_speaker_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["edited_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_transcript_segments_edited_by_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcript_segments")),
        sa.UniqueConstraint("recording_id", "index", name="uq_transcript_segments_piece"),
    )
    op.create_table(
        "segment_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("speaker_name", sa.String(length=200), nullable=True),
        sa.Column("speaker_member_id", sa.Integer(), nullable=True),
        sa.Column("replaced_by_account_id", sa.Integer(), nullable=True),
        sa.Column("replaced_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["transcript_segments.id"],
            name=op.f("fk_segment_versions_segment_id_transcript_segments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_member_id"],
            ["members.id"],
            name=op.f("fk_segment_versions_speaker_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_segment_versions_replaced_by_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_versions")),
    )
    op.create_index(op.f("ix_segment_versions_segment_id"), "segment_versions", ["segment_id"])
    op.create_table(
        "recording_policies",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("members_may_listen", sa.Boolean(), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_account_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_recording_policies_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_recording_policies_updated_by_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_recording_policies")),
    )


def downgrade() -> None:
    op.drop_table("recording_policies")
    op.drop_index(op.f("ix_segment_versions_segment_id"), table_name="segment_versions")
    op.drop_table("segment_versions")
    op.drop_table("transcript_segments")
    op.drop_index(op.f("ix_recordings_sha256"), table_name="recordings")
    op.drop_index(op.f("ix_recordings_meeting_id"), table_name="recordings")
    op.drop_table("recordings")
