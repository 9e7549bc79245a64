"""My queue: the calls each person still has to score in open review sessions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from review.models import ReviewSession, User
from review.scoring.evaluations import open_evaluation
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.assigned_calls import assigned_calls
from review.sessions.review_sessions import (
    active_call_ids,
    close_session,
    create_sessions,
    open_session_evaluation,
    swap_call,
)
from review.sessions.sampling import SamplingRule
from tests.review.session_fixtures import add_call, add_operator, add_supervisor, score_fully

START = date(2026, 10, 5)


@pytest.fixture
def clinic(db, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        nadia = add_supervisor(session, "nadia", "Надежда")
        igor = add_supervisor(session, "igor", "Игорь")
        anna, anna_user = add_operator(session, "Анна", username="anna")
        olga, olga_user = add_operator(session, "Ольга", username="olga")
        manager = User(username="boss", display_name="Руководитель", role="manager")
        session.add(manager)
        for operator in (anna, olga):
            for day in range(10):
                add_call(session, operator.id, datetime.combine(START + timedelta(days=day), datetime.min.time())
                         + timedelta(hours=9 + day % 3))
        session.flush()
        rule = SamplingRule(operator_ids=(anna.id, olga.id), period_start=START, period_end=START + timedelta(days=9),
                            per_operator=3, seed=7)
        created = create_sessions(session, nadia, rule, rubric_slug="inbound_call")
        return {"nadia": nadia, "igor": igor, "anna": anna_user, "olga": olga_user, "manager": manager,
                "anna_session": created.session_ids[anna.id], "olga_session": created.session_ids[olga.id]}


def _queue(db, actor):
    with db.sessions() as session:
        return assigned_calls(session, actor)


def test_supervisor_queue_holds_their_sessions_calls_until_submitted(db, clinic):
    nadia = clinic["nadia"]
    with db.sessions() as session:
        anna_calls = active_call_ids(session, clinic["anna_session"])
        olga_calls = active_call_ids(session, clinic["olga_session"])
    queue = _queue(db, nadia)
    assert [item.call_id for item in queue] == anna_calls + olga_calls  # oldest session first, calls by time
    assert {item.kind for item in queue} == {"supervisor"}
    assert [item.operator for item in queue] == ["Анна"] * 3 + ["Ольга"] * 3
    assert queue[0].session_id == clinic["anna_session"] and queue[0].started_at is not None
    assert _queue(db, clinic["igor"]) == []  # another supervisor runs no session
    assert _queue(db, clinic["manager"]) == []  # managers score nothing

    with db.unit_of_work() as session:
        evaluation = open_session_evaluation(session, nadia, clinic["anna_session"], anna_calls[0])
        score_fully(session, nadia, evaluation.id, submit_it=False)
    assert anna_calls[0] in [item.call_id for item in _queue(db, nadia)]  # a draft is still to do
    with db.unit_of_work() as session:
        score_fully(session, nadia, evaluation.id)
    assert [item.call_id for item in _queue(db, nadia)] == anna_calls[1:] + olga_calls


def test_an_evaluation_outside_the_session_does_not_count(db, clinic):
    nadia = clinic["nadia"]
    with db.sessions() as session:
        first = active_call_ids(session, clinic["anna_session"])[0]
    with db.unit_of_work() as session:
        score_fully(session, nadia, open_evaluation(session, nadia, first).id)  # scored from the library
    assert first in [item.call_id for item in _queue(db, nadia)]


def test_operator_queue_is_their_own_sessions_without_a_self_evaluation(db, clinic):
    anna, nadia = clinic["anna"], clinic["nadia"]
    with db.sessions() as session:
        anna_calls = active_call_ids(session, clinic["anna_session"])
    queue = _queue(db, anna)
    assert [item.call_id for item in queue] == anna_calls and {item.kind for item in queue} == {"self"}
    with db.unit_of_work() as session:  # the supervisor's scores do not take calls off the operator's queue
        for call_id in anna_calls:
            score_fully(session, nadia, open_session_evaluation(session, nadia, clinic["anna_session"], call_id).id)
        score_fully(session, anna, open_session_evaluation(session, anna, clinic["anna_session"], anna_calls[1]).id)
    assert [item.call_id for item in _queue(db, anna)] == [anna_calls[0], anna_calls[2]]
    assert [item.session_id for item in _queue(db, clinic["olga"])] == [clinic["olga_session"]] * 3


def test_swapped_out_calls_and_closed_sessions_leave_the_queue(db, clinic):
    nadia, anna = clinic["nadia"], clinic["anna"]
    with db.unit_of_work() as session:
        picks = active_call_ids(session, clinic["anna_session"])
        from review.models import SessionCall

        slot = session.query(SessionCall).filter_by(session_id=clinic["anna_session"], call_id=picks[0]).one()
        replacement = swap_call(session, nadia, slot.id, "ошиблись номером")
        new_call = replacement.call_id
    ids = [item.call_id for item in _queue(db, nadia)]
    assert picks[0] not in ids and new_call in ids
    with db.unit_of_work() as session:
        for call_id in active_call_ids(session, clinic["anna_session"]):
            for actor in (nadia, anna):
                score_fully(session, actor, open_session_evaluation(session, actor, clinic["anna_session"],
                                                                    call_id).id)
        close_session(session, nadia, clinic["anna_session"])
        assert session.get(ReviewSession, clinic["anna_session"]).status == "closed"
    assert all(item.session_id == clinic["olga_session"] for item in _queue(db, nadia))
    assert _queue(db, anna) == []


def test_an_inactive_user_has_an_empty_queue(db, clinic):
    with db.unit_of_work() as session:
        nadia = session.get(User, clinic["nadia"].id)
        nadia.active = False
        assert assigned_calls(session, nadia) == []


def test_calls_an_open_calibration_round_waits_for_are_listed_as_calibration(db, clinic):
    from sqlalchemy import select

    from review.models import Call
    from review.scoring.evaluations import start_evaluation
    from review.sessions.calibration_rounds import close_round, plan_calibration_evaluation, start_calibration

    nadia, igor, anna = clinic["nadia"], clinic["igor"], clinic["anna"]
    with db.unit_of_work() as session:
        in_session = active_call_ids(session, clinic["anna_session"])
        outside = session.scalar(select(Call.id).where(Call.id.not_in(
            in_session + active_call_ids(session, clinic["olga_session"]))).order_by(Call.started_at))
        round_id = start_calibration(session, nadia, [in_session[0], outside], "inbound_call", [nadia.id, igor.id])
    before = [item for item in _queue(db, nadia) if item.kind == "supervisor"]
    queue = _queue(db, nadia)
    # Her session's calls first, as before; the round's call that is also in her session is listed once, for it.
    assert queue[:len(before)] == before and [item.call_id for item in before].count(in_session[0]) == 1
    assert [(i.call_id, i.kind, i.round_id, i.session_id) for i in queue[len(before):]] == \
        [(outside, "calibration", round_id, None)]
    assert sorted(i.call_id for i in _queue(db, igor)) == sorted([in_session[0], outside])
    assert {(i.kind, i.round_id) for i in _queue(db, igor)} == {("calibration", round_id)}
    assert all(item.kind == "self" for item in _queue(db, anna))  # an operator scores no calibration

    with db.unit_of_work() as session:  # a saved draft still waits; a submitted score leaves the queue
        evaluation_id = start_evaluation(session, igor, plan_calibration_evaluation(session, igor, outside)).id
        score_fully(session, igor, evaluation_id, submit_it=False)
    assert outside in [i.call_id for i in _queue(db, igor)]
    with db.unit_of_work() as session:
        score_fully(session, igor, evaluation_id)
    assert [i.call_id for i in _queue(db, igor)] == [in_session[0]]
    with db.unit_of_work() as session:
        close_round(session, nadia, round_id)
    assert _queue(db, igor) == [] and all(item.kind == "supervisor" for item in _queue(db, nadia))
