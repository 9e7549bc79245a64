"""Killing the app mid-review loses nothing: every answer was already committed when it was given.

The test starts this same file as a separate process (the driver below): it opens the review window on a
temporary SQLite database, answers questions with key presses, says so, and waits. The test then kills it
with SIGKILL (no clean-up runs) and opens the database again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from review.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
# What the driver answers, key by key: Yes, Yes, level "fully understood" (4th), N/A.
DRIVER_KEYS = ["1", "1", "4", "N"]


def _drive(database_url: str, call_id: int) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from app.application import create_application
    from app.operations import pending_operations
    from app.review_workspace import ReviewWindow
    from review.accounts.local_admin import ensure_local_admin
    from review.storage.db import open_database

    app = create_application()
    db = open_database(database_url)
    with db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    window = ReviewWindow(Workspace(db, actor), call_id)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()

    def answer() -> None:
        if not window.isActiveWindow() or window.data is None:  # shown, and the call read off the GUI thread
            QTimer.singleShot(20, answer)
            return
        for key in DRIVER_KEYS:
            QTest.keyClick(window, getattr(Qt.Key, f"Key_{key}"))
            app.processEvents()
        window.player.play()  # mid-playback, as a reviewer would be
        stored()

    def stored() -> None:
        # Each answer is committed off the GUI thread moments after its key: say so once they all are.
        if pending_operations():
            QTimer.singleShot(5, stored)
            return
        print(f"ANSWERED {len(window.data.answers)}", flush=True)

    QTimer.singleShot(0, answer)
    app.exec()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_answers_survive_sigkill(qtbot, tmp_path):
    from app.review_workspace import ReviewWindow
    from review.accounts.local_admin import ensure_local_admin
    from review.models import Evaluation
    from review.storage.db import open_database
    from tests.app.review_support import reviewable_demo_call

    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    db = open_database(url)
    with db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    call_id = reviewable_demo_call(db, actor)
    db.dispose()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "tests.app.test_review_crash", url, str(call_id)], cwd=REPO,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = ""
        while not line.startswith("ANSWERED"):
            line = process.stdout.readline()
            assert line or process.poll() is None, "the driver ended before answering"
        assert line.split() == ["ANSWERED", "4"]
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()

    db = open_database(url)
    with db.sessions() as session:
        evaluation = session.scalars(select(Evaluation).where(Evaluation.call_id == call_id)).one()
        answers = {a.question_id: (a.value, a.na) for a in evaluation.answers}
    assert evaluation.status == "draft"
    assert answers == {"greeting_clinic_and_name": ({"v": True}, False), "greeting_offer_help": ({"v": True}, False),
                       "needs_situation": ({"v": 3}, False), "needs_for_whom": (None, True)}
    # The restarted screen shows the draft where it was left.
    window = ReviewWindow(Workspace(db, actor), call_id)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.data is not None, timeout=15000)
    card = window.form.card("needs_situation")
    assert [button.isChecked() for _, button in card.buttons] == [False, False, False, True]
    assert window.form.card("needs_for_whom").na_button.isChecked()
    assert window.form.header.progress.text() == "Answered 4 of 18"  # every question counts, the note too
    window.close()
    db.dispose()


if __name__ == "__main__":
    _drive(sys.argv[1], int(sys.argv[2]))
