"""Timestamped comments: the list (click to jump there) and the entry bar that C opens at the playhead."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.labels import format_duration
from review.call_review.screen import CommentRow


def _when(at_s: float, end_s: float | None) -> str:
    return format_duration(at_s) if end_s is None else f"{format_duration(at_s)}–{format_duration(end_s)}"


class CommentsPanel(QWidget):
    comment_activated = Signal(int, float)  # comment id, time
    delete_requested = Signal(int)
    add_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activate)
        self.list.itemClicked.connect(self._activate)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.empty = QLabel(self.tr("No comments yet. Press C to comment at the playhead, or select words in the "
                                    "transcript (click, then Shift+click) and press C."))
        self.empty.setObjectName("mutedLabel")
        self.empty.setWordWrap(True)
        self.add_button = QPushButton(self.tr("Comment at playhead (C)"))
        self.add_button.clicked.connect(self.add_requested)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self._delete_current)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self._delete_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._rows: dict[int, CommentRow] = {}
        self._update_buttons()

    def set_written(self, written: bool) -> None:
        """A chat's comments are on messages, not at the playhead."""
        if written:
            self.empty.setText(self.tr("No comments yet. Click a message (or move with J and L) and press C to "
                                       "comment on it."))
            self.add_button.setText(self.tr("Comment on the message (C)"))
        else:
            self.empty.setText(self.tr("No comments yet. Press C to comment at the playhead, or select words in the "
                                       "transcript (click, then Shift+click) and press C."))
            self.add_button.setText(self.tr("Comment at playhead (C)"))

    def set_comments(self, rows: list[CommentRow], message_labels: dict[int, str] | None = None) -> None:
        """`message_labels`: for a chat or e-mail, what names each message (its author and time)."""
        # Cleared before the new rows are known: while the old items go, the list moves its current item
        # through them (row 0 chosen, row 1 becomes current), and they must still be found.
        self.list.clear()
        self._rows = {row.id: row for row in rows}
        for row in rows:
            linked = f"\n→ {row.question}" if row.question else ""
            where = (message_labels or {}).get(row.message_id) or _when(row.at_s, row.end_s)
            item = QListWidgetItem(f"{where}  ·  {row.author}\n{row.text}{linked}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.empty.setVisible(not rows)
        self._update_buttons()

    def current_row(self) -> CommentRow | None:
        return self._row_of(self.list.currentItem())

    def _row_of(self, item: QListWidgetItem | None) -> CommentRow | None:
        return self._rows.get(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def select(self, comment_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == comment_id:
                self.list.setCurrentRow(i)

    def _activate(self, item: QListWidgetItem) -> None:
        row = self._row_of(item)
        if row is not None:
            self.comment_activated.emit(row.id, row.at_s)

    def _delete_current(self) -> None:
        row = self.current_row()
        if row is not None and row.own:
            self.delete_requested.emit(row.id)

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.delete_button.setEnabled(row is not None and row.own)


class _CommentLine(QLineEdit):
    """The comment bar's field: Enter saves the comment and ends there (passed on, it would open the current
    answer's comment field and the next digit would be typed into it instead of answering)."""

    def keyPressEvent(self, event) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class CommentEntry(QFrame):
    """The bar under the transcript: time (or stretch), optional rubric question, text. Enter saves, Esc closes."""

    submitted = Signal(float, object, str, object)  # at_s, end_s or None, text, question id or None
    closed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.when = QLabel()
        self.when.setStyleSheet("font-weight: 600; color: #8a5a00;")
        self.question = QComboBox()
        self.question.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.question.setMinimumContentsLength(14)
        self.question.setToolTip(self.tr("Link the comment to a rubric question"))
        self.question.view().setMinimumWidth(420)  # the row is narrow; the open list shows whole questions
        self.text = _CommentLine()
        self.text.setPlaceholderText(self.tr("What happened here?"))
        self.text.setToolTip(self.tr("Enter saves, Esc cancels"))
        self.text.returnPressed.connect(self.submit)
        save = QPushButton(self.tr("Save"))
        save.setObjectName("primaryButton")
        save.clicked.connect(self.submit)
        cancel_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        cancel_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cancel_key.activated.connect(self.close_entry)
        top = QHBoxLayout()
        top.addWidget(self.when)
        top.addWidget(self.question, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.text, 1)
        bottom.addWidget(save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self._at, self._end = 0.0, None
        self.hide()

    def set_questions(self, questions: list[tuple[str, str]]) -> None:
        self.question.clear()
        self.question.addItem(self.tr("Not linked to a question"), None)
        for question_id, text in questions:
            self.question.addItem(text, question_id)

    def open_at(self, at_s: float, end_s: float | None, question_id: str | None, message: str | None = None) -> None:
        """Open the bar at a moment (or stretch) of a call, or on a message (`message`: who wrote it, when)."""
        self._at, self._end = at_s, end_s
        self.when.setText(self.tr("Comment on {0}").format(message) if message else
                          self.tr("Comment at {0}").format(_when(at_s, end_s)))
        index = self.question.findData(question_id) if question_id else 0
        self.question.setCurrentIndex(max(0, index))
        self.text.clear()
        self.show()
        self.text.setFocus()

    def close_entry(self) -> None:
        self.hide()
        self.closed.emit()

    def submit(self) -> None:
        if self.text.text().strip():
            self.submitted.emit(self._at, self._end, self.text.text().strip(), self.question.currentData())
            self.close_entry()
