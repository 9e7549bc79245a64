"""Audio excerpts of a real demo call whose stored transcript holds a phone number: the number is silent in the
excerpt, the rest of the speech is not, the recording is untouched and the export is audited."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import numpy as np
import pytest
from sqlalchemy import select

from review.transcripts.excerpts import PAD_S, export_excerpt, personal_data_stretches
from review.errors import AccessDenied, ValidationError
from review.library.importing import import_recordings
from review.models import AuditEntry, Call, Segment, Transcript, User
from tests.app.review_support import DEMO_CALLS, script_segments
from transcription.audio import decode, probe

PHONE_TURN = ("Здравствуйте, запишите мой телефон восемь девятьсот шестнадцать сто двадцать три сорок пять "
              "шестьдесят семь, пожалуйста, к кардиологу.")
RATE = 8000


def _spread(text: str, start: float, end: float) -> list[dict]:
    tokens = text.split()
    step = (end - start) / len(tokens)
    return [{"start": round(start + i * step, 3), "end": round(start + (i + 0.9) * step, 3), "word": f" {token}",
             "probability": 0.9} for i, token in enumerate(tokens)]


@pytest.fixture
def phone_call(db, admin):
    """ru01 with its second turn (the customer, 6.82–13.66 s) rewritten to dictate a phone number."""
    report = import_recordings(db, admin, [DEMO_CALLS / "ru01_booking_cardiology.flac"])
    call_id = report.call_ids[0]
    with db.unit_of_work() as session:
        for position, segment in enumerate(script_segments("ru01_booking_cardiology")):
            if position == 1:
                segment = {**segment, "text": PHONE_TURN, "words": _spread(PHONE_TURN, 6.82, 13.66)}
            session.add(Segment(call_id=call_id, position=position, **segment))
        session.add(Transcript(call_id=call_id, language="ru", model="script"))
        session.get(Call, call_id).transcription_status = "done"
    words = _spread(PHONE_TURN, 6.82, 13.66)
    first = next(i for i, w in enumerate(words) if w["word"] == " восемь")
    last = next(i for i, w in enumerate(words) if w["word"] == " семь,")
    return call_id, (words[first]["start"] - PAD_S, words[last]["end"] + PAD_S)


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples))))


def test_phone_number_is_silent_and_the_rest_is_heard(db, admin, phone_call, tmp_path):
    call_id, (mute_from, mute_to) = phone_call
    with db.sessions() as session:
        recording = session.get(Call, call_id).path
    before = hashlib.sha256(open(recording, "rb").read()).hexdigest()
    with db.unit_of_work() as session:
        result = export_excerpt(session, admin, call_id, 6.0, 20.0, tmp_path / "excerpt.wav")
    assert [(m.kind, m.speaker) for m in result.muted] == [("phone", "customer")]
    assert result.muted[0].start_s == pytest.approx(mute_from) and result.muted[0].end_s == pytest.approx(mute_to)

    written = probe(result.path)
    assert (written.sample_rate, written.channels) == (RATE, 2)
    assert written.duration_s == pytest.approx(14.0, abs=1 / RATE) == result.duration_s
    audio = decode(result.path, RATE)
    muted = audio[:, int((mute_from - 6.0) * RATE):int((mute_to - 6.0) * RATE)]
    assert np.max(np.abs(muted)) == 0.0
    # The same stretch of the recording is speech, and so is the customer before it and the operator after it.
    original = decode(recording, RATE)[:, int(mute_from * RATE):int(mute_to * RATE)]
    assert _rms(original) > 0.01
    customer_before = audio[:, int(0.9 * RATE):int((mute_from - 6.05) * RATE)]
    operator_after = audio[:, int(8.3 * RATE):int(13.7 * RATE)]
    assert _rms(customer_before) > 0.005 and _rms(operator_after) > 0.01
    assert hashlib.sha256(open(recording, "rb").read()).hexdigest() == before  # the recording is only read

    with db.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export_excerpt")).one()
        assert entry.entity == "calls" and entry.entity_id == call_id and entry.user_id == admin.id
        assert entry.new["mute_personal_data"] is True and entry.new["muted"] == ["phone"]
        assert entry.new["file"].endswith("excerpt.wav")


def test_without_muting_the_number_is_heard(db, admin, phone_call, tmp_path):
    call_id, (mute_from, mute_to) = phone_call
    with db.unit_of_work() as session:
        result = export_excerpt(session, admin, call_id, mute_from, mute_to, tmp_path / "plain.flac",
                                mute_personal_data=False)
    assert result.muted == ()
    audio = decode(result.path, RATE)
    assert _rms(audio[:, 200:-200]) > 0.01


def test_refusals_name_the_problem(db, admin, phone_call, tmp_path):
    call_id, _ = phone_call
    out = tmp_path / "out"
    out.mkdir()
    with db.unit_of_work() as session:
        operator = User(username="anna", display_name="Анна", role="operator",
                        operator_id=session.get(Call, call_id).operator_id)
        session.add(operator)
        session.flush()
        with pytest.raises(AccessDenied, match="export data"):
            export_excerpt(session, operator, call_id, 0, 5, out / "mine.wav")  # even their own call
        with pytest.raises(ValidationError, match="start < end"):
            export_excerpt(session, admin, call_id, 9, 3, out / "x.wav")
        with pytest.raises(ValidationError, match=r"\.wav or \.flac"):
            export_excerpt(session, admin, call_id, 0, 3, out / "x.mp3")
        session.get(Call, call_id).transcription_status = "pending"
        with pytest.raises(ValidationError, match="no transcript yet"):
            export_excerpt(session, admin, call_id, 0, 3, out / "x.wav")
        session.get(Call, call_id).path = str(tmp_path / "moved.flac")
        with pytest.raises(ValidationError, match="moved.flac: file not found"):
            export_excerpt(session, admin, call_id, 0, 3, out / "x.wav", mute_personal_data=False)
        session.rollback()
    assert not list(out.iterdir())
    with db.sessions() as session:
        assert not session.scalars(select(AuditEntry).where(AuditEntry.action == "export_excerpt")).all()


def test_stretches_from_segments_with_and_without_word_times():
    with_words = SimpleNamespace(speaker="customer", start_s=10.0, end_s=16.0, text=PHONE_TURN,
                                 words=_spread(PHONE_TURN, 10.0, 16.0))
    no_words = SimpleNamespace(speaker="operator", start_s=20.0, end_s=24.0,
                               text="Ваша почта ivan.petrov@mail.ru, верно?", words=[])
    clean = SimpleNamespace(speaker="operator", start_s=30.0, end_s=31.0, text="Всего доброго", words=[])
    found = personal_data_stretches([no_words, clean, with_words])
    assert [(s.kind, s.speaker) for s in found] == [("phone", "customer"), ("email", "operator")]
    assert 10.0 < found[0].start_s and found[0].end_s < 16.0
    assert (found[1].start_s, found[1].end_s) == (20.0 - PAD_S, 24.0 + PAD_S)  # no word times: the whole segment
