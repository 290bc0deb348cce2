"""attendance intent (issue 15): an invited member's "I will attend" / "I cannot" with a reason

Revision ID: 0016_attendance_intent
Revises: 0015_bulletins
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0016_attendance_intent"
down_revision = "0015_bulletins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_attendance_intents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("will_attend", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "will_attend OR reason <> ''", name=op.f("ck_meeting_attendance_intents_intent_reason")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_attendance_intents_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_meeting_attendance_intents_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance_intents")),
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendance_intent"),
    )


def downgrade() -> None:
    op.drop_table("meeting_attendance_intents")
