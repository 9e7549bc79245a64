"""The clinic's vocabulary: one list per workspace, kept by administrators, read by every transcription worker."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review.accounts.users import create_user
from review.errors import AccessDenied, ValidationError
from review.library.importing import import_recordings
from review.models import AuditEntry, Segment
from review.transcripts.clinic_vocabulary import (
    MAX_CHARACTERS,
    as_hotwords,
    clinic_vocabulary,
    set_clinic_vocabulary,
)
from review.transcripts.jobs import requeue
from review.transcripts.worker import process_next
from tests.conftest import DEMO_CALLS
from transcription.pipeline import TranscriptionOptions


def test_the_list_is_kept_cleaned_and_audited(db, admin):
    with db.sessions() as session:
        assert clinic_vocabulary(session) == () and as_hotwords(()) is None
    with db.unit_of_work() as session:
        saved = set_clinic_vocabulary(session, admin, ("Семейный Доктор, доктор Соколова", "  ", "Кардиомагнил",
                                                       "доктор Соколова"))
    assert saved == ("Семейный Доктор", "доктор Соколова", "Кардиомагнил")
    with db.sessions() as session:  # another desktop reads the same list
        assert clinic_vocabulary(session) == saved
        assert as_hotwords(clinic_vocabulary(session)) == "Семейный Доктор, доктор Соколова, Кардиомагнил"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.note == "clinic_vocabulary")).one()
        assert entry.old == {"terms": []} and entry.new["terms"][0] == "Семейный Доктор"


def test_a_list_whisper_cannot_read_whole_and_a_supervisor_are_refused(db, admin):
    with db.unit_of_work() as session:
        supervisor = create_user(session, admin, "sup", "Надежда", "supervisor")
    with db.unit_of_work() as session:
        with pytest.raises(ValidationError, match="too long: whisper reads at most"):
            set_clinic_vocabulary(session, admin, tuple(f"Препарат номер {n}" for n in range(MAX_CHARACTERS // 10)))
        with pytest.raises(ValidationError, match="too long for one word"):
            set_clinic_vocabulary(session, admin, ("а" * 81,))
        with pytest.raises(AccessDenied):
            set_clinic_vocabulary(session, supervisor, ("Семейный Доктор",))
    with db.sessions() as session:
        assert clinic_vocabulary(session) == ()


@pytest.mark.model
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the list's reading is tested on both above
def test_the_worker_spells_the_clinic_s_name_as_the_list_does(db, admin, whisper_folder):
    """Without the list whisper writes "клиника семейный доктор"; with it, as the clinic writes its name."""
    options = TranscriptionOptions(language="ru", language_forced=True, model_folder=str(whisper_folder))

    def greeting() -> str:
        with db.sessions() as session:
            return session.scalars(select(Segment.text).order_by(Segment.call_id.desc(), Segment.position)).first()

    [call_id] = import_recordings(db, admin, [DEMO_CALLS / "ru01_booking_cardiology.flac"]).call_ids
    [plain] = process_next(db, options)
    assert plain.ok and "Семейный Доктор" not in greeting() and "семейный доктор" in greeting().lower()
    with db.unit_of_work() as session:
        set_clinic_vocabulary(session, admin, ("Семейный Доктор", "доктор Соколова"))
        requeue(session, admin, [call_id])
    [told] = process_next(db, options)
    assert told.ok and "Семейный Доктор" in greeting()
