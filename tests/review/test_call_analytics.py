"""Stored conversation analytics: written with the transcript, measured later for calls transcribed before,
with the workspace's thresholds, and kept in step with the schema."""

from __future__ import annotations

import shutil

import pytest
import yaml
from sqlalchemy import select

from review.analytics.stored import (
    analytics_thresholds,
    call_analytics,
    calls_to_measure,
    measure_calls,
    set_analytics_thresholds,
)
from review.errors import ValidationError
from review.library.importing import import_recordings
from review.models import Call, CallAnalytics, Transcript
from review.transcripts.jobs import claim_next, complete
from tests.conftest import DEMO_CALLS, REPO
from transcription.conversation import Thresholds
from transcription.transcript import Segment, Word
from transcription.transcript import Transcript as Spoken

SCRIPTS = REPO / "resources" / "demo" / "scripts"


def script_transcript(call_id: str, *, inferred: bool = False) -> Spoken:
    """The demo script's turns as the transcription stores them, words spread evenly over each turn."""
    script = yaml.safe_load((SCRIPTS / f"{call_id}.yaml").read_text(encoding="utf-8"))
    segments = []
    for turn in script["turns"]:
        parts = turn["text"].split()
        step = (turn["end"] - turn["start"]) / len(parts)
        words = [Word(turn["start"] + i * step, turn["start"] + (i + 1) * step, p, 0.9) for i, p in enumerate(parts)]
        segments.append(Segment(turn["speaker"], turn["start"], turn["end"], turn["text"], -0.2, 0.01, words))
    return Spoken("ru", script["duration_s"], sorted(segments, key=lambda s: s.start), speakers_inferred=inferred)


def transcribed(db, admin, path, transcript: Spoken) -> int:
    """Import the recording and store `transcript` for it the way the queue worker does."""
    [call_id] = import_recordings(db, admin, [path]).call_ids
    with db.sessions() as session:
        job = claim_next(session, "test-worker", [call_id])
        assert complete(session, job, transcript, model="script", processing_s=0.1)
    return call_id


def test_the_transcript_is_stored_with_its_analytics(db, admin, clock):
    with db.unit_of_work() as session:
        set_analytics_thresholds(session, admin, Thresholds(hold_min_s=5.0))
    call_id = transcribed(db, admin, DEMO_CALLS / "ru02_callback_checkup.flac",
                          script_transcript("ru02_callback_checkup"))
    with db.sessions() as session:
        found = call_analytics(session, admin, call_id)
        row = session.get(CallAnalytics, call_id)
        assert row.thresholds == Thresholds(hold_min_s=5.0).to_dict() and row.computed_at.year == 2026
    assert found.energy_used and not found.speakers_inferred
    [hold] = [s for s in found.stretches if s.kind == "hold"]
    assert hold.music and hold.start == pytest.approx(30.86, abs=0.1) and hold.end == pytest.approx(38.86, abs=0.1)
    assert found.hold_count == 1 and found.hold_longest_s == pytest.approx(8.0, abs=0.1)
    assert found.operator_first_word_s == pytest.approx(0.6, abs=0.1)
    # The script's turns: the operator 0.6-7.22, 11.23-19.47, 23.82-30.86, 38.86-42.8, 45.66-51.66.
    assert found.operator_talk_s == pytest.approx(31.84, abs=0.1) and found.customer_talk_s == pytest.approx(7.44, abs=0.1)
    assert found.operator_share == pytest.approx(31.84 / (31.84 + 7.44), abs=0.005) and found.operator_wpm > 60


