"""How a call was heard: its channel layout (detected or set), why its transcript's language, loops re-decoded.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch_op:
        batch_op.add_column(sa.Column("channel_layout", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("channel_layout_forced", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("transcripts") as batch_op:
        batch_op.add_column(sa.Column("language_source", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("language_probability", sa.Float(), nullable=True))
    with op.batch_alter_table("transcription_jobs") as batch_op:
        batch_op.add_column(sa.Column("redecoded_windows", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transcription_jobs") as batch_op:
        batch_op.drop_column("redecoded_windows")
    with op.batch_alter_table("transcripts") as batch_op:
        batch_op.drop_column("language_probability")
        batch_op.drop_column("language_source")
    with op.batch_alter_table("calls") as batch_op:
        batch_op.drop_column("channel_layout_forced")
        batch_op.drop_column("channel_layout")
