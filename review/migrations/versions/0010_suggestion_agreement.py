"""Each answer keeps the answer its checks suggested (and the check that decided it) and whether the reviewer's
answer matched it, for the agreement figures.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch_op:
        batch_op.add_column(sa.Column("suggested", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("agreed", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch_op:
        batch_op.drop_column("agreed")
        batch_op.drop_column("suggested")
