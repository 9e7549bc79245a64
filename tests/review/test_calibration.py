from datetime import datetime

import pytest

from review.sessions.calibration import calibration_calls, calibration_report, open_calibration
from review.errors import ValidationError
from review.scoring.rubric_store import install_builtin_rubrics
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully


@pytest.fixture
def calibrated(db, admin):
    """Three supervisors score two calls blind. Hand-made differences:
    call 1: alternative_offered  A yes, B yes, C no;  needs_situation (0..3) A 3, B 2, C 1
    call 2: alternative_offered  A yes, B no,  C no;  needs_situation A 3, B 3, C 3
    everything else full marks."""
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        a, b, c = (add_supervisor(session, u, n) for u, n in (("a", "Анна С."), ("b", "Борис"), ("c", "Вера")))
        operator, _ = add_operator(session, "Игорь")
        calls = [add_call(session, operator.id, datetime(2026, 10, 5 + i, 10)) for i in range(2)]
        session.flush()
        plan = {a: [(True, 3), (True, 3)], b: [(True, 2), (False, 3)], c: [(False, 1), (False, 3)]}
        for reviewer, answers in plan.items():
            for call, (alternative, needs) in zip(calls, answers, strict=True):
                evaluation = open_calibration(session, reviewer, call.id, "inbound_call")
                score_fully(session, reviewer, evaluation.id, {"alternative_offered": alternative,
                                                                "needs_situation": needs})
        return {"a": a, "b": b, "c": c, "calls": [call.id for call in calls]}


def test_report_matches_the_hand_computed_example(db, calibrated):
    a, b, c = calibrated["a"].id, calibrated["b"].id, calibrated["c"].id
    with db.sessions() as session:
        report = calibration_report(session, calibrated["a"], calibrated["calls"])
        assert calibration_calls(session, calibrated["a"]) == sorted(((i, 3) for i in calibrated["calls"]),
                                                                     reverse=True)
    rows = {q.question_id: q for q in report.questions}
    # alternative_offered: call 1 pairs AB agree, AC, BC not -> 1/3; call 2 BC agree -> 1/3; total 2/6.
    alternative = rows["alternative_offered"]
    assert alternative.agreement == pytest.approx(100 / 3)
    # Shares: call 1 (1, 1, 0) mean 2/3; call 2 (1, 0, 0) mean 1/3.
    # A: (1/3 + 2/3) / 2 = +50;  B: (1/3 - 1/3) / 2 = 0;  C: (-2/3 - 1/3) / 2 = -50 (points of percent).
    assert alternative.deviations[a] == pytest.approx(50)
    assert alternative.deviations[b] == pytest.approx(0)
    assert alternative.deviations[c] == pytest.approx(-50)
    # needs_situation: call 1 all differ (0/3), call 2 all agree (3/3) -> 50 %.
    # Shares call 1: 1, 2/3, 1/3 (mean 2/3); call 2 all 1. A: (1/3 + 0)/2 = 16.67; B 0; C -16.67.
    needs = rows["needs_situation"]
    assert needs.agreement == pytest.approx(50)
    assert needs.deviations[a] == pytest.approx(100 / 6)
    assert needs.deviations[b] == pytest.approx(0)
    assert needs.deviations[c] == pytest.approx(-100 / 6)
    assert rows["greeting_clinic_and_name"].agreement == 100
    assert all(v == pytest.approx(0) for v in rows["greeting_clinic_and_name"].deviations.values())
    assert report.score_deviations[a] > report.score_deviations[b] > report.score_deviations[c]


def test_deviation_from_a_reference_reviewer(db, calibrated):
    a, b, c = calibrated["a"].id, calibrated["b"].id, calibrated["c"].id
    with db.sessions() as session:
        report = calibration_report(session, calibrated["b"], calibrated["calls"], reference_reviewer_id=b)
    alternative = next(q for q in report.questions if q.question_id == "alternative_offered")
    # Against B: call 1 A 0, C -100; call 2 A +100, C 0.
    assert alternative.deviations == {a: pytest.approx(50), b: pytest.approx(0), c: pytest.approx(-50)}
    needs = next(q for q in report.questions if q.question_id == "needs_situation")
    # Against B on call 1 (2/3): A +33.3, C -33.3; call 2 all 0.
    assert needs.deviations[a] == pytest.approx(100 / 6) and needs.deviations[c] == pytest.approx(-100 / 6)


def test_a_reviewer_with_a_draft_cannot_peek(db, calibrated):
    with db.unit_of_work() as session:
        late = add_supervisor_in(session)
        open_calibration(session, late, calibrated["calls"][0], "inbound_call")
    with db.sessions() as session, pytest.raises(ValidationError, match="blind"):
        calibration_report(session, late, calibrated["calls"])


def add_supervisor_in(session):
    return add_supervisor(session, "late", "Опоздавший")
