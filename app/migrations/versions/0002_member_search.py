"""member name search: a trigram index so substring search on folded names avoids a full scan

SQLite: an FTS5 table with the trigram tokenizer, kept in step with members by triggers.
PostgreSQL: a pg_trgm GIN index (skipped, with a notice, where the extension is unavailable).

Revision ID: 0002_member_search
Revises: 0001
"""

from alembic import op

revision = "0002_member_search"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS member_name_search USING fts5("
    "name_folded, content='members', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS members_name_search_ai AFTER INSERT ON members BEGIN "
    "INSERT INTO member_name_search(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS members_name_search_ad AFTER DELETE ON members BEGIN "
    "INSERT INTO member_name_search(member_name_search, rowid, name_folded) "
    "VALUES ('delete', old.id, old.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS members_name_search_au AFTER UPDATE OF name_folded ON members "
    "BEGIN INSERT INTO member_name_search(member_name_search, rowid, name_folded) "
    "VALUES ('delete', old.id, old.name_folded); "
    "INSERT INTO member_name_search(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "INSERT INTO member_name_search(member_name_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS members_name_search_au",
    "DROP TRIGGER IF EXISTS members_name_search_ad",
    "DROP TRIGGER IF EXISTS members_name_search_ai",
    "DROP TABLE IF EXISTS member_name_search",
]
POSTGRES_UP = [
    # pg_trgm is a trusted extension: a database owner may create it without superuser rights.
    """DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm unavailable (%): member search will scan', SQLERRM;
    END $$""",
    """DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
            CREATE INDEX IF NOT EXISTS ix_members_name_trgm
                ON members USING gin (name_folded gin_trgm_ops);
        END IF;
    END $$""",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_members_name_trgm"]


def upgrade() -> None:
    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP
    for stmt in statements:
        op.execute(stmt)


def downgrade() -> None:
    statements = SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN
    for stmt in statements:
        op.execute(stmt)
