"""Phrase and analytics checks: word forms, slack, negation, time windows and events, YAML and validation."""

from __future__ import annotations

import pytest

from rubrics import RubricError, dump_rubric, loads_rubric
from rubrics.check_matching import CallWords, Measure, SpokenWord, suggest

WORD_S = 0.4


def said(*lines: tuple[str, float, str]) -> list[SpokenWord]:
    """Each line (speaker, start, text) becomes words of WORD_S seconds each."""
    words = []
    for speaker, start, text in lines:
        for n, token in enumerate(text.split()):
            words.append(SpokenWord(speaker, start + n * WORD_S, start + (n + 1) * WORD_S, token))
    return words


def rubric_with(checks_yaml: str, question_type: str = "yes_no", extra: str = "") -> str:
    indented = "\n".join("          " + line for line in checks_yaml.strip().splitlines())
    return f"""\
id: demo
title: Демо
sections:
  - id: s
    title: Раздел
    weight: 1
    questions:
      - id: q
        type: {question_type}
        text: Вопрос
{extra}        checks:
{indented}
"""


def question(checks_yaml: str, **kw):
    return loads_rubric(rubric_with(checks_yaml, **kw)).question("q")


BOOKED = """
- id: booked
  phrases: [записать вас]
"""


@pytest.mark.parametrize("text", ["я записала вас на среду", "сейчас запишу вас", "давайте записаться вас",
                                  "Записываю вас, хорошо?"])
def test_russian_word_forms_match_the_phrase(text):
    result = suggest(question(BOOKED), CallWords(said(("operator", 5.0, text))), {})
    assert result.answer is True
    assert result.outcomes[0].met is True
    assert "вас" in result.outcomes[0].evidence[0].text


def test_slack_allows_two_words_between_and_not_three():
    q = question(BOOKED)
    two = suggest(q, CallWords(said(("operator", 0, "записала бы сегодня вас"))), {})
    three = suggest(q, CallWords(said(("operator", 0, "записала бы сегодня утром вас"))), {})
    assert two.answer is True
    assert three.answer is False
    assert three.outcomes[0].evidence == ()


def test_negation_cancels_a_find_but_shows_it():
    q = question(BOOKED)
    result = suggest(q, CallWords(said(("operator", 3, "к сожалению не могу записать вас"))), {})
    assert result.answer is False
    assert result.outcomes[0].evidence[0].negated
    english = question("- {id: booked, phrases: [book you]}")
    assert suggest(english, CallWords(said(("operator", 1, "I can't book you today"))), {}).answer is False
    assert suggest(english, CallWords(said(("operator", 1, "I have booked you for Monday"))), {}).answer is True


def test_a_phrase_that_is_itself_negative_is_found():
    red_flag = question("- {id: pressure, says: must_not, phrases: [не пожалеете]}")
    result = suggest(red_flag, CallWords(said(("operator", 40, "берите пакет вы не пожалеете"))), {})
    assert result.answer is False
    assert result.outcomes[0].evidence[0].start == pytest.approx(40 + 3 * WORD_S)


def test_the_party_counts():
    q = question("- {id: name, by: operator, phrases: [меня зовут]}")
    customer_only = CallWords(said(("customer", 2, "здравствуйте меня зовут Иван")))
    assert suggest(q, customer_only, {}).answer is False
    both = CallWords(said(("customer", 2, "меня зовут Иван"), ("operator", 4, "а меня зовут Анна")))
    evidence = suggest(q, both, {}).outcomes[0].evidence[0]
    assert (evidence.speaker, evidence.start, evidence.text) == ("operator", pytest.approx(4.4), "меня зовут")


def test_time_window_from_the_start_of_the_call():
    q = question("- {id: greet, phrases: ['{clinic}'], within_s: 15}")
    early = CallWords(said(("operator", 1, "Первая кардиоклиника добрый день")), clinic_names=["Первая кардиоклиника"])
    late = CallWords(said(("operator", 16, "Первая кардиоклиника добрый день")), clinic_names=["Первая кардиоклиника"])
    assert suggest(q, early, {}).answer is True
    late_result = suggest(q, late, {})
    assert late_result.answer is False
    assert str(late_result.outcomes[0].looked) == (  # the clinic's name as searched, never the raw "{clinic}"
        "“Первая кардиоклиника” in the operator's words in the first 15 s")
    no_names = CallWords(said(("operator", 1, "Первая кардиоклиника")))
    assert suggest(q, no_names, {}).answer is False


