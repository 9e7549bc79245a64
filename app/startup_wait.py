"""Start-up work (opening the database, the sign-in mode) off the GUI thread, before any window shows.

The event loop is not running yet, so the work runs on a plain thread while a local event loop waits
for it; should it take long — a shared server across a slow network, a migration — a small window
says what Kalibra is doing instead of nothing showing at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QVBoxLayout, QWidget

T = TypeVar("T")

SHOW_AFTER_MS = 400  # quicker than this, a window would only flicker


def wait_for(work: Callable[[], T], text: str | None = None) -> T:
    """work() on a worker thread, the GUI kept alive meanwhile; its result, or its exception raised here."""
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed back to the GUI thread, raised there
            outcome["error"] = exc
        finally:
            # quit() is thread-safe; the timer below catches the case where it comes before exec()
            loop.quit()

    worker = threading.Thread(target=run, name="kalibra-startup", daemon=True)
    busy = _busy_window(text or QCoreApplication.translate("StartupWait", "Opening the workspace…"))
    show = QTimer(singleShot=True, interval=SHOW_AFTER_MS, timeout=busy.show)
    poll = QTimer(interval=50, timeout=lambda: None if worker.is_alive() else loop.quit())
    worker.start()
    show.start()
    poll.start()
    while worker.is_alive():
        loop.exec()
    show.stop()
    poll.stop()
    busy.close()
    busy.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


def _busy_window(text: str) -> QWidget:
    if QApplication.instance() is None:
        raise RuntimeError("wait_for needs a QApplication")
    busy = QWidget(None, Qt.WindowType.Dialog)
    busy.setWindowTitle("Kalibra")
    busy.setWindowModality(Qt.WindowModality.ApplicationModal)
    layout = QVBoxLayout(busy)
    layout.addWidget(QLabel(text))
    bar = QProgressBar()
    bar.setRange(0, 0)  # no figure to give: a moving bar says it is at work
    layout.addWidget(bar)
    busy.setMinimumWidth(320)
    return busy
