"""Channel layout per import source: set for a folder, forced on its calls now and on later imports, re-queued."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review.errors import AccessDenied, ValidationError
from review.library.importing import import_recordings
from review.library.source_layouts import calls_from_source, folders_of, source_layouts
from review.models import AuditEntry, Call, User
from review.transcripts.hearing import set_hearing, set_source_layout
from review.transcripts.jobs import claim_next, complete
from tests.conftest import write_tone_call
from transcription.transcript import Segment, Transcript, Word


def _heard(layout: str) -> Transcript:
    segment = Segment("unknown", 0.1, 0.5, "алло", -0.2, 0.01, [Word(0.1, 0.5, "алло", 0.9)])
    return Transcript("ru", 2.0, [segment], channel_layout=layout)


def _transcribe_all(db, layouts: dict[int, str]) -> None:
    """Work the queue as a worker would, each call heard with the layout given for it."""
    with db.sessions() as session:
        while (job := claim_next(session, "w1")) is not None:
            complete(session, job, _heard(job.channel_layout or layouts[job.call_id]), model="test", processing_s=1.0)


def _call_state(db, call_id: int) -> tuple:
    with db.sessions() as session:
        call = session.get(Call, call_id)
        return call.channel_layout, call.channel_layout_forced, call.transcription_status


@pytest.fixture
def pbx(db, admin, tmp_path):
    """Two calls from a recorder's folder (one in a day's subfolder), one from elsewhere, all transcribed."""
    source = tmp_path / "pbx"
    paths = [write_tone_call(source / "a.wav", 2.0), write_tone_call(source / "2026-11-17" / "b.wav", 2.5),
             write_tone_call(tmp_path / "other" / "c.wav", 3.0)]
    report = import_recordings(db, admin, paths)
    assert report.problems == [] and len(report.call_ids) == 3
    a, b, c = report.call_ids
    _transcribe_all(db, {a: "stereo", b: "dual_mono", c: "stereo"})
    return source, (a, b, c)


def test_a_source_layout_is_forced_on_its_calls_and_requeues_those_heard_otherwise(db, admin, pbx):
    source, (a, b, c) = pbx
    with db.unit_of_work() as session:
        change = set_source_layout(session, admin, source, "dual_mono")
    assert (change.call_ids, change.requeued) == ([a, b], 1)  # b was already heard as dual-mono
    assert _call_state(db, a) == ("dual_mono", True, "pending")
    assert _call_state(db, b) == ("dual_mono", True, "done")
    assert _call_state(db, c) == ("stereo", False, "done")  # not from the source
    with db.sessions() as session:
        job = claim_next(session, "w2")
        assert (job.call_id, job.channel_layout) == (a, "dual_mono")  # the worker is told, not left to detect
        assert claim_next(session, "w2") is None
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "set_source_layout")).one()
        assert entry.old == {"folder": str(source), "channel_layout": None}
        assert entry.new == {"folder": str(source), "channel_layout": "dual_mono"}
        assert entry.user_id == admin.id


def test_a_call_imported_later_from_the_source_takes_its_layout(db, admin, pbx, tmp_path):
    source, _calls = pbx
    with db.unit_of_work() as session:
        set_source_layout(session, admin, source / ".." / "pbx", "one_silent")  # the same folder, spelt otherwise
        assert source_layouts(session) == {str(source): "one_silent"}
    report = import_recordings(db, admin, [write_tone_call(source / "2026-11-18" / "d.wav", 1.5),
                                           write_tone_call(tmp_path / "other" / "e.wav", 1.75)])
    d, e = report.call_ids
    assert _call_state(db, d) == ("one_silent", True, "pending")
    assert _call_state(db, e) == (None, False, "pending")


def test_a_per_call_correction_still_wins_and_detect_again_undoes_the_source(db, admin, pbx):
    source, (a, b, _c) = pbx
    with db.unit_of_work() as session:
        set_source_layout(session, admin, source, "dual_mono")
    _transcribe_all(db, {})
    with db.unit_of_work() as session:
        assert set_hearing(session, admin, b, channel_layout="stereo")
    _transcribe_all(db, {})
    assert _call_state(db, b) == ("stereo", True, "done")
    with db.unit_of_work() as session:
        change = set_source_layout(session, admin, source, None)
        assert source_layouts(session) == {}
    assert (change.call_ids, change.requeued) == ([a, b], 2)
    _transcribe_all(db, {a: "stereo", b: "dual_mono"})  # detected afresh
    assert _call_state(db, a) == ("stereo", False, "done")
    assert _call_state(db, b) == ("dual_mono", False, "done")


def test_a_bad_source_layout_is_refused_in_plain_words(db, admin, pbx, tmp_path):
    source, _calls = pbx
    with db.unit_of_work() as session:
        with pytest.raises(ValidationError, match="Channel layout 'quadrophonic' is not one of"):
            set_source_layout(session, admin, source, "quadrophonic")
        with pytest.raises(ValidationError, match="No call in the library comes from .*nowhere, and there is no such folder"):
            set_source_layout(session, admin, tmp_path / "nowhere", "mono")
        manager = User(username="manager", display_name="Manager", role="manager")
        session.add(manager)
        session.flush()
        with pytest.raises(AccessDenied):
            set_source_layout(session, manager, source, "mono")
        assert source_layouts(session) == {}


def test_the_folders_a_call_may_come_from_and_the_calls_under_one(db, admin, pbx):
    source, (a, b, _c) = pbx
    with db.sessions() as session:
        path = session.get(Call, b).path
        assert folders_of(path)[:2] == [str(source / "2026-11-17"), str(source)]
        assert calls_from_source(session, admin, source) == [a, b]
        assert calls_from_source(session, admin, source / "2026-11-17") == [b]
        # a folder whose name only begins like the source's is another source
        assert calls_from_source(session, admin, str(source) + "-old") == []
