"""Full-text search over stored transcripts, kept in sync with the segments (no model needed)."""

import pytest
from sqlalchemy import delete

from review.models import Call, Operator, Segment, User
from review.library.search import search_transcripts, stems
from review.transcripts.jobs import claim_next, complete
from review.transcripts.stored import export_transcript, stored_transcript
from transcription.transcript import Segment as SpokenSegment
from transcription.transcript import Transcript, Word


def _store(db, admin, call_id, lines):
    with db.sessions() as session:
        job = claim_next(session, "test-worker", [call_id])
        segments = [SpokenSegment(speaker, start, start + 2.0, text, -0.2, 0.01,
                                  [Word(start, start + 0.5, w, 0.9) for w in text.split()])
                    for speaker, start, text in lines]
        assert complete(session, job, Transcript("ru", 60.0, segments), model="test", processing_s=0.1)


@pytest.fixture
def two_calls(db, admin):
    from review.transcripts.jobs import requeue

    with db.unit_of_work() as session:
        anna, igor = Operator(name="Анна"), Operator(name="Игорь")
        session.add_all([anna, igor])
        session.flush()
        calls = [Call(path=f"/{i}.wav", sha256=str(i) * 64, size_bytes=1, duration_s=60, sample_rate=8000, channels=2,
                      codec="PCM_16", operator_id=op.id) for i, op in ((1, anna), (2, igor))]
        session.add_all(calls)
        session.flush()
        requeue(session, admin, [c.id for c in calls])
        ids = [c.id for c in calls]
        igor_user = User(username="igor", display_name="Игорь", role="operator", operator_id=igor.id)
        session.add(igor_user)
    _store(db, admin, ids[0], [("operator", 1.0, "Добрый день, клиника, меня зовут Анна"),
                               ("customer", 4.0, "Мою запись отменили, перезвоните мне пожалуйста"),
                               ("operator", 8.0, "Я перезвоню вам через час")])
    _store(db, admin, ids[1], [("operator", 1.0, "Здравствуйте, вы записаны к кардиологу"),
                               ("customer", 3.5, "Спасибо большое, вы мне очень помогли")])
    return ids, igor_user


def test_words_are_found_in_their_other_forms(db, admin, two_calls):
    (anna_call, igor_call), _ = two_calls
    with db.sessions() as session:
        hits = search_transcripts(session, admin, "перезвонить")
        assert {(h.call_id, h.speaker) for h in hits} == {(anna_call, "customer"), (anna_call, "operator")}
        [hit] = search_transcripts(session, admin, "запись отменили")
        assert (hit.call_id, hit.speaker, hit.start_s) == (anna_call, "customer", 4.0)
        assert [h.call_id for h in search_transcripts(session, admin, "спасибо, помогли")] == [igor_call]
        assert search_transcripts(session, admin, "   ") == []


def test_operators_find_only_their_own_calls(db, admin, two_calls):
    (anna_call, igor_call), igor = two_calls
    with db.sessions() as session:
        assert search_transcripts(session, igor, "перезвоните") == []
        assert [h.call_id for h in search_transcripts(session, igor, "кардиологу")] == [igor_call]


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "'; DROP TABLE segments; --", "a OR b", "^", "запись)"])
def test_query_syntax_cannot_break_the_search(db, admin, two_calls, query):
    with db.sessions() as session:
        search_transcripts(session, admin, query)
        assert session.query(Segment).count() == 5


def test_index_follows_deleted_and_replaced_transcripts(db, admin, two_calls):
    (anna_call, igor_call), _ = two_calls
    with db.unit_of_work() as session:
        session.execute(delete(Segment).where(Segment.call_id == anna_call))
    with db.sessions() as session:
        assert search_transcripts(session, admin, "перезвоните") == []
    from review.transcripts.jobs import requeue

    with db.unit_of_work() as session:
        requeue(session, admin, [igor_call])
    _store(db, admin, igor_call, [("customer", 2.0, "Перезвоните завтра утром")])
    with db.sessions() as session:
        assert [h.call_id for h in search_transcripts(session, admin, "перезвоните")] == [igor_call]
        assert search_transcripts(session, admin, "кардиологу") == []


def test_stems_cover_russian_and_english():
    assert stems("Перезвоните, пожалуйста!") == stems("перезвонить пожалуйста")
    assert stems("calling") == stems("called")


def test_transcript_export_masks_personal_data(db, admin, two_calls, tmp_path):
    (anna_call, _), _ = two_calls
    with db.unit_of_work() as session:
        session.add(Segment(call_id=anna_call, position=3, speaker="customer", start_s=12.0, end_s=15.0,
                            text="Мой телефон +7 916 123-45-67", words=[], search_text=""))
    with db.sessions() as session:
        assert "123-45-67" in stored_transcript(session, admin, anna_call).text
        txt = export_transcript(session, admin, anna_call, tmp_path / "t.txt", "txt").read_text(encoding="utf-8")
        srt = export_transcript(session, admin, anna_call, tmp_path / "t.srt", "srt").read_text(encoding="utf-8")
        raw = export_transcript(session, admin, anna_call, tmp_path / "t.json", "json", masked=False)
    assert "123-45-67" not in txt and "123-45-67" not in srt
    assert "перезвоните" in txt.lower() and "00:00:04,000 -->" in srt
    assert "123-45-67" in raw.read_text(encoding="utf-8")


def test_the_words_a_query_found_are_located_for_highlighting():
    from review.library.search import matched_spans

    text = "Хочу записаться к кардиологу, запись на среду. Ёлка не при чём."
    found = [text[a:b] for a, b in matched_spans(text, "запись кардиолог")]
    assert found == ["записаться", "кардиологу", "запись"]
    assert [text[a:b] for a, b in matched_spans(text, "елка")] == ["Ёлка"]
    assert matched_spans(text, "  ") == []
