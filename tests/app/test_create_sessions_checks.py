"""Creating review sessions says what is wrong before anything is made: a rubric that does not fit a picked call's
kind, fewer calls than asked for; and the period it starts with covers where the calls are."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from app.sessions import SessionsPage
from review import clock as review_clock
from review.accounts.local_admin import ensure_local_admin
from review.models import ReviewSession
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.session_plan import default_period
from review.workspace import Workspace
from tests.review.session_fixtures import add_call, add_operator, add_supervisor

SHOTS = Path("/tmp/shots")
TODAY = date(2026, 12, 3)
LAST_CALL = date(2026, 11, 12)  # the newest import is three weeks old


@pytest.fixture
def library(sqlite_db):
    review_clock.use_clock(review_clock.FixedClock(datetime(2026, 12, 3, 9, 0)))
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        anna, _ = add_operator(session, "Анна Смирнова")
        olga, _ = add_operator(session, "Ольга Кузнецова")
        for day in range(20):  # Anna: 20 inbound bookings up to the last call day
            add_call(session, anna.id, datetime.combine(LAST_CALL - timedelta(days=day), datetime.min.time())
                     + timedelta(hours=10))
        # Olga: two calls only, and one of them a check-up callback that the inbound rubric is not made for.
        add_call(session, olga.id, datetime(2026, 11, 5, 11), direction="out", call_kind="callback_checkup")
        add_call(session, olga.id, datetime(2026, 11, 6, 11))
        return sqlite_db, supervisor


def answer_next_box(button_text: str, seen: list[str]) -> None:
    """Press `button_text` in the next message box (it runs its own loop), noting its text."""
    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        if SHOTS.exists():
            box.grab().save(str(SHOTS / f"sessions_ask_{len(seen)}.png"))
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, act)


def sessions_count(db) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count(ReviewSession.id)))


def test_the_default_period_covers_the_newest_calls(library):
    db, supervisor = library
    with db.sessions() as session:
        assert default_period(session, supervisor, TODAY) == (LAST_CALL - timedelta(days=29), LAST_CALL)
        assert review_clock.today() == TODAY


def test_a_misfit_and_a_shortfall_are_asked_about_before_creating(qtbot, library, english):
    db, supervisor = library
    page = SessionsPage(Workspace(db, supervisor))
    qtbot.addWidget(page)
    qtbot.waitSignal(page.board_shown).wait()
    dialog = page.create_sessions()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.create_button.isEnabled)  # the choices are read off the GUI thread
    assert dialog.period_start.date().toPython() == LAST_CALL - timedelta(days=29)
    assert dialog.period_end.date().toPython() == LAST_CALL
    dialog.check_all_operators(Qt.CheckState.Checked)
    dialog.count.setValue(5)
    dialog.rubric.setCurrentIndex(dialog.rubric.findData("inbound_call"))
    assert dialog.rubric.currentText() == "Inbound call to the clinic"  # the built-in rubric's English title
    assert dialog.period_end.text() == "12 Nov 2026"  # one date format per language, as everywhere
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "sessions_create_en.png"))

    seen: list[str] = []
    answer_next_box("Go back and change", seen)
    QTest.keyClick(dialog, Qt.Key.Key_Return)  # the default button: Create sessions
    qtbot.waitUntil(lambda: bool(seen))  # the plan is made off the GUI thread, then asked about
    assert dialog.isVisible() and sessions_count(db) == 0
    question = seen[0]
    assert "Ольга Кузнецова: only 2 matching calls, 5 asked for." in question
    assert "1 picked call would be scored with “Inbound call to the clinic”" in question
    assert "05 Nov 2026 11:00" in question and "(fits “Outbound call to the patient base”)" in question
    assert "(s)" not in question

    answer_next_box("Create anyway", seen)
    with qtbot.waitSignal(page.board_shown):
        QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible() and sessions_count(db) == 2
    assert "2 sessions created." in page.notice.text() and "only 2 matching calls" in page.notice.text()


def test_the_russian_interface_asks_with_russian_dates_and_no_english_plural_marks(qtbot, library, russian):
    db, supervisor = library
    page = SessionsPage(Workspace(db, supervisor))
    qtbot.addWidget(page)
    qtbot.waitSignal(page.board_shown).wait()
    dialog = page.create_sessions()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.create_button.isEnabled)
    dialog.check_operators(["Ольга Кузнецова"])
    dialog.rubric.setCurrentIndex(dialog.rubric.findData("outbound_callback"))
    assert dialog.rubric.currentText() == "Исходящий звонок по базе пациентов" and dialog.period_end.text() == "12.11.2026"
    seen: list[str] = []

    def go_back() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, go_back)
            return
        seen.append(box.text())
        if SHOTS.exists():
            box.grab().save(str(SHOTS / "sessions_ask_ru.png"))
        next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole).click()

    QTimer.singleShot(0, go_back)
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen))
    assert sessions_count(db) == 0 and dialog.isVisible()
    assert "(s)" not in seen[0] and "Ольга Кузнецова" in seen[0]
    assert "06.11.2026 11:00" in seen[0]  # the inbound call the callback rubric does not fit, dated in Russian
