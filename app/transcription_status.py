"""The status-bar piece that shows background transcription and lets the user pause or resume it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.i18n import counted
from app.operations import CoreOp, workspace_events
from app.transcription_controller import TranscriptionController
from review.transcripts.jobs import QueueCounts, queue_counts
from review.workspace import Workspace


def _read_counts(ws: Workspace) -> QueueCounts:
    with ws.reading() as session:
        return queue_counts(session, ws.actor)


class TranscriptionStatusWidget(QWidget):
    """How many calls are transcribed of how many, and how far the ones in progress are; the counts are read
    off the GUI thread, the progress comes from the worker's events."""

    shown = Signal()  # counts read from the database are on screen

    def __init__(self, controller: TranscriptionController, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        # Counts are of the calls the signed-in user may see: an operator's are their own.
        self._controller = controller
        self._ws = ws
        self._counts: QueueCounts | None = None
        self.label = QLabel()
        self.bar = QProgressBar()  # the calls transcribed of all calls: "6 / 12", never a batch's percentage
        self.bar.setFixedWidth(140)
        self.bar.setTextVisible(True)
        self.bar.setFormat("%v / %m")
        self.bar.hide()
        self.button = QPushButton()
        self.button.clicked.connect(self._toggle)
        self.button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.button)
        controller.call_started.connect(lambda _c: self.refresh())
        controller.call_progress.connect(lambda _c, _f: self._render())
        controller.call_finished.connect(lambda _c: self.refresh())
        controller.call_failed.connect(lambda _c, _r: self.refresh())
        controller.call_given_up.connect(lambda _c: self.refresh())
        controller.running_changed.connect(lambda _r: self.refresh())
        controller.model_download.connect(self._downloading)
        workspace_events().changed.connect(self._data_changed)
        self.refresh()

    def _data_changed(self, topics: frozenset) -> None:
        if topics & {"calls", "transcripts"}:
            self.refresh()

    def _toggle(self) -> None:
        if self._controller.running:
            self._controller.pause()
        else:
            self._controller.start()

    def _downloading(self, fraction: float) -> None:
        self.bar.show()
        self.bar.setRange(0, 100)
        self.bar.setFormat("%p %")
        self.bar.setValue(int(fraction * 100))
        self.label.setText(self.tr("Downloading the speech model…"))

    def refresh(self) -> None:
        """Read the counts again (off the GUI thread); the label changes when they arrive."""
        CoreOp(self, self._ws, _read_counts, key=("transcription counts", id(self))) \
            .success(self._show_counts).run_in_background()

    def _show_counts(self, counts: QueueCounts) -> None:
        self._counts = counts
        self._render()
        self.shown.emit()

    def status_text(self, counts: QueueCounts, current: int, progress: float, running: bool) -> str:
        """E.g. "6 of 12 calls transcribed, 1 in progress 40 %": what is done of all, then what is under way."""
        waiting = counts.queued + counts.running
        if not waiting and not current:
            if counts.failed:
                return self.tr("Transcripts: {0} ready, {1} failed").format(counts.done, counts.failed)
            return self.tr("Transcripts: {0} ready").format(counts.done)
        text = counted(self.tr("%1 of %n call(s) transcribed", "", counts.total), counts.total) \
            .replace("%1", str(counts.done))
        if counts.failed:
            text += ", " + self.tr("{0} failed").format(counts.failed)
        if current:
            text += ", " + self.tr("{0} in progress {1} %").format(current, int(progress * 100))
        elif running:
            text += ", " + self.tr("starting…")
        else:
            text += "; " + self.tr("paused, {0} waiting").format(waiting)
        return text

    def _render(self) -> None:
        counts = self._counts
        if counts is None:
            return
        running = self._controller.running
        current = self._controller.current_calls
        waiting = counts.queued + counts.running
        self.button.setText(self.tr("Pause") if running else self.tr("Resume"))
        self.button.setVisible(running or waiting > 0)
        self.label.setText(self.status_text(counts, len(current), self._controller.current_progress, running))
        self.bar.setVisible(bool(current) or (running and waiting > 0))
        self.bar.setFormat("%v / %m")
        self.bar.setRange(0, max(counts.total, 1))
        self.bar.setValue(counts.done + counts.failed)
