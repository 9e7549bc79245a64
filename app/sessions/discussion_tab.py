"""Discussion: suggested growth areas and strengths, chosen or written freely, and the meeting's notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
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
from review.errors import ConflictError, KalibraError
from review.models import User
from review.sessions.comparison import Comparison, suggest_notes
from review.sessions.review_sessions import (
    add_note,
    edit_note,
    get_review_session,
    remove_note,
    session_notes,
    set_discussion_notes,
)
from review.storage.db import Database


class DiscussionTab(QWidget):
    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.session_id: int | None = None
        self.loaded_version: int | None = None
        self.suggestions = QListWidget()
        self._suggested: list = []  # what the comparison suggests; those already added are not listed
        self.notes = QListWidget()
        self.notes.itemActivated.connect(lambda _item: self._start_edit())  # Enter or double-click
        self.editing_note: int | None = None
        self.edit_note = QPushButton(self.tr("Edit"))
        self.edit_note.clicked.connect(self._start_edit)
        self.remove_note = QPushButton(self.tr("Remove"))
        self.remove_note.clicked.connect(self._remove)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.notes)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._remove)
        self.add_growth = QPushButton(self.tr("Add as growth area"))
        self.add_growth.clicked.connect(lambda: self._add_suggested("growth"))
        self.add_strength = QPushButton(self.tr("Add as strength"))
        self.add_strength.clicked.connect(lambda: self._add_suggested("strength"))
        self.free_kind = QComboBox()
        self.free_kind.addItem(self.tr("Growth area"), "growth")
        self.free_kind.addItem(self.tr("Strength"), "strength")
        self.free_text = QLineEdit()
        self.free_text.setPlaceholderText(self.tr("Or write one freely"))
        self.free_text.returnPressed.connect(self._add_free)
        self.free_add = QPushButton(self.tr("Add"))
        self.free_add.clicked.connect(self._add_free)
        cancel = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.free_text)
        cancel.setContext(Qt.ShortcutContext.WidgetShortcut)
        cancel.activated.connect(self._cancel_edit)
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
        note_buttons = QHBoxLayout()
        note_buttons.addWidget(self.edit_note)
        note_buttons.addWidget(self.remove_note)
        note_buttons.addStretch(1)
        right.addLayout(note_buttons)
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
                       self.save_meeting, self.edit_note, self.remove_note):
            widget.setVisible(editable)
        self.meeting.setReadOnly(not editable)

    def show_session(self, session_id: int | None, comparison: Comparison | None) -> None:
        self.session_id = session_id
        self._suggested = suggest_notes(comparison) if comparison is not None else []
        self._cancel_edit()
        self._load_notes()

    def _fill_suggestions(self, notes) -> None:
        """The suggestions not yet taken: a question already noted (either way) or a text already written is
        left out."""
        taken = {note.question_id for note in notes if note.question_id} | {note.text for note in notes}
        reasons = {"lowest": self.tr("lowest score"), "gap": self.tr("self/supervisor gap"),
                   "full_marks": self.tr("full marks on every call")}
        self.suggestions.clear()
        for suggestion in self._suggested:
            if suggestion.question_id in taken or suggestion.text in taken:
                continue
            kind = self.tr("Growth") if suggestion.kind == "growth" else self.tr("Strength")
            share = f"{suggestion.supervisor_mean * 100:.0f} %" if suggestion.supervisor_mean is not None else "—"
            item = QListWidgetItem(f"{kind}: {suggestion.text} ({reasons[suggestion.reason]}, {share})")
            item.setData(Qt.ItemDataRole.UserRole, (suggestion.question_id, suggestion.text))
            self.suggestions.addItem(item)

    def _load_notes(self) -> None:
        self.notes.clear()
        if self.session_id is None:
            self._fill_suggestions([])
            return
        with self.db.sessions() as session:
            notes = session_notes(session, self.actor, self.session_id)
            review_session = get_review_session(session, self.actor, self.session_id)
            self.meeting.setPlainText(review_session.notes or "")
            self.loaded_version = review_session.version
        for note in notes:
            kind = self.tr("Growth") if note.kind == "growth" else self.tr("Strength")
            item = QListWidgetItem(f"{kind}: {note.text}")
            item.setData(Qt.ItemDataRole.UserRole, (note.id, note.kind, note.text))
            self.notes.addItem(item)
        self._fill_suggestions(notes)

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
        text, kind, note_id = self.free_text.text(), self.free_kind.currentData(), self.editing_note
        if note_id is not None:
            self._run(lambda session: edit_note(session, self.actor, note_id, text, kind))
        else:
            self._run(lambda session: add_note(session, self.actor, self.session_id, kind, text))
        self._cancel_edit()

    def _start_edit(self) -> None:
        """The chosen note goes into the field below to be reworded (or turned over); Enter saves, Esc leaves."""
        item = self.notes.currentItem()
        if item is None or self.actor.role == "operator":
            return
        self.editing_note, kind, text = item.data(Qt.ItemDataRole.UserRole)
        self.free_kind.setCurrentIndex(self.free_kind.findData(kind))
        self.free_text.setText(text)
        self.free_add.setText(self.tr("Save"))
        self.free_text.setFocus()
        self.free_text.selectAll()

    def _cancel_edit(self) -> None:
        self.editing_note = None
        self.free_text.clear()
        self.free_add.setText(self.tr("Add"))

    def _remove(self) -> None:
        item = self.notes.currentItem()
        if item is None or self.actor.role == "operator":
            return
        note_id = item.data(Qt.ItemDataRole.UserRole)[0]
        row = self.notes.currentRow()
        self._run(lambda session: remove_note(session, self.actor, note_id))
        if self.notes.count():  # the next one is chosen, so Delete can go on
            self.notes.setCurrentRow(min(row, self.notes.count() - 1))

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
