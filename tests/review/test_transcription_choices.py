"""How a call was heard: the layout and language stored with its transcript, and a supervisor's correction."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import select

from review.storage.db import open_database
from review.errors import AccessDenied, ValidationError
from review.library.importing import import_recordings
from review.models import AuditEntry, Call, Transcript, TranscriptionJob, User
from review.transcripts.hearing import hearing_of, set_hearing
from review.transcripts.jobs import claim_next, complete
from review.transcripts.worker import process_next
from tests.conftest import DEMO_CALLS, write_tone_call
from transcription.pipeline import TranscriptionOptions
from transcription.transcript import Segment as TranscriptSegment
from transcription.transcript import Transcript as TranscriptResult
from transcription.transcript import Word


def _one_call(db, admin, path) -> int:
    report = import_recordings(db, admin, [path])
    assert report.problems == []
    return report.call_ids[0]


def _result(**how) -> TranscriptResult:
    segment = TranscriptSegment("unknown", 0.1, 0.5, "алло", -0.2, 0.01, [Word(0.1, 0.5, "алло", 0.9)])
    return TranscriptResult("ru", 2.0, [segment], **how)


def test_the_transcript_stores_how_the_call_was_heard(db, admin, tmp_path):
    call_id = _one_call(db, admin, write_tone_call(tmp_path / "tone.wav"))
    with db.sessions() as session:
        job = claim_next(session, "w1")
        assert job.channel_layout is None  # nothing set: the pipeline detects it
        assert complete(session, job, _result(channel_layout="dual_mono", language_source="detected",
                                              language_probability=0.93, redecoded_windows=2),
                        model="test", processing_s=1.0)
    with db.sessions() as session:
        hearing = hearing_of(session, admin, call_id)
        assert (hearing.channel_layout, hearing.channel_layout_forced) == ("dual_mono", False)
        assert (hearing.language, hearing.language_source, hearing.language_probability) == ("ru", "detected", 0.93)
        assert hearing.redecoded_windows == 2
        assert session.scalars(select(TranscriptionJob.redecoded_windows)).one() == 2


def test_a_correction_is_kept_requeues_the_call_and_is_audited(db, admin, tmp_path):
    call_id = _one_call(db, admin, write_tone_call(tmp_path / "tone.wav"))
    with db.sessions() as session:
        complete(session, claim_next(session, "w1"), _result(channel_layout="stereo"), model="test", processing_s=1.0)
    with db.unit_of_work() as session:
        assert set_hearing(session, admin, call_id, channel_layout="one_silent", language="EN")
        assert not set_hearing(session, admin, call_id, channel_layout="one_silent", language="en")  # no change
    with db.sessions() as session:
        call = session.get(Call, call_id)
        assert (call.channel_layout, call.channel_layout_forced, call.language) == ("one_silent", True, "en")
        assert call.transcription_status == "pending"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit_hearing")).one()
        assert entry.old == {"channel_layout": None, "language": None}
        assert entry.new == {"channel_layout": "one_silent", "language": "en"}
        job = claim_next(session, "w2")
        assert (job.channel_layout, job.language) == ("one_silent", "en")  # the worker is told, not left to detect
        complete(session, job, _result(channel_layout="one_silent", language_source="forced"), model="test",
                 processing_s=1.0)
    with db.unit_of_work() as session:  # back to detection: the next transcript's layout is stored again
        assert set_hearing(session, admin, call_id, channel_layout=None, language=None)
        complete(session, claim_next(session, "w3"), _result(channel_layout="mono"), model="test", processing_s=1.0)
    with db.sessions() as session:
        call = session.get(Call, call_id)
        assert (call.channel_layout, call.channel_layout_forced, call.language) == ("mono", False, None)


def test_a_bad_correction_is_refused_in_plain_words(db, admin, tmp_path):
    call_id = _one_call(db, admin, write_tone_call(tmp_path / "tone.wav"))
    with db.unit_of_work() as session:
        with pytest.raises(ValidationError, match="Channel layout 'quadrophonic' is not one of"):
            set_hearing(session, admin, call_id, channel_layout="quadrophonic")
        with pytest.raises(ValidationError, match="'xx' is not a language code"):
            set_hearing(session, admin, call_id, language="xx")
        with pytest.raises(ValidationError, match="cannot be edited"):
            set_hearing(session, admin, call_id, operator_channel=1)
        manager = User(username="manager", display_name="Manager", role="manager")
        session.add(manager)
        session.flush()
        with pytest.raises(AccessDenied):
            set_hearing(session, manager, call_id, language="en")


@pytest.mark.model
@pytest.mark.usefixtures("sox")
def test_layout_and_language_are_detected_and_survive_a_restart(tmp_path, whisper_folder):
    # An English call written dual-mono, transcribed under the Russian setting.
    path = tmp_path / "en01_dual_mono.wav"
    subprocess.run(["sox", str(DEMO_CALLS / "en01_booking_dermatology.flac"), str(path), "trim", "0", "14",
                    "remix", "1v0.5,2v0.5", "1v0.5,2v0.5"], check=True, capture_output=True)
    url = f"sqlite:///{tmp_path / 'kalibra.sqlite3'}"
    from review.accounts.local_admin import ensure_local_admin

    db = open_database(url)
    with db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    call_id = _one_call(db, admin, path)
    [outcome] = process_next(db, TranscriptionOptions(language="ru", cpu_threads=2, model_folder=str(whisper_folder)))
    assert outcome.ok, outcome.reason
    db.dispose()

    db = open_database(url)  # the app started again
    with db.sessions() as session:
        hearing = hearing_of(session, admin, call_id)
        assert (hearing.channel_layout, hearing.channel_layout_forced) == ("dual_mono", False)
        assert (hearing.language, hearing.language_source) == ("en", "detected")
        assert hearing.language_probability >= 0.8 and hearing.redecoded_windows == 0
        assert session.get(Transcript, call_id).language == "en"
    db.dispose()
