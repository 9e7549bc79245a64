"""The status-bar piece that shows background transcription and lets the user pause or resume it."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.transcription_controller import TranscriptionController
from review.storage.db import Database
from review.transcripts.jobs import queue_counts


class TranscriptionStatusWidget(QWidget):
    def __init__(self, controller: TranscriptionController, db: Database, parent=None) -> None:
        super().__init__(parent)
        self._controller, self._db = controller, db
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setFixedWidth(140)
        self.bar.setTextVisible(True)
        self.button = QPushButton()
        self.button.clicked.connect(self._toggle)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.button)
        controller.call_started.connect(lambda _c: self.refresh())
        controller.call_progress.connect(self._progress)
        controller.call_finished.connect(lambda _c: self.refresh())
        controller.call_failed.connect(lambda _c, _r: self.refresh())
        controller.call_given_up.connect(lambda _c: self.refresh())
        controller.running_changed.connect(lambda _r: self.refresh())
        controller.model_download.connect(self._downloading)
        self.refresh()

    def _toggle(self) -> None:
        if self._controller.running:
            self._controller.pause()
        else:
            self._controller.start()

    def _downloading(self, fraction: float) -> None:
        self.bar.show()
        self.bar.setValue(int(fraction * 100))
        self.label.setText(self.tr("Downloading the speech model…"))

    def _progress(self, _call_id: int, _fraction: float) -> None:
        self.bar.setValue(int(self._controller.current_progress * 100))

    def refresh(self) -> None:
        with self._db.sessions() as session:
            counts = queue_counts(session)
        waiting = counts.queued + counts.running
        running = self._controller.running
        self.button.setText(self.tr("Pause") if running else self.tr("Resume"))
        self.button.setVisible(running or waiting > 0)
        current = self._controller.current_calls if running else []
        self.bar.setVisible(bool(current))
        if len(current) == 1:
            self.label.setText(self.tr("Transcribing call #{0}; waiting: {1}").format(
                current[0], max(waiting - 1, 0)))
        elif current:
            self.label.setText(self.tr("Transcribing {0} calls together; waiting: {1}").format(
                len(current), max(waiting - len(current), 0)))
        if current:
            self.bar.setValue(int(self._controller.current_progress * 100))
        elif waiting:
            self.label.setText(self.tr("Transcription paused; waiting: {0}").format(waiting))
        elif counts.failed:
            self.label.setText(self.tr("Transcripts: {0} ready, {1} failed").format(counts.done, counts.failed))
        else:
            self.label.setText(self.tr("Transcripts: {0} ready").format(counts.done))
