"""merge the issue-3 revisions (meetings, votes, documents, tasks) into one line

Revision ID: 0006_merge
Revises: 0005_documents, 0005_tasks, 0005_votes
"""

revision = "0006_merge"
# 0005_meetings is not listed: tasks and votes already depend on it, and naming it again
# makes Alembic drop it from the heads twice (KeyError on a fresh database).
down_revision = ("0005_documents", "0005_tasks", "0005_votes")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
