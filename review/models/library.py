"""Recorded calls (and written conversations) and their transcription."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review.models.accounts import Operator
from review.models.base import Base, FilePath, utcnow

DIRECTIONS = ("in", "out")
CHANNEL_KINDS = ("phone", "whatsapp", "email")
CALL_KINDS = (
    "inbound_booking",
    "callback_checkup",
    "return_lost_patient",
    "continuation_of_treatment",
    "info_request",
    "complaint",
    "other",
)
OUTCOMES = ("booked", "not_booked", "info_only", "callback_agreed", "other")
TRANSCRIPTION_STATES = ("pending", "running", "done", "failed")


class Call(Base):
    __tablename__ = "calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(FilePath(4000))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int]
    duration_s: Mapped[float] = mapped_column(index=True)
    sample_rate: Mapped[int]
    channels: Mapped[int]
    codec: Mapped[str] = mapped_column(String(40))
    operator_channel: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None] = mapped_column(index=True)
    direction: Mapped[str | None] = mapped_column(String(10), index=True)
    channel_kind: Mapped[str] = mapped_column(String(20), default="phone", index=True)
    call_kind: Mapped[str | None] = mapped_column(String(40), index=True)
    outcome: Mapped[str | None] = mapped_column(String(40), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    # The phone's digits without the trunk prefix: calls with one patient share it (review.library.patient_thread).
    phone_key: Mapped[str | None] = mapped_column(String(20), index=True)
    language: Mapped[str | None] = mapped_column(String(10))  # spoken language when known (else the setting)
    # transcription.channel_layout: detected at transcription unless set for this call (forced)
    channel_layout: Mapped[str | None] = mapped_column(String(20))
    channel_layout_forced: Mapped[bool] = mapped_column(default=False, server_default=false())
    tags: Mapped[list] = mapped_column(default=list)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"), index=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    transcription_status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    transcription_error: Mapped[str | None] = mapped_column(Text)
    thanked: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    operator: Mapped[Operator | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_calls_operator_started", "operator_id", "started_at"),)


class TranscriptionJob(Base):
    """A persistent queue entry; claimed atomically, heart-beats while running."""

    __tablename__ = "transcription_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    priority: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    progress: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    redecoded_windows: Mapped[int | None]  # windows whose output looped and were decoded again


class Transcript(Base):
    __tablename__ = "transcripts"
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(10))  # the language it was transcribed in
    language_source: Mapped[str | None] = mapped_column(String(20))  # transcription.language.SOURCES
    language_probability: Mapped[float | None]  # the detector's, when it ran
    model: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processing_s: Mapped[float | None]


class Segment(Base):
    __tablename__ = "segments"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    speaker: Mapped[str] = mapped_column(String(20))
    start_s: Mapped[float]
    end_s: Mapped[float]
    text: Mapped[str] = mapped_column(Text)
    avg_logprob: Mapped[float | None]
    no_speech_prob: Mapped[float | None]
    words: Mapped[list] = mapped_column(default=list)
    # Stemmed words for the SQLite full-text index (PostgreSQL indexes `text` with its russian config).
    search_text: Mapped[str] = mapped_column(Text, default="")
