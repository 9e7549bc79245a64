"""Runs the transcription queue in a spawned worker process and turns its events into Qt signals.

A separate process keeps whisper off the GUI's threads and makes pause immediate: the process is
stopped and the jobs it held (it works a few short calls together) go back to the queue.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module

from PySide6.QtCore import QObject, QTimer, Signal

from review.storage.db import Database
from review.transcripts.jobs import ClaimedJob, give_back_after_crash, release
from review.transcripts.worker import options_from_settings, worker_process_main
from review.desktop.user_settings import UserSettings


class TranscriptionController(QObject):
    call_started = Signal(int)
    call_progress = Signal(int, float)
    call_finished = Signal(int)
    call_failed = Signal(int, str)
    call_given_up = Signal(int)  # another worker took the call over; it is no longer ours to report on
    running_changed = Signal(bool)
    model_download = Signal(float)  # a speech model is being downloaded (only where allowed)

    def __init__(self, db: Database, settings: UserSettings, parent=None) -> None:
        super().__init__(parent)
        self._db, self._settings = db, settings
        self._context = multiprocessing.get_context("spawn")  # forking a process that runs Qt can deadlock
        self._process = None
        self._events = None
        self._current: dict[int, ClaimedJob] = {}  # call id -> its job, claimed by the worker
        # Progress of the calls claimed together, finished ones included (at 1.0) until the next
        # claim after they are all finished: the overall figure never goes backwards.
        self._progress: dict[int, float] = {}
        self._timer = QTimer(self, interval=150)
        self._timer.timeout.connect(self._drain)

    @property
    def running(self) -> bool:
        return self._process is not None

    @property
    def current_calls(self) -> list[int]:
        """The calls being transcribed now, in the order the worker claimed them."""
        return list(self._current)

    @property
    def current_progress(self) -> float:
        """0..1 over the calls claimed together."""
        if not self._current or not self._progress:
            return 0.0
        return sum(self._progress.values()) / len(self._progress)

    def update_settings(self, settings: UserSettings) -> None:
        self._settings = settings

    def start(self) -> None:
        if self._process is not None:
            return
        self._events = self._context.Queue()
        url = self._db.engine.url.render_as_string(hide_password=False)
        self._process = self._context.Process(
            target=worker_process_main, args=(url, options_from_settings(self._settings), self._events),
            name="kalibra-transcription", daemon=True)
        self._process.start()
        self._timer.start()
        self.running_changed.emit(True)

    def pause(self) -> None:
        """Stop at once; the call being transcribed goes back to the queue."""
        if self._process is None:
            return
        self._process.terminate()
        self._process.join(5)
        self._drain()
        self._give_back(release)
        self._stopped()

    def _give_back(self, how) -> None:
        """The worker is gone: the calls it held go back to the queue."""
        if self._current:
            with self._db.sessions() as session:
                for job in self._current.values():
                    how(session, job)
        self._current.clear()
        self._progress.clear()

    def _stopped(self) -> None:
        self._timer.stop()
        self._process = None
        self._events = None
        self.running_changed.emit(False)

    def _drain(self) -> None:
        if self._events is None:
            return
        while True:
            try:
                event = self._events.get_nowait()
            except (queue_module.Empty, OSError, ValueError):
                break
            self._handle(event)
        if self._process is not None and not self._process.is_alive() and self._timer.isActive():
            # The worker died mid-job: the attempt counts, so a recording that crashes it is next
            # worked alone (and fails after a few tries) instead of taking its batch down each time.
            self._give_back(give_back_after_crash)
            self._stopped()

    def _handle(self, event: tuple) -> None:
        kind = event[0]
        if kind == "claimed":
            _, call_id, job_id, worker = event
            if not self._current:
                self._progress.clear()  # a new batch
            self._current[call_id] = ClaimedJob(job_id, call_id, "", 0, None, worker)
            self._progress[call_id] = 0.0
            self.call_started.emit(call_id)
        elif kind == "progress":
            if event[1] in self._current:
                self._progress[event[1]] = float(event[2])
            self.call_progress.emit(event[1], float(event[2]))
        elif kind == "done":
            self._forget(event[1])
            self.call_finished.emit(event[1])
        elif kind == "model":
            self.model_download.emit(float(event[1]))
        elif kind == "failed":
            self._forget(event[1])
            self.call_failed.emit(event[1], event[2])
        elif kind == "lost":
            self._forget(event[1])
            self.call_given_up.emit(event[1])

    def _forget(self, call_id: int) -> None:
        self._current.pop(call_id, None)
        if call_id in self._progress:
            self._progress[call_id] = 1.0  # settled: counts as done in this batch's figure
