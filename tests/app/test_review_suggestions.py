"""Suggested answers on the review screen: shown with their evidence, accepted with A, changed as freely,
never stored by themselves; a click on the evidence plays it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt

from review.accounts.local_admin import ensure_local_admin
from review.reporting.agreement import suggestion_agreement
from review.reporting.report_data import ReportScope
from review.scoring.evaluations import get_evaluation, rubric_for, set_answer, set_answer_comment, submit
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
    form = window.form
    qtbot.waitUntil(lambda: bool(form.suggestions), timeout=15000)  # loaded off the GUI thread
    flag = form.card("doctor_recommendation").suggestion
    assert flag.isVisible() or not flag.isHidden()
    assert flag.title.text() == "Suggested: “All our doctors are good” or evaded (press A to accept)"
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

    # The rest answered (full marks) and submitted: the agreement report counts what the reviewer did.
    evaluation_id = window.data.evaluation_id
    with sqlite_db.unit_of_work() as session:
        rubric = rubric_for(session, get_evaluation(session, actor, evaluation_id))
        for question in rubric.questions():
            if question.id in answers or question.id == "alternative_offered":
                continue
            value = (True if question.type == "yes_no" else max(lv.value for lv in question.levels)
                     if question.type == "scale" else max(question.options, key=lambda o: o.points).key
                     if question.type == "choice" else "заметка")
            set_answer(session, actor, evaluation_id, question.id, value=value)
        set_answer_comment(session, actor, evaluation_id, "doctor_recommendation", "«У нас все хорошие»")
        submit(session, actor, evaluation_id)
        report = suggestion_agreement(session, actor, ReportScope(date(2026, 11, 1), date(2026, 11, 30)))
    assert {(r.question_id, r.check_id, r.suggested, r.accepted) for r in report.checks} == {
        ("greeting_clinic_and_name", "clinic_named", 1, 1), ("greeting_offer_help", "offer_help", 1, 0),
        ("doctor_recommendation", "all_doctors_good", 1, 1), ("alternative_offered", "alternative_after_no_slot", 1, 0)}
    assert [r.agreement for r in report.questions] == [100.0, 0.0, 100.0, 0.0]
