"""The side-by-side view of a review session: each question's supervisor and self answers, the differences,
and the strengths and growth areas they suggest."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean

from sqlalchemy.orm import Session

from review.errors import ValidationError
from review.scoring.evaluations import StoredAnswer, call_comments, rubric_for, stored_answers
from review.models import Call, Comment, User
from review.sessions.review_sessions import active_call_ids, get_review_session, session_evaluations, stage_of
from review.library.vocabularies import rubric_call_kind
from rubrics import Question, earned_points

# A mean self/supervisor difference of at least a third of a question's points is worth talking about.
GAP_WORTH_DISCUSSING = 0.34
SUGGESTED_GROWTH = 3
SUGGESTED_GAPS = 2
SUGGESTED_STRENGTHS = 3


def answer_ratio(question: Question, answer: StoredAnswer | None) -> float | None:
    """Share of the question's points the answer earned; None for N/A, notes and unanswered questions."""
    if answer is None or answer.na or not question.scores:
        return None
    earned = earned_points(question, answer.as_rubric_answer())
    return None if earned is None else earned / question.max_points


def answer_label(question: Question, answer: StoredAnswer | None, lang: str = "ru") -> str:
    if answer is None:
        return "—"
    if answer.na:
        return "N/A"
    if question.type == "yes_no":
        yes, no = ("да", "нет") if lang == "ru" else ("yes", "no")
        return yes if answer.value else no
    if question.type in ("scale", "choice"):
        # Numbered by the key that picks it on the form (1 for the first option), not by its stored value.
        labels = [lv.label for lv in question.levels] if question.type == "scale" else \
            [o.label for o in question.options]
        for number, (value, label) in enumerate(zip(question.answer_values(), labels, strict=True), 1):
            if value == answer.value:
                return f"{number} — {label.get(lang)}"
    return str(answer.value)


@dataclass(frozen=True)
class QuestionRow:
    question_id: str
    section: str
    text: str
    supervisor: str
    own: str
    supervisor_ratio: float | None
    own_ratio: float | None
    supervisor_comment: str | None
    own_comment: str | None
    number: int = 0  # the question's number on the form (1-based, over the questions that apply to the call)

    @property
    def differs(self) -> bool:
        return self.supervisor != self.own


@dataclass(frozen=True)
class CallComparison:
    call_id: int
    started_at: object
    supervisor_score: float | None
    own_score: float | None
    rows: list[QuestionRow]
    comments: list[Comment]


@dataclass(frozen=True)
class QuestionSummary:
    """A question over all the session's calls."""

    question_id: str
    text: str
    supervisor_mean: float | None  # share of points, 0..1
    own_mean: float | None
    gap: float | None  # mean |supervisor - self| share over calls both scored


@dataclass(frozen=True)
class Suggestion:
    kind: str  # strength | growth
    question_id: str
    text: str
    reason: str  # lowest | gap | full_marks
    supervisor_mean: float | None
    gap: float | None


@dataclass
class Comparison:
    review_session_id: int
    calls: list[CallComparison] = field(default_factory=list)
    questions: list[QuestionSummary] = field(default_factory=list)

    @property
    def differences(self) -> int:
        return sum(row.differs for call in self.calls for row in call.rows)


def compare(session: Session, actor: User, review_session_id: int, lang: str = "ru") -> Comparison:
    """Both sides' answers per call and question. Blind scoring: only once both sides scored every call."""
    review_session = get_review_session(session, actor, review_session_id)
    if stage_of(session, review_session)[0] not in ("ready_to_discuss", "closed"):
        raise ValidationError("The side-by-side view opens when the supervisor and the operator have both "
                              "scored every call of the session.")
    supervisor_evals = session_evaluations(session, review_session_id, "supervisor")
    own_evals = session_evaluations(session, review_session_id, "self")
    result = Comparison(review_session_id)
    per_question: dict[str, tuple[str, list, list, list]] = {}
    for call_id in active_call_ids(session, review_session_id):
        call = session.get(Call, call_id)
        theirs, mine = supervisor_evals[call_id], own_evals[call_id]
        rubric = rubric_for(session, theirs)
        sup_answers, own_answers = stored_answers(theirs), stored_answers(mine)
        rows = []
        applying = [(section, question) for section in rubric.sections_for(rubric_call_kind(session, call.call_kind))
                    for question in section.questions]
        for number, (section, question) in enumerate(applying, 1):
            sup, own = sup_answers.get(question.id), own_answers.get(question.id)
            row = QuestionRow(question.id, section.title.get(lang), question.text.get(lang),
                              answer_label(question, sup, lang), answer_label(question, own, lang),
                              answer_ratio(question, sup), answer_ratio(question, own),
                              sup.comment if sup else None, own.comment if own else None, number)
            rows.append(row)
            if question.scores:
                _, sups, owns, gaps = per_question.setdefault(question.id, (row.text, [], [], []))
                if row.supervisor_ratio is not None:
                    sups.append(row.supervisor_ratio)
                if row.own_ratio is not None:
                    owns.append(row.own_ratio)
                if row.supervisor_ratio is not None and row.own_ratio is not None:
                    gaps.append(abs(row.supervisor_ratio - row.own_ratio))
        result.calls.append(CallComparison(call_id, call.started_at, theirs.score, mine.score, rows,
                                           call_comments(session, actor, call_id)))
    for question_id, (text, sups, owns, gaps) in per_question.items():
        result.questions.append(QuestionSummary(question_id, text, mean(sups) if sups else None,
                                                mean(owns) if owns else None, mean(gaps) if gaps else None))
    return result


def suggest_notes(comparison: Comparison) -> list[Suggestion]:
    """Growth areas: the questions with the lowest supervisor scores, then those with the biggest
    self/supervisor gaps; strengths: questions with full marks on every call."""
    scored = [q for q in comparison.questions if q.supervisor_mean is not None]
    suggestions: list[Suggestion] = []
    lowest = sorted((q for q in scored if q.supervisor_mean < 1), key=lambda q: (q.supervisor_mean, q.question_id))
    for q in lowest[:SUGGESTED_GROWTH]:
        suggestions.append(Suggestion("growth", q.question_id, q.text, "lowest", q.supervisor_mean, q.gap))
    named = {s.question_id for s in suggestions}
    gaps = sorted((q for q in scored if q.gap is not None and q.gap >= GAP_WORTH_DISCUSSING
                   and q.question_id not in named), key=lambda q: (-q.gap, q.question_id))
    for q in gaps[:SUGGESTED_GAPS]:
        suggestions.append(Suggestion("growth", q.question_id, q.text, "gap", q.supervisor_mean, q.gap))
    for q in [q for q in scored if q.supervisor_mean == 1][:SUGGESTED_STRENGTHS]:
        suggestions.append(Suggestion("strength", q.question_id, q.text, "full_marks", q.supervisor_mean, q.gap))
    return suggestions
