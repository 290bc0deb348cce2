"""votes, items, participation, open choices and secret ballots

Revision ID: 0005_votes
Revises: 0005_meetings
Depends on: 0005_meetings (votes.meeting_id references meetings.id)
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0005_votes"
down_revision = "0005_meetings"
branch_labels = None
depends_on = None

KINDS = "kind IN ('open', 'secret')"
FORMS = "form IN ('motions', 'candidates')"
STATUSES = "status IN ('draft', 'open', 'closed')"
BASES = "threshold_base IN ('present', 'all')"
CHOICES = "choice IN ('agree', 'disagree', 'other')"


def upgrade() -> None:
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("form", sa.String(length=12), nullable=False),
        sa.Column("threshold_base", sa.String(length=8), nullable=False),
        sa.Column("threshold_num", sa.Integer(), nullable=False),
        sa.Column("threshold_den", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("opens_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closes_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opened_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("eligible_count", sa.Integer(), nullable=True),
        sa.Column("present_count", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("chain_head", sa.String(length=64), nullable=True),
        sa.CheckConstraint(KINDS, name=op.f("ck_votes_kind")),
        sa.CheckConstraint(FORMS, name=op.f("ck_votes_form")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_votes_status")),
        sa.CheckConstraint(BASES, name=op.f("ck_votes_threshold_base")),
        sa.CheckConstraint(
            "threshold_num > 0 AND threshold_den > 0 AND threshold_num < threshold_den",
            name=op.f("ck_votes_threshold"),
        ),
        sa.CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at",
            name=op.f("ck_votes_window"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_votes_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_votes_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["accounts.id"], name=op.f("fk_votes_created_by_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["accounts.id"], name=op.f("fk_votes_opened_by_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["accounts.id"], name=op.f("fk_votes_closed_by_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
    )
    op.create_index("ix_votes_unit_id", "votes", ["unit_id"])
    op.create_index("ix_votes_meeting_id", "votes", ["meeting_id"])

    op.create_table(
        "vote_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_items_vote_id_votes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_items")),
        sa.UniqueConstraint("vote_id", "position", name="uq_vote_items_position"),
    )

    # No timestamp, no serial id, key-ordered storage: the order of voting is not kept.
    op.create_table(
        "vote_participation",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["votes.id"],
            name=op.f("fk_vote_participation_vote_id_votes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_vote_participation_member_id_members")
        ),
        sa.PrimaryKeyConstraint("vote_id", "member_id", name=op.f("pk_vote_participation")),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "vote_open_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(CHOICES, name=op.f("ck_vote_open_choices_choice")),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["votes.id"],
            name=op.f("fk_vote_open_choices_vote_id_votes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["vote_items.id"],
            name=op.f("fk_vote_open_choices_item_id_vote_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_vote_open_choices_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_open_choices")),
        sa.UniqueConstraint("item_id", "member_id", name="uq_vote_open_choices_item_member"),
    )
    op.create_index("ix_vote_open_choices_vote", "vote_open_choices", ["vote_id", "item_id"])

    # Secret ballots: nothing here may point at a member or an account, or carry a time.
    op.create_table(
        "ballots",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_ballots_vote_id_votes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_ballots_vote_id", "ballots", ["vote_id"])


def downgrade() -> None:
    op.drop_index("ix_ballots_vote_id", table_name="ballots")
    op.drop_table("ballots")
    op.drop_index("ix_vote_open_choices_vote", table_name="vote_open_choices")
    op.drop_table("vote_open_choices")
    op.drop_table("vote_participation")
    op.drop_table("vote_items")
    op.drop_index("ix_votes_meeting_id", table_name="votes")
    op.drop_index("ix_votes_unit_id", table_name="votes")
    op.drop_table("votes")
