"""Evaluations of a call against a pinned rubric version, their answers and timestamped comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review.models.base import Base, utcnow

EVALUATION_KINDS = ("supervisor", "self", "calibration")
EVALUATION_STATES = ("draft", "submitted")


class Evaluation(Base):
    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("review_sessions.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="supervisor")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    score: Mapped[float | None]
    computed_score: Mapped[float | None]
    critical_score: Mapped[float | None]
    fatal: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    answers: Mapped[list[Answer]] = relationship(back_populates="evaluation", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class Answer(Base):
    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[dict | None]  # {"v": <bool|int|str>}; JSON keeps the answer's type
    na: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str | None] = mapped_column(Text)
    # What the question's checks suggested when it was answered ({"v": value, "check": deciding check id}), and
    # whether this answer is it; None where nothing was suggested (review.scoring.agreement).
    suggested: Mapped[dict | None]
    agreed: Mapped[bool | None]
    evaluation: Mapped[Evaluation] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("evaluation_id", "question_id", name="uq_answers_evaluation_question"),)


class Comment(Base):
    """A note pinned to a moment (or stretch) of a call or to a message of a chat, optionally linked to a question."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at_s: Mapped[float]
    end_s: Mapped[float | None]
    question_id: Mapped[str | None] = mapped_column(String(100))
    # A written conversation's comment is anchored to a message (at_s is then the message's time in it).
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
