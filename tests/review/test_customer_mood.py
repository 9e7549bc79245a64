"""An unhappy customer: complaints found in what the customer says (word forms, negations), stored with the
analytics, picked first by the "unhappy customer" sampling signal and exported with the library."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import yaml

from review.analytics.customer_mood import customer_mood
from review.analytics.stored import record_analytics
from review.library.calls import CallFilter, MeasureRange, call_page
from review.models import CallAnalytics
from review.sessions.sampling import SamplingRule, sample_calls
from tests.conftest import REPO
from tests.review.session_fixtures import add_call, add_operator
from transcription.transcript import Segment, Transcript, Word

SCRIPTS = REPO / "resources" / "demo" / "scripts"


def _said(*turns) -> Transcript:
    segments = []
    for speaker, start, text in turns:
        words = [Word(start + 0.4 * i, start + 0.4 * i + 0.3, token, 0.9) for i, token in enumerate(text.split())]
        segments.append(Segment(speaker, start, words[-1].end, text, -0.2, 0.01, words))
    return Transcript("ru", 60.0, segments)


def _script(name: str) -> Transcript:
    script = yaml.safe_load((SCRIPTS / f"{name}.yaml").read_text(encoding="utf-8"))
    return _said(*((t["speaker"], t["start"], t["text"]) for t in script["turns"]))


def test_the_demo_complaints_are_found_and_the_content_callers_are_not():
    unhappy = {path.stem for path in SCRIPTS.glob("*.yaml") if customer_mood(_script(path.stem)).complaints}
    assert unhappy == {"ru05_complaint_lost_appointment", "en02_complaint_waiting"}
    first = customer_mood(_script("ru05_complaint_lost_appointment")).first
    assert first.speaker == "customer" and "нет в записи" in first.text


@pytest.mark.parametrize(("turns", "expected"), [
    ([("customer", 3.0, "я хочу пожаловаться на регистратуру")], 1),
    ([("customer", 3.0, "буду жаловаться главврачу"), ("customer", 9.0, "это просто безобразие")], 2),
    ([("customer", 3.0, "нет, у меня нет претензий, не жалуюсь")], 0),  # negated
    ([("customer", 3.0, "я не буду жаловаться")], 0),
    ([("operator", 3.0, "если есть жалоба, я передам её врачу")], 0),  # the operator's words are not the customer's
    ([("customer", 3.0, "I want to make a complaint")], 1),
    ([("customer", 3.0, "no complaints at all, thank you")], 0),
])
def test_complaints_in_word_forms_by_the_customer_only(turns, expected):
    assert customer_mood(_said(*turns)).complaints == expected


def test_stored_with_the_analytics_sampled_first_and_filtered_in_the_library(db, admin):
    with db.unit_of_work() as session:
        operator = add_operator(session, "Анна")[0].id
        calm = [add_call(session, operator, datetime(2026, 9, 7 + day, 10), duration_s=60.0) for day in range(4)]
        angry = add_call(session, operator, datetime(2026, 9, 11, 10), duration_s=60.0)
        session.flush()
        for call in calm:
            record_analytics(session, call.id, _said(("operator", 0.5, "добрый день"),
                                                     ("customer", 3.0, "спасибо всё хорошо")), None)
        record_analytics(session, angry.id, _said(("operator", 0.5, "добрый день"),
                                                  ("customer", 3.0, "меня потеряли в записи, это безобразие")), None)
        angry_id = angry.id
    with db.sessions() as session:
        row = session.get(CallAnalytics, angry_id)
        assert (row.customer_complaints, row.complaint_at_s) == (2, 3.4)  # "потеряли в записи", "безобразие"
        assert row.complaint_words == "потеряли в записи,"
        rule = SamplingRule(operator_ids=(operator,), period_start=date(2026, 9, 7), period_end=date(2026, 9, 13),
                            per_operator=1, seed=3, prefer=("unhappy_customer",))
        result = sample_calls(session, admin, rule)
        assert result.picks[operator] == [angry_id]
        assert result.reasons[angry_id] == {"signals": {"unhappy_customer": 2.0}}
        found = call_page(session, admin, CallFilter(ranges=(MeasureRange("customer_complaints", 1),)))
        assert [c.id for c in found] == [angry_id]
