"""Speakers told apart by voice on one-channel calls: the transcript's mark and confidences, the call's label swap.

Also drops evaluations.explanation: a Russian rendering of the score nobody read (screens explain a score
from its answers, in the reader's language).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transcripts") as batch_op:
        batch_op.add_column(sa.Column("speakers_inferred", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("speaker_confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("operator_confidence", sa.Float(), nullable=True))
    with op.batch_alter_table("calls") as batch_op:
        batch_op.add_column(sa.Column("speakers_swapped", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("evaluations") as batch_op:
        batch_op.drop_column("explanation")


def downgrade() -> None:
    with op.batch_alter_table("evaluations") as batch_op:
        batch_op.add_column(sa.Column("explanation", sa.Text(), nullable=True))
    with op.batch_alter_table("calls") as batch_op:
        batch_op.drop_column("speakers_swapped")
    with op.batch_alter_table("transcripts") as batch_op:
        batch_op.drop_column("operator_confidence")
        batch_op.drop_column("speaker_confidence")
        batch_op.drop_column("speakers_inferred")
