"""Administration's talk analytics tab: the thresholds saved as the workspace's, and calls measured again."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.analytics_settings import AnalyticsThresholdsEditor
from review.accounts.local_admin import ensure_local_admin
from review.analytics.stored import analytics_thresholds, call_analytics
from review.workspace import Workspace
from tests.conftest import DEMO_CALLS
from tests.review.test_call_analytics import script_transcript, transcribed


def test_thresholds_saved_and_calls_measured_again(qtbot, sqlite_db, monkeypatch):
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    call_id = transcribed(sqlite_db, admin, DEMO_CALLS / "ru05_complaint_lost_appointment.flac",
                          script_transcript("ru05_complaint_lost_appointment"))
    editor = AnalyticsThresholdsEditor(Workspace(sqlite_db, admin))
    qtbot.addWidget(editor)
    qtbot.waitSignal(editor.shown).wait()
    assert [editor.spins[n].value() for n in ("silence_min_s", "hold_min_s", "long_hold_s", "overtalk_min_s")] == \
        [3.0, 10.0, 120.0, 1.0]
    assert editor.status.text().endswith(": 0")
    editor.spins["overtalk_min_s"].setValue(0.5)
    with qtbot.waitSignal(editor.shown):  # saved, then shown again
        editor.save()
    with sqlite_db.sessions() as session:
        assert analytics_thresholds(session).overtalk_min_s == 0.5
    assert editor.status.text().endswith(": 1")  # measured with the old thresholds
    with qtbot.waitSignal(editor.measured, timeout=20000) as done:
        editor.measure_again()
    assert done.args == [1]
    qtbot.waitUntil(lambda: editor.status.text().endswith(": 0"))
    with sqlite_db.sessions() as session:
        assert call_analytics(session, admin, call_id).overtalk_count == 1  # the 1 s overtalk counts now
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    editor.spins["silence_min_s"].setValue(20.0)  # longer than a hold: refused, nothing saved
    with qtbot.waitSignal(editor.saved) as outcome:
        editor.save()
    assert outcome.args == [False]
    assert "shorter than a hold" in shown[0] and editor.spins["silence_min_s"].value() == 20.0
