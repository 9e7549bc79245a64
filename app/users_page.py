"""Administration: user accounts and roles, teams, retention of personal data, call kinds and outcomes, talk
analytics thresholds, and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.analytics_settings import AnalyticsThresholdsEditor
from app.audit_log_view import AuditLogView
from app.clinic_vocabulary_editor import ClinicVocabularyEditor
from app.form_layout import FormLayout
from app.i18n import counted
from app.labels import role_label
from app.lazy_page import LazyTabWidget
from app.number_form import add_number_row, number_form, same_width
from app.operations import CoreOp
from app.password_dialog import PasswordDialog
from app.table_cells import set_cell_widget
from app.vocabulary_editor import VocabularyEditor
from app.working_hours_editor import WorkingHoursEditor
from review import clock
from review.accounts import users as auth
from review.library.calls import list_operators
from review.library.retention import expired_call_count, retention_days, run_retention, set_retention_days
from review.models import ROLES, User
from review.scoring.disputes import dispute_window, set_dispute_window
from review.workspace import Workspace


def role_names(_widget: QWidget | None = None) -> dict[str, str]:
    return {role: role_label(role) for role in ROLES}


class UserDialog(QDialog):
    """New user or edit one: name, role, team, the operator an operator's account sees."""

    def __init__(self, teams: list[tuple[int, str]], operators: list[tuple[int, str]], row: auth.UserRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit user") if row else self.tr("New user"))
        self.setMinimumWidth(580)  # the operator's long label (in Russian) leaves the fields room for their text
        self.username = QLineEdit(row.username if row else "")
        self.username.setReadOnly(row is not None)
        self.display_name = QLineEdit(row.display_name if row else "")
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_names(self)[role], role)
        self.team = QComboBox()
        self.team.addItem(self.tr("No team"), None)
        for team_id, name in teams:
            self.team.addItem(name, team_id)
        self.operator = QComboBox()
        self.operator.addItem(self.tr("Not an operator"), None)
        for operator_id, name in operators:
            self.operator.addItem(name, operator_id)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("At least 8 characters"))
        # A new account is an operator's unless said otherwise: the least power is the safe default.
        self.role.setCurrentIndex(self.role.findData(row.role if row else "operator"))
        if row:
            self.team.setCurrentIndex(max(self.team.findText(row.team or ""), 0))
            self.operator.setCurrentIndex(max(self.operator.findText(row.operator or ""), 0))
        form = FormLayout(self)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Full name"), self.display_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Team"), self.team)
        form.addRow(self.tr("Operator (calls this account sees)"), self.operator)
        if row is None:
            form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


@dataclass(frozen=True)
class AdministrationData:
    """What the page shows, read in one go: accounts, teams, operators (id, name, team id) and retention."""

    users: list[auth.UserRow]
    teams: list[tuple[int, str]]
    operators: list[tuple[int, str, int | None]]
    retention_days: int | None
    dispute_days: int


def _read_administration(ws: Workspace) -> AdministrationData:
    with ws.reading() as session:
        return AdministrationData(
            auth.list_users(session, ws.actor), [(t.id, t.name) for t in auth.list_teams(session, ws.actor)],
            [(o.id, o.name, o.team_id) for o in list_operators(session, ws.actor)], retention_days(session),
            dispute_window(session).days)


