from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from review.errors import AccessDenied, ValidationError
from review.scoring.evaluations import open_evaluation
from review.sessions.goals import decide_goal, goal_progress, goals_of_operator, session_goals, set_goal
from review.models import AuditEntry, ReviewSession, SessionCall
from review.sessions.review_sessions import (
    acknowledge,
    active_call_ids,
    add_note,
    close_session,
    create_sessions,
    open_session_evaluation,
    session_calls,
    session_notes,
    status_board,
    swap_call,
)
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.sampling import SamplingRule
from review.sessions.comparison import compare, suggest_notes
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully

START = date(2026, 10, 5)


@pytest.fixture
def team(db, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        supervisor = add_supervisor(session, "nadia", "Надежда")
        anna, anna_user = add_operator(session, "Анна", username="anna")
        olga, olga_user = add_operator(session, "Ольга", username="olga")
        for operator in (anna, olga):
            for day in range(21):
                add_call(session, operator.id, datetime.combine(START + timedelta(days=day), datetime.min.time())
                         + timedelta(hours=10))
        session.flush()
        return {"supervisor": supervisor, "anna": anna_user, "olga": olga_user, "anna_id": anna.id, "olga_id": olga.id}


def _create(db, team, per_operator=2):
    rule = SamplingRule(operator_ids=(team["anna_id"], team["olga_id"]), period_start=START,
                        period_end=START + timedelta(days=20), per_operator=per_operator, seed=99)
    with db.unit_of_work() as session:
        return create_sessions(session, team["supervisor"], rule, rubric_slug="inbound_call")


def _score_session(db, actor, review_session_id, overrides=None):
    with db.unit_of_work() as session:
        for call_id in active_call_ids(session, review_session_id):
            evaluation = open_session_evaluation(session, actor, review_session_id, call_id)
            score_fully(session, actor, evaluation.id, overrides)


def _stage(db, actor, review_session_id):
    with db.unit_of_work() as session:
        return next(card for card in status_board(session, actor) if card.id == review_session_id).stage


def test_sessions_move_across_the_board_and_stay_blind(db, team):
    created = _create(db, team)
    sup, anna = team["supervisor"], team["anna"]
    anna_session = created.session_ids[team["anna_id"]]
    with db.sessions() as session:
        stored = session.get(ReviewSession, anna_session)
        assert stored.sampling_rule["per_operator"] == 2 and stored.seed == 99
    assert _stage(db, sup, anna_session) == "to_score_supervisor"
    with db.unit_of_work() as session:  # an operator sees only their own sessions
        assert {card.id for card in status_board(session, anna)} == {anna_session}
    _score_session(db, sup, anna_session, {"alternative_offered": False, "tone_empathy": 2})
    assert _stage(db, sup, anna_session) == "to_self_score"
    with db.unit_of_work() as session, pytest.raises(ValidationError, match="both scored"):
        compare(session, anna, anna_session)
    _score_session(db, anna, anna_session)
    assert _stage(db, anna, anna_session) == "ready_to_discuss"
    with db.unit_of_work() as session:
        comparison = compare(session, anna, anna_session, lang="en")
        assert len(comparison.calls) == 2
        differing = {row.question_id for call in comparison.calls for row in call.rows if row.differs}
        assert differing == {"alternative_offered", "tone_empathy"}
        row = next(r for r in comparison.calls[0].rows if r.question_id == "alternative_offered")
        assert (row.supervisor, row.own, row.supervisor_ratio, row.own_ratio) == ("no", "yes", 0.0, 1.0)
        suggestions = suggest_notes(comparison)
        growth = [s.question_id for s in suggestions if s.kind == "growth"]
        assert growth[:2] == ["alternative_offered", "tone_empathy"]
        assert all(s.question_id not in differing for s in suggestions if s.kind == "strength")
    with db.unit_of_work() as session, pytest.raises(AccessDenied):
        compare(session, team["olga"], anna_session)


def test_notes_goal_progress_decision_and_acknowledgement(db, team, clock):
    created = _create(db, team)
    sup, anna = team["supervisor"], team["anna"]
    anna_session = created.session_ids[team["anna_id"]]
    _score_session(db, sup, anna_session, {"alternative_offered": False})
    _score_session(db, anna, anna_session)
    clock.advance(timedelta(hours=1))  # the meeting, an hour after both scored
    with db.unit_of_work() as session:
        add_note(session, sup, anna_session, "growth", "Предлагать альтернативу", "alternative_offered")
        add_note(session, sup, anna_session, "strength", "Тёплое приветствие")
        goal = set_goal(session, sup, anna_session, metric="Pass rate on 'offers an alternative'", target=80,
                        question_id="alternative_offered")
        section_goal = set_goal(session, sup, anna_session, metric="Booking section", target=90, section_id="booking")
        free_goal = set_goal(session, sup, anna_session, metric="Overall score", target=95)
        assert goal.due == date(2026, 11, 18) + timedelta(weeks=3)
        assert [n.kind for n in session_notes(session, anna, anna_session)] == ["growth", "strength"]
    with db.unit_of_work() as session:  # evaluations before the goal do not count
        assert goal_progress(session, anna, goal.id).points == []
    clock.advance(timedelta(days=1))
    later_calls = []
    with db.unit_of_work() as session:
        taken = set(active_call_ids(session, anna_session))
        for day in range(3):
            later_calls.append(add_call(session, team["anna_id"], datetime(2026, 11, 2 + day, 10)))
        session.flush()
        assert not taken & {c.id for c in later_calls}
        for call, alternative in zip(later_calls, (False, True, True), strict=True):
            evaluation = open_evaluation(session, sup, call.id, rubric_slug="inbound_call", kind="supervisor")
            score_fully(session, sup, evaluation.id, {"alternative_offered": alternative})
    with db.unit_of_work() as session:
        progress = goal_progress(session, anna, goal.id)
        assert [p.value for p in progress.points] == [0.0, 100.0, 100.0]
        assert [round(p.running, 1) for p in progress.points] == [0.0, 50.0, 66.7]
        assert not progress.on_target
        section = goal_progress(session, sup, section_goal.id)
        assert len(section.points) == 3 and section.points[0].value < 100 == section.points[1].value
        assert len(goal_progress(session, sup, free_goal.id).points) == 3
        # The next session opens with the open goals.
        assert {g.id for g in goals_of_operator(session, sup, team["anna_id"], open_only=True)} == {
            goal.id, section_goal.id, free_goal.id}
        decide_goal(session, sup, goal.id, "extended")
        decide_goal(session, sup, free_goal.id, "met")
        with pytest.raises(ValidationError):
            decide_goal(session, sup, section_goal.id, "forgotten")
    with db.unit_of_work() as session:
        assert {g.id for g in goals_of_operator(session, anna, team["anna_id"], open_only=True)} == {
            goal.id, section_goal.id}
        assert {g.id for g in session_goals(session, sup, anna_session)} == {goal.id, section_goal.id, free_goal.id}
        with pytest.raises(AccessDenied):
            acknowledge(session, team["olga"], anna_session)
        at = acknowledge(session, anna, anna_session)
        assert at is not None
        close_session(session, sup, anna_session)
    assert _stage(db, sup, anna_session) == "closed"


def test_swap_keeps_the_reason_and_is_reproducible(db, team):
    created = _create(db, team)
    sup = team["supervisor"]
    anna_session = created.session_ids[team["anna_id"]]
    with db.unit_of_work() as session:
        first = session_calls(session, sup, anna_session)[0]
        replacement = swap_call(session, sup, first.id, "Ошиблись номером")
        new_call = replacement.call_id
        with pytest.raises(ValidationError, match="why"):
            swap_call(session, sup, replacement.id, "  ")
    with db.unit_of_work() as session:
        old = session.get(SessionCall, first.id)
        assert not old.active and old.swap_reason == "Ошиблись номером" and old.replaced_by_id == replacement.id
        assert new_call in active_call_ids(session, anna_session) and first.call_id not in active_call_ids(
            session, anna_session)
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "swap")).note == "Ошиблись номером"


