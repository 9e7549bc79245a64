"""The one scoring engine: answers to a rubric -> an explained score.

Formula (docs/scoring.md): per section, earned over possible points of its answered, non-N/A
questions; overall = sum(section ratio x weight) / sum(weights of sections with such a question),
as a percentage. N/A removes a question; a section whose questions are all N/A or unanswered drops
out. A fatal answer sets the overall score to 0, the computed score is kept. The critical score is
the share of answered critical questions that earned full points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rubrics.errors import AnswerError
from rubrics.schema import Question, Rubric, Section

AnswerValue = bool | int | str

# Float noise (e.g. 0.1 + 0.2) must not turn a full-marks answer into a failed critical question.
_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Answer:
    """A reviewer's answer: `value` (bool for yes/no, level value for scale, option key for
    choice, text for note) or `na=True` for "not applicable"."""

    value: AnswerValue | None = None
    na: bool = False

    def __post_init__(self) -> None:
        if self.na and self.value is not None:
            raise ValueError("an N/A answer has no value")
        if not self.na and self.value is None:
            raise ValueError("an answer needs a value, or na=True")

    @classmethod
    def not_applicable(cls) -> Answer:
        return cls(na=True)


@dataclass(frozen=True, slots=True)
class ScoreContext:
    """What the engine needs to know about the call beyond the answers."""

    call_kind: str | None = None


@dataclass(frozen=True, slots=True)
class SectionScore:
    id: str
    title: str
    title_en: str
    weight: float
    earned: float
    possible: float
    included: bool
    # Why a section is left out: "condition" (not for this call kind) or "nothing_applicable".
    excluded_because: str | None = None

    @property
    def ratio(self) -> float | None:
        return self.earned / self.possible if self.included else None


@dataclass(frozen=True, slots=True)
class FatalHit:
    question_id: str
    text: str
    text_en: str


@dataclass(frozen=True)
class ScoreResult:
    """An explained score. `overall` is 0 when a fatal answer was given, `computed` never is
    forced; both are None when no question could be scored."""

    overall: float | None
    computed: float | None
    critical: float | None
    fatal: tuple[str, ...]
    sections: tuple[SectionScore, ...]
    unanswered: tuple[str, ...]
    missing_required_comments: tuple[str, ...]
    fatal_hits: tuple[FatalHit, ...] = field(default=(), repr=False)

    @property
    def complete(self) -> bool:
        """Every applicable question answered and every required comment written."""
        return not self.unanswered and not self.missing_required_comments


def score(
    rubric: Rubric,
    answers: Mapping[str, Answer],
    context: ScoreContext | None = None,
    comments: Mapping[str, str] | None = None,
) -> ScoreResult:
    """Score `answers` (question id -> Answer) on `rubric`.

    Raises AnswerError for an answer to an unknown question or one that does not fit its question.
    Questions without an answer are left out of the score and listed in `unanswered`.
    """
    call_kind = context.call_kind if context is not None else None
    comments = comments or {}
    known = _known_question_ids(rubric)
    for question_id in answers:
        if question_id not in known:
            raise AnswerError(question_id, f"rubric '{rubric.id}' has no such question")

    sections: list[SectionScore] = []
    unanswered: list[str] = []
    missing_comments: list[str] = []
    fatal_hits: list[FatalHit] = []
    critical_total = critical_passed = 0
    weighted = weights = 0.0

    for section in rubric.sections:
        if not section.applies_to(call_kind):
            sections.append(_section_score(section, 0.0, 0.0, "condition"))
            continue
        earned = possible = 0.0
        for question in section.questions:
            answer = answers.get(question.id)
            if answer is None:
                if question.scores:
                    unanswered.append(question.id)
                continue
            got = earned_points(question, answer)
            if got is None:
                continue
            best = question.max_points
            earned += got
            possible += best
            short = got < best - _EPSILON
            if question.critical:
                critical_total += 1
                critical_passed += not short
            if question.fatal and answer.value is False:
                fatal_hits.append(FatalHit(question.id, question.text.get("ru"), question.text.get("en")))
            threshold = question.comment_required_below
            if threshold is not None and got < threshold * best - _EPSILON:
                if not comments.get(question.id, "").strip():
                    missing_comments.append(question.id)
        if possible > 0:
            weighted += earned / possible * section.weight
            weights += section.weight
            sections.append(_section_score(section, earned, possible, None))
        else:
            sections.append(_section_score(section, 0.0, 0.0, "nothing_applicable"))

    computed = min(100.0, max(0.0, weighted / weights * 100.0)) if weights > 0 else None
    overall = 0.0 if fatal_hits else computed
    critical = critical_passed / critical_total * 100.0 if critical_total else None
    return ScoreResult(
        overall=overall,
        computed=computed,
        critical=critical,
        fatal=tuple(hit.question_id for hit in fatal_hits),
        sections=tuple(sections),
        unanswered=tuple(unanswered),
        missing_required_comments=tuple(missing_comments),
        fatal_hits=tuple(fatal_hits),
    )


def earned_points(question: Question, answer: Answer) -> float | None:
    """Points `answer` earns on `question`; None when it does not count (N/A or a note).

    Raises AnswerError when the answer does not fit the question.
    """
    if answer.na:
        if not question.na_allowed:
            raise AnswerError(question.id, "N/A is not allowed for this question")
        return None
    value = answer.value
    kind = question.type
    if kind == "note":
        if not isinstance(value, str):
            raise AnswerError(question.id, "a note takes text")
        return None
    if kind == "yes_no":
        if not isinstance(value, bool):
            raise AnswerError(question.id, f"a yes/no question takes True or False, not {value!r}")
        return question.max_points if value else 0.0
    if kind == "scale":
        return _scale_points(question, value)
    for option in question.options:
        if option.key == value:
            return option.points
    keys = ", ".join(option.key for option in question.options)
    raise AnswerError(question.id, f"{value!r} is not one of its options ({keys})")


def _scale_points(question: Question, value: AnswerValue | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError(question.id, f"a scale question takes a level value, not {value!r}")
    values = [level.value for level in question.levels]
    for level in question.levels:
        if level.value == value:
            if level.points is not None:
                return level.points
            low, high = min(values), max(values)
            return (value - low) / (high - low) * question.max_points
    raise AnswerError(question.id, f"{value} is not one of its levels ({', '.join(map(str, values))})")


def _section_score(section: Section, earned: float, possible: float, excluded_because: str | None) -> SectionScore:
    return SectionScore(
        id=section.id,
        title=section.title.get("ru"),
        title_en=section.title.get("en"),
        weight=section.weight,
        earned=earned,
        possible=possible,
        included=excluded_because is None,
        excluded_because=excluded_because,
    )


def _known_question_ids(rubric: Rubric) -> set[str]:
    return {question.id for question in rubric.questions()}
