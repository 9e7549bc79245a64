"""Sign-in at start: skipped in single-user mode, a first administrator password on a new shared database."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from review.accounts.users import (
    FIRST_ADMIN,
    SINGLE_USER,
    SignInFailed,
    set_first_admin_password,
    sign_in,
    single_user_actor,
    startup_mode,
)
from review.storage.db import Database
from review.errors import KalibraError
from review.models import User


class SignInDialog(QDialog):
    """Asks for user name and password (or, on a new shared database, the administrator's new password)."""

    def __init__(self, db: Database, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.mode = db, mode
        self.actor: User | None = None
        self.setWindowTitle(self.tr("Sign in to Kalibra"))
        self.setMinimumWidth(420)
        title = QLabel(self.tr("Create the administrator's password") if mode == FIRST_ADMIN
                       else self.tr("Sign in"))
        title.setObjectName("paneTitle")
        hint = QLabel(self.tr("This shared database has no administrator password yet. The password you set "
                              "now protects user accounts, rubrics and settings.") if mode == FIRST_ADMIN
                      else self.tr("Database: this computer") if db.is_sqlite
                      else self.tr("Database: {0}").format(db.url))
        hint.setObjectName("mutedLabel")
        hint.setWordWrap(True)
        self.username = QLineEdit("admin" if mode == FIRST_ADMIN else "")
        self.username.setReadOnly(mode == FIRST_ADMIN)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        if mode == FIRST_ADMIN:
            form.addRow(self.tr("Repeat password"), self.confirm)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Set password and sign in") if mode == FIRST_ADMIN else self.tr("Sign in"))
        self.ok_button.setObjectName("primaryButton")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if mode == FIRST_ADMIN else self.username).setFocus()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.confirm.clear()
        self.password.setFocus()

    def submit(self) -> None:
        """Check the credentials; on success the dialog closes with `actor` set."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # argon2 takes a moment on purpose
        try:
            if self.mode == FIRST_ADMIN:
                if self.password.text() != self.confirm.text():
                    self._fail(self.tr("The two passwords differ."))
                    return
                self.actor = set_first_admin_password(self.db, self.password.text())
            else:
                self.actor = sign_in(self.db, self.username.text(), self.password.text())
        except SignInFailed as exc:
            self._fail(_translated_failure(self, exc))
            return
        except KalibraError as exc:
            self._fail(error_text(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.password.clear()
        self.confirm.clear()
        self.accept()


def _translated_failure(widget: QWidget, exc: SignInFailed) -> str:
    until = getattr(exc, "until", None)
    if until is not None:
        return QCoreApplication.translate("SignInDialog", "Too many failed attempts. Try again after {0} (UTC), or ask an administrator "
                         "to reset your password.").format(until.strftime("%H:%M:%S"))
    if "deactivated" in str(exc):
        return QCoreApplication.translate("SignInDialog", "This account is deactivated. Ask an administrator to reactivate it.")
    if "Wrong user name" in str(exc):
        return QCoreApplication.translate("SignInDialog", "Wrong user name or password.")
    return error_text(exc)


def choose_actor(db: Database, parent: QWidget | None = None) -> User | None:
    """The user this desktop works as: the local administrator in single-user mode, otherwise whoever
    signs in; None when the user cancels."""
    mode = startup_mode(db)
    if mode == SINGLE_USER:
        return single_user_actor(db)
    dialog = SignInDialog(db, mode, parent)
    return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None
