"""The Review page: the calls waiting for the user's score until one is opened, then its workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStackedWidget, QVBoxLayout, QWidget

from review.storage.db import Database
from review.models import User
from review.sessions.assigned_calls import assigned_calls


class ReviewHost(QStackedWidget):
    queued_call_chosen = Signal(int)

    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
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
        self.window = None

    def refresh_queue(self) -> None:
        self.queue.clear()
        with self._db.sessions() as session:
            items = assigned_calls(session, self._actor)
        for item in items:
            when = item.started_at.strftime("%d.%m.%Y %H:%M") if item.started_at else "—"
            kind = self.tr("self-review") if item.kind == "self" else self.tr("to score")
            row = QListWidgetItem(self.tr("Call #{0} · {1} · {2} · session #{3} · {4}").format(
                item.call_id, item.operator or "—", when, item.session_id, kind))
            row.setData(Qt.ItemDataRole.UserRole, item.call_id)
            self.queue.addItem(row)
        self.hint.setText(
            self.tr("Calls of your review sessions that still wait for your score. Double-click or press Enter "
                    "to open one; you can also open any call from the library, a search or a session.")
            if items else
            self.tr("Nothing waits for your score. Open a call from the library, a search result or a review "
                    "session."))

    def showEvent(self, event) -> None:
        if self.window is None:
            self.refresh_queue()
        super().showEvent(event)

    def show_review(self, window) -> bool:
        """Show `window` in place of the call under review; False (and `window` discarded) when the reviewer
        chose to stay with the current one, to answer a question they had commented on."""
        if self.window is not None:
            if not self.window.close():
                window.close()
                window.deleteLater()
                return False
            self.removeWidget(self.window)
            self.window.deleteLater()
        self.window = window
        self.addWidget(window)
        self.setCurrentWidget(window)
        return True
