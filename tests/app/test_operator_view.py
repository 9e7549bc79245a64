"""What an operator sees: no supervisor tools (swap a call, close a session), a rubric to read that does not look
like a form to fill, and a status bar that counts only their own calls."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from app.main_window import MainWindow
from app.rubric_editor.rubrics_page import RubricsPage
from app.sessions import SessionsPage
from review.accounts.local_admin import ensure_local_admin
from review.desktop.user_settings import UserSettings
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.review_sessions import create_sessions
from review.sessions.sampling import SamplingRule
from review.workspace import Workspace
from tests.review.session_fixtures import add_call, add_operator, add_supervisor

SHOTS = Path("/tmp/shots")


@pytest.fixture
def team(sqlite_db):
    """Anna (an operator with an account) has 3 transcribed calls and a session; Olga has 5 calls."""
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        anna, anna_user = add_operator(session, "Анна Смирнова", username="anna")
        olga, _ = add_operator(session, "Ольга Кузнецова")
        start = datetime(2026, 11, 2, 10)
        for day in range(3):
            add_call(session, anna.id, start + timedelta(days=day))
        for day in range(5):
            add_call(session, olga.id, start + timedelta(days=day))
        rule = SamplingRule(operator_ids=(anna.id,), period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                            per_operator=2, seed=7)
        created = create_sessions(session, supervisor, rule, rubric_slug="inbound_call")
        return sqlite_db, anna_user, created.session_ids[anna.id]


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.resize(1366, 768)
    widget.show()
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_an_operator_is_not_shown_swap_or_close(qtbot, team, english):
    db, anna, session_id = team
    page = SessionsPage(Workspace(db, anna))
    qtbot.addWidget(page)
    qtbot.waitSignal(page.board_shown).wait()
    page.resize(1366, 768)
    page.show()
    detail = page.detail
    assert not detail.close_button.isVisibleTo(page) and not detail.swap_button.isVisibleTo(page)
    column = page.board.columns["to_score_supervisor"]
    card = column.item(0)
    assert card.data(Qt.ItemDataRole.UserRole) == session_id
    assert "01 Nov 2026–30 Nov 2026" in card.text()  # the period written as every English date is
    QTest.mouseClick(column.viewport(), Qt.MouseButton.LeftButton, pos=column.visualItemRect(card).center())
    assert detail.session_id == session_id
    assert not detail.close_button.isVisibleTo(page) and not detail.swap_button.isVisibleTo(page)
    _shot(page, "sessions_operator_en")


def test_a_rubric_the_operator_may_only_read_has_no_fields_to_type_in(qtbot, team, english):
    db, anna, _session_id = team
    page = RubricsPage(Workspace(db, anna))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.version_id is not None)  # the rubric is read off the GUI thread
    _shot(page, "rubric_view_operator_en")
    assert not page.new_button.isVisibleTo(page) and not page.import_button.isVisibleTo(page)
    assert not page.editor.add_section_button.isVisibleTo(page) and not page.editor.remove_button.isVisibleTo(page)
    editor = page.editor
    fields = [w for form in (editor.rubric_form, editor.section_form, editor.question_form)
              for w in form.findChildren(QLineEdit) + form.findChildren(QPlainTextEdit)]
    assert fields and all(w.isReadOnly() and w.property("viewOnly") for w in fields)
    assert all(not w.hasFrame() for w in fields if isinstance(w, QLineEdit))
    assert {w.placeholderText() for w in fields} <= {"—"}  # no "In Russian" inviting typing
    assert page.read_only_note.isVisibleTo(page)


def test_the_operator_s_status_bar_counts_only_their_calls(qtbot, team):
    db, anna, _session_id = team
    window = MainWindow(Workspace(db, anna, UserSettings()))
    qtbot.addWidget(window)
    # Counted off the GUI thread: the label changes once, to her calls' count.
    qtbot.waitUntil(lambda: bool(window.transcription_status.label.text()))
    assert window.transcription_status.label.text() == "Transcripts: 3 ready"  # not the 8 of the workspace
