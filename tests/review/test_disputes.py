from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from review.scoring.disputes import accept_dispute, decline_dispute, list_disputes, raise_dispute, set_dispute_window
from review.errors import AccessDenied, ValidationError
from review.scoring.evaluations import get_evaluation, open_evaluation, stored_answers
from review.models import AuditEntry, Dispute, Evaluation
from review.scoring.rubric_store import install_builtin_rubrics
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully


@pytest.fixture
def scored(db, admin):
    """A supervisor's submitted evaluation of Anna's call ('offers an alternative' answered 'no') and Anna's
    submitted self-review of it."""
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        other = add_supervisor(session, "irina", "Ирина")
        anna, anna_user = add_operator(session, "Анна", username="anna")
        olga, olga_user = add_operator(session, "Ольга", username="olga")
        call = add_call(session, anna.id, datetime(2026, 10, 5, 10))
        session.flush()
        evaluation = open_evaluation(session, supervisor, call.id, rubric_slug="inbound_call", kind="supervisor")
        score_fully(session, supervisor, evaluation.id, {"alternative_offered": False})
        # Blind scoring: the operator sees the supervisor's answers after submitting a self-review.
        own = open_evaluation(session, anna_user, call.id, rubric_slug="inbound_call", kind="self")
        score_fully(session, anna_user, own.id)
        return {"sup": supervisor, "other": other, "anna": anna_user, "olga": olga_user, "evaluation": evaluation.id}


def test_accepted_dispute_changes_the_answer_and_keeps_history(db, scored):
    with db.unit_of_work() as session:
        before = get_evaluation(session, scored["sup"], scored["evaluation"]).score
        dispute = raise_dispute(session, scored["anna"], scored["evaluation"], "alternative_offered",
                                "Я предложила другого врача на 02:10")
        with pytest.raises(ValidationError, match="already disputed"):
            raise_dispute(session, scored["anna"], scored["evaluation"], "alternative_offered", "ещё раз")
    with db.unit_of_work() as session, pytest.raises(AccessDenied, match="Надежда"):
        accept_dispute(session, scored["other"], dispute.id, value=True, reason="Прослушала")
    with db.unit_of_work() as session:
        accept_dispute(session, scored["sup"], dispute.id, value=True, reason="Альтернатива была, на 02:10")
    with db.unit_of_work() as session:
        evaluation = session.get(Evaluation, scored["evaluation"])
        assert evaluation.status == "submitted" and evaluation.score > before
        assert stored_answers(evaluation)["alternative_offered"].value is True
        row = session.get(Dispute, dispute.id)
        assert row.status == "accepted" and row.old_value["value"] is False and row.new_value["value"] is True
        assert row.resolution == "Альтернатива была, на 02:10" and row.resolved_at is not None
        actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions[-5:] == ["dispute", "reopen", "answer", "submit", "accepted"]
        [listed] = list_disputes(session, scored["anna"])
        assert listed.status == "accepted" and listed.question_text
        assert list_disputes(session, scored["olga"]) == []


def test_declined_dispute_needs_a_reason_and_keeps_the_answer(db, scored):
    with db.unit_of_work() as session:
        dispute = raise_dispute(session, scored["anna"], scored["evaluation"], "alternative_offered", "Не согласна")
        with pytest.raises(ValidationError, match="why"):
            decline_dispute(session, scored["sup"], dispute.id, " ")
        decline_dispute(session, scored["sup"], dispute.id, "Альтернативу не предлагали")
    with db.unit_of_work() as session:
        row = session.get(Dispute, dispute.id)
        assert row.status == "declined" and row.new_value is None
        assert stored_answers(session.get(Evaluation, scored["evaluation"]))["alternative_offered"].value is False
        with pytest.raises(ValidationError, match="already declined"):
            decline_dispute(session, scored["sup"], dispute.id, "ещё раз")


def test_dispute_window_and_who_may_dispute(db, scored, admin):
    with db.unit_of_work() as session, pytest.raises(AccessDenied):
        raise_dispute(session, scored["olga"], scored["evaluation"], "alternative_offered", "чужой звонок")
    with pytest.raises(AccessDenied):  # a workspace setting: administrators only
        with db.unit_of_work() as session:
            set_dispute_window(session, scored["sup"], 2)
    with db.unit_of_work() as session:
        set_dispute_window(session, admin, 2)
        evaluation = session.get(Evaluation, scored["evaluation"])
        evaluation.submitted_at = evaluation.submitted_at - timedelta(days=3)
    with db.unit_of_work() as session, pytest.raises(ValidationError, match="2-day window"):
        raise_dispute(session, scored["anna"], scored["evaluation"], "alternative_offered", "поздно")
    with db.unit_of_work() as session:
        set_dispute_window(session, admin, 7)
        assert raise_dispute(session, scored["anna"], scored["evaluation"], "alternative_offered", "в срок").id
