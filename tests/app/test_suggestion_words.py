"""An analytics check's suggestion reads in words: its measure named as a person would, never its code."""

from __future__ import annotations

from app.review_workspace.suggestion_view import SuggestionBox, measure_text
from rubrics import builtin_rubric
from rubrics.check_matching import CallWords, Measure, suggest


def test_a_measure_check_shows_its_figure_and_where_it_looked_in_words(qtbot, english):
    question = builtin_rubric("inbound_call").question("needs_listening")
    box = SuggestionBox(question, "en")
    qtbot.addWidget(box)
    box.show_suggestion(suggest(question, CallWords([]), {"operator_interruptions": Measure(0)}))
    text = box.evidence.text()
    assert "the operator interrupted, times: 0" in text, text
    assert "operator_interruptions" not in text
    box.show_suggestion(suggest(question, CallWords([]), {}))  # not measured yet: where it looked
    assert "operator_interruptions" not in box.evidence.text() and "the operator interrupted" in box.evidence.text()
    assert measure_text("some_new_measure = 3") == "some_new_measure = 3"  # unknown: as the core gives it


def test_what_was_said_is_quoted_as_the_interface_language_quotes(qtbot, request):
    """The English interface showed Russian guillemets: «Clinic,» — operator, 0:03."""
    from app.review_workspace.suggestion_view import outcome_html
    from rubrics.check_matching import CheckOutcome, Evidence
    from rubrics.errors import Phrase

    outcome = CheckOutcome("clinic_named", True, (Evidence("operator", 3.0, 3.4, "Clinic,"),), Phrase("looked"))
    request.getfixturevalue("english")
    assert "“Clinic,” — operator, 0:03" in outcome_html(outcome)
    request.getfixturevalue("russian")
    assert "«Clinic,» — оператор, 0:03" in outcome_html(outcome)


def test_where_a_check_looked_quotes_its_phrases_as_the_interface_language_quotes(qtbot, request):
    """"No evidence found: looked for «клиника» / «clinic»…" in the English interface: the core quoted them."""
    from app.review_workspace.suggestion_view import outcome_html

    question = builtin_rubric("inbound_call").question("greeting_clinic_and_name")
    outcome = next(o for o in suggest(question, CallWords([]), {}).outcomes if o.met is False)
    request.getfixturevalue("english")
    english = outcome_html(outcome)
    assert "No evidence found: looked for “" in english and "«" not in english, english
    request.getfixturevalue("russian")
    russian = outcome_html(outcome)
    assert "«" in russian and "“" not in russian, russian
