"""knowledge chunks keep their nearest heading (an article's title: "Điều 2. Thời hạn")

The answer step weighs a sentence together with the title of the article it stands in: the
title often carries the question's topic ("hạn", "miễn sinh hoạt") that the sentence leaves
out. Chunks indexed before this revision get their heading when next re-indexed.

Revision ID: 0010_chunk_heading
Revises: 0009_merge_knowledge
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_chunk_heading"
down_revision = "0009_merge_knowledge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_chunks") as batch:
        batch.add_column(sa.Column("heading", sa.String(300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("knowledge_chunks") as batch:
        batch.drop_column("heading")
