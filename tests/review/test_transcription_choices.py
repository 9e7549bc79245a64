"""How a call was heard: the layout and language stored with its transcript, and a supervisor's correction."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import select

from review.errors import AccessDenied, ValidationError
from review.library.importing import import_recordings
from review.models import AuditEntry, Call, Segment, Transcript, TranscriptionJob, User
from review.storage.db import open_database
from review.transcripts.hearing import hearing_of, set_hearing, swap_speakers
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
        # One mix heard as mono: the two voices are told apart, the greeting's voice is the operator.
        assert hearing.speakers_inferred and hearing.speaker_confidence > 0.5
        segments = session.scalars(select(Segment).where(Segment.call_id == call_id).order_by(Segment.position)).all()
        assert segments[0].speaker == "operator" and "doctor" in segments[0].text.lower()
        customer = " ".join(s.text for s in segments if s.speaker == "customer").lower()
        assert "dermatologist" in customer
    db.dispose()


def _two_voices(**how) -> TranscriptResult:
    hello = TranscriptSegment("operator", 0.1, 0.5, "клиника", -0.2, 0.01, [Word(0.1, 0.5, "клиника", 0.9)])
    reply = TranscriptSegment("customer", 0.8, 1.2, "запишите", -0.2, 0.01, [Word(0.8, 1.2, "запишите", 0.9, True)])
    third = TranscriptSegment("speaker_3", 1.4, 1.8, "доктор", -0.2, 0.01, [Word(1.4, 1.8, "доктор", 0.9)])
    return TranscriptResult("ru", 2.0, [hello, reply, third], **how)


def _speakers(session, call_id) -> list[str]:
    return list(session.scalars(select(Segment.speaker).where(Segment.call_id == call_id).order_by(Segment.position)))


def test_swapped_inferred_speakers_stay_swapped_through_retranscription(db, admin, tmp_path):
    call_id = _one_call(db, admin, write_tone_call(tmp_path / "tone.wav", channels=1))
    inferred = {"channel_layout": "mono", "speakers_inferred": True, "speaker_confidence": 0.9,
                "operator_confidence": 0.6}
    with db.sessions() as session:
        complete(session, claim_next(session, "w1"), _two_voices(**inferred), model="test", processing_s=1.0)
    with db.unit_of_work() as session:
        assert _speakers(session, call_id) == ["operator", "customer", "speaker_3"]
        swap_speakers(session, admin, call_id)
    with db.sessions() as session:
        assert _speakers(session, call_id) == ["customer", "operator", "speaker_3"]  # a third voice keeps its label
        hearing = hearing_of(session, admin, call_id)
        assert (hearing.speakers_inferred, hearing.speakers_swapped) == (True, True)
        assert (hearing.speaker_confidence, hearing.operator_confidence) == (0.9, 0.6)
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "swap_speakers")).one().new[
            "speakers_swapped"] is True
        stored = session.scalars(select(Segment.words).where(Segment.call_id == call_id)).all()
        assert [w.get("o", False) for words in stored for w in words] == [False, True, False]  # overlap kept
    with db.unit_of_work() as session:  # transcribed again: the same voices, the supervisor's labels
        set_hearing(session, admin, call_id, language="en")
        complete(session, claim_next(session, "w2"), _two_voices(**inferred), model="test", processing_s=1.0)
    with db.sessions() as session:
        assert _speakers(session, call_id) == ["customer", "operator", "speaker_3"]


def test_swapping_a_stereo_call_moves_the_operator_channel(db, admin, tmp_path):
    call_id = _one_call(db, admin, write_tone_call(tmp_path / "tone.wav"))
    with db.sessions() as session:
        complete(session, claim_next(session, "w1"), _two_voices(channel_layout="stereo"), model="test",
                 processing_s=1.0)
    with db.unit_of_work() as session:
        swap_speakers(session, admin, call_id)
    with db.sessions() as session:
        call = session.get(Call, call_id)
        assert (call.operator_channel, call.speakers_swapped) == (1, False)  # the next transcription hears it so
        assert _speakers(session, call_id) == ["customer", "operator", "speaker_3"]
        assert claim_next(session, "w2") is None  # nothing to redo: the labels were swapped in place
