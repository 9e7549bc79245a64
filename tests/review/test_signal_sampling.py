"""Signal-driven sampling: calls with a long silence, a long hold, heavy overtalk or a failed check picked first
(an unhappy customer: tests/review/test_customer_mood.py),
still one a week, reproducible from the stored seed and rule, with the reason kept on each pick."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from review.analytics.stored import record_analytics
from review.errors import ValidationError
from review.models import Evaluation
from review.scoring.rubric_store import install_builtin_rubrics, latest_published
from review.sessions.review_sessions import create_sessions, session_calls
from review.sessions.sampling import SamplingRule, sample_calls
from tests.review.session_fixtures import add_call, add_operator
from tests.review.test_library_analytics import _transcript

START = date(2026, 9, 7)  # a Monday; four weeks of five calls, Monday to Friday
PLAIN = [("operator", 0.5, 10.0), ("customer", 10.3, 20.0)]
SIGNALLED = {  # (week, weekday) -> turns
    (0, 1): [("operator", 0.5, 10.0), ("customer", 17.0, 25.0)],  # a 7 s silence
    (0, 4): [("operator", 0.5, 10.0), ("customer", 16.0, 25.0)],  # a 6 s silence
    (1, 2): [("operator", 0.5, 10.0), ("customer", 140.0, 150.0)],  # a 130 s hold: long
    (2, 0): [("operator", 0.5, 10.0), ("customer", 4.0, 12.0)],  # 6 s of overtalk
}
FAILED = (3, 3)  # its self-review made a fatal error
ALL = ("long_silence", "long_hold", "overtalk", "failed_check")


@pytest.fixture
def month(db, admin):
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        operator = add_operator(session, "Анна")[0].id
        calls = {}
        for week in range(4):
            for weekday in range(5):
                when = datetime.combine(START + timedelta(days=7 * week + weekday), datetime.min.time())
                calls[week, weekday] = add_call(session, operator, when + timedelta(hours=10), duration_s=160.0)
        session.flush()
        for key, call in calls.items():
            record_analytics(session, call.id, _transcript(SIGNALLED.get(key, PLAIN), 160.0), None)
        version = latest_published(session, "inbound_call")
        session.add(Evaluation(call_id=calls[FAILED].id, rubric_version_id=version.id, reviewer_id=admin.id,
                               kind="self", status="submitted", score=0.0, critical_score=50.0, fatal=True,
                               submitted_at=datetime(2026, 10, 1)))
        return operator, {key: call.id for key, call in calls.items()}


def _rule(operator, **changes) -> SamplingRule:
    values = dict(operator_ids=(operator,), period_start=START, period_end=START + timedelta(days=27),
                  per_operator=4, seed=5, prefer=ALL)
    values.update(changes)
    return SamplingRule(**values)


def test_calls_with_a_signal_are_picked_first_one_a_week(db, admin, month):
    operator, calls = month
    with db.sessions() as session:
        result = sample_calls(session, admin, _rule(operator))
    picks = result.picks[operator]
    assert picks[0] in (calls[0, 1], calls[0, 4]) and picks[1:] == [calls[1, 2], calls[2, 0], calls[FAILED]]
    assert result.reasons[calls[1, 2]] == {"signals": {"long_hold": 130.0}}
    assert result.reasons[calls[2, 0]] == {"signals": {"overtalk": 6.0}}
    assert result.reasons[calls[FAILED]] == {"signals": {"failed_check": 1.0}}
    assert result.reasons[picks[0]]["signals"]["long_silence"] in (7.0, 6.0)
    with db.sessions() as session:  # the same rule and seed: the same picks
        assert sample_calls(session, admin, _rule(operator)).picks == result.picks


def test_more_picks_than_signals_are_filled_at_random_and_say_so(db, admin, month):
    operator, calls = month
    with db.sessions() as session:
        result = sample_calls(session, admin, _rule(operator, per_operator=8))
    picks = result.picks[operator]
    assert len(picks) == 8 and {calls[0, 1], calls[0, 4], calls[1, 2], calls[2, 0], calls[FAILED]} <= set(picks)
    assert set(result.reasons) == {calls[0, 1], calls[0, 4], calls[1, 2], calls[2, 0], calls[FAILED]}
    for week in range(4):  # still two a week
        assert sum(1 for key, call_id in calls.items() if key[0] == week and call_id in picks) == 2


def test_one_signal_only_and_random_rules_are_unchanged(db, admin, month):
    operator, calls = month
    with db.sessions() as session:
        holds = sample_calls(session, admin, _rule(operator, prefer=("long_hold",)))
        plain = sample_calls(session, admin, _rule(operator, prefer=()))
        again = sample_calls(session, admin, _rule(operator, prefer=()))
    assert calls[1, 2] in holds.picks[operator] and list(holds.reasons) == [calls[1, 2]]
    assert plain.reasons == {} and plain.picks == again.picks
    assert [sum(1 for key, c in calls.items() if key[0] == week and c in plain.picks[operator])
            for week in range(4)] == [1, 1, 1, 1]


def test_the_reason_is_kept_with_the_session_and_the_rule_round_trips(db, admin, month):
    operator, calls = month
    with db.unit_of_work() as session:
        created = create_sessions(session, admin, _rule(operator), rubric_slug="inbound_call")
        picks = {p.call_id: p.pick_reason for p in session_calls(session, admin, created.session_ids[operator])}
        stored = created.sampling.rule.to_dict()
    assert picks[calls[1, 2]] == {"signals": {"long_hold": 130.0}} and len(picks) == 4
    assert stored["prefer"] == list(ALL) and SamplingRule.from_dict(stored) == _rule(operator)
    older = {k: v for k, v in stored.items() if k != "prefer"}  # a rule stored before signals existed
    assert SamplingRule.from_dict(older).prefer == ()
    with pytest.raises(ValidationError, match="prefers one of"):
        _rule(operator, prefer=("loud_music",))
