"""Small dialogs of the review screen: the shortcut sheet (?) and the reason for reopening an evaluation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

ACTION_WIDTH = 560


class ShortcutSheet(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = [
            (self.tr("Space"), self.tr("Play / pause")),
            (self.tr("J / L"), self.tr("Back / forward 5 seconds; in a chat or e-mail, the previous / next message")),
            (self.tr("K"), self.tr("Pause")),
            (self.tr("[ / ]"), self.tr("Slower / faster (0.75×–2×)")),
            (self.tr("↑ / ↓"), self.tr("Previous / next question (also from a comment or note field: its text is "
                                       "saved)")),
            (self.tr("1 – 9"), self.tr("Answer the current question; the form then moves to the next question "
                                       "(so ↓ after an answer skips one)")),
            (self.tr("N"), self.tr("Not applicable, then the next question (again: clear, and stay)")),
            (self.tr("A"), self.tr("Accept the suggested answer (its evidence is on the question's card)")),
            (self.tr("Enter"), self.tr("Comment on the current answer; Enter in the comment saves it and moves on")),
            (self.tr("Low answer"), self.tr("An answer that needs a comment keeps the form on its question, marked "
                                         "in red: Enter writes the comment now, ↓ leaves it for later")),
            (self.tr("Type"), self.tr("On a note question the cursor is already in its field: type, Enter saves "
                                      "and moves on")),
            (self.tr("C"), self.tr("Comment at the playhead or on the selected words; in a chat, on the current message")),
            (self.tr("Ctrl+Enter"), self.tr("Submit the evaluation")),
            (self.tr("Alt+← / Alt+→"), self.tr("Previous / next call in the queue; what you are typing is saved "
                                               "first")),
            (self.tr("Ctrl+E"), self.tr("Export an audio excerpt of the selected words or comment")),
            (self.tr("Esc"), self.tr("Leave a text field")),
            (self.tr("? / F1"), self.tr("This sheet")),
        ]
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        self.action_labels: list[QLabel] = []
        for number, (keys, action) in enumerate(rows):
            key = QLabel(keys)
            key.setStyleSheet("font-family: monospace; font-weight: 600; background: #eef2f6; border-radius: 4px;"
                              " padding: 2px 8px;")
            grid.addWidget(key, number, 0, Qt.AlignmentFlag.AlignRight)
            label = QLabel(action)
            label.setWordWrap(True)
            # A set width lets each wrapped row take the height it needs (a free one is sized for one line).
            label.setFixedWidth(ACTION_WIDTH)
            self.action_labels.append(label)
            grid.addWidget(label, number, 1)
        grid.setColumnStretch(1, 1)
        note = QLabel(self.tr("Keys work anywhere on the review screen. In a text field letters, digits and Space "
                              "type, in either keyboard layout; ↑/↓, Alt+←/→, Ctrl+Enter and Esc still work. On a "
                              "Russian layout the same keys work (О Л Д Т С Х Ъ). Nothing is stored for a call until "
                              "you answer or comment."))
        note.setObjectName("mutedLabel")
        note.setWordWrap(True)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(ACTION_WIDTH + 200)
        self.adjustSize()

    def showEvent(self, event) -> None:
        # Measured once styled (the stylesheet sets the font): each wrapped row gets its whole height.
        for label in self.action_labels:
            label.setMinimumHeight(label.heightForWidth(ACTION_WIDTH))
        self.adjustSize()
        super().showEvent(event)


class ReopenDialog(QDialog):
    """Asks why a submitted evaluation is reopened; OK stays disabled until a reason is written."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reopen the evaluation"))
        text = QLabel(self.tr("The evaluation goes back to draft. The reason is kept in the audit trail."))
        text.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Why is it reopened? e.g. the operator disputed question 4"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Reopen"))
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda: self.ok_button.setEnabled(bool(self.reason_text())))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.resize(460, 240)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()