class UsersPage(QWidget):
    """Read and changed off the GUI thread (app.operations): `refreshed` after each read, `purged(calls)`."""

    refreshed = Signal()
    purged = Signal(int)
    vocabulary_changed = Signal()  # the call kinds or outcomes were changed on their tab

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws, self.actor = ws, ws.actor
        self.user_rows: list[auth.UserRow] = []
        self.data: AdministrationData | None = None
        self._retention_shown = False
        title = QLabel(self.tr("Administration"))
        title.setObjectName("pageTitle")
        self.tabs = LazyTabWidget()
        self.tabs.addTab(self._users_tab(), self.tr("Users"))
        # The other tabs are built when first shown or asked for: these two show what was read by then,
        self._teams = self.tabs.add_lazy_tab(self._teams_tab, self.tr("Teams"))
        self._retention = self.tabs.add_lazy_tab(self._retention_tab, self.tr("Data retention"))
        # and each editor below reads its own data when built.
        self._working_hours = self.tabs.add_lazy_tab(lambda: WorkingHoursEditor(ws), self.tr("Working hours"))
        self._vocabularies = self.tabs.add_lazy_tab(self._make_vocabularies, self.tr("Call kinds and outcomes"))
        self._analytics = self.tabs.add_lazy_tab(lambda: AnalyticsThresholdsEditor(ws),
                                                 self.tr("Talk analytics"))
        self._clinic_words = self.tabs.add_lazy_tab(lambda: ClinicVocabularyEditor(self._ws),
                                                    self.tr("Clinic vocabulary"))
        self._audit = self.tabs.add_lazy_tab(lambda: AuditLogView(ws), self.tr("Audit log"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    @property
    def working_hours(self) -> WorkingHoursEditor:
        return self._working_hours.build()

    @property
    def vocabularies(self) -> VocabularyEditor:
        return self._vocabularies.build()

    @property
    def analytics(self) -> AnalyticsThresholdsEditor:
        return self._analytics.build()

    @property
    def clinic_vocabulary(self) -> ClinicVocabularyEditor:
        return self._clinic_words.build()

    @property
    def audit(self) -> AuditLogView:
        return self._audit.build()

    @property
    def teams(self) -> QTableWidget:
        self._teams.build()
        return self._teams_table

    @property
    def retention(self) -> QSpinBox:
        self._retention.build()
        return self._retention_days

    @property
    def dispute_days(self) -> QSpinBox:
        self._retention.build()
        return self._dispute_days

    @property
    def purge_button(self) -> QPushButton:
        self._retention.build()
        return self._purge_button

    def _make_vocabularies(self) -> VocabularyEditor:
        editor = VocabularyEditor(self._ws)
        editor.changed.connect(self.vocabulary_changed)
        return editor

    # -- users ----------------------------------------------------------------------------------------------
    def _users_tab(self) -> QWidget:
        tab = QWidget()
        self.users = QTableWidget(0, 6)
        self.users.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Full name"), self.tr("Role"),
                                              self.tr("Team"), self.tr("Operator"), self.tr("Status")])
        self.users.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.users.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users.verticalHeader().hide()
        self.users.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.no_password_hint = QLabel(self.tr("Sign-in is off on this computer until you set your own "
                                               "password. Anyone who opens Kalibra here works as the administrator."))
        self.no_password_hint.setWordWrap(True)
        self.no_password_hint.setObjectName("card")
        buttons = QHBoxLayout()
        for text, slot, name in ((self.tr("New user…"), self.new_user, "new"),
                                 (self.tr("Edit…"), self.edit_user, "edit"),
                                 (self.tr("Reset password…"), self.reset_password, "reset"),
                                 (self.tr("Deactivate / reactivate"), self.toggle_active, "toggle"),
                                 (self.tr("Set my password…"), self.set_own_password, "own")):
            button = QPushButton(text)
            button.clicked.connect(slot)
            setattr(self, f"{name}_button", button)
            buttons.addWidget(button)
        self.new_button.setObjectName("primaryButton")
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.no_password_hint)
        layout.addLayout(buttons)
        layout.addWidget(self.users, 1)
        return tab

    def refresh(self) -> None:
        """Read users, teams, operators and retention off the GUI thread; `refreshed` once they are shown."""
        CoreOp(self, self._ws, _read_administration, key=("administration", id(self))).success(
            self._show).run_in_background()

    def _show(self, data: AdministrationData) -> None:
        self.data, self.user_rows = data, data.users
        names = role_names(self)
        self.users.setRowCount(len(self.user_rows))
        for r, row in enumerate(self.user_rows):
            status = self.tr("active") if row.active else self.tr("deactivated")
            if row.locked_until is not None and row.locked_until > clock.now():  # an expired lock is no lock
                status += " · " + self.tr("locked")
            if not row.has_password:
                status += " · " + self.tr("no password")
            for c, value in enumerate((row.username, row.display_name, names.get(row.role, row.role),
                                       row.team or "", row.operator or "", status)):
                self.users.setItem(r, c, QTableWidgetItem(value))
        me = next((row for row in self.user_rows if row.id == self.actor.id), None)
        self.no_password_hint.setVisible(bool(self._ws.db.is_sqlite and me and not me.has_password))
        if self._teams.page is not None:
            self._refresh_teams()
        if self._retention.page is not None:
            self._show_retention()
        self.refreshed.emit()

    def _show_retention(self) -> None:
        if not self._retention_shown and self.data is not None:  # later reads leave a value being edited alone
            self._retention_shown = True
            self._retention_days.setValue(self.data.retention_days or 0)
            self._dispute_days.setValue(self.data.dispute_days)

    def selected_row(self) -> auth.UserRow | None:
        index = self.users.currentRow()
        return self.user_rows[index] if 0 <= index < len(self.user_rows) else None

    def _choices(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        if self.data is None:
            return [], []
        return self.data.teams, [(operator_id, name) for operator_id, name, _team in self.data.operators]

    def _run(self, work) -> bool:
        """One unit of work off the GUI thread, then the page read again (`refreshed`); a domain error is shown in
        plain words and nothing is saved. True: the work was started."""
        def change(ws: Workspace) -> None:
            with ws.changing() as session:
                work(session)

        CoreOp(self, self._ws, change, changes={"accounts", "settings"}, title="Kalibra").success(
            lambda _none: self.refresh()).run_in_background()
        return True

    def new_user(self) -> UserDialog:
        dialog = UserDialog(*self._choices(), parent=self)
        dialog.accepted.connect(lambda: self._run(lambda s: auth.create_user(
            s, self.actor, dialog.username.text(), dialog.display_name.text(), dialog.role.currentData(),
            password=dialog.password.text() or None, team_id=dialog.team.currentData(),
            operator_id=dialog.operator.currentData())))
        dialog.open()
        return dialog

    def edit_user(self) -> UserDialog | None:
        row = self.selected_row()
        if row is None:
            return None
        dialog = UserDialog(*self._choices(), row=row, parent=self)
        dialog.accepted.connect(lambda: self._run(lambda s: auth.update_user(
            s, self.actor, row.id, display_name=dialog.display_name.text(), role=dialog.role.currentData(),
            team_id=dialog.team.currentData(), operator_id=dialog.operator.currentData())))
        dialog.open()
        return dialog

    def _ask_password(self, title: str) -> str | None:
        dialog = PasswordDialog(title, self)
        self.password_dialog = dialog  # for the keyboard and tests
        return dialog.chosen() if dialog.exec() == PasswordDialog.DialogCode.Accepted else None

    def reset_password(self, password: str | None = None) -> bool:
        row = self.selected_row()
        if row is None:
            return False
        password = password or self._ask_password(self.tr("Reset password of {0}").format(row.username))
        return bool(password) and self._run(lambda s: auth.reset_password(s, self.actor, row.id, password))

    def set_own_password(self, password: str | None = None, old: str | None = None) -> bool:
        """Once the administrator has a password, sign-in is required on this database."""
        password = password or self._ask_password(self.tr("Set my password"))
        if not password:
            return False
        if self._has_password() and old is None:
            old, ok = QInputDialog.getText(self, self.tr("Set my password"), self.tr("Current password:"),
                                           QLineEdit.EchoMode.Password)
            if not ok:
                return False
        actor_id = self.actor.id
        return self._run(lambda s: auth.change_own_password(s, s.get(User, actor_id), old, password))

    def _has_password(self) -> bool:
        return any(row.id == self.actor.id and row.has_password for row in self.user_rows)

    def toggle_active(self) -> bool:
        row = self.selected_row()
        return row is not None and self._run(lambda s: auth.set_active(s, self.actor, row.id, not row.active))

    # -- teams ----------------------------------------------------------------------------------------------
    def _teams_tab(self) -> QWidget:
        tab = QWidget()
        teams = self._teams_table = QTableWidget(0, 2)
        teams.setHorizontalHeaderLabels([self.tr("Operator"), self.tr("Team")])
        teams.verticalHeader().hide()
        teams.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        add = QPushButton(self.tr("New team…"))
        add.clicked.connect(lambda: self.new_team())  # clicked(bool) would arrive as the team's name
        rename = QPushButton(self.tr("Rename team…"))
        rename.clicked.connect(self.rename_team)
        hint = QLabel(self.tr("A supervisor with a team sees only that team's operators; "
                              "without a team, every operator."))
        hint.setObjectName("mutedLabel")
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(rename)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(teams, 1)
        if self.data is not None:
            self._refresh_teams()
        return tab

    def _refresh_teams(self) -> None:
        teams, operators = self._choices()
        team_of = {operator_id: team_id for operator_id, _name, team_id in self.data.operators}
        self._teams_table.setRowCount(len(operators))
        for r, (operator_id, name) in enumerate(operators):
            self._teams_table.setItem(r, 0, QTableWidgetItem(name))
            combo = QComboBox()
            combo.addItem(self.tr("No team"), None)
            for team_id, team_name in teams:
                combo.addItem(team_name, team_id)
            combo.setCurrentIndex(max(combo.findData(team_of.get(operator_id)), 0))
            combo.currentIndexChanged.connect(lambda _i, o=operator_id, c=combo: self._run(
                lambda s: auth.set_operator_team(s, self.actor, o, c.currentData())))
            set_cell_widget(self._teams_table, r, 1, combo)

    def new_team(self, name: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("New team"), self.tr("Team name:"))
            if not ok:
                return False
        return self._run(lambda s: auth.create_team(s, self.actor, name))

    def rename_team(self) -> bool:
        teams, _ = self._choices()
        if not teams:
            return False
        names = [name for _id, name in teams]
        chosen, ok = QInputDialog.getItem(self, self.tr("Rename team"), self.tr("Team:"), names, 0, False)
        if not ok:
            return False
        new, ok = QInputDialog.getText(self, self.tr("Rename team"), self.tr("New name:"), text=chosen)
        team_id = teams[names.index(chosen)][0]
        return ok and self._run(lambda s: auth.rename_team(s, self.actor, team_id, new))

    # -- retention ------------------------------------------------------------------------------------------
    def _retention_tab(self) -> QWidget:
        tab = QWidget()
        retention = self._retention_days = QSpinBox()
        retention.setRange(0, 36600)
        retention.setSpecialValueText(self.tr("Keep until deleted"))
        retention.setSuffix(self.tr(" days"))
        dispute_days = self._dispute_days = QSpinBox()
        dispute_days.setRange(1, 365)
        dispute_days.setSuffix(self.tr(" days"))
        save = QPushButton(self.tr("Save"))
        save.clicked.connect(self.save_retention)
        purge = self._purge_button = QPushButton(self.tr("Purge expired calls now…"))
        purge.clicked.connect(lambda: self.purge())  # never let clicked(bool) confirm a purge
        explain = QLabel(self.tr("Calls older than this, with their transcripts, evaluations and comments, are "
                                 "removed completely, search index included. Recording files are not touched. "
                                 "Every purge is written to the audit log."))
        explain.setWordWrap(True)
        explain.setObjectName("mutedLabel")
        form = self.retention_form = number_form()
        add_number_row(form, self.tr("Keep calls for"), retention)
        add_number_row(form, self.tr("Operators may dispute an answer within"), dispute_days)
        same_width([retention, dispute_days])
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(purge)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._show_retention()
        return tab

    def save_retention(self) -> bool:
        days = self.retention.value() or None
        window = self.dispute_days.value()
        return self._run(lambda s: (set_retention_days(s, self.actor, days), set_dispute_window(s, self.actor, window)))

    def purge(self, confirmed: bool = False) -> None:
        """Count the expired calls, ask (unless `confirmed`), purge them off the GUI thread; `purged(calls)`."""
        def count(ws: Workspace) -> int:
            with ws.reading() as session:
                return expired_call_count(session, ws.actor)

        CoreOp(self, self._ws, count, title="Kalibra").success(
            lambda found: self._purge_counted(found, confirmed)).run_in_background()

    def _purge_counted(self, count: int, confirmed: bool) -> None:
        if not confirmed and QMessageBox.question(
                self, "Kalibra", counted(self.tr("Remove %n call(s) and everything about them? This cannot be undone.",
                                                 "", count), count)) != QMessageBox.StandardButton.Yes:
            return
        CoreOp(self, self._ws, lambda ws: run_retention(ws.db, ws.actor).calls, changes={"calls"},
               title="Kalibra").success(self._purged).run_in_background()

    def _purged(self, calls: int) -> None:
        if self._audit.page is not None:  # else it reads the log when built
            self._audit.page.refresh()
        self.refresh()
        self.purged.emit(calls)
