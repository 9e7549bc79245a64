import math
import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.errors import ValidationError
from review.scoring.evaluations import open_evaluation
from review.models import Call
from review.scoring.rubric_store import install_builtin_rubrics
from review.sessions.sampling import SamplingRule, sample_calls, spread_pick
from tests.review.session_fixtures import add_call, add_operator

START = date(2026, 9, 7)  # a Monday
WEEKS = 6


@pytest.fixture
def library(db, admin):
    """Three operators with calls on every working day of six weeks; varied metadata."""
    rng = random.Random(11)
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, admin)
        operators = [add_operator(session, name)[0].id for name in ("Анна", "Ольга", "Игорь")]
        for operator_id in operators:
            for day in range(WEEKS * 7):
                when = datetime.combine(START + timedelta(days=day), datetime.min.time())
                for slot in range(5):
                    add_call(session, operator_id, when + timedelta(hours=8 + slot * 2, minutes=rng.randrange(60)),
                             duration_s=rng.choice([4, 45, 150, 400]), direction=rng.choice(["in", "out"]),
                             call_kind=rng.choice(["inbound_booking", "info_request"]),
                             channel_kind=rng.choice(["phone", "phone", "whatsapp"]),
                             outcome=rng.choice(["booked", "not_booked"]),
                             transcription_status=rng.choice(["done", "pending"]))
        session.flush()
    return operators


def _rule(operators, **changes) -> SamplingRule:
    values = dict(operator_ids=tuple(operators), period_start=START, period_end=START + timedelta(days=WEEKS * 7 - 1),
                  per_operator=6, seed=42)
    values.update(changes)
    return SamplingRule(**values)


def _calls(db, ids):
    with db.sessions() as session:
        return [session.get(Call, call_id) for call_id in ids]


def test_exact_n_per_operator_and_filters_respected(db, admin, library):
    first = _rule(library, per_operator=7, min_duration_s=30, max_duration_s=200, direction="in",
                  channel_kind="phone", only_transcribed=True)
    second = _rule(library, per_operator=7, call_kind="info_request", outcome="booked",
                   period_end=START + timedelta(days=20))
    with db.sessions() as session:
        results = [sample_calls(session, admin, rule) for rule in (first, second)]
    for rule, result in zip((first, second), results, strict=True):
        assert set(result.picks) == set(library) and not result.notices
        for operator_id, ids in result.picks.items():
            assert len(ids) == 7 and len(set(ids)) == 7
            for call in _calls(db, ids):
                assert call.operator_id == operator_id
                assert rule.period_start <= call.started_at.date() <= rule.period_end
    for call in _calls(db, [i for ids in results[0].picks.values() for i in ids]):
        assert 30 <= call.duration_s <= 200 and call.direction == "in"
        assert call.channel_kind == "phone" and call.transcription_status == "done"
    for call in _calls(db, [i for ids in results[1].picks.values() for i in ids]):
        assert call.call_kind == "info_request" and call.outcome == "booked"


