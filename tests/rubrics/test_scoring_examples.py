"""Worked examples of the score formula, computed by hand."""

from __future__ import annotations

import pytest

from rubrics import Answer, AnswerError, Question, ScoreContext, score
from rubrics.explaining import explain
from tests.rubrics.builders import choice, note, rubric, scale, section, yes_no

YES, NO, NA = Answer(True), Answer(False), Answer(na=True)


def test_classic_sixty_percent_by_question_points():
    # (1·40 + 1·20) / (2·40 + 1·20) = 60 %: yes on a 40-point and a 20-point question, no on the other 40.
    form = rubric(section("all", 1, yes_no("a", 40), yes_no("b", 40), yes_no("c", 20)))
    result = score(form, {"a": YES, "b": NO, "c": YES})
    assert result.overall == pytest.approx(60.0)
    assert result.sections[0].earned == 60 and result.sections[0].possible == 100


def test_classic_sixty_percent_by_section_weights():
    # The same numbers as two sections: ratio 1/2 with weight 80 and 1/1 with weight 20.
    form = rubric(section("a", 80, yes_no("a1"), yes_no("a2")), section("b", 20, yes_no("b1")))
    result = score(form, {"a1": YES, "a2": NO, "b1": YES})
    assert result.overall == pytest.approx(60.0)
    assert [s.ratio for s in result.sections] == [0.5, 1.0]


def test_na_removes_the_question_from_the_classic_example():
    form = rubric(section("all", 1, yes_no("a", 40), yes_no("b", 40), yes_no("c", 20),
                          yes_no("d", 20, na_allowed=True)))
    assert score(form, {"a": YES, "b": NO, "c": YES, "d": NA}).overall == pytest.approx(60.0)
    # Answered "no" instead, the same question counts: 60 / 120.
    assert score(form, {"a": YES, "b": NO, "c": YES, "d": NO}).overall == pytest.approx(50.0)


def test_section_with_every_question_na_drops_out():
    form = rubric(section("a", 50, yes_no("a1")), section("b", 50, yes_no("b1", na_allowed=True)))
    result = score(form, {"a1": YES, "b1": NA})
    assert result.overall == 100.0  # not 50: the N/A section's weight is not in the denominator
    assert result.sections[1].included is False
    assert result.sections[1].excluded_because == "nothing_applicable"
    assert result.sections[1].ratio is None


def test_explanation_in_both_languages():
    form = rubric(
        section("greeting", 10, yes_no("g1"), yes_no("g2"), title="Приветствие"),
        section("needs", 30, scale("n1", [0, 1, 2, 3, 4]), title="Потребность"),
        section("booking", 60, choice("b1", {"full": 4, "part": 3, "none": 0}), title="Запись"),
        section("extra", 5, yes_no("x1", na_allowed=True), title="Доп"),
    )
    result = score(form, {"g1": YES, "g2": YES, "n1": Answer(3), "b1": Answer("part"), "x1": NA})
    # (1·10 + 0.75·30 + 0.75·60) / (10 + 30 + 60) = 77.5 %
    assert result.overall == pytest.approx(77.5)
    assert explain(result, "ru") == (
        "Приветствие 2/2 × 10, Потребность 3/4 × 30, Запись 3/4 × 60, Доп — н/п = 77,5 %; "
        "критичные: нет ответов; фатальные: нет"
    )
    assert explain(result, "en") == (
        "greeting 2/2 × 10, needs 3/4 × 30, booking 3/4 × 60, extra — n/a = 77.5 %; "
        "critical: none answered; fatal: none"
    )


def test_fatal_answer_zeroes_overall_and_keeps_computed():
    form = rubric(section("s", 100, yes_no("hello"), yes_no("polite", fatal=True, critical=True)))
    result = score(form, {"hello": YES, "polite": NO})
    assert result.overall == 0.0
    assert result.computed == pytest.approx(50.0)
    assert result.fatal == ("polite",)
    assert result.critical == 0.0
    assert explain(result, "en").endswith("= 0 % (computed 50 %, set to 0 by a fatal answer); critical: 0 %; fatal: “polite”")
    # "yes" on the fatal question is an ordinary full-marks answer.
    assert score(form, {"hello": YES, "polite": YES}).overall == 100.0


def test_critical_score_is_the_share_of_critical_questions_at_full_marks():
    form = rubric(section("s", 1, yes_no("c1", critical=True), scale("c2", [0, 1, 2], critical=True),
                          yes_no("c3", critical=True, na_allowed=True), yes_no("plain")))
    result = score(form, {"c1": YES, "c2": Answer(1), "c3": NA, "plain": NO})
    assert result.critical == 50.0  # c1 passed, c2 earned only half, c3 is N/A
    assert score(form, {"c1": YES, "c2": Answer(2), "c3": YES, "plain": NO}).critical == 100.0
    assert score(form, {"plain": YES}).critical is None


def test_scale_maps_levels_linearly_from_zero_to_points():
    form = rubric(section("s", 1, scale("q", [1, 2, 3, 4, 5], points=8)))
    assert [score(form, {"q": Answer(v)}).sections[0].earned for v in (1, 2, 3, 4, 5)] == [0, 2, 4, 6, 8]
    assert score(form, {"q": Answer(4)}).overall == pytest.approx(75.0)