def test_only_supervisors_create_sessions(db, team):
    with pytest.raises(AccessDenied):
        rule = SamplingRule(operator_ids=(team["anna_id"],), period_start=START, period_end=START, per_operator=1)
        with db.unit_of_work() as session:
            create_sessions(session, team["anna"], rule, rubric_slug="inbound_call")


def test_session_calls_are_scored_on_the_session_s_rubric_version_after_a_republish(db, admin):
    from datetime import date, datetime

    from review.models import ReviewSession, SessionCall
    from review.sessions.review_sessions import open_session_evaluation
    from review.scoring.rubric_store import install_builtin_rubrics, latest_published, publish, rubric_of, save_draft
    from tests.review.session_fixtures import add_call, add_operator

    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        operator, _ = add_operator(session, "Анна")
        call = add_call(session, operator.id, datetime(2026, 11, 3, 10))
        v1 = latest_published(session, "inbound_call")
        review_session = ReviewSession(operator_id=operator.id, supervisor_id=admin.id, rubric_version_id=v1.id,
                                       sampling_rule={}, seed=1, period_start=date(2026, 11, 1),
                                       period_end=date(2026, 11, 30))
        session.add(review_session)
        session.flush()
        session.add(SessionCall(session_id=review_session.id, call_id=call.id))
        save_draft(session, admin, rubric_of(v1))
        publish(session, admin, "inbound_call", "v2 during the session")
        assert latest_published(session, "inbound_call").number == 2
        evaluation = open_session_evaluation(session, admin, review_session.id, call.id)
        assert evaluation.rubric_version_id == v1.id


def test_the_board_counts_only_the_active_calls_scores(db, team):
    created = _create(db, team)
    sup = team["supervisor"]
    anna_session, olga_session = created.session_ids[team["anna_id"]], created.session_ids[team["olga_id"]]
    _score_session(db, sup, anna_session)
    with db.unit_of_work() as session:
        scored = session_calls(session, sup, anna_session)[0]
        swap_call(session, sup, scored.id, "Не тот звонок")  # its score no longer counts
    with db.unit_of_work() as session:
        cards = {card.id: card for card in status_board(session, sup)}
    anna_card, olga_card = cards[anna_session], cards[olga_session]
    assert (anna_card.stage, anna_card.calls, anna_card.supervisor_done, anna_card.self_done) == (
        "to_score_supervisor", 2, 1, 0)
    assert (olga_card.stage, olga_card.calls, olga_card.supervisor_done, olga_card.self_done) == (
        "to_score_supervisor", 2, 0, 0)
