"""merge the parallel 0002 revisions into one line

Revision ID: 0003_merge
Revises: 0002_audit_indexes, 0002_member_search
"""

revision = "0003_merge"
down_revision = ("0002_audit_indexes", "0002_member_search")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
