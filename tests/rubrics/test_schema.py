"""Schema rules that keep every Rubric scorable."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rubrics import LocalizedText, Question
from tests.rubrics.builders import rubric, section, yes_no


def make(**fields) -> Question:
    return Question(**{"id": "q", "text": "q", **fields})


@pytest.mark.parametrize("fields, problem", [
    ({"type": "note", "critical": True}, "a note question does not score, so it cannot set critical"),
    ({"type": "note", "points": 2}, "a note question does not score"),
    ({"type": "yes_no", "levels": [{"value": 0, "label": "a"}, {"value": 1, "label": "b"}]},
     "only scale questions have levels"),
    ({"type": "yes_no", "options": [{"key": "a", "label": "a", "points": 1}]}, "only choice questions have options"),
    ({"type": "choice", "fatal": True, "options": [{"key": "a", "label": "a", "points": 1},
                                                   {"key": "b", "label": "b", "points": 0}]},
     "only yes/no questions can be fatal"),
    ({"type": "choice", "points": 5, "options": [{"key": "a", "label": "a", "points": 1},
                                                 {"key": "b", "label": "b", "points": 0}]},
     "points is 5 but the best option earns 1"),
    ({"type": "choice", "options": [{"key": "a", "label": "a", "points": 0},
                                    {"key": "b", "label": "b", "points": 0}]},
     "must be able to earn more than 0 points"),
    ({"type": "choice", "options": [{"key": "a", "label": "a", "points": 1},
                                    {"key": "a", "label": "b", "points": 0}]},
     "option key 'a' is repeated"),
    ({"type": "yes_no", "points": 0}, "must be able to earn more than 0 points"),
    ({"type": "yes_no", "comment_required_below": 1.5}, "less than or equal to 1"),
])
def test_question_rules(fields, problem):
    with pytest.raises(ValidationError, match=problem):
        make(**fields)


def test_default_points():
    assert make(type="yes_no").max_points == 1
    assert make(type="yes_no", points=3).max_points == 3
    levels = [{"value": v, "label": str(v)} for v in (1, 2, 3, 4, 5)]
    assert make(type="scale", levels=levels).max_points == 4
    assert make(type="scale", levels=levels, points=10).max_points == 10
    assert make(type="note").max_points == 0


def test_condition_must_name_a_kind_the_rubric_applies_to():
    with pytest.raises(ValidationError, match="conditional on call kind 'outbound_x', which is not in applies_to"):
        rubric(section("a", 1, yes_no("a1"), condition={"call_kinds": ["outbound_x"]}),
               applies_to=["outbound_checkup"])


def test_rubric_needs_sections_and_sections_need_questions():
    with pytest.raises(ValidationError, match="at least 1 item"):
        rubric()
    with pytest.raises(ValidationError, match="at least 1 item"):
        section("a", 1)
    with pytest.raises(ValidationError, match="greater than 0"):
        section("a", 0, yes_no("a1"))


def test_localized_text():
    assert LocalizedText.model_validate("Привет").get("en") == "Привет"
    assert LocalizedText(ru="Привет", en="Hello").get("en") == "Hello"
    with pytest.raises(ValidationError):
        LocalizedText(ru="  ")