def test_swapped_speakers_of_a_mono_call_swap_its_talk_times(db, admin, tmp_path):
    mono = tmp_path / "ru05_mono.flac"
    import soundfile as sf

    samples, rate = sf.read(DEMO_CALLS / "ru05_complaint_lost_appointment.flac")
    sf.write(mono, samples.mean(axis=1), rate)
    transcript = script_transcript("ru05_complaint_lost_appointment", inferred=True)
    plain = transcribed(db, admin, DEMO_CALLS / "ru05_complaint_lost_appointment.flac",
                        script_transcript("ru05_complaint_lost_appointment"))
    [call_id] = import_recordings(db, admin, [mono]).call_ids
    with db.unit_of_work() as session:
        session.get(Call, call_id).speakers_swapped = True  # a supervisor said the labels were the wrong way round
    with db.sessions() as session:
        job = claim_next(session, "test-worker", [call_id])
        assert complete(session, job, transcript, model="script", processing_s=0.1)
        swapped, straight = call_analytics(session, admin, call_id), call_analytics(session, admin, plain)
    assert swapped.speakers_inferred and not straight.speakers_inferred
    assert swapped.operator_talk_s == pytest.approx(straight.customer_talk_s)
    assert swapped.customer_talk_s == pytest.approx(straight.operator_talk_s)


def test_calls_transcribed_before_are_measured_on_demand(db, admin, tmp_path):
    moved = tmp_path / "ru02.flac"
    shutil.copy(DEMO_CALLS / "ru02_callback_checkup.flac", moved)
    first = transcribed(db, admin, DEMO_CALLS / "ru05_complaint_lost_appointment.flac",
                        script_transcript("ru05_complaint_lost_appointment"))
    second = transcribed(db, admin, moved, script_transcript("ru02_callback_checkup"))
    with db.unit_of_work() as session:
        session.query(CallAnalytics).delete()  # as on a database transcribed before analytics existed
        assert calls_to_measure(session, admin) == [first, second]
    moved.unlink()  # its recording is gone: measured from the transcript alone
    report = measure_calls(db, admin)
    assert report.measured == 2
    assert [call_id for call_id, _ in report.without_audio] == [second]
    assert "ru02.flac" in report.without_audio[0][1]
    with db.sessions() as session:
        assert calls_to_measure(session, admin) == []
        assert not call_analytics(session, admin, second).energy_used
        assert call_analytics(session, admin, first).energy_used
    with db.unit_of_work() as session:  # other thresholds: every call is due again
        set_analytics_thresholds(session, admin, Thresholds(overtalk_min_s=0.5))
        assert calls_to_measure(session, admin) == [first, second]
    assert measure_calls(db, admin, [first]).measured == 1
    with db.sessions() as session:
        assert calls_to_measure(session, admin) == [second]
        [overtalk] = [s for s in call_analytics(session, admin, first).stretches if s.kind == "overtalk"]
        assert overtalk.by == "customer"


def test_thresholds_are_checked_and_audited(db, admin):
    with db.unit_of_work() as session:
        assert analytics_thresholds(session) == Thresholds()
        for wrong in (Thresholds(silence_min_s=0), Thresholds(silence_min_s=12.0), Thresholds(long_hold_s=5.0)):
            with pytest.raises(ValidationError):
                set_analytics_thresholds(session, admin, wrong)
        set_analytics_thresholds(session, admin, Thresholds(silence_min_s=4.0))
    with db.sessions() as session:
        assert analytics_thresholds(session).silence_min_s == 4.0
        from review.models import AuditEntry

        entry = session.scalars(select(AuditEntry).where(AuditEntry.note == "analytics_thresholds")).one()
        assert entry.old["silence_min_s"] == 3.0 and entry.new["silence_min_s"] == 4.0


def test_a_call_without_a_transcript_has_no_analytics(db, admin):
    [call_id] = import_recordings(db, admin, [DEMO_CALLS / "ru09_info_prices.flac"]).call_ids
    with db.sessions() as session:
        assert call_analytics(session, admin, call_id) is None
        assert session.get(Transcript, call_id) is None


def test_the_migration_builds_the_table_the_model_describes(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from review.models import Base

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": False}),
                                       Base.metadata)
    ours = [d for d in differences if "call_analytics" in repr(d) or "pick_reason" in repr(d)]
    assert ours == []
