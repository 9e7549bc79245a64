"""Suggestions for a stored call: its words and measures through the built-in rubric's checks, with evidence."""

from __future__ import annotations

from review.scoring.suggestions import call_suggestions
from rubrics import builtin_rubric
from tests.conftest import DEMO_CALLS
from tests.review.test_call_analytics import script_transcript, transcribed


def test_a_stored_poor_booking_gets_suggestions_with_evidence(db, admin):
    call_id = transcribed(db, admin, DEMO_CALLS / "ru06_poor_booking.flac", script_transcript("ru06_poor_booking"))
    with db.sessions() as session:
        found = call_suggestions(session, admin, call_id, builtin_rubric("inbound_call"),
                                 clinic_names=("Семейный доктор",))
    flag = found["doctor_recommendation"]
    assert flag.answer == "all_good" and flag.deciding == "all_doctors_good"
    [first, *_] = flag.outcomes[0].evidence
    assert first.speaker == "operator" and "все врачи хорошие" in first.text and first.end > first.start > 0
    greeting = found["greeting_clinic_and_name"]
    assert greeting.answer is False and greeting.outcomes[0].evidence == ()
    assert "first 15 s" in str(greeting.outcomes[0].looked)
    # Measured with the transcript: the analytics check has its figure.
    assert found["needs_listening"].outcomes[0].met is not None


def test_sections_for_other_call_kinds_are_left_out(db, admin):
    call_id = transcribed(db, admin, DEMO_CALLS / "ru02_callback_checkup.flac",
                          script_transcript("ru02_callback_checkup"))
    with db.sessions() as session:
        found = call_suggestions(session, admin, call_id, builtin_rubric("outbound_callback"))
    assert "checkup_reason" in found and "return_reason" not in found
    assert found["opening"].answer is True  # "Это Ольга, клиника …": her name from the call's details
