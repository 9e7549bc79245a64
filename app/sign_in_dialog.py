"""Sign-in at start: skipped in single-user mode, a first administrator password on a new shared database."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.form_layout import FormLayout
from app.i18n import error_text
from app.operations import CoreOp
from app.startup_wait import wait_for
from review.accounts.users import (
    FIRST_ADMIN,
    SINGLE_USER,
    SignInFailed,
    set_first_admin_password,
    sign_in,
    single_user_actor,
    startup_mode,
)
from review.models import User
from review.workspace import Workspace


class SignInDialog(QDialog):
    """Asks for user name and password (or, on a new shared database, the administrator's new password)."""

    answered = Signal()  # the credentials were checked (off the GUI thread): `actor` set, or the error shown

    def __init__(self, ws: Workspace, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self._ws = ws  # nobody acts yet (ws.actor is None): the sign-in services take no actor
        db = ws.db
        self._checking = False
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
        form = FormLayout()
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
        """Check the credentials off the GUI thread (argon2 takes a moment on purpose, a server a round trip);
        on success the dialog closes with `actor` set."""
        if self._checking:
            return
        if self.mode == FIRST_ADMIN and self.password.text() != self.confirm.text():
            self._fail(self.tr("The two passwords differ."))
            self.answered.emit()
            return
        mode, username, password = self.mode, self.username.text(), self.password.text()

        def check(ws: Workspace) -> tuple[User | None, str | None]:  # (who signed in, or why not)
            try:
                if mode == FIRST_ADMIN:
                    return set_first_admin_password(ws.db, password), None
                return sign_in(ws.db, username, password), None
            except SignInFailed as exc:  # said here, while its lock-out time is at hand
                return None, _translated_failure(exc)

        self._checking = True
        self.ok_button.setEnabled(False)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        CoreOp(self, self._ws, check).success(self._checked).failure(lambda sentence: self._checked((None, sentence))) \
            .run_in_background()

    def _checked(self, outcome: tuple[User | None, str | None]) -> None:
        QGuiApplication.restoreOverrideCursor()
        self._checking = False
        self.ok_button.setEnabled(True)
        actor, problem = outcome
        if problem is not None:
            self._fail(problem)
            self.answered.emit()
            return
        self.actor = actor
        self.password.clear()
        self.confirm.clear()
        self.answered.emit()
        self.accept()


def _translated_failure(exc: SignInFailed) -> str:
    until = getattr(exc, "until", None)
    if until is not None:
        return QCoreApplication.translate("SignInDialog", "Too many failed attempts. Try again after {0} (UTC), or ask an administrator "
                         "to reset your password.").format(until.strftime("%H:%M:%S"))
    if "deactivated" in str(exc):
        return QCoreApplication.translate("SignInDialog", "This account is deactivated. Ask an administrator to reactivate it.")
    if "Wrong user name" in str(exc):
        return QCoreApplication.translate("SignInDialog", "Wrong user name or password.")
    return error_text(exc)


def choose_actor(ws: Workspace, parent: QWidget | None = None) -> User | None:
    """The user this desktop works as: the local administrator in single-user mode, otherwise whoever
    signs in; None when the user cancels."""
    mode, actor = wait_for(lambda: _mode_and_single_user(ws))
    if mode == SINGLE_USER:
        return actor
    dialog = SignInDialog(ws, mode, parent)
    return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None


def _mode_and_single_user(ws: Workspace) -> tuple[str, User | None]:
    mode = startup_mode(ws.db)
    return mode, single_user_actor(ws.db) if mode == SINGLE_USER else None
