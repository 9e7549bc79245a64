"""The status bar's account of transcription: how many calls are transcribed of how many, and how far the ones
under way are — never a batch's percentage that reads as the whole queue's."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.transcription_controller import TranscriptionController
from app.transcription_status import TranscriptionStatusWidget
from review.accounts.local_admin import ensure_local_admin
from review.desktop.user_settings import UserSettings
from review.models import Call
from review.transcripts.events import JobClaimed, JobDone, JobProgress
from review.workspace import Workspace
from tests.app.test_plural_forms import russian_pairs, russian_with_pairs  # noqa: F401 (fixtures)


@pytest.fixture
def twelve(sqlite_db):
    """Twelve calls: six transcribed, six waiting."""
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        for i in range(12):
            session.add(Call(path=f"/calls/{i}.wav", sha256=f"{i:064x}", size_bytes=1, duration_s=30,
                             sample_rate=8000, channels=2, codec="PCM_16", started_at=datetime(2026, 11, 2, 9, i),
                             transcription_status="done" if i < 6 else "pending"))
    return sqlite_db, actor


def _widget(qtbot, db, actor):
    controller = TranscriptionController(Workspace(db, None, UserSettings()))
    widget = TranscriptionStatusWidget(controller, Workspace(db, actor))
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.shown):  # counted off the GUI thread
        pass
    return controller, widget


def test_progress_says_how_many_of_all_and_how_far_the_one_under_way_is(qtbot, twelve, english):
    db, actor = twelve
    controller, widget = _widget(qtbot, db, actor)
    assert widget.label.text() == "6 of 12 calls transcribed; paused, 6 waiting"
    assert widget.button.text() == "Resume" and not widget.button.isHidden()
    with db.unit_of_work() as session:  # the worker claims call 7 and is 40 % through it
        session.get(Call, 7).transcription_status = "running"
    with qtbot.waitSignal(widget.shown):
        controller._handle(JobClaimed(7, 70, "w"))
    controller._handle(JobProgress(7, 0.4))
    assert widget.label.text() == "6 of 12 calls transcribed, 1 in progress 40 %"
    assert "52 %" not in widget.label.text() and widget.bar.text() == "6 / 12"
    with db.unit_of_work() as session:
        session.get(Call, 7).transcription_status = "done"
    with qtbot.waitSignal(widget.shown):
        controller._handle(JobDone(7))
    assert widget.label.text() == "7 of 12 calls transcribed; paused, 5 waiting"


def test_the_same_in_russian_with_real_plural_forms(qtbot, twelve, russian_pairs):  # noqa: F811
    db, actor = twelve
    controller, widget = _widget(qtbot, db, actor)
    assert widget.label.text() == "Расшифровано 6 из 12 звонков; пауза, в очереди: 6"
    with db.unit_of_work() as session:
        session.get(Call, 7).transcription_status = "running"
    with qtbot.waitSignal(widget.shown):
        controller._handle(JobClaimed(7, 70, "w"))
    controller._handle(JobProgress(7, 0.4))
    assert widget.label.text() == "Расшифровано 6 из 12 звонков, в работе 1 — 40 %"


def test_when_everything_is_transcribed_it_says_so(qtbot, sqlite_db, english):
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        session.add(Call(path="/a.wav", sha256="a" * 64, size_bytes=1, duration_s=30, sample_rate=8000, channels=2,
                         codec="PCM_16", transcription_status="done"))
    _controller, widget = _widget(qtbot, sqlite_db, actor)
    assert widget.label.text() == "Transcripts: 1 ready" and widget.button.isHidden() and widget.bar.isHidden()
