"""Calibration rounds: the calls and the supervisors of each round (their scores are calibration evaluations).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calibration_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(),
                  sa.ForeignKey("rubric_versions.id", name="fk_calibration_rounds_rubric_version_id_rubric_versions"),
                  nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id", name="fk_calibration_rounds_created_by_users"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "calibration_calls",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey(
            "calibration_rounds.id", ondelete="CASCADE", name="fk_calibration_calls_round_id_calibration_rounds"),
            nullable=False),
        sa.Column("call_id", sa.Integer(), sa.ForeignKey(
            "calls.id", ondelete="CASCADE", name="fk_calibration_calls_call_id_calls"), nullable=False),
        sa.UniqueConstraint("round_id", "call_id", name="uq_calibration_calls_round_call"),
    )
    op.create_index("ix_calibration_calls_round_id", "calibration_calls", ["round_id"])
    op.create_index("ix_calibration_calls_call_id", "calibration_calls", ["call_id"])
    op.create_table(
        "calibration_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey(
            "calibration_rounds.id", ondelete="CASCADE", name="fk_calibration_members_round_id_calibration_rounds"),
            nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_calibration_members_user_id_users"), nullable=False),
        sa.UniqueConstraint("round_id", "user_id", name="uq_calibration_members_round_user"),
    )
    op.create_index("ix_calibration_members_round_id", "calibration_members", ["round_id"])
    op.create_index("ix_calibration_members_user_id", "calibration_members", ["user_id"])


def downgrade() -> None:
    op.drop_table("calibration_members")
    op.drop_table("calibration_calls")
    op.drop_table("calibration_rounds")
