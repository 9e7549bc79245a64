"""Calibration rounds: two supervisors score two calls blind; the report opens after each submitted, with the
figures worked out by hand; a call is never calibrated twice by the same supervisor."""

from datetime import datetime

import pytest

from review.errors import AccessDenied, ValidationError
from review.scoring.evaluations import (
    DraftPlan,
    add_comment,
    call_comments,
    evaluations_of_call,
    start_evaluation,
)
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.calibration import calibration_table
from review.sessions.calibration_rounds import (
    calibration_rounds,
    close_round,
    plan_calibration_evaluation,
    round_report,
    start_calibration,
)
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully

# Hand-made: call 1 A yes / 3, B no / 2; call 2 both yes / 3; everything else full marks from both.
ANSWERS = {"a": [(True, 3), (True, 3)], "b": [(False, 2), (True, 3)]}


@pytest.fixture
def round_of_two(db, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        a, b = add_supervisor(session, "a", "Анна С."), add_supervisor(session, "b", "Борис")
        operator, _ = add_operator(session, "Игорь")
        calls = [add_call(session, operator.id, datetime(2026, 10, 5 + i, 10)) for i in range(2)]
        session.flush()
        round_id = start_calibration(session, a, [c.id for c in calls], "inbound_call", [a.id, b.id])
    return {"a": a, "b": b, "calls": [c.id for c in calls], "round": round_id}


def _score(db, reviewer, call_id, alternative, needs):
    with db.unit_of_work() as session:
        plan = plan_calibration_evaluation(session, reviewer, call_id)
        assert isinstance(plan, DraftPlan) and plan.kind == "calibration"  # opening stores nothing
        evaluation = start_evaluation(session, reviewer, plan)
        score_fully(session, reviewer, evaluation.id, {"alternative_offered": alternative, "needs_situation": needs})


def test_round_is_blind_until_each_submitted_then_reports_the_hand_figures(db, round_of_two):
    a, b, calls, round_id = round_of_two["a"], round_of_two["b"], round_of_two["calls"], round_of_two["round"]
    with db.sessions() as session:
        (summary,) = calibration_rounds(session, b)
        assert summary.waiting == tuple(calls) and not summary.report_open
        assert [m.submitted for m in summary.members] == [0, 0]
    for call_id, answer in zip(calls, ANSWERS["a"], strict=True):
        _score(db, a, call_id, *answer)
    with db.sessions() as session:
        with pytest.raises(ValidationError, match="blind"):
            round_report(session, b, round_id, lang="en")  # B has not scored: A's answers stay hidden
        assert calibration_rounds(session, a)[0].report_open
    for call_id, answer in zip(calls, ANSWERS["b"], strict=True):
        _score(db, b, call_id, *answer)
    with db.sessions() as session:
        report = round_report(session, b, round_id, lang="en")
        assert calibration_rounds(session, b)[0].complete
    rows = {q.question_id: q for q in report.questions}
    alternative, needs = rows["alternative_offered"], rows["needs_situation"]
    # alternative: call 1 differs, call 2 agrees -> 1 of 2 pairs; spread (100 + 0) / 2; deviations call 1 ±50.
    assert alternative.agreement == pytest.approx(50) and alternative.spread == pytest.approx(50)
    assert alternative.deviations == {a.id: pytest.approx(25), b.id: pytest.approx(-25)}
    assert sorted(alternative.differing) == sorted([a.id, b.id])
    # needs (0..3): call 1 shares 1 and 2/3 -> spread 33.3, deviations ±16.7; call 2 equal.
    assert needs.agreement == pytest.approx(50) and needs.spread == pytest.approx(100 / 6)
    assert needs.deviations[a.id] == pytest.approx(100 / 12) and needs.differing == []
    assert rows["greeting_clinic_and_name"].agreement == 100 and rows["greeting_clinic_and_name"].spread == 0
    table = calibration_table(report, "Round 1", "en")
    assert [c.title for c in table.columns][:3] == ["Question", "Agreement, %", "Spread, points"]
    assert table.rows[-1][0] == "Overall score"


def test_closing_opens_the_report_and_ends_scoring(db, round_of_two):
    a, b, calls, round_id = round_of_two["a"], round_of_two["b"], round_of_two["calls"], round_of_two["round"]
    _score(db, a, calls[0], True, 3)
    with db.unit_of_work() as session:
        with pytest.raises(AccessDenied):
            close_round(session, b, round_id)  # only who started it
        close_round(session, a, round_id)
    with db.sessions() as session:
        assert plan_calibration_evaluation(session, b, calls[0]) is None
        report = round_report(session, b, round_id, lang="en")
        assert list(report.reviewers) == [a.id]
        (summary,) = calibration_rounds(session, b)
        assert summary.waiting == () and summary.report_open and summary.closed_at is not None


def test_a_supervisor_is_never_in_two_rounds_with_one_call(db, round_of_two):
    a, b, calls = round_of_two["a"], round_of_two["b"], round_of_two["calls"]
    with db.unit_of_work() as session:
        c = add_supervisor(session, "c", "Вера")
        with pytest.raises(ValidationError, match="already calibrates on call"):
            start_calibration(session, c, calls[:1], "inbound_call", [c.id, b.id])
        with pytest.raises(ValidationError, match="two supervisors"):
            start_calibration(session, c, calls[:1], "inbound_call", [c.id])
        with pytest.raises(ValidationError, match="at least one call"):
            start_calibration(session, c, [], "inbound_call", [c.id, a.id])


def test_another_member_s_score_and_comments_stay_hidden_until_one_s_own_is_submitted(db, round_of_two):
    a, b, calls = round_of_two["a"], round_of_two["b"], round_of_two["calls"]
    with db.unit_of_work() as session:
        evaluation = start_evaluation(session, a, plan_calibration_evaluation(session, a, calls[0]))
        add_comment(session, a, calls[0], 12.0, "не предложила другого врача", evaluation_id=evaluation.id)
        score_fully(session, a, evaluation.id, {"alternative_offered": False, "needs_situation": 2})
    with db.sessions() as session:
        assert [c.text for c in call_comments(session, b, calls[0])] == []
        assert [e.reviewer_id for e in evaluations_of_call(session, b, calls[0])] == []
        assert len(call_comments(session, a, calls[0])) == 1  # one's own, always
    _score(db, b, calls[0], True, 3)
    with db.sessions() as session:
        assert [c.text for c in call_comments(session, b, calls[0])] == ["не предложила другого врача"]
        assert sorted(e.reviewer_id for e in evaluations_of_call(session, b, calls[0])) == sorted([a.id, b.id])
