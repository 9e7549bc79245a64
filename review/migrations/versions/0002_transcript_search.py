"""Full-text search over transcript segments.

SQLite: an FTS5 table with external content over segments.search_text (stemmed words), kept in sync
by triggers. PostgreSQL: a GIN index over to_tsvector('russian', text).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("segments") as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE segments_fts USING fts5(search_text, content='segments', "
                   "content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN "
                   "INSERT INTO segments_fts(rowid, search_text) VALUES (new.id, new.search_text); END")
        op.execute("CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN "
                   "INSERT INTO segments_fts(segments_fts, rowid, search_text) "
                   "VALUES ('delete', old.id, old.search_text); END")
        op.execute("CREATE TRIGGER segments_fts_update AFTER UPDATE OF search_text ON segments BEGIN "
                   "INSERT INTO segments_fts(segments_fts, rowid, search_text) "
                   "VALUES ('delete', old.id, old.search_text); "
                   "INSERT INTO segments_fts(rowid, search_text) VALUES (new.id, new.search_text); END")
        op.execute("INSERT INTO segments_fts(segments_fts) VALUES ('rebuild')")
    else:
        op.execute("CREATE INDEX ix_segments_text_russian ON segments USING gin (to_tsvector('russian', text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("segments_fts_insert", "segments_fts_delete", "segments_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS segments_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_segments_text_russian")
    with op.batch_alter_table("segments") as batch_op:
        batch_op.drop_column("search_text")
