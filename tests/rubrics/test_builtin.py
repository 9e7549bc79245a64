"""The built-in clinic rubrics load, validate and score demo calls."""

from __future__ import annotations

import pytest

from rubrics import (
    Answer,
    RubricError,
    ScoreContext,
    builtin_rubric,
    builtin_rubrics,
    dump_rubric,
    loads_rubric,
    score,
)
from rubrics.explaining import explain

YES, NO, NA = Answer(True), Answer(False), Answer(na=True)


def localized_texts(rubric):
    yield rubric.title
    for section in rubric.sections:
        yield section.title
        for question in section.questions:
            yield question.text
            if question.help:
                yield question.help
            for item in [*question.levels, *question.options]:
                yield item.label


def test_three_builtins_in_a_fixed_order():
    assert [r.id for r in builtin_rubrics()] == ["inbound_call", "outbound_callback", "written_reply"]


@pytest.mark.parametrize("rubric", builtin_rubrics(), ids=lambda r: r.id)
def test_builtin_is_bilingual_and_has_critical_and_fatal_questions(rubric):
    for text in localized_texts(rubric):
        assert text.ru.strip() and text.en.strip(), text
    questions = list(rubric.questions())
    assert {"no_medical_advice"} <= {q.id for q in questions if q.critical}
    assert {"not_rude", "no_data_disclosure"} <= {q.id for q in questions if q.fatal}
    assert rubric.require_weights_sum == 100
    assert rubric.applies_to


@pytest.mark.parametrize("rubric", builtin_rubrics(), ids=lambda r: r.id)
def test_builtin_round_trips_through_yaml(rubric):
    assert loads_rubric(dump_rubric(rubric)) == rubric


def test_unknown_builtin():
    with pytest.raises(RubricError, match="no built-in rubric 'nope'"):
        builtin_rubric("nope")


def test_inbound_demo_call():
    rubric = builtin_rubric("inbound_call")
    answers = {
        "greeting_clinic_and_name": YES, "greeting_offer_help": YES,                      # 2/2 × 10
        "needs_situation": Answer(2), "needs_for_whom": NA, "needs_listening": YES,       # 3/4 × 20
        "doctor_recommendation": Answer("all_good"), "answers_correct": Answer(2),       # 2/4 × 15
        "alternative_offered": YES, "booking_confirmed": Answer(2), "follow_up_agreed": NA,
        "call_outcome": Answer("записан к кардиологу на четверг"),                       # 3/4 × 25
        "tone_empathy": Answer(4), "no_pushy_selling": YES, "closing": YES,              # 5/6 × 20
        "personal_data_handled": YES, "no_medical_advice": YES, "not_rude": YES, "no_data_disclosure": YES,
    }
    result = score(rubric, answers, ScoreContext(call_kind="inbound_booking"))
    expected = (1 * 10 + 0.75 * 20 + 0.5 * 15 + 0.75 * 25 + 5 / 6 * 20 + 1 * 10) / 100 * 100
    assert result.overall == pytest.approx(expected)  # 77.9 %
    assert result.critical == 100.0
    assert result.fatal == ()
    assert result.unanswered == ()
    assert result.missing_required_comments == ("doctor_recommendation", "booking_confirmed")
    assert explain(result, "ru").startswith("Приветствие 2/2 × 10, Выявление потребности 3/4 × 20, ")
    assert explain(result, "ru").endswith("= 77,9 %; критичные: 100 %; фатальные: нет")
    # "All our doctors are good" given in a rude way: the call scores 0, the computed score is kept.
    rude = score(rubric, {**answers, "not_rude": NO}, ScoreContext(call_kind="inbound_booking"))
    assert rude.overall == 0.0 and rude.fatal == ("not_rude",)
    assert "фатальные: «Обошёлся без грубости, пренебрежения и спора с пациентом»" in explain(rude, "ru")


def outbound_answers(**overrides):
    answers = {
        "knows_history": Answer(2), "opening": YES,                                         # 3/3 × 15
        "asks_wellbeing": YES, "care_not_advert": Answer(3), "respects_decision": YES,     # 4/6 × 20
        "objection_handling": Answer(3),                                                    # 3/3 × 15
        "booked_or_next_contact": Answer("next_contact"), "outcome_recorded": NO,          # 2/3 × 20
        "identity_checked": YES, "no_medical_advice": YES, "not_rude": YES, "no_data_disclosure": YES,
        "checkup_reason": YES, "checkup_agreed_contact": NA,
        "return_next_day": NO, "return_reason": Answer(2), "return_options": YES,
        "treatment_plan_reminded": YES, "treatment_progress": YES, "treatment_doctor_handoff": NA,
    }
    return {**answers, **overrides}


@pytest.mark.parametrize("kind, own_ratio, own_title", [
    ("callback_checkup", 1.0, "Приглашение на профилактический осмотр"),
    ("return_lost_patient", 3 / 4, "Возврат пациента, не оставшегося на лечение"),
    ("continuation_of_treatment", 1.0, "Продолжение лечения"),
])
def test_outbound_demo_call_for_each_kind(kind, own_ratio, own_title):
    rubric = builtin_rubric("outbound_callback")
    result = score(rubric, outbound_answers(), ScoreContext(call_kind=kind))
    common = 1 * 15 + 4 / 6 * 20 + 1 * 15 + 2 / 3 * 20 + 1 * 10
    assert result.overall == pytest.approx(common + own_ratio * 20)
    included = [s.id for s in result.sections if s.included]
    assert len(included) == 6  # five common sections and the kind's own one
    explanation = explain(result, "ru")
    assert own_title in explanation
    other_titles = {"Приглашение на профилактический осмотр", "Возврат пациента, не оставшегося на лечение",
                    "Продолжение лечения"} - {own_title}
    assert not any(title in explanation for title in other_titles)


def test_outbound_weights_are_checked_per_call_kind():
    text = dump_rubric(builtin_rubric("outbound_callback"))
    start = text.index("- id: return\n")
    broken = text[:start] + text[start:].replace("weight: 20", "weight: 25", 1)
    with pytest.raises(RubricError) as caught:
        loads_rubric(broken, source="outbound.yaml")
    assert "for call kind 'return_lost_patient' add up to 105" in str(caught.value)
    assert caught.value.line == broken[: broken.index("require_weights_sum")].count("\n") + 1


def test_written_reply_demo():
    rubric = builtin_rubric("written_reply")
    answers = {
        "reply_time": Answer("within_hour"), "deadline_kept": NA,                       # 2/3 × 15
        "all_questions_answered": Answer(3), "next_step": YES,                         # 4/4 × 25
        "facts_correct": YES, "booking_details": NO,                                   # 1/2 × 20
        "grammar": Answer(1), "structure": YES,                                        # 2/3 × 15
        "tone_personal": Answer(5),                                                    # 4/4 × 15
        "personal_data_handled": NO, "no_medical_advice": YES, "not_rude": YES, "no_data_disclosure": YES,
    }
    result = score(rubric, answers, ScoreContext(call_kind="written_whatsapp"))
    expected = 2 / 3 * 15 + 1 * 25 + 0.5 * 20 + 2 / 3 * 15 + 1 * 15 + 3 / 4 * 10
    assert result.overall == pytest.approx(expected)
    assert result.critical == 50.0  # personal data mishandled
    assert result.missing_required_comments == ("personal_data_handled",)
