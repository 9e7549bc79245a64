"""Runs the transcription queue in a spawned worker process and turns its events into Qt signals.

A separate process keeps whisper off the GUI's threads and makes pause immediate: the process is
stopped and the jobs it held (it works a few short calls together) go back to the queue.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import queue as queue_module

from PySide6.QtCore import QObject, QTimer, Signal

from app.operations import CoreOp
from review.desktop.user_settings import UserSettings
from review.transcripts.events import (
    JobClaimed,
    JobDone,
    JobFailed,
    JobLost,
    JobProgress,
    ModelDownload,
    WorkerEvent,
)
from review.transcripts.jobs import give_back_worker_jobs, worker_name
from review.transcripts.worker import worker_process_main
from review.workspace import Workspace


class TranscriptionController(QObject):
    call_started = Signal(int)
    call_progress = Signal(int, float)
    call_finished = Signal(int)
    call_failed = Signal(int, str)
    call_given_up = Signal(int)  # another worker took the call over; it is no longer ours to report on
    running_changed = Signal(bool)
    model_download = Signal(float)  # a speech model is being downloaded (only where allowed)
    given_back = Signal(list)  # after a pause or a crash: the calls the worker held are queued again

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        # The queue's own bookkeeping (giving jobs back) is no user's act: no actor's rights bear on it.
        self._queue, self._settings = dataclasses.replace(ws, actor=None), ws.settings
        self._context = multiprocessing.get_context("spawn")  # forking a process that runs Qt can deadlock
        self._process = None
        self._events = None
        self._current: dict[int, int] = {}  # call id -> its job id, claimed by the worker
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
        # The worker reads the database and the options from the settings, as this process did.
        self._process = self._context.Process(target=worker_process_main, args=(self._events,),
                                              name="kalibra-transcription", daemon=True)
        self._process.start()
        self._timer.start()
        self.running_changed.emit(True)

    def pause(self) -> None:
        """Stop at once; the call being transcribed goes back to the queue."""
        if self._process is None:
            return
        self._timer.stop()  # asked to stop: not a crash, whatever the drain finds
        self._process.terminate()
        self._process.join(5)
        self._drain()
        self._give_back(crashed=False)
        self._stopped()

    def _give_back(self, *, crashed: bool) -> None:
        """The worker is gone: the calls it held go back to the queue (off the GUI thread)."""
        worker = worker_name(self._process.pid)

        def give_back(ws: Workspace) -> list[int]:
            with ws.changing() as session:
                return give_back_worker_jobs(session, worker, crashed=crashed)

        CoreOp(self, self._queue, give_back, changes={"transcripts"}).success(
            self.given_back.emit).run_in_background()
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
            self._give_back(crashed=True)
            self._stopped()

    def _handle(self, event: WorkerEvent) -> None:
        match event:
            case JobClaimed(call_id=call_id, job_id=job_id):
                if not self._current:
                    self._progress.clear()  # a new batch
                self._current[call_id] = job_id
                self._progress[call_id] = 0.0
                self.call_started.emit(call_id)
            case JobProgress(call_id=call_id, fraction=fraction):
                if call_id in self._current:
                    self._progress[call_id] = float(fraction)
                self.call_progress.emit(call_id, float(fraction))
            case JobDone(call_id=call_id):
                self._forget(call_id)
                self.call_finished.emit(call_id)
            case ModelDownload(fraction=fraction):
                self.model_download.emit(float(fraction))
            case JobFailed(call_id=call_id, reason=reason):
                self._forget(call_id)
                self.call_failed.emit(call_id, reason)
            case JobLost(call_id=call_id):
                self._forget(call_id)
                self.call_given_up.emit(call_id)

    def _forget(self, call_id: int) -> None:
        self._current.pop(call_id, None)
        if call_id in self._progress:
            self._progress[call_id] = 1.0  # settled: counts as done in this batch's figure
