"""Scoring by keyboard as a reviewer does it: nothing typed is lost or lands elsewhere, and opening stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from app.review_workspace.dialogs import ShortcutSheet
from review.accounts.local_admin import ensure_local_admin
from review.models import AuditEntry, Call, Comment, Evaluation
from review.scoring.evaluations import StoredAnswer
from review.sessions.comparison import answer_label
from review.sessions.sampling import SamplingRule, sample_calls
from tests.app.review_support import reviewable_demo_call
from tests.app.test_review_workspace import key, open_window, settle, type_text


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture(autouse=True)
def _no_question_left_open():
    """A failed test must not leave the leaving question open: closing the window would wait on it for ever.
    A question no test step answered (they answer at once) is answered "leave" after a few ticks."""
    ticks: dict[int, int] = {}

    def tick() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            ticks[id(box)] = ticks.get(id(box), 0) + 1
            if ticks[id(box)] > 30:
                next(b for b in box.buttons() if b.text() == "Leave without it").click()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(100)
    yield
    timer.stop()


@pytest.fixture
def two_calls(sqlite_db):
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    first = reviewable_demo_call(sqlite_db, actor)
    second = reviewable_demo_call(sqlite_db, actor, "ru06_poor_booking")
    return sqlite_db, actor, first, second


def press(text: str) -> None:
    """Type `text` key by key into whatever has the focus, shortcuts included, as a keyboard does; Cyrillic
    letters arrive as a Russian layout sends them (the key is the capital letter's code)."""
    for char in text:
        QApplication.processEvents()
        code = Qt.Key.Key_Space if char == " " else Qt.Key(ord(char.upper()))
        QTest.sendKeyEvent(QTest.KeyAction.Click, QApplication.focusWidget(), code, char,
                           Qt.KeyboardModifier.NoModifier)
    settle()


def answer_question_box(button_text: str) -> list[str]:
    """Click `button_text` in the next message box (it runs its own event loop); returns its text, once shown."""
    seen: list[str] = []

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, act)
    return seen


def go_to(window, question_id: str) -> None:
    """↓/↑ until the question is the current one."""
    form = window.form
    target = form.cards.index(form.card(question_id))
    while form.current != target:
        key(window, Qt.Key.Key_Down if form.current < target else Qt.Key.Key_Up)


def stored(db, call_id: int) -> dict[str, object]:
    settle()  # what the screen asked to store, stored
    with db.sessions() as session:
        evaluation = session.scalars(select(Evaluation).where(Evaluation.call_id == call_id)).one_or_none()
        return {} if evaluation is None else {a.question_id: a for a in evaluation.answers}


def test_a_comment_being_typed_is_saved_or_asked_about_on_every_way_of_moving_on(qtbot, two_calls):
    db, actor, first, second = two_calls
    window = open_window(qtbot, db, actor, first, queue=[first, second])
    key(window, Qt.Key.Key_1)  # "greeting": yes; moves on
    key(window, Qt.Key.Key_Up)
    key(window, Qt.Key.Key_Return)  # into its comment
    type_text(window.form.card("greeting_clinic_and_name").comment, "Назвала клинику")
    assert "not saved yet" in window.saved_label.text()  # the footer does not claim it is saved
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # Alt+→ straight from the field
    assert window.data.call.id == second
    assert stored(db, first)["greeting_clinic_and_name"].comment == "Назвала клинику"

    # The comment bar (C) with text in it, then the ‹ button: saved as a comment of this call.
    key(window, Qt.Key.Key_C)
    type_text(window.comment_entry.text, "Долго молчала")
    window.prev_button.click()
    settle()
    assert window.data.call.id == first
    with db.sessions() as session:
        assert session.scalars(select(Comment.text).where(Comment.call_id == second)).all() == ["Долго молчала"]

    # A comment on a question with no answer cannot be stored: leaving asks; Esc-like "stay" keeps it all.
    go_to(window, "needs_situation")
    key(window, Qt.Key.Key_Return)
    type_text(window.form.card("needs_situation").comment, "Не спросила про анализы")
    seen = answer_question_box("Stay and answer")
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    number = window.form.number_of("needs_situation")
    assert seen and f"question {number}" in seen[0]
    assert window.data.call.id == first and window.form.current_question.id == "needs_situation"
    assert window.form.card("needs_situation").comment.text() == "Не спросила про анализы"
    window.activateWindow()  # the question box closed: the window manager hands the keys back
    qtbot.waitUntil(window.isActiveWindow)
    key(window, Qt.Key.Key_2)  # answered now: the kept comment is saved with the answer
    assert stored(db, first)["needs_situation"].comment == "Не спросила про анализы"

    # Another page of the main window saves too; so does closing.
    go_to(window, "greeting_offer_help")
    key(window, Qt.Key.Key_1)
    go_to(window, "greeting_offer_help")
    key(window, Qt.Key.Key_Return)
    type_text(window.form.card("greeting_offer_help").comment, "Представилась")
    window.hide()
    settle()
    assert stored(db, first)["greeting_offer_help"].comment == "Представилась"
    window.show()
    key(window, Qt.Key.Key_Return)
    type_text(window.form.card("greeting_offer_help").comment, ", по имени")
    window.close()
    assert stored(db, first)["greeting_offer_help"].comment == "Представилась, по имени"


