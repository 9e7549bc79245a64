"""Asking for a new password: typed twice, checked as it is typed, the dialog stays open until it is usable."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from app.form_layout import FormLayout
from review.accounts.users import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class PasswordDialog(QDialog):
    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(380)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("At least %n characters", "", MIN_PASSWORD_LENGTH))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel()
        self.hint.setObjectName("mutedLabel")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = FormLayout()
        form.addRow(self.tr("New password:"), self.password)
        form.addRow(self.tr("Repeat it:"), self.repeat)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        for field in (self.password, self.repeat):
            field.textChanged.connect(self._check)
        self._check()

    def problem(self) -> str:
        """Why the password cannot be used yet; empty when it can."""
        text = self.password.text()
        if len(text) < MIN_PASSWORD_LENGTH:
            return self.tr("At least %n characters", "", MIN_PASSWORD_LENGTH)
        if len(text) > MAX_PASSWORD_LENGTH:
            return self.tr("At most %n characters", "", MAX_PASSWORD_LENGTH)
        if self.repeat.text() != text:
            return self.tr("The two entries differ")
        return ""

    def _check(self) -> None:
        problem = self.problem()
        self.hint.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def accept(self) -> None:
        if not self.problem():  # Enter in a field must not close it with a password that cannot be used
            super().accept()

    def chosen(self) -> str:
        return self.password.text()
