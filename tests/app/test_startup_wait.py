"""Start-up work runs off the GUI thread; a slow one shows what Kalibra is doing, its errors come back whole."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from app.startup_wait import wait_for
from review.errors import DatabaseError


def test_the_work_runs_on_another_thread_and_its_result_comes_back(qtbot):
    assert wait_for(lambda: threading.current_thread() is threading.main_thread()) is False


def test_an_error_of_the_work_is_raised_on_the_gui_thread(qtbot):
    def fail():
        raise DatabaseError("The database server at db.clinic does not answer.")

    with pytest.raises(DatabaseError, match="does not answer"):
        wait_for(fail)


def test_a_slow_start_says_what_it_is_doing_and_the_window_goes_away(qtbot):
    seen: list[str] = []
    release = threading.Event()

    def look() -> None:  # on the GUI thread, while wait_for's own loop runs
        shown = [label.text() for w in QApplication.topLevelWidgets() if w.isVisible()
                 for label in w.findChildren(QLabel)]
        if any("Opening the workspace" in text for text in shown):
            seen.extend(shown)
            release.set()

    watcher = QTimer(interval=50, timeout=look)
    watcher.start()
    assert wait_for(lambda: release.wait(timeout=20) and "opened") == "opened"
    watcher.stop()
    assert any("Opening the workspace" in text for text in seen)
    qtbot.waitUntil(lambda: not any(w.isVisible() and w.findChildren(QLabel) and "Opening the workspace" in
                                    w.findChildren(QLabel)[0].text() for w in QApplication.topLevelWidgets()))
