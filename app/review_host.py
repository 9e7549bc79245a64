"""The Review page: the calls waiting for the user's score until one is opened, then its workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStackedWidget, QVBoxLayout, QWidget

from app.labels import format_datetime
from app.operations import CoreOp, workspace_events
from review.call_review.screen import read_queue
from review.sessions.assigned_calls import QueueItem
from review.workspace import Workspace


class ReviewHost(QStackedWidget):
    queued_call_chosen = Signal(int)

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        start = QWidget()
        title = QLabel(self.tr("My queue"))
        title.setObjectName("pageTitle")
        self.hint = QLabel()
        self.hint.setObjectName("mutedLabel")
        self.hint.setWordWrap(True)
        self.queue = QListWidget()
        self.queue.itemActivated.connect(
            lambda item: self.queued_call_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(start)
        layout.addWidget(title)
        layout.addWidget(self.hint)
        layout.addWidget(self.queue, 1)
        self.addWidget(start)
        self.window = None  # the review window, once a call is opened
        self.spare = None  # the review window built ahead (hidden), until the first call is opened
        # A score given anywhere (the review window, a session) takes its call off the queue.
        workspace_events().changed.connect(self._on_changed)

    def _on_changed(self, topics: frozenset) -> None:
        if topics & {"evaluations", "sessions"} and self.window is None and self.isVisible():
            self.refresh_queue()

    def refresh_queue(self) -> None:
        """Read the queue off the GUI thread; the list fills when it comes."""
        CoreOp(self, self._ws, read_queue, key=("my queue", id(self)), title=self.tr("My queue")).success(
            self._show_queue).run_in_background()

    def _show_queue(self, items: list[QueueItem]) -> None:
        self.queue.clear()
        for item in items:
            when = format_datetime(item.started_at)
            if item.kind == "calibration":  # a round waits for this score (no session)
                row = QListWidgetItem(self.tr("Call #{0} · {1} · {2} · calibration round #{3}").format(
                    item.call_id, item.operator or "—", when, item.round_id))
            else:
                kind = self.tr("self-review") if item.kind == "self" else self.tr("to score")
                row = QListWidgetItem(self.tr("Call #{0} · {1} · {2} · session #{3} · {4}").format(
                    item.call_id, item.operator or "—", when, item.session_id, kind))
            row.setData(Qt.ItemDataRole.UserRole, item.call_id)
            self.queue.addItem(row)
        self.hint.setText(
            self.tr("Calls of your review sessions and calibration rounds that still wait for your score. "
                    "Double-click or press Enter to open one; you can also open any call from the library, a search "
                    "or a session.")
            if items else
            self.tr("Nothing waits for your score. Open a call from the library, a search result or a review "
                    "session."))

    def showEvent(self, event) -> None:
        if self.window is None:
            self.refresh_queue()
        super().showEvent(event)

    def show_review(self, window) -> None:
        """Show `window`, the review window every call opened from now on is shown in (its `open_call`)."""
        self.window = window
        self.addWidget(window)
        self.setCurrentWidget(window)
