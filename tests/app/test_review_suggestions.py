"""Suggested answers on the review screen: shown with their evidence, accepted with A, changed as freely,
never stored by themselves; a click on the evidence plays it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from review.accounts.local_admin import ensure_local_admin
from tests.app.review_support import reviewable_demo_call
from tests.app.test_review_keyboard import go_to, stored
from tests.app.test_review_workspace import key, open_window


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def test_suggestions_show_with_evidence_and_only_the_reviewer_answers(qtbot, sqlite_db):
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    call_id = reviewable_demo_call(sqlite_db, actor, "ru06_poor_booking")
    window = open_window(qtbot, sqlite_db, actor, call_id)
    with qtbot.waitSignal(window.suggestions_shown, timeout=15000):
        pass
    form = window.form
    flag = form.card("doctor_recommendation").suggestion
    assert flag.isVisible() or not flag.isHidden()
    assert "Suggested: «У нас все врачи хорошие» или уклонился (press A to accept)" == flag.title.text()
    assert "все врачи хорошие" in flag.evidence.text() and "operator" in flag.evidence.text()
    greeting = form.card("greeting_clinic_and_name").suggestion
    assert "Suggested: No" in greeting.title.text()
    assert "No evidence found: looked for" in greeting.evidence.text() and "first 15 s" in greeting.evidence.text()
    assert stored(sqlite_db, call_id) == {}  # shown, not stored

    # A accepts the first question's suggestion and moves on; 1 answers the next one against its suggestion.
    assert form.current_question.id == "greeting_clinic_and_name"
    key(window, Qt.Key.Key_A)
    assert form.current_question.id == "greeting_offer_help"
    assert "Suggested: No" in form.card("greeting_offer_help").suggestion.title.text()
    key(window, Qt.Key.Key_1)
    go_to(window, "doctor_recommendation")
    key(window, Qt.Key.Key_A)
    answers = stored(sqlite_db, call_id)
    assert answers["greeting_clinic_and_name"].value == {"v": False}
    assert answers["greeting_offer_help"].value == {"v": True}
    assert answers["doctor_recommendation"].value == {"v": "all_good"}
    assert "alternative_offered" not in answers  # suggested "no" ("мест нет", no alternative), not stored

    # N/A stays N/A: the reviewer's N over a suggested "no" is what is stored, and stays.
    go_to(window, "alternative_offered")
    assert "Suggested: No" in form.card("alternative_offered").suggestion.title.text()
    key(window, Qt.Key.Key_N)
    assert stored(sqlite_db, call_id)["alternative_offered"].na
    # A where the checks settle nothing (the call's talk is not measured yet) does nothing.
    go_to(window, "needs_listening")
    assert "No suggestion" in form.card("needs_listening").suggestion.title.text()
    key(window, Qt.Key.Key_A)
    assert "needs_listening" not in stored(sqlite_db, call_id)
    assert stored(sqlite_db, call_id)["alternative_offered"].na

    # The evidence plays: a click on its link seeks to the words.
    first = flag.suggestion.outcomes[0].evidence[0]
    flag.evidence.linkActivated.emit("0:all_doctors_good")
    assert window.player.position() == pytest.approx(max(0.0, first.start - 0.3), abs=0.05)
    window.player.pause()
