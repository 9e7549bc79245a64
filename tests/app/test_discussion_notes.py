"""The discussion's strengths and growth areas: a suggestion leaves the list once taken, a note is reworded or
turned over by keyboard (Enter on it, type, Enter), and removed with Delete, which brings its suggestion back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.sessions import SessionsPage
from review.accounts.local_admin import ensure_local_admin
from review.models import AuditEntry, SessionNote
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.review_sessions import active_call_ids, create_sessions, open_session_evaluation
from review.sessions.sampling import SamplingRule
from review.workspace import Workspace
from tests.app.test_review_workspace import type_text
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully

SHOTS = Path("/tmp/shots")


@pytest.fixture
def discussed(sqlite_db):
    """A session of Anna's two calls, scored by both sides; the supervisor is harsher on two questions."""
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        anna, anna_user = add_operator(session, "Анна Смирнова", username="anna")
        for day in range(2):
            add_call(session, anna.id, datetime(2026, 11, 2, 10) + timedelta(days=day))
        rule = SamplingRule(operator_ids=(anna.id,), period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                            per_operator=2, seed=3)
        session_id = create_sessions(session, supervisor, rule, rubric_slug="inbound_call").session_ids[anna.id]
        for call_id in active_call_ids(session, session_id):
            evaluation = open_session_evaluation(session, supervisor, session_id, call_id)
            score_fully(session, supervisor, evaluation.id, {"alternative_offered": False, "needs_situation": 1})
            score_fully(session, anna_user, open_session_evaluation(session, anna_user, session_id, call_id).id)
        return sqlite_db, supervisor, session_id


def _texts(widget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def _suggested_ids(tab) -> list[str]:
    return [tab.suggestions.item(i).data(Qt.ItemDataRole.UserRole)[0] for i in range(tab.suggestions.count())]


def _stored(db) -> list[tuple[str, str]]:
    with db.sessions() as session:
        return [(n.kind, n.text) for n in session.scalars(select(SessionNote).order_by(SessionNote.id))]


def test_notes_are_taken_reworded_turned_over_and_removed(qtbot, discussed, english):
    db, supervisor, session_id = discussed
    page = SessionsPage(Workspace(db, supervisor))
    qtbot.addWidget(page)
    qtbot.waitSignal(page.board_shown).wait()
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    with qtbot.waitSignal(page.detail.shown):
        page.board.session_selected.emit(session_id)
    page.detail.tabs.setCurrentIndex(2)
    tab = page.detail.discussion
    assert _suggested_ids(tab)[0] == "alternative_offered"
    before = tab.suggestions.count()

    tab.suggestions.setCurrentRow(0)
    with qtbot.waitSignal(tab.shown):
        tab.add_growth.click()
    assert tab.suggestions.count() == before - 1 and "alternative_offered" not in _suggested_ids(tab)
    [(kind, text)] = _stored(db)
    assert kind == "growth"

    # Edit and Remove wait for a chosen note.
    tab.notes.setCurrentRow(-1)
    assert not tab.edit_note.isEnabled() and not tab.remove_note.isEnabled()
    # Reword it by keyboard: Enter on the note puts it in the field, typing replaces it, Enter saves.
    tab.notes.setFocus()
    tab.notes.setCurrentRow(0)
    assert tab.edit_note.isEnabled() and tab.remove_note.isEnabled()
    QTest.keyClick(tab.notes, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is tab.free_text and tab.free_text.text() == text
    type_text(tab.free_text, "Предлагать другого врача или время")
    with qtbot.waitSignal(tab.shown):
        QTest.keyClick(tab.free_text, Qt.Key.Key_Return)
    assert _stored(db) == [("growth", "Предлагать другого врача или время")]
    assert _texts(tab.notes) == ["Growth: Предлагать другого врача или время"] and tab.free_text.text() == ""
    assert "alternative_offered" not in _suggested_ids(tab)  # still taken: the note keeps its question

    # Turn it into a strength.
    tab.notes.setCurrentRow(0)
    tab.edit_note.click()
    tab.free_kind.setCurrentIndex(tab.free_kind.findData("strength"))
    with qtbot.waitSignal(tab.shown):
        QTest.keyClick(tab.free_text, Qt.Key.Key_Return)
    assert _stored(db) == [("strength", "Предлагать другого врача или время")]

    # Esc leaves an edit without saving.
    tab.notes.setCurrentRow(0)
    QTest.keyClick(tab.notes, Qt.Key.Key_Return)
    type_text(tab.free_text, " — не сохранять")
    QTest.keyClick(tab.free_text, Qt.Key.Key_Escape)
    assert tab.editing_note is None and tab.free_add.text() == "Add"
    assert _stored(db) == [("strength", "Предлагать другого врача или время")]

    if SHOTS.exists():
        page.grab().save(str(SHOTS / "discussion_en.png"))
    tab.notes.setFocus()
    tab.notes.setCurrentRow(0)
    with qtbot.waitSignal(tab.shown):
        QTest.keyClick(tab.notes, Qt.Key.Key_Delete)
    assert _stored(db) == [] and tab.notes.count() == 0
    assert "alternative_offered" in _suggested_ids(tab) and tab.suggestions.count() == before
    with db.sessions() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "session_notes")
                                  .order_by(AuditEntry.id)).all()
    assert actions == ["note", "note", "note", "delete"]


def test_an_operator_reads_the_notes_without_edit_or_remove(qtbot, discussed):
    db, _supervisor, session_id = discussed
    with db.sessions() as session:
        from review.models import User

        anna = session.scalars(select(User).where(User.username == "anna")).one()
    page = SessionsPage(Workspace(db, anna))
    qtbot.addWidget(page)
    qtbot.waitSignal(page.board_shown).wait()
    page.show()
    with qtbot.waitSignal(page.detail.shown):
        page.board.session_selected.emit(session_id)
    tab = page.detail.discussion
    assert not tab.edit_note.isVisibleTo(page) and not tab.remove_note.isVisibleTo(page)


def test_empty_discussion_lists_say_how_they_fill(qtbot, sqlite_db, english):
    """A session nobody has scored yet: both lists say what would be in them and how it gets there."""
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        anna, _ = add_operator(session, "Анна Смирнова", username="anna")
        add_call(session, anna.id, datetime(2026, 11, 2, 10))
        rule = SamplingRule(operator_ids=(anna.id,), period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                            per_operator=1, seed=3)
        session_id = create_sessions(session, supervisor, rule, rubric_slug="inbound_call").session_ids[anna.id]
    page = SessionsPage(Workspace(sqlite_db, supervisor))
    qtbot.addWidget(page)
    qtbot.waitSignal(page.board_shown).wait()
    with qtbot.waitSignal(page.detail.shown):
        page.board.session_selected.emit(session_id)
    tab = page.detail.discussion
    assert tab.suggestions.count() == 0 and tab.suggestions_hint.showing()
    assert "once the session's calls are scored" in tab.suggestions_hint.text()
    assert tab.notes.count() == 0 and tab.notes_hint.showing()
    assert "write one below" in tab.notes_hint.text()