def test_a_low_answer_keeps_the_keys_on_the_form_and_shows_the_comment_it_needs(qtbot, two_calls):
    db, actor, first, _second = two_calls
    window = open_window(qtbot, db, actor, first)
    form = window.form
    go_to(window, "needs_situation")
    card = form.card("needs_situation")
    press("2")  # "formally, one question": below half marks needs a comment
    assert form.current_question.id == "needs_situation" and not card.comment.hasFocus()
    assert card.needs_comment_hint.isVisible() and "press Enter" in card.needs_comment_hint.text()
    assert "comments needed: 1" in form.header.progress.text()
    press("1222")  # the keys the reviewer goes on pressing answer the question; they never become text
    assert card.comment.text() == "" and stored(db, first)["needs_situation"].value == {"v": 1}
    key(window, Qt.Key.Key_Down)  # leave it for now...
    assert form.current_question.id != "needs_situation" and card.needs_comment_hint.isVisible()
    key(window, Qt.Key.Key_Up)  # ...and come back to write it
    key(window, Qt.Key.Key_Return)
    assert card.comment.hasFocus()
    type_text(card.comment, "Спросила только про давление")
    QTest.keyClick(card.comment, Qt.Key.Key_Return)  # complete: moves on
    settle()
    assert form.current == form.cards.index(card) + 1
    assert not card.needs_comment_hint.isVisible() and "needed" not in form.header.progress.text()
    assert stored(db, first)["needs_situation"].comment == "Спросила только про давление"
    window.close()


def test_a_note_is_typed_by_keyboard_and_letters_never_act_in_a_text_field(qtbot, two_calls):
    db, actor, first, _second = two_calls
    window = open_window(qtbot, db, actor, first)
    go_to(window, "call_outcome")  # the note question
    note = window.form.card("call_outcome").comment
    QApplication.processEvents()
    assert note.hasFocus()
    at = window.player.position()
    text = "Сказала: записана к кардиологу на 12, C/N/J/L/K и ?"  # С, Л, Д, О, Т: the Russian twins of the keys
    press(text)
    assert note.text() == text
    assert not window.comment_entry.isVisible() and not window.player.is_playing()
    assert window.player.position() == at and window.player.rate == 1.0
    QTest.keyClick(note, Qt.Key.Key_Return)
    settle()
    assert stored(db, first)["call_outcome"].value == {"v": text}
    # The comment bar is a text field as well.
    key(window, Qt.Key.Key_Escape)
    key(window, Qt.Key.Key_C)
    press("Сон, 1 и 2")
    assert window.comment_entry.text.text() == "Сон, 1 и 2" and not window.player.is_playing()
    window.close()


