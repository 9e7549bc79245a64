"""Review sessions per operator: sampled calls, discussion, strengths, growth areas, goals, disputes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from review.models.base import Base, utcnow

SESSION_STATES = ("to_score", "ready_to_discuss", "closed")
GOAL_STATES = ("open", "met", "not_met", "extended")


class ReviewSession(Base):
    __tablename__ = "review_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    status: Mapped[str] = mapped_column(String(30), default="to_score")
    sampling_rule: Mapped[dict]
    seed: Mapped[int]
    period_start: Mapped[date]
    period_end: Mapped[date]
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class SessionCall(Base):
    __tablename__ = "session_calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    swap_reason: Mapped[str | None] = mapped_column(String(1000))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("session_calls.id", ondelete="SET NULL"))
    # Why a signal-driven rule picked the call: {"signal": ..., "value": ...}; None for a random pick.
    pick_reason: Mapped[dict | None]


class SessionNote(Base):
    """A strength or a growth area named at the discussion, tied to a rubric question or written freely."""

    __tablename__ = "session_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # strength | growth
    question_id: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class Goal(Base):
    __tablename__ = "goals"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("review_sessions.id", ondelete="CASCADE"), index=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    rubric_slug: Mapped[str | None] = mapped_column(String(100))
    question_id: Mapped[str | None] = mapped_column(String(100))
    section_id: Mapped[str | None] = mapped_column(String(100))
    metric: Mapped[str] = mapped_column(String(500))
    target: Mapped[float]
    due: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]


class Dispute(Base):
    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    raised_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | accepted | declined
    old_value: Mapped[dict | None]
    new_value: Mapped[dict | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
