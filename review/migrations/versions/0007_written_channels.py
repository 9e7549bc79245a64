"""Written channels: the messages of WhatsApp chats and e-mail threads (full-text indexed like segments), their
response figures on the call row, and comments anchored to a message.

Revision ID: 0007
Revises: 0006 (to be relinked onto 0006 when that lands in main)
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=300), nullable=True),
        sa.Column("address", sa.String(length=320), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("quoted", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("message_key", sa.String(length=300), nullable=False),
        sa.Column("in_reply_to", sa.String(length=300), nullable=True),
        sa.Column("response_s", sa.Float(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_messages_call_id_calls"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("call_id", "message_key", name="uq_messages_call_key"),
    )
    with op.batch_alter_table("messages") as batch_op:
        batch_op.create_index(batch_op.f("ix_messages_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_messages_message_key"), ["message_key"], unique=False)
    with op.batch_alter_table("calls") as batch_op:
        batch_op.add_column(sa.Column("message_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("first_response_s", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longest_wait_s", sa.Float(), nullable=True))
        batch_op.create_index(batch_op.f("ix_calls_first_response_s"), ["first_response_s"], unique=False)
        batch_op.create_index(batch_op.f("ix_calls_longest_wait_s"), ["longest_wait_s"], unique=False)
    with op.batch_alter_table("comments") as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_comments_message_id"), ["message_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_comments_message_id_messages"), "messages", ["message_id"], ["id"],
                                    ondelete="SET NULL")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE messages_fts USING fts5(search_text, content='messages', "
                   "content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN "
                   "INSERT INTO messages_fts(rowid, search_text) VALUES (new.id, new.search_text); END")
        op.execute("CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN "
                   "INSERT INTO messages_fts(messages_fts, rowid, search_text) "
                   "VALUES ('delete', old.id, old.search_text); END")
        op.execute("CREATE TRIGGER messages_fts_update AFTER UPDATE OF search_text ON messages BEGIN "
                   "INSERT INTO messages_fts(messages_fts, rowid, search_text) "
                   "VALUES ('delete', old.id, old.search_text); "
                   "INSERT INTO messages_fts(rowid, search_text) VALUES (new.id, new.search_text); END")
    else:
        op.execute("CREATE INDEX ix_messages_text_russian ON messages USING gin (to_tsvector('russian', text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("messages_fts_insert", "messages_fts_delete", "messages_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS messages_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_messages_text_russian")
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_comments_message_id_messages"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_comments_message_id"))
        batch_op.drop_column("message_id")
    with op.batch_alter_table("calls") as batch_op:
        batch_op.drop_index(batch_op.f("ix_calls_longest_wait_s"))
        batch_op.drop_index(batch_op.f("ix_calls_first_response_s"))
        batch_op.drop_column("longest_wait_s")
        batch_op.drop_column("first_response_s")
        batch_op.drop_column("message_count")
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_message_key"))
        batch_op.drop_index(batch_op.f("ix_messages_call_id"))
    op.drop_table("messages")