def test_moving_on_after_an_answer_follows_one_rule_and_is_documented(qtbot, two_calls):
    db, actor, first, _second = two_calls
    window = open_window(qtbot, db, actor, first)
    form = window.form
    press("1")  # an answer moves to the next question...
    assert form.current == 1
    press("1")
    key(window, Qt.Key.Key_Down)  # ...so ↓ after it skips exactly one more, as the sheet says
    assert form.current == 3
    form.cards[5].buttons[0][1].click()  # the mouse follows the same rule
    settle()
    assert form.current == 6
    go_to(window, "needs_for_whom")
    index = form.current
    press("Т")  # N (on a Russian layout): not applicable, moves on
    assert form.current == index + 1 and stored(db, first)["needs_for_whom"].na
    key(window, Qt.Key.Key_Up)
    press("N")  # again: cleared, stays
    assert form.current == index and "needs_for_whom" not in stored(db, first)
    sheet = ShortcutSheet(window)
    rows = " ".join(label.text() for label in sheet.findChildren(type(window.saved_label)))
    assert "moves to the next question" in rows and "needs a comment keeps the form on its question" in rows
    sheet.close()
    window.close()


def test_one_numbering_for_the_counter_the_questions_and_the_option_keys(qtbot, two_calls):
    db, actor, first, _second = two_calls
    window = open_window(qtbot, db, actor, first)
    form = window.form
    last = form.cards[-1]
    assert last.text.text().startswith(f"{len(form.cards)}. ")
    assert form.header.progress.text() == f"Answered 0 of {len(form.cards)}"
    entry_numbers = [window.comment_entry.question.itemText(i).split(".")[0]
                     for i in range(1, window.comment_entry.question.count())]
    assert entry_numbers == [str(n) for n in range(1, len(form.cards) + 1)]
    go_to(window, "call_outcome")
    press("Записан")
    QTest.keyClick(form.card("call_outcome").comment, Qt.Key.Key_Return)
    settle()
    assert form.header.progress.text() == f"Answered 1 of {len(form.cards)}"  # the note counts too
    # Key 3 of a scale whose levels are valued 0–3: the side-by-side names it "3 — …", as the form's button.
    go_to(window, "needs_situation")
    card = form.card("needs_situation")
    press("3")
    value = stored(db, first)["needs_situation"].value["v"]
    label = answer_label(card.question, StoredAnswer("needs_situation", value, False, None), window.lang)
    assert value == 2 and label.startswith("3 — ") and card.buttons[2][1].text().startswith("3 ")
    assert label.split(" — ")[1] == card.buttons[2][1].text().split(maxsplit=1)[1]
    window.close()


def test_the_footer_tells_the_state_of_the_call_shown(qtbot, two_calls):
    db, actor, first, second = two_calls
    window = open_window(qtbot, db, actor, first, queue=[first, second])
    assert window.saved_label.text().startswith("Not started")
    press("1")
    assert window.saved_label.text().startswith("All changes saved")
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.saved_label.text().startswith("Not started") and window.form.header.status.text() == "Not started"
    key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.saved_label.text().startswith("Draft") and window.form.header.status.text() == "Draft"
    window.close()


def test_opening_a_call_stores_nothing_until_something_is_answered_or_commented(qtbot, two_calls):
    db, actor, first, second = two_calls

    def counts() -> tuple[int, int]:
        with db.sessions() as session:
            return (session.scalar(select(func.count()).select_from(Evaluation)),
                    session.scalar(select(func.count()).select_from(AuditEntry).where(
                        AuditEntry.entity == Evaluation.__tablename__)))

    window = open_window(qtbot, db, actor, first, queue=[first, second])
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    key(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # submit with nothing answered: refused
    assert "Not submitted yet" in window.banner.text()
    key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert counts() == (0, 0)
    with db.sessions() as session:  # both calls still count as not reviewed for sampling
        call = session.get(Call, first)
        day = call.started_at.date()
        rule = SamplingRule(operator_ids=(call.operator_id,), period_start=day - timedelta(days=1),
                            period_end=day + timedelta(days=1), per_operator=5, seed=1)
        assert first in sample_calls(session, actor, rule).picks[call.operator_id]
    key(window, Qt.Key.Key_C)  # a comment at the playhead stores the draft it belongs to
    type_text(window.comment_entry.text, "Начало разговора")
    QTest.keyClick(window.comment_entry.text, Qt.Key.Key_Return)
    settle()
    assert counts() == (1, 1) and window.form.header.status.text() == "Draft"
    with db.sessions() as session:
        comment = session.scalars(select(Comment)).one()
        assert comment.evaluation_id == window.data.evaluation_id is not None
    key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    press("1")  # so does the first answer
    with db.sessions() as session:
        assert session.scalars(select(Evaluation.call_id).order_by(Evaluation.id)).all() == [first, second]
    window.close()
