"""Agreement with suggested answers: kept beside each answer, counted per question and per check over a period."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review.models import Answer, Evaluation
from review.reporting.agreement import suggestion_agreement
from review.reporting.exports import export_report
from review.reporting.report_data import ReportScope
from review.scoring.evaluations import get_evaluation, open_evaluation, set_answer
from tests.review.report_fixtures import PERIOD, build_report_clinic
from tests.review.test_evaluations import call_and_people  # noqa: F401 (a fixture)


def test_the_answer_is_the_reviewers_and_the_match_is_kept_beside_it(db, admin, call_and_people):  # noqa: F811
    call_id, _ = call_and_people
    with db.unit_of_work() as session:
        evaluation_id = open_evaluation(session, admin, call_id).id
        set_answer(session, admin, evaluation_id, "greeting_clinic_and_name", value=True,
                   suggested=(True, "own_name"))
        set_answer(session, admin, evaluation_id, "greeting_offer_help", value=True, suggested=(False, "offer_help"))
        set_answer(session, admin, evaluation_id, "alternative_offered", na=True,
                   suggested=(False, "alternative_after_no_slot"))
        set_answer(session, admin, evaluation_id, "closing", value=True)
    with db.sessions() as session:
        answers = {a.question_id: a for a in get_evaluation(session, admin, evaluation_id).answers}
    assert (answers["greeting_clinic_and_name"].value, answers["greeting_clinic_and_name"].agreed) == ({"v": True}, True)
    assert answers["greeting_offer_help"].value == {"v": True} and answers["greeting_offer_help"].agreed is False
    assert answers["greeting_offer_help"].suggested == {"v": False, "check": "offer_help"}
    # N/A over a suggested "no" stays N/A, and counts as not taking the suggestion.
    assert answers["alternative_offered"].na and answers["alternative_offered"].agreed is False
    assert answers["closing"].suggested is None and answers["closing"].agreed is None
    # Changing the answer later (now without a suggestion shown) forgets the old match.
    with db.unit_of_work() as session:
        set_answer(session, admin, evaluation_id, "greeting_offer_help", value=False)
    with db.sessions() as session:
        again = {a.question_id: a for a in get_evaluation(session, admin, evaluation_id).answers}
    assert again["greeting_offer_help"].agreed is None


# The report clinic's evaluations in id order: E1-E5 in the period, then the self-review, the draft, the
# calibration and Boris's call of 16 March (left out), then E8 of 20 February.
SHOWN = {  # evaluation number -> question -> (suggested value, deciding check)
    1: {"hello": (True, "greet_said"), "name": (False, "own_name")},  # E1: hello y (agrees), name y (not)
    2: {"hello": (True, "greet_said")},  # E2: hello n (not)
    3: {"hello": (True, "greet_said"), "confirm": (False, "repeated")},  # E3: hello y, confirm n (both agree)
    4: {"alt": (0, "alt_offered")},  # E4: alt N/A (not)
    5: {"hello": (False, "greet_said")},  # E5 (Vera, team B): hello n (agrees)
    9: {"hello": (False, "greet_said")},  # Boris, 16 March: outside the period
    6: {"hello": (False, "greet_said")},  # Anna's self-review: not a supervisor's
}


@pytest.fixture
def clinic_with_suggestions(db):
    clinic = build_report_clinic(db)
    with db.unit_of_work() as session:
        ids = session.scalars(select(Evaluation.id).order_by(Evaluation.id)).all()
        for number, shown in SHOWN.items():
            for question_id, (value, check) in shown.items():
                answer = session.scalars(select(Answer).where(Answer.evaluation_id == ids[number - 1],
                                                              Answer.question_id == question_id)).one()
                stored = (answer.value or {}).get("v")
                answer.suggested = {"v": value, "check": check}
                answer.agreed = not answer.na and stored == value and type(stored) is type(value)
    return clinic


def test_agreement_per_question_and_per_check_as_worked_out_by_hand(db, clinic_with_suggestions):
    clinic = clinic_with_suggestions
    with db.sessions() as session:
        report = suggestion_agreement(session, clinic.admin, ReportScope(*PERIOD), lang="en")
    by_question = {r.question_id: (r.suggested, r.accepted, r.agreement) for r in report.questions}
    assert by_question == {"hello": (4, 3, 75.0), "name": (1, 0, 0.0), "alt": (1, 0, 0.0), "confirm": (1, 1, 100.0)}
    assert [r.question_id for r in report.questions] == ["hello", "name", "alt", "confirm"]  # form order
    assert report.questions[0].question in ("Said hello",)
    by_check = {(r.question_id, r.check_id): (r.suggested, r.accepted) for r in report.checks}
    assert by_check == {("hello", "greet_said"): (4, 3), ("name", "own_name"): (1, 0), ("alt", "alt_offered"): (1, 0),
                        ("confirm", "repeated"): (1, 1)}
    with db.sessions() as session:
        team_b = suggestion_agreement(session, clinic.admin, ReportScope(*PERIOD, team_id=clinic.team_b))
    assert [(r.question_id, r.suggested, r.accepted) for r in team_b.questions] == [("hello", 1, 1)]
    assert team_b.questions[0].question == "Поздоровался тепло"  # Vera's evaluation is pinned to version 2


def test_the_agreement_table_is_exported_like_every_report(db, clinic_with_suggestions, tmp_path):
    clinic = clinic_with_suggestions
    with db.sessions() as session:
        path = export_report(session, clinic.admin, "agreement", ReportScope(*PERIOD), tmp_path / "agreement.csv",
                             lang="en")
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == 'Rubric,Question,Check,Suggested,Accepted,"Agreement, %"'
    assert lines[1:5] == ["mini,Said hello,all,4,3,75", "mini,Said hello,greet_said,4,3,75", "mini,Gave name,all,1,0,0",
                          "mini,Gave name,own_name,1,0,0"]

