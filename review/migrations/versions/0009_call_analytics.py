"""Conversation analytics per call (talk, silence, hold, overtalk and their stretches), and why a
signal-driven sampling rule picked a session's call.

Revision ID: 0009
Revises: 0008 (0006 on the branch that wrote it; relinked when merged after 0007 and 0008)
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXED = ("operator_share", "silence_total_s", "silence_longest_s", "hold_total_s", "hold_longest_s",
           "overtalk_count", "overtalk_total_s", "operator_wpm", "operator_first_word_s")


def upgrade() -> None:
    op.create_table(
        "call_analytics",
        sa.Column("call_id", sa.Integer(), sa.ForeignKey("calls.id", ondelete="CASCADE",
                                                         name="fk_call_analytics_call_id_calls"), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("operator_talk_s", sa.Float(), nullable=False),
        sa.Column("customer_talk_s", sa.Float(), nullable=False),
        sa.Column("operator_share", sa.Float(), nullable=True),
        sa.Column("silence_count", sa.Integer(), nullable=False),
        sa.Column("silence_total_s", sa.Float(), nullable=False),
        sa.Column("silence_longest_s", sa.Float(), nullable=False),
        sa.Column("hold_count", sa.Integer(), nullable=False),
        sa.Column("hold_total_s", sa.Float(), nullable=False),
        sa.Column("hold_longest_s", sa.Float(), nullable=False),
        sa.Column("long_holds", sa.Integer(), nullable=False),
        sa.Column("overtalk_count", sa.Integer(), nullable=False),
        sa.Column("overtalk_total_s", sa.Float(), nullable=False),
        sa.Column("operator_interruptions", sa.Integer(), nullable=False),
        sa.Column("customer_interruptions", sa.Integer(), nullable=False),
        sa.Column("operator_words", sa.Integer(), nullable=False),
        sa.Column("operator_wpm", sa.Float(), nullable=True),
        sa.Column("operator_first_word_s", sa.Float(), nullable=True),
        sa.Column("speakers_inferred", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("energy_used", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("stretches", sa.JSON(), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("call_id", name="pk_call_analytics"),
    )
    for column in INDEXED:
        op.create_index(f"ix_call_analytics_{column}", "call_analytics", [column])
    with op.batch_alter_table("session_calls") as batch_op:
        batch_op.add_column(sa.Column("pick_reason", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session_calls") as batch_op:
        batch_op.drop_column("pick_reason")
    for column in INDEXED:
        op.drop_index(f"ix_call_analytics_{column}", "call_analytics")
    op.drop_table("call_analytics")