def test_scale_levels_with_their_own_points():
    levels = [{"value": 0, "label": "нет", "points": 0}, {"value": 1, "label": "частично", "points": 3},
              {"value": 2, "label": "да", "points": 4}]
    form = rubric(section("s", 1, Question(id="q", type="scale", text="q", levels=levels)))
    assert form.question("q").max_points == 4
    assert score(form, {"q": Answer(1)}).overall == pytest.approx(75.0)


def test_notes_and_unanswered_questions_do_not_score():
    form = rubric(section("s", 1, yes_no("a"), yes_no("b"), note("remark")))
    result = score(form, {"a": YES, "remark": Answer("перезвонить в пятницу")})
    assert result.overall == 100.0
    assert result.unanswered == ("b",)
    assert result.complete is False
    assert score(form, {}).overall is None
    assert explain(score(form, {}), "en") == "s — n/a = nothing to score; critical: none answered; fatal: none"


def test_required_comments():
    form = rubric(section("s", 1, yes_no("a", comment_required_below=1),
                          scale("b", [0, 1, 2, 3, 4], comment_required_below=0.5)))
    assert score(form, {"a": NO, "b": Answer(1)}).missing_required_comments == ("a", "b")
    assert score(form, {"a": NO, "b": Answer(2)}).missing_required_comments == ("a",)  # 2/4 is not below 0.5
    result = score(form, {"a": NO, "b": Answer(1)}, comments={"a": "не поздоровался", "b": "  "})
    assert result.missing_required_comments == ("b",)
    assert score(form, {"a": YES, "b": Answer(4)}).complete is True


def test_conditional_sections_follow_the_call_kind():
    form = rubric(
        section("common", 80, yes_no("c1")),
        section("checkup", 20, yes_no("k1"), condition={"call_kinds": ["checkup"]}),
        section("return", 20, yes_no("r1"), condition={"call_kinds": ["return"]}),
        applies_to=["checkup", "return"], require_weights_sum=100,
    )
    answers = {"c1": YES, "k1": NO, "r1": YES}
    checkup = score(form, answers, ScoreContext(call_kind="checkup"))
    assert checkup.overall == pytest.approx(80.0)
    assert checkup.sections[2].excluded_because == "condition"
    assert score(form, answers, ScoreContext(call_kind="return")).overall == pytest.approx(100.0)
    # Unknown kind: every section counts as the reviewer answered it.
    assert score(form, answers).overall == pytest.approx((80 + 0 + 20) / 120 * 100)
    # Questions of a section that does not apply are not reported as unanswered.
    assert score(form, {"c1": YES}, ScoreContext("checkup")).unanswered == ("k1",)
    assert "return" not in explain(score(form, answers, ScoreContext("checkup")), "en")


def test_answers_that_do_not_fit_are_refused():
    form = rubric(section("s", 1, yes_no("a"), scale("b", [1, 2, 3]), choice("c", {"x": 1, "y": 0}), note("n")))
    with pytest.raises(AnswerError, match="question 'zzz': rubric 'test' has no such question"):
        score(form, {"zzz": YES})
    with pytest.raises(AnswerError, match="N/A is not allowed"):
        score(form, {"a": NA})
    with pytest.raises(AnswerError, match="takes True or False"):
        score(form, {"a": Answer(1)})
    with pytest.raises(AnswerError, match=r"4 is not one of its levels \(1, 2, 3\)"):
        score(form, {"b": Answer(4)})
    with pytest.raises(AnswerError, match="takes a level value"):
        score(form, {"b": YES})
    with pytest.raises(AnswerError, match=r"'z' is not one of its options \(x, y\)"):
        score(form, {"c": Answer("z")})
    with pytest.raises(AnswerError, match="a note takes text"):
        score(form, {"n": Answer(3)})
    with pytest.raises(ValueError):
        Answer()
    with pytest.raises(ValueError):
        Answer(True, na=True)


def sixty_question_rubric():
    sections = []
    for s in range(6):
        questions = []
        for q in range(10):
            qid = f"s{s}q{q}"
            kind = q % 4
            if kind == 0:
                questions.append(yes_no(qid, critical=q == 4, na_allowed=True, comment_required_below=1))
            elif kind == 1:
                questions.append(scale(qid, [1, 2, 3, 4, 5], comment_required_below=0.5))
            elif kind == 2:
                questions.append(choice(qid, {"a": 3, "b": 1, "c": 0}))
            else:
                questions.append(yes_no(qid, fatal=q == 3))
        sections.append(section(f"s{s}", 10 + s, *questions))
    return rubric(*sections)


def sixty_answers(form):
    answers = {}
    for question in form.questions():
        answers[question.id] = {"yes_no": YES, "scale": Answer(4), "choice": Answer("b")}[question.type]
    return answers


def test_sixty_question_rubric_scores_every_question():
    # Its speed (0.16 ms against a 5 ms target) is measured in bench/review_bench.py, not here.
    form = sixty_question_rubric()
    answers = sixty_answers(form)
    assert len(answers) == 60
    result = score(form, answers, comments={})
    assert result.complete and result.overall is not None and result.unanswered == ()
    assert all(section.included for section in result.sections)
