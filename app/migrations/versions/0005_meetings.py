"""meetings: meetings, agenda, pre-reading, attendance, guests, comments, calendar tokens

Revision ID: 0005_meetings
Revises: 0004_notifications
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0005_meetings"
down_revision = "0004_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_calendar_tokens_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_tokens")),
        sa.UniqueConstraint("account_id", name=op.f("uq_calendar_tokens_account_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_tokens_token_hash")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("online_link", sa.String(length=500), nullable=True),
        sa.Column("chair_member_id", sa.Integer(), nullable=True),
        sa.Column("secretary_member_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("checkin_code", sa.String(length=12), nullable=False),
        sa.Column("quorum_numerator", sa.Integer(), nullable=False),
        sa.Column("quorum_denominator", sa.Integer(), nullable=False),
        sa.Column("quorum_strict", sa.Boolean(), nullable=False),
        sa.Column("quorum_base", sa.String(length=16), nullable=False),
        sa.Column("created_by_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("noticed_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('regular', 'thematic', 'extraordinary')", name=op.f("ck_meetings_kind")
        ),
        sa.CheckConstraint(
            "quorum_base IN ('must_attend', 'all_members')", name=op.f("ck_meetings_quorum_base")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'noticed', 'in_progress', 'closed')",
            name=op.f("ck_meetings_status"),
        ),
        sa.CheckConstraint(
            "ends_at IS NULL OR ends_at >= starts_at", name=op.f("ck_meetings_ends_after_start")
        ),
        sa.CheckConstraint(
            "quorum_numerator > 0 AND quorum_denominator > 0 AND quorum_numerator <= quorum_denominator",
            name=op.f("ck_meetings_quorum_fraction"),
        ),
        sa.ForeignKeyConstraint(
            ["chair_member_id"], ["members.id"], name=op.f("fk_meetings_chair_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_meetings_created_by_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["secretary_member_id"],
            ["members.id"],
            name=op.f("fk_meetings_secretary_member_id_members"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_meetings_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index("ix_meetings_status_starts", "meetings", ["status", "starts_at"], unique=False)
    op.create_index(op.f("ix_meetings_unit_id"), "meetings", ["unit_id"], unique=False)
    op.create_index("ix_meetings_unit_starts", "meetings", ["unit_id", "starts_at"], unique=False)
    op.create_table(
        "meeting_agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_agenda_items_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_agenda_items")),
        sa.UniqueConstraint("meeting_id", "position", name="uq_meeting_agenda_items_position"),
    )
    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("checked_in_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_in_by_account_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IS NULL OR state <> 'excused' OR reason <> ''",
            name=op.f("ck_meeting_attendance_reason"),
        ),
        sa.CheckConstraint(
            "state IS NULL OR state IN ('present', 'excused', 'unexcused', 'exempt')",
            name=op.f("ck_meeting_attendance_state"),
        ),
        sa.ForeignKeyConstraint(
            ["checked_in_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_meeting_attendance_checked_in_by_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_attendance_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_meeting_attendance_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance")),
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendance_member"),
    )
    op.create_index(
        op.f("ix_meeting_attendance_member_id"), "meeting_attendance", ["member_id"], unique=False
    )
    op.create_table(
        "meeting_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_documents_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_documents")),
        sa.UniqueConstraint("meeting_id", "document_id", name="uq_meeting_documents_document"),
    )
    op.create_table(
        "meeting_guests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_guests_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_guests")),
    )
    op.create_table(
        "meeting_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('opinion', 'proposal')", name=op.f("ck_meeting_comments_kind")
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["meeting_agenda_items.id"],
            name=op.f("fk_meeting_comments_agenda_item_id_meeting_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_comments_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_meeting_comments_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_comments")),
    )
    op.create_index(
        "ix_meeting_comments_meeting", "meeting_comments", ["meeting_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_meeting_comments_meeting", table_name="meeting_comments")
    op.drop_table("meeting_comments")
    op.drop_table("meeting_guests")
    op.drop_table("meeting_documents")
    op.drop_index(op.f("ix_meeting_attendance_member_id"), table_name="meeting_attendance")
    op.drop_table("meeting_attendance")
    op.drop_table("meeting_agenda_items")
    op.drop_index("ix_meetings_unit_starts", table_name="meetings")
    op.drop_index(op.f("ix_meetings_unit_id"), table_name="meetings")
    op.drop_index("ix_meetings_status_starts", table_name="meetings")
    op.drop_table("meetings")
    op.drop_table("calendar_tokens")
