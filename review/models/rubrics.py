"""Stored rubrics: a rubric has immutable published versions and at most one editable draft."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from review.models.base import Base, utcnow


class RubricRecord(Base):
    __tablename__ = "rubrics"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    builtin: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    versions: Mapped[list[RubricVersion]] = relationship(back_populates="rubric", order_by="RubricVersion.number")


class RubricVersion(Base):
    __tablename__ = "rubric_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | published
    body: Mapped[str] = mapped_column(Text)  # the rubric as YAML, exactly as validated
    note: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rubric: Mapped[RubricRecord] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("rubric_id", "number", name="uq_rubric_versions_rubric_number"),)
