"""Run domain work off the GUI thread; progress and results come back as Qt signals."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal

from app.i18n import error_text
from review.errors import KalibraError


class BackgroundTask(QObject):
    """Runs `work(progress, should_cancel)` in its own QThread.

    `progress(done, total, text)` may be called from the worker; it is delivered on the GUI thread.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, work: Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any], parent=None):
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("kalibra-background")
        self._runner = _Runner(self)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        # Direct: QThread.quit is thread-safe, and a queued call would wait for the GUI's event loop, so
        # wait() from the GUI thread would always run to its timeout.
        self._runner.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self.finished)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, msecs: int = 30000) -> bool:
        return self._thread.wait(msecs)


class _Runner(QObject):
    done = Signal()

    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        task = self._task
        try:
            result = task._work(lambda d, t, s: task.progressed.emit(d, t, s), task._cancel.is_set)
        except KalibraError as exc:
            task.failed.emit(error_text(exc))
        except Exception as exc:  # an unexpected bug: show it rather than lose it
            traceback.print_exc()
            task.failed.emit(f"{exc.__class__.__name__}: {exc}")
        else:
            task.succeeded.emit(result)
        finally:
            self.done.emit()
