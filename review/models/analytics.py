"""Conversation analytics stored per call (transcription.conversation's figures and stretches)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from review.models.base import Base, utcnow


class CallAnalytics(Base):
    """One row per transcribed call, recomputed when the call is transcribed again or the thresholds change."""

    __tablename__ = "call_analytics"
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    duration_s: Mapped[float]
    operator_talk_s: Mapped[float]
    customer_talk_s: Mapped[float]
    operator_share: Mapped[float | None] = mapped_column(index=True)  # of the two parties' talk, 0..1
    silence_count: Mapped[int]
    silence_total_s: Mapped[float] = mapped_column(index=True)
    silence_longest_s: Mapped[float] = mapped_column(index=True)
    hold_count: Mapped[int]
    hold_total_s: Mapped[float] = mapped_column(index=True)
    hold_longest_s: Mapped[float] = mapped_column(index=True)
    long_holds: Mapped[int]
    overtalk_count: Mapped[int] = mapped_column(index=True)
    overtalk_total_s: Mapped[float] = mapped_column(index=True)
    operator_interruptions: Mapped[int]
    customer_interruptions: Mapped[int]
    operator_words: Mapped[int]
    operator_wpm: Mapped[float | None] = mapped_column(index=True)
    operator_first_word_s: Mapped[float | None] = mapped_column(index=True)
    # The customer's complaints (review.analytics.customer_mood); the first one's words and time.
    customer_complaints: Mapped[int] = mapped_column(default=0, server_default="0", index=True)
    complaint_at_s: Mapped[float | None]
    complaint_words: Mapped[str | None] = mapped_column(String(200))
    speakers_inferred: Mapped[bool] = mapped_column(default=False, server_default=false())
    energy_used: Mapped[bool] = mapped_column(default=False, server_default=false())
    stretches: Mapped[list] = mapped_column(default=list)  # Stretch.to_dict() each, in time order
    thresholds: Mapped[dict] = mapped_column(default=dict)  # the Thresholds they were computed with
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
