"""Discussion: suggested growth areas and strengths, chosen or written freely, and the meeting's notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.conflict_dialog import KEEP_MINE, ask_conflict
from app.i18n import error_text
from review.storage.db import Database
from review.errors import ConflictError, KalibraError
from review.models import User
from review.sessions.review_sessions import add_note, get_review_session, session_notes, set_discussion_notes
from review.sessions.comparison import Comparison, suggest_notes


class DiscussionTab(QWidget):
    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.session_id: int | None = None
        self.loaded_version: int | None = None
        self.suggestions = QListWidget()
        self.notes = QListWidget()
        self.add_growth = QPushButton(self.tr("Add as growth area"))
        self.add_growth.clicked.connect(lambda: self._add_suggested("growth"))
        self.add_strength = QPushButton(self.tr("Add as strength"))
        self.add_strength.clicked.connect(lambda: self._add_suggested("strength"))
        self.free_kind = QComboBox()
        self.free_kind.addItem(self.tr("Growth area"), "growth")
        self.free_kind.addItem(self.tr("Strength"), "strength")
        self.free_text = QLineEdit()
        self.free_text.setPlaceholderText(self.tr("Or write one freely"))
        self.free_add = QPushButton(self.tr("Add"))
        self.free_add.clicked.connect(self._add_free)
        self.meeting = QPlainTextEdit()
        self.meeting.setPlaceholderText(self.tr("Notes from the meeting"))
        self.save_meeting = QPushButton(self.tr("Save notes"))
        self.save_meeting.clicked.connect(self._save_meeting)
        left = QVBoxLayout()
        label = QLabel(self.tr("Suggested from the lowest scores and the biggest self/supervisor gaps"))
        label.setObjectName("mutedLabel")
        label.setWordWrap(True)
        left.addWidget(label)
        left.addWidget(self.suggestions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_growth)
        buttons.addWidget(self.add_strength)
        buttons.addStretch(1)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Strengths and growth areas")))
        right.addWidget(self.notes)
        free = QHBoxLayout()
        free.addWidget(self.free_kind)
        free.addWidget(self.free_text, 1)
        free.addWidget(self.free_add)
        right.addLayout(free)
        right.addWidget(self.meeting)
        right.addWidget(self.save_meeting, 0, Qt.AlignmentFlag.AlignRight)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        editable = actor.role != "operator"
        for widget in (self.add_growth, self.add_strength, self.free_kind, self.free_text, self.free_add,
                       self.save_meeting):
            widget.setVisible(editable)
        self.meeting.setReadOnly(not editable)

    def show_session(self, session_id: int | None, comparison: Comparison | None) -> None:
        self.session_id = session_id
        self.suggestions.clear()
        if comparison is not None:
            reasons = {"lowest": self.tr("lowest score"), "gap": self.tr("self/supervisor gap"),
                       "full_marks": self.tr("full marks on every call")}
            for suggestion in suggest_notes(comparison):
                kind = self.tr("Growth") if suggestion.kind == "growth" else self.tr("Strength")
                share = f"{suggestion.supervisor_mean * 100:.0f} %" if suggestion.supervisor_mean is not None else "—"
                item = QListWidgetItem(f"{kind}: {suggestion.text} ({reasons[suggestion.reason]}, {share})")
                item.setData(Qt.ItemDataRole.UserRole, (suggestion.question_id, suggestion.text))
                self.suggestions.addItem(item)
        self._load_notes()

    def _load_notes(self) -> None:
        self.notes.clear()
        if self.session_id is None:
            return
        with self.db.sessions() as session:
            notes = session_notes(session, self.actor, self.session_id)
            review_session = get_review_session(session, self.actor, self.session_id)
            self.meeting.setPlainText(review_session.notes or "")
            self.loaded_version = review_session.version
        for note in notes:
            kind = self.tr("Growth") if note.kind == "growth" else self.tr("Strength")
            self.notes.addItem(f"{kind}: {note.text}")

    def _run(self, work) -> None:
        try:
            with self.db.unit_of_work() as session:
                work(session)
        except KalibraError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), error_text(exc))
        self._load_notes()

    def _add_suggested(self, kind: str) -> None:
        item = self.suggestions.currentItem()
        if item is None:
            return
        question_id, text = item.data(Qt.ItemDataRole.UserRole)
        self._run(lambda session: add_note(session, self.actor, self.session_id, kind, text, question_id))

    def _add_free(self) -> None:
        text = self.free_text.text()
        self._run(lambda session: add_note(session, self.actor, self.session_id, self.free_kind.currentData(), text))
        self.free_text.clear()

    def _save_meeting(self) -> None:
        text = self.meeting.toPlainText()
        try:
            with self.db.unit_of_work() as session:
                set_discussion_notes(session, self.actor, self.session_id, text, expected_version=self.loaded_version)
        except ConflictError:
            if self.ask_conflict() == KEEP_MINE:
                self._run(lambda session: set_discussion_notes(session, self.actor, self.session_id, text))
                return
        except KalibraError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), error_text(exc))
        self._load_notes()

    def ask_conflict(self) -> str:
        """Reload theirs or keep mine (a seam the tests answer without a dialog)."""
        return ask_conflict(self.tr("The meeting notes"), self)