def test_picks_spread_evenly_over_weeks(db, admin, library):
    for n in (3, 6, 10, 13):
        with db.sessions() as session:
            result = sample_calls(session, admin, _rule(library, per_operator=n, seed=n))
        for ids in result.picks.values():
            weeks = Counter((call.started_at.date() - START).days // 7 for call in _calls(db, ids))
            assert sum(weeks.values()) == n
            assert max(weeks.values()) <= math.ceil(n / WEEKS) + 1, weeks


def test_same_seed_same_picks_other_seed_other_picks(db, admin, library):
    with db.sessions() as session:
        first = sample_calls(session, admin, _rule(library, seed=7))
        again = sample_calls(session, admin, _rule(library, seed=7))
        other = sample_calls(session, admin, _rule(library, seed=8))
        # An operator's picks do not depend on who else is sampled.
        alone = sample_calls(session, admin, _rule(library[:1], seed=7))
    assert first.picks == again.picks
    assert first.picks != other.picks
    assert alone.picks[library[0]] == first.picks[library[0]]


def test_seed_is_recorded_and_rule_round_trips(db, admin, library):
    with db.sessions() as session:
        result = sample_calls(session, admin, _rule(library, seed=None))
        assert result.rule.seed is not None
        replay = sample_calls(session, admin, SamplingRule.from_dict(result.rule.to_dict()))
    assert replay.picks == result.picks


def test_reviewed_calls_are_excluded(db, admin, library):
    operator = library[0]
    with db.sessions() as session:
        everything = sample_calls(session, admin, _rule([operator], per_operator=500, exclude_reviewed=False))
    candidates = everything.picks[operator]
    reviewed = candidates[::2]
    with db.unit_of_work() as session:
        for call_id in reviewed:
            open_evaluation(session, admin, call_id, rubric_slug="inbound_call", kind="supervisor")
    with db.sessions() as session:
        result = sample_calls(session, admin, _rule([operator], per_operator=500))
        kept = sample_calls(session, admin, _rule([operator], per_operator=500, exclude_reviewed=False))
    assert set(result.picks[operator]) == set(candidates) - set(reviewed)
    assert set(kept.picks[operator]) == set(candidates)


def test_fewer_calls_than_asked_gives_all_and_a_notice(db, admin, library):
    with db.unit_of_work() as session:
        lonely = add_operator(session, "Мария")[0].id
        calls = [add_call(session, lonely, datetime(2026, 9, 10, 10)), add_call(session, lonely, datetime(2026, 9, 24, 10))]
        session.flush()
        ids = [call.id for call in calls]
    with db.sessions() as session:
        result = sample_calls(session, admin, _rule([library[0], lonely], per_operator=5))
    assert sorted(result.picks[lonely]) == sorted(ids)
    assert len(result.picks[library[0]]) == 5
    [notice] = result.notices
    assert (notice.operator_id, notice.wanted, notice.available) == (lonely, 5, 2)
    assert "Мария" in notice.text and "2" in notice.text


def test_percentage_with_minimum(db, admin, library):
    with db.sessions() as session:
        share = sample_calls(session, admin, _rule(library, per_operator=None, percent=10, minimum=3))
        floor = sample_calls(session, admin, _rule(library, per_operator=None, percent=1, minimum=8))
    per_operator = WEEKS * 7 * 5
    assert all(len(ids) == math.ceil(per_operator * 0.10) for ids in share.picks.values())
    assert all(len(ids) == 8 for ids in floor.picks.values())


def test_by_day_spread(db, admin, library):
    with db.sessions() as session:
        result = sample_calls(session, admin, _rule(library, per_operator=20, stratify="day", period_end=START + timedelta(days=9)))
    for ids in result.picks.values():
        days = Counter(call.started_at.date() for call in _calls(db, ids))
        assert max(days.values()) <= math.ceil(20 / 10) + 1 and len(days) == 10


def test_rule_is_checked():
    with pytest.raises(ValidationError, match="either"):
        SamplingRule(operator_ids=(1,), period_start=START, period_end=START, per_operator=5, percent=10)
    with pytest.raises(ValidationError, match="ends before"):
        SamplingRule(operator_ids=(1,), period_start=START, period_end=START - timedelta(days=1))
    with pytest.raises(ValidationError, match="operator"):
        SamplingRule(operator_ids=(), period_start=START, period_end=START)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(0, 12), min_size=1, max_size=9), wanted=st.integers(1, 40), seed=st.integers(0, 10**6))
def test_spread_pick_properties(sizes, wanted, seed):
    strata = {key: list(range(key * 100, key * 100 + size)) for key, size in enumerate(sizes) if size}
    picked = spread_pick(strata, wanted, random.Random(seed))
    available = sum(sizes)
    assert len(picked) == min(wanted, available) and len(set(picked)) == len(picked)
    per_stratum = Counter(call_id // 100 for call_id in picked)
    # Even: a stratum gets more than its fair share only when others ran out of calls.
    full = [key for key in strata if per_stratum[key] == len(strata[key])]
    not_full = [per_stratum[key] for key in strata if key not in full]
    if not_full:
        # No stratum got more than one call above a stratum that still had calls to give.
        assert all(per_stratum[key] <= min(not_full) + 1 for key in strata)
    assert picked == spread_pick(strata, wanted, random.Random(seed))
