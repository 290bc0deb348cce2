"""merge the knowledge base (issue 4) with the member list order index into one line

Revision ID: 0009_merge_knowledge
Revises: 0008_knowledge, 0008_member_name_order
"""

revision = "0009_merge_knowledge"
# Both branch from 0007_personal_calendar; neither depends on the other.
down_revision = ("0008_knowledge", "0008_member_name_order")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
