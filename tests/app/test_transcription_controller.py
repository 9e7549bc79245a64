"""The controller's account of the worker's events: what is being transcribed and how far along."""

from app.transcription_controller import TranscriptionController
from review.desktop.user_settings import UserSettings


def test_progress_over_calls_transcribed_together_never_goes_backwards(qtbot, sqlite_db):
    controller = TranscriptionController(sqlite_db, UserSettings())
    given_up = []
    controller.call_given_up.connect(given_up.append)
    seen = []

    def handle(event):
        controller._handle(event)
        seen.append(round(controller.current_progress, 3))

    for event in [("claimed", 1, 10, "w"), ("claimed", 2, 11, "w"), ("claimed", 3, 12, "w"),
                  ("progress", 1, 1.0), ("progress", 2, 0.4), ("done", 1), ("lost", 3), ("progress", 2, 0.7)]:
        handle(event)
    assert seen == [0.0, 0.0, 0.0, 0.333, 0.467, 0.467, 0.8, 0.9]
    assert controller.current_calls == [2] and given_up == [3]
    handle(("done", 2))
    assert controller.current_calls == [] and seen[-1] == 0.0
    handle(("claimed", 4, 13, "w"))  # the next batch starts from nothing
    handle(("progress", 4, 0.5))
    assert seen[-2:] == [0.0, 0.5]
