"""The call's details show how it was heard (channel layout, spoken language) and take a supervisor's correction."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import select

from app.library_page import CallDetailsPane
from review.accounts.local_admin import ensure_local_admin
from review.models import AuditEntry, Call, Transcript, TranscriptionJob
from review.workspace import Workspace
from tests.app.review_support import reviewable_demo_call
from tests.app.test_review_workspace import open_window


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def heard(sqlite_db):
    """A demo call transcribed from a dual-mono file in English under the Russian setting."""
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    call_id = reviewable_demo_call(sqlite_db, actor, "en01_booking_dermatology")
    with sqlite_db.unit_of_work() as session:
        session.get(Call, call_id).channel_layout = "dual_mono"
        transcript = session.get(Transcript, call_id)
        transcript.language, transcript.language_source, transcript.language_probability = "en", "detected", 0.951
        session.add(TranscriptionJob(call_id=call_id, status="done", redecoded_windows=1))
    return sqlite_db, actor, call_id


def test_the_library_details_show_the_layout_and_language(qtbot, heard):
    db, actor, call_id = heard
    pane = CallDetailsPane(Workspace(db, actor))
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.shown):
        pane.show_call(call_id)
    assert pane.fields["layout"].text() == "Same audio on both channels (detected)"
    assert pane.fields["language"].text() == "English (detected, 95 %) · Passages decoded again (repetition): 1"


def test_the_details_in_russian(qtbot, heard, russian):
    db, actor, call_id = heard
    pane = CallDetailsPane(Workspace(db, actor))
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.shown):
        pane.show_call(call_id)
    assert pane.fields["layout"].text() == "Одна запись в обоих каналах (определено автоматически)"
    assert pane.fields["language"].text().startswith("Английский (определён по речи, 95 %)")


def test_a_correction_in_the_review_window_requeues_the_call(qtbot, heard):
    db, actor, call_id = heard
    window = open_window(qtbot, db, actor, call_id)
    panel = window.metadata
    assert panel.layout.currentData() is None  # detected, not set
    assert panel.language.currentData() == "en"  # named by the demo's import metadata
    panel.layout.setCurrentIndex(panel.layout.findData("one_silent"))
    panel.language.setCurrentIndex(panel.language.findData(None))  # detect per call instead
    panel.save_button.click()
    qtbot.waitUntil(lambda: window.data.call.channel_layout_forced)
    with db.sessions() as session:
        call = session.get(Call, call_id)
        assert (call.channel_layout, call.channel_layout_forced, call.language) == ("one_silent", True, None)
        assert call.transcription_status == "pending"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit_hearing")).one()
        assert entry.old == {"channel_layout": None, "language": "en"}
        assert entry.new == {"channel_layout": "one_silent", "language": None}
    assert panel.layout.currentData() == "one_silent" and panel.language.currentData() is None
    window.close()


def test_the_swap_button_swaps_inferred_speakers_and_says_so(qtbot, heard):
    db, actor, call_id = heard
    from review.models import Segment

    with db.unit_of_work() as session:
        transcript = session.get(Transcript, call_id)
        transcript.speakers_inferred, transcript.speaker_confidence, transcript.operator_confidence = True, 0.92, 0.74
        before = list(session.scalars(select(Segment.speaker).where(Segment.call_id == call_id)
                                      .order_by(Segment.position)))
    pane = CallDetailsPane(Workspace(db, actor))
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.shown):
        pane.show_call(call_id)
    assert pane.fields["speakers"].text() == "by voice: 92 % clear, operator 74 % sure"
    with qtbot.waitSignal(pane.shown):  # swapped, then shown again
        pane.swap_button.click()
    assert pane.fields["speakers"].text().endswith("· swapped by hand")
    with db.sessions() as session:
        after = list(session.scalars(select(Segment.speaker).where(Segment.call_id == call_id)
                                     .order_by(Segment.position)))
        assert session.get(Call, call_id).speakers_swapped
    swap = {"operator": "customer", "customer": "operator"}
    assert after == [swap.get(s, s) for s in before] and after != before


def test_the_review_window_marks_inferred_speakers(qtbot, heard):
    db, actor, call_id = heard
    window = open_window(qtbot, db, actor, call_id)
    assert window.speakers_note.isHidden()  # speakers from the channels: nothing to say
    with db.unit_of_work() as session:
        transcript = session.get(Transcript, call_id)
        transcript.speakers_inferred, transcript.speaker_confidence, transcript.operator_confidence = True, 0.8, 0.95
    window.load_call(call_id)
    qtbot.waitUntil(lambda: not window.speakers_note.isHidden())
    assert window.speakers_note.text() == "Speakers: by voice: 80 % clear, operator 95 % sure"
