"""Calibration rounds: chosen calls that chosen supervisors each score blind, on one pinned rubric version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from review.models.base import Base, utcnow


class CalibrationRound(Base):
    """A round's scores are its members' calibration evaluations of its calls: a member is never put in two
    rounds with the same call, so each such evaluation belongs to one round."""

    __tablename__ = "calibration_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class CalibrationCall(Base):
    __tablename__ = "calibration_calls"
    __table_args__ = (UniqueConstraint("round_id", "call_id", name="uq_calibration_calls_round_call"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)


class CalibrationMember(Base):
    __tablename__ = "calibration_members"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_calibration_members_round_user"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
