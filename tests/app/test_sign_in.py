"""Sign-in dialog and the administration page, driven as a user would."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from app.sign_in_dialog import SignInDialog, choose_actor
from app.users_page import UsersPage
from review.accounts import users as auth
from review.accounts.local_admin import ensure_local_admin
from review.models import User
from review.workspace import Workspace
from tests.review.people import add_call


@pytest.fixture
def admin(sqlite_db):
    with sqlite_db.unit_of_work() as session:
        return ensure_local_admin(session)


def _shot(widget, name, size=(1366, 768)):
    widget.resize(*size)
    widget.show()
    widget.grab().save(f"/tmp/shots/{name}.png")


def test_single_user_mode_needs_no_dialog(sqlite_db):
    actor = choose_actor(Workspace(sqlite_db, None))
    assert actor.username == "admin" and actor.role == "admin"


def _answered(qtbot, dialog, act) -> None:
    """Do `act` and wait for the credentials to be checked (off the GUI thread)."""
    answers = []
    dialog.answered.connect(lambda: answers.append(1))
    act()
    qtbot.waitUntil(lambda: bool(answers), timeout=10000)
    dialog.answered.disconnect()


def test_first_administrator_password_then_sign_in(qtbot, sqlite_db):
    dialog = SignInDialog(Workspace(sqlite_db, None), auth.FIRST_ADMIN)
    qtbot.addWidget(dialog)
    assert dialog.username.text() == "admin" and dialog.username.isReadOnly()
    qtbot.keyClicks(dialog.password, "Admin pass 123")
    qtbot.keyClicks(dialog.confirm, "Admin pass 124")
    _answered(qtbot, dialog, dialog.submit)
    assert dialog.actor is None and "differ" in dialog.error.text() and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, "Admin pass 123")
    qtbot.keyClicks(dialog.confirm, "Admin pass 123")
    _answered(qtbot, dialog, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.actor.role == "admin"
    assert auth.startup_mode(sqlite_db) == auth.SIGN_IN


def test_sign_in_dialog_reports_wrong_password_and_lock(qtbot, sqlite_db, admin):
    with sqlite_db.unit_of_work() as session:
        auth.create_user(session, session.get(User, admin.id), "olga", "Ольга", "manager", password="Olga pass 1")
    dialog = SignInDialog(Workspace(sqlite_db, None), auth.SIGN_IN)
    qtbot.addWidget(dialog)
    _shot(dialog, "sign_in_dialog", (dialog.sizeHint().width(), dialog.sizeHint().height()))
    qtbot.keyClicks(dialog.username, "olga")
    for attempt in range(auth.FREE_ATTEMPTS):
        qtbot.keyClicks(dialog.password, f"wrong {attempt}")
        _answered(qtbot, dialog, lambda: qtbot.keyClick(dialog.password, Qt.Key.Key_Return))
        assert dialog.actor is None and dialog.error.isVisible()
    assert "Too many failed attempts" in dialog.error.text()
    with sqlite_db.unit_of_work() as session:
        session.get(User, 2).locked_until = datetime(2000, 1, 1)  # the delay has passed
    qtbot.keyClicks(dialog.password, "Olga pass 1")
    _answered(qtbot, dialog, lambda: qtbot.keyClick(dialog.password, Qt.Key.Key_Return))
    assert dialog.actor is not None and dialog.actor.username == "olga"


def test_administration_page(qtbot, sqlite_db, admin, tmp_path):
    with sqlite_db.unit_of_work() as session:
        add_call(session, None, "p", "старый звонок", datetime.now() - timedelta(days=800))
    page = UsersPage(Workspace(sqlite_db, admin))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        pass
    assert page.no_password_hint.isVisibleTo(page)  # single-user mode warns that sign-in is off
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        assert page.new_team("Регистратура")
    with sqlite_db.unit_of_work() as session:
        auth.create_user(session, session.get(User, admin.id), "olga", "Ольга Кузнецова", "supervisor")
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        page.refresh()
    assert [r.username for r in page.user_rows] == ["admin", "olga"]
    page.users.selectRow(1)
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        assert page.reset_password("Fresh pass 42")
    assert auth.sign_in(sqlite_db, "olga", "Fresh pass 42").username == "olga"
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        assert page.toggle_active()
    assert "deactivated" in page.users.item(1, 5).text()
    page.tabs.setCurrentIndex(0)
    _shot(page, "users_page")
    page.retention.setValue(365)
    page.dispute_days.setValue(10)
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        assert page.save_retention()
    with sqlite_db.sessions() as session:
        from review.scoring.disputes import dispute_window

        assert dispute_window(session).days == 10
    with qtbot.waitSignal(page.purged, timeout=10000) as purged, qtbot.waitSignal(page.refreshed, timeout=10000):
        page.purge(confirmed=True)  # the page is read again after it
    assert purged.args == [1]
    page.tabs.setCurrentWidget(page.audit)
    shown = []
    page.audit.shown.connect(lambda: shown.append(1))
    page.audit.refresh()
    qtbot.waitUntil(lambda: bool(shown))  # read off the GUI thread
    _shot(page, "audit_log")
    actions = {page.audit.table.item(r, 2).toolTip() for r in range(page.audit.table.rowCount())}  # the codes
    assert {"purge", "set_retention", "reset_password", "deactivate", "create"} <= actions
    shown = {page.audit.table.item(r, 2).text() for r in range(page.audit.table.rowCount())}
    assert {"Old data removed", "Account deactivated", "Created"} <= shown
    exported = []
    page.audit.exported.connect(exported.append)
    page.audit.export(str(tmp_path / "audit.csv"))
    qtbot.waitUntil(lambda: bool(exported))
    written = exported[0]
    assert written == page.audit.table.rowCount()
    assert len(list(csv.reader((tmp_path / "audit.csv").open(encoding="utf-8-sig")))) == written + 1
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        assert page.set_own_password("Admin pass 99")
    assert not page.no_password_hint.isVisibleTo(page) and auth.startup_mode(sqlite_db) == auth.SIGN_IN


def test_a_new_account_is_an_operator_unless_said_otherwise(qtbot):
    from app.users_page import UserDialog

    dialog = UserDialog([], [])
    qtbot.addWidget(dialog)
    assert dialog.role.currentData() == "operator"


def test_the_new_user_fields_have_room_for_their_text_in_russian(qtbot, russian):
    from app.users_page import UserDialog

    dialog = UserDialog([], [(1, "Анна Смирнова")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.password.placeholderText() != "At least 8 characters"  # the translation is in
    needed = dialog.password.fontMetrics().horizontalAdvance(dialog.password.placeholderText())
    assert dialog.password.width() > needed + 12  # the frame's margins: the hint is whole, not cut


def test_a_new_password_is_typed_twice_and_a_short_one_keeps_the_dialog_open(qtbot):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialogButtonBox

    from app.password_dialog import PasswordDialog

    dialog = PasswordDialog("Set my password")
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    QTest.keyClicks(dialog.password, "short")
    assert not ok.isEnabled() and dialog.hint.text() == "At least 8 characters"
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter does not close it with an unusable password
    assert dialog.isVisible()
    QTest.keyClicks(dialog.password, " and long")
    QTest.keyClicks(dialog.repeat, "short and lonG")
    assert not ok.isEnabled() and dialog.hint.text() == "The two entries differ"
    dialog.repeat.setText("short and long")
    assert ok.isEnabled() and dialog.hint.text() == ""
    ok.click()
    assert dialog.result() == PasswordDialog.DialogCode.Accepted and dialog.chosen() == "short and long"


def test_number_fields_keep_their_width_and_their_labels_sit_on_them_at_1920(qtbot, sqlite_db, admin, russian):
    """On a wide screen the days fields (Data retention) and the seconds fields (Talk analytics) stay as wide as
    their longest value, whole, and each label's middle is its field's middle."""
    from tests.app.app_look import app_wide_look

    with app_wide_look():
        page = UsersPage(Workspace(sqlite_db, admin))
        qtbot.addWidget(page)
        page.resize(1920 - 200, 1000)
        page.show()
        qtbot.waitExposed(page)
        analytics, retention = page._analytics.build(), page.retention  # each tab built
        for form, fields in ((page.retention_form, (retention, page.dispute_days)),
                             (analytics.form, tuple(analytics.spins.values()))):
            page.tabs.setCurrentIndex(page.tabs.indexOf(fields[0].parentWidget()))
            qtbot.waitUntil(fields[0].isVisible)
            for field in fields:
                assert field.width() < 400, field.width()  # not stretched across the page
                longest = field.specialValueText() or field.textFromValue(field.maximum()) + field.suffix()
                assert field.width() > field.fontMetrics().horizontalAdvance(longest) + 20  # whole beside the arrows
                label = form.labelForField(field)
                assert abs(label.geometry().center().y() - field.geometry().center().y()) <= 2, label.text()
            assert len({field.width() for field in fields}) == 1  # one column of even boxes
