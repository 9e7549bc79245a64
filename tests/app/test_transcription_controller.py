"""The controller's account of the worker's events: what is being transcribed and how far along."""

from app.transcription_controller import TranscriptionController
from review.desktop.user_settings import UserSettings
from review.transcripts.events import JobClaimed, JobDone, JobLost, JobProgress
from review.workspace import Workspace


def test_progress_over_calls_transcribed_together_never_goes_backwards(qtbot, sqlite_db):
    controller = TranscriptionController(Workspace(sqlite_db, None, UserSettings()))
    given_up = []
    controller.call_given_up.connect(given_up.append)
    seen = []

    def handle(event):
        controller._handle(event)
        seen.append(round(controller.current_progress, 3))

    for event in [JobClaimed(1, 10, "w"), JobClaimed(2, 11, "w"), JobClaimed(3, 12, "w"), JobProgress(1, 1.0),
                  JobProgress(2, 0.4), JobDone(1), JobLost(3), JobProgress(2, 0.7)]:
        handle(event)
    assert seen == [0.0, 0.0, 0.0, 0.333, 0.467, 0.467, 0.8, 0.9]
    assert controller.current_calls == [2] and given_up == [3]
    handle(JobDone(2))
    assert controller.current_calls == [] and seen[-1] == 0.0
    handle(JobClaimed(4, 13, "w"))  # the next batch starts from nothing
    handle(JobProgress(4, 0.5))
    assert seen[-2:] == [0.0, 0.5]
