"""The customer's complaints per call (an unhappy customer, for signal-driven sampling and the library).

Revision ID: 0014
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call_analytics") as batch_op:
        batch_op.add_column(sa.Column("customer_complaints", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("complaint_at_s", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("complaint_words", sa.String(200), nullable=True))
        batch_op.create_index("ix_call_analytics_customer_complaints", ["customer_complaints"])


def downgrade() -> None:
    with op.batch_alter_table("call_analytics") as batch_op:
        batch_op.drop_index("ix_call_analytics_customer_complaints")
        batch_op.drop_column("complaint_words")
        batch_op.drop_column("complaint_at_s")
        batch_op.drop_column("customer_complaints")