AFTER_DATE = """
- id: repeated
  phrases: [среда, в среду]
  after: {by: customer, phrases: [в среду, на среду]}
  within_s: 20
"""


def test_after_an_event_and_not_applicable_without_it():
    q = question(AFTER_DATE, extra="        na_allowed: true\n")
    confirmed = CallWords(said(("customer", 10, "можно на среду"), ("operator", 14, "хорошо записала на среду")))
    assert suggest(q, confirmed, {}).answer is True
    too_late = CallWords(said(("customer", 10, "можно на среду"), ("operator", 40, "итак среда")))
    assert suggest(q, too_late, {}).answer is False
    said_before = CallWords(said(("operator", 2, "есть среда"), ("customer", 10, "давайте в среду")))
    assert suggest(q, said_before, {}).answer is False
    no_event = suggest(q, CallWords(said(("customer", 10, "а цена какая"))), {})
    assert no_event.answer is None and no_event.outcomes[0].met is None
    assert "does not apply" in str(no_event.outcomes[0].looked)


def test_must_not_on_a_choice_question_suggests_only_when_said():
    options = """        options:
          - {key: concrete, label: Конкретно, points: 2}
          - {key: all_good, label: Все хорошие, points: 0}
        na_allowed: true
"""
    q = question("- {id: all_good, says: must_not, phrases: [все хорошие, все врачи хорошие], if_not_met: all_good}",
                 question_type="choice", extra=options)
    flagged = suggest(q, CallWords(said(("operator", 30, "у нас все врачи очень хорошие"))), {})
    assert (flagged.answer, flagged.deciding) == ("all_good", "all_good")
    fine = suggest(q, CallWords(said(("operator", 30, "доктор Петрова ведёт аритмии пятнадцать лет"))), {})
    assert fine.answer is None and fine.outcomes[0].met is True


def test_analytics_checks():
    q = question("""
- {id: silence, kind: analytics, measure: silence_longest_s, max: 10}
- {id: share, kind: analytics, measure: operator_share_pct, max: 70}
""")
    quiet = {"silence_longest_s": Measure(4.0), "operator_share_pct": Measure(55.0)}
    assert suggest(q, CallWords([]), quiet).answer is True
    long_silence = {"silence_longest_s": Measure(12.5, 30.0, 42.5), "operator_share_pct": Measure(55.0)}
    result = suggest(q, CallWords([]), long_silence)
    assert (result.answer, result.deciding) == (False, "silence")
    assert (result.outcomes[0].evidence[0].start, result.outcomes[0].evidence[0].end) == (30.0, 42.5)
    assert suggest(q, CallWords([]), {"operator_share_pct": Measure(80.0)}).answer is False
    assert suggest(q, CallWords([]), {}).answer is None


def test_checks_survive_a_yaml_round_trip():
    text = rubric_with(AFTER_DATE + "- {id: silence, kind: analytics, measure: hold_longest_s, max: 60}")
    rubric = loads_rubric(text)
    again = loads_rubric(dump_rubric(rubric))
    assert again == rubric
    assert [c.id for c in again.question("q").checks] == ["repeated", "silence"]


@pytest.mark.parametrize(("checks", "expected"), [
    ("- {id: x, kind: analytics, measure: loudness, max: 3}", "unknown measure 'loudness'"),
    ("- {id: x, kind: analytics, measure: hold_longest_s}", "needs a limit"),
    ("- {id: x, phrases: [a]}\n- {id: x, phrases: [b]}", "check id 'x' is used twice"),
    ("- {id: x, phrases: [a], if_met: maybe}", "suggests 'maybe', which this question does not offer"),
    ("- {id: x, phrases: []}", "phrases"),
    ("- {id: x, phrases: [a], by: doctor}", "'doctor' is not a valid by"),
    ("- {id: x, phrases: [a], slack: 9}", "slack"),
])
def test_bad_checks_are_refused_in_plain_words(checks, expected):
    with pytest.raises(RubricError) as caught:
        loads_rubric(rubric_with(checks), source="demo.yaml")
    assert expected in str(caught.value)
    assert "demo.yaml" in str(caught.value)


def test_a_note_cannot_have_checks():
    with pytest.raises(RubricError, match="a note question has no answers to suggest"):
        loads_rubric(rubric_with("- {id: x, phrases: [a], if_met: true}", question_type="note"))
