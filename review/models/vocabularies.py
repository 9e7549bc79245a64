"""The workspace's own lists of call kinds and outcomes, which an administrator edits."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from review.models.base import Base

VOCABULARIES = ("call_kind", "outcome")
# The three outbound callbacks the built-in rubric scores; a clinic's own callback kind names one of them.
CALLBACK_KINDS = ("callback_checkup", "return_lost_patient", "continuation_of_treatment")


class VocabularyEntry(Base):
    """One call kind or outcome: a stable code, its labels, and for a call kind what callback it is."""

    __tablename__ = "vocabulary_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(String(20), index=True)  # call_kind | outcome
    code: Mapped[str] = mapped_column(String(40))
    label_ru: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    outbound_callback: Mapped[bool] = mapped_column(default=False)
    callback_kind: Mapped[str | None] = mapped_column(String(40))  # one of CALLBACK_KINDS when a callback
    aliases: Mapped[list] = mapped_column(default=list)  # other spellings met on import that mean this code
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("vocabulary", "code", name="uq_vocabulary_entries_vocabulary_code"),)
