"""documents, versions, audience, distributions, read receipts; feedback threads

Revision ID: 0005_documents
Revises: 0005_tasks
"""

import sqlalchemy as sa
from alembic import op

import app.core.db

revision = "0005_documents"
down_revision = "0005_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback_threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('author_member_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('comment', 'idea')", name=op.f('ck_feedback_threads_feedback_kind_valid')),
    sa.CheckConstraint("status IN ('new', 'accepted', 'answered', 'closed')", name=op.f('ck_feedback_threads_feedback_status_valid')),
    sa.CheckConstraint("target_type IN ('document', 'meeting', 'draft', 'unit')", name=op.f('ck_feedback_threads_feedback_target_valid')),
    sa.ForeignKeyConstraint(['author_member_id'], ['members.id'], name=op.f('fk_feedback_threads_author_member_id_members')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_feedback_threads_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_threads'))
    )
    op.create_index('ix_feedback_threads_author', 'feedback_threads', ['author_member_id'], unique=False)
    op.create_index('ix_feedback_threads_target', 'feedback_threads', ['target_type', 'target_id'], unique=False)
    op.create_index('ix_feedback_threads_unit', 'feedback_threads', ['unit_id', 'status'], unique=False)
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('confidentiality', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source_type', sa.String(length=24), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("confidentiality IN ('normal', 'internal', 'confidential')", name=op.f('ck_documents_document_confidentiality_valid')),
    sa.CheckConstraint("status IN ('draft', 'published', 'withdrawn')", name=op.f('ck_documents_document_status_valid')),
    sa.ForeignKeyConstraint(['created_by'], ['accounts.id'], name=op.f('fk_documents_created_by_accounts')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_documents_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    op.create_index('ix_documents_status_published', 'documents', ['status', 'published_at'], unique=False)
    op.create_index(op.f('ix_documents_unit_id'), 'documents', ['unit_id'], unique=False)
    op.create_table('feedback_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_account_id', sa.Integer(), nullable=True),
    sa.Column('author_member_id', sa.Integer(), nullable=True),
    sa.Column('is_official', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_account_id'], ['accounts.id'], name=op.f('fk_feedback_posts_author_account_id_accounts')),
    sa.ForeignKeyConstraint(['author_member_id'], ['members.id'], name=op.f('fk_feedback_posts_author_member_id_members')),
    sa.ForeignKeyConstraint(['thread_id'], ['feedback_threads.id'], name=op.f('fk_feedback_posts_thread_id_feedback_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_posts'))
    )
    op.create_index(op.f('ix_feedback_posts_thread_id'), 'feedback_posts', ['thread_id'], unique=False)
    op.create_table('document_audiences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('include_subtree', sa.Boolean(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_audiences_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_document_audiences_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_audiences')),
    sa.UniqueConstraint('document_id', 'unit_id', 'role', name='uq_document_audience')
    )
    op.create_index('ix_document_audiences_unit', 'document_audiences', ['unit_id', 'document_id'], unique=False)
    op.create_table('document_distributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('distributed_by', sa.Integer(), nullable=True),
    sa.Column('distributed_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['distributed_by'], ['accounts.id'], name=op.f('fk_document_distributions_distributed_by_accounts')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_distributions_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_distributions'))
    )
    op.create_table('document_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('read_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_reads_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_document_reads_member_id_members')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_document_reads_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_reads')),
    sa.UniqueConstraint('document_id', 'member_id', name='uq_document_reads_member')
    )
    op.create_index('ix_document_reads_doc_unit', 'document_reads', ['document_id', 'unit_id'], unique=False)
    op.create_table('document_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('mime', sa.String(length=100), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_document_versions_document_version_size_positive')),
    sa.CheckConstraint('version_no >= 1', name=op.f('ck_document_versions_document_version_positive')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_versions_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['accounts.id'], name=op.f('fk_document_versions_uploaded_by_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_versions')),
    sa.UniqueConstraint('document_id', 'version_no', name='uq_document_versions_no')
    )
    op.create_index(op.f('ix_document_versions_sha256'), 'document_versions', ['sha256'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_document_versions_sha256'), table_name='document_versions')
    op.drop_table('document_versions')
    op.drop_index('ix_document_reads_doc_unit', table_name='document_reads')
    op.drop_table('document_reads')
    op.drop_table('document_distributions')
    op.drop_index('ix_document_audiences_unit', table_name='document_audiences')
    op.drop_table('document_audiences')
    op.drop_index(op.f('ix_feedback_posts_thread_id'), table_name='feedback_posts')
    op.drop_table('feedback_posts')
    op.drop_index(op.f('ix_documents_unit_id'), table_name='documents')
    op.drop_index('ix_documents_status_published', table_name='documents')
    op.drop_table('documents')
    op.drop_index('ix_feedback_threads_unit', table_name='feedback_threads')
    op.drop_index('ix_feedback_threads_target', table_name='feedback_threads')
    op.drop_index('ix_feedback_threads_author', table_name='feedback_threads')
    op.drop_table('feedback_threads')
