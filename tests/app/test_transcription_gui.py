"""Background transcription from the GUI: a spawned worker process, progress as signals, pause at once."""

import pytest
from sqlalchemy import select

from app.main_window import MainWindow
from review.desktop.user_settings import UserSettings
from review.library.importing import import_recordings
from review.models import Call, TranscriptionJob
from review.workspace import Workspace
from tests.conftest import DEMO_CALLS, use_database_for_workers

pytestmark = pytest.mark.model


@pytest.fixture
def window(qtbot, sqlite_db, whisper_folder):
    from review.workspace import open_workspace

    db, actor = open_workspace(str(sqlite_db.engine.url))
    report = import_recordings(db, actor, [DEMO_CALLS / "ru07_gratitude.flac", DEMO_CALLS / "ru04_continuation_of_treatment.flac"])
    assert report.imported == 2
    settings = UserSettings(model_folder=str(whisper_folder), beam_size=1)
    use_database_for_workers(str(sqlite_db.engine.url), settings)
    main = MainWindow(Workspace(db, actor, settings))
    qtbot.addWidget(main)
    yield main, db
    main.transcription.pause()


def test_transcription_runs_in_the_background_and_updates_the_library(qtbot, window):
    main, db = window
    progress = []
    main.transcription.call_progress.connect(lambda call_id, fraction: progress.append(fraction))
    finished = []
    main.transcription.call_finished.connect(finished.append)
    main.start_transcription_if_waiting()
    qtbot.waitUntil(lambda: main.transcription.running, timeout=10_000)  # the queue is read off the GUI thread
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=180_000)
    qtbot.waitUntil(lambda: not main.transcription.running, timeout=10_000)
    assert progress and max(progress) == pytest.approx(1.0)
    statuses = {main.library.model.data(main.library.model.index(r, 7)) for r in range(2)}
    assert statuses == {"Transcribed"}
    assert "2" in main.transcription_status.label.text()


def test_pause_gives_the_jobs_back_at_once(qtbot, window):
    main, db = window
    started = []
    main.transcription.call_started.connect(started.append)
    main.start_transcription_if_waiting()
    # Two short calls: the worker claims them together and the status bar says so (of how many in all).
    qtbot.waitUntil(lambda: len(started) == 2, timeout=60_000)
    qtbot.waitUntil(lambda: ", 2 in progress " in main.transcription_status.label.text(), timeout=10_000)
    assert not main.transcription_status.bar.isHidden()
    with qtbot.waitSignal(main.transcription.given_back):  # at once, off the GUI thread
        main.transcription.pause()
    assert not main.transcription.running and main.transcription.current_calls == []
    with db.sessions() as session:
        for call_id in started:
            job = session.scalar(select(TranscriptionJob).where(TranscriptionJob.call_id == call_id))
            assert job.status in ("queued", "done")  # given back, unless it finished in the same instant
            if job.status == "queued":
                assert session.get(Call, call_id).transcription_status == "pending"
                assert job.worker is None
    assert main.transcription_status.button.text() == "Resume"
