"""Properties of the score formula that must hold for any rubric and any answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubrics import Answer, Question, Rubric, ScoreContext, Section, score

weights = st.floats(min_value=0.1, max_value=100, allow_nan=False, allow_infinity=False)
points = st.none() | st.floats(min_value=0.5, max_value=50, allow_nan=False, allow_infinity=False)


@st.composite
def questions(draw, qid: str) -> Question:
    kind = draw(st.sampled_from(["yes_no", "scale", "choice", "note"]))
    flags = {"na_allowed": draw(st.booleans())}
    if kind != "note":
        flags["critical"] = draw(st.booleans())
        flags["comment_required_below"] = draw(st.none() | st.sampled_from([0.5, 1.0]))
    if kind == "yes_no":
        return Question(id=qid, type=kind, text=qid, points=draw(points), fatal=draw(st.booleans()), **flags)
    if kind == "scale":
        values = sorted(draw(st.sets(st.integers(-2, 7), min_size=2, max_size=5)))
        levels = [{"value": v, "label": str(v)} for v in values]
        return Question(id=qid, type=kind, text=qid, levels=levels, points=draw(points), **flags)
    if kind == "choice":
        option_points = draw(st.lists(st.integers(0, 5), min_size=2, max_size=4).filter(lambda p: max(p) > 0))
        options = [{"key": f"o{i}", "label": f"o{i}", "points": p} for i, p in enumerate(option_points)]
        return Question(id=qid, type=kind, text=qid, options=options, **flags)
    return Question(id=qid, type=kind, text=qid, **flags)


@st.composite
def rubrics(draw) -> Rubric:
    sections = []
    counter = 0
    for s_index in range(draw(st.integers(1, 5))):
        qs = []
        for _ in range(draw(st.integers(1, 4))):
            qs.append(draw(questions(f"q{counter}")))
            counter += 1
        sections.append(Section(id=f"s{s_index}", title=f"s{s_index}", weight=draw(weights), questions=qs))
    return Rubric(id="prop", title="prop", sections=sections)


def answer_for(draw, question: Question) -> Answer | None:
    choices = [None]
    if question.na_allowed:
        choices.append(Answer(na=True))
    if question.type == "yes_no":
        choices += [Answer(True), Answer(False)]
    elif question.type == "scale":
        choices += [Answer(level.value) for level in question.levels]
    elif question.type == "choice":
        choices += [Answer(option.key) for option in question.options]
    else:
        choices.append(Answer("заметка"))
    return draw(st.sampled_from(choices))


@st.composite
def rubrics_with_answers(draw) -> tuple[Rubric, dict[str, Answer]]:
    form = draw(rubrics())
    answers = {}
    for question in form.questions():
        answer = answer_for(draw, question)
        if answer is not None:
            answers[question.id] = answer
    return form, answers


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


@given(rubrics_with_answers())
def test_scores_stay_between_0_and_100(case):
    form, answers = case
    result = score(form, answers)
    for value in (result.overall, result.computed, result.critical):
        assert value is None or 0.0 <= value <= 100.0
    for section_score in result.sections:
        assert section_score.ratio is None or 0.0 <= section_score.ratio <= 1.0
    assert (result.overall is None) == (result.computed is None)


@given(rubrics_with_answers(), st.data())
def test_na_on_a_question_equals_removing_it(case, data):
    form, answers = case
    candidates = [q for q in form.questions() if q.na_allowed]
    if not candidates:
        return
    removed = data.draw(st.sampled_from(candidates))
    with_na = score(form, {**answers, removed.id: Answer(na=True)})
    sections = [s.model_copy(update={"questions": [q for q in s.questions if q.id != removed.id]})
                for s in form.sections]
    without = score(form.model_copy(update={"sections": sections}),
                    {k: v for k, v in answers.items() if k != removed.id})
    assert same(with_na.overall, without.overall)
    assert same(with_na.computed, without.computed)
    assert same(with_na.critical, without.critical)
    assert with_na.fatal == without.fatal
    assert with_na.missing_required_comments == without.missing_required_comments


@given(rubrics_with_answers(), st.sampled_from([2.0, 0.5, 3.7]))
def test_scaling_every_weight_changes_nothing(case, factor):
    form, answers = case
    scaled = form.model_copy(update={"sections": [
        s.model_copy(update={"weight": s.weight * factor}) for s in form.sections]})
    before, after = score(form, answers), score(scaled, answers)
    assert same(before.overall, after.overall)
    assert same(before.computed, after.computed)
    assert before.critical == after.critical


@given(rubrics_with_answers(), st.data())
def test_a_fatal_answer_always_gives_zero_and_keeps_the_computed_score(case, data):
    form, answers = case
    fatal = [q for q in form.questions() if q.fatal]
    if not fatal:
        return
    chosen = data.draw(st.sampled_from(fatal))
    answers = {**answers, chosen.id: Answer(False)}
    result = score(form, answers)
    assert result.overall == 0.0
    assert chosen.id in result.fatal
    # The computed score is the one the same answers get when nothing is fatal.
    harmless = form.model_copy(update={"sections": [
        s.model_copy(update={"questions": [q.model_copy(update={"fatal": False}) for q in s.questions]})
        for s in form.sections]})
    plain = score(harmless, answers)
    assert plain.fatal == ()
    assert same(result.computed, plain.computed)
    assert same(plain.overall, plain.computed)


@given(rubrics_with_answers(), st.data())
def test_order_of_sections_does_not_matter(case, data):
    form, answers = case
    shuffled = form.model_copy(update={"sections": data.draw(st.permutations(form.sections))})
    before, after = score(form, answers), score(shuffled, answers)
    assert same(before.overall, after.overall)
    assert same(before.computed, after.computed)
    assert same(before.critical, after.critical)
    assert set(before.fatal) == set(after.fatal)
    assert set(before.unanswered) == set(after.unanswered)


@settings(max_examples=50)
@given(rubrics_with_answers())
def test_same_answers_always_give_the_same_score(case):
    form, answers = case
    assert score(form, answers) == score(form, dict(reversed(list(answers.items()))))


@given(rubrics_with_answers())
def test_full_marks_everywhere_gives_100(case):
    form, _ = case
    best = {}
    for q in form.questions():
        if q.type == "yes_no":
            best[q.id] = Answer(True)
        elif q.type == "scale":
            best[q.id] = Answer(max(level.value for level in q.levels))
        elif q.type == "choice":
            best[q.id] = Answer(max(q.options, key=lambda o: o.points).key)
    result = score(form, best, ScoreContext())
    if not best:  # a form of notes only has nothing to score
        assert result.overall is None
        return
    assert result.overall == pytest.approx(100.0)
    assert result.critical in (None, 100.0)
    assert result.missing_required_comments == ()
