"""Calibration: several supervisors score the same calls blind (evaluations of kind "calibration"); the report
shows, per question, how often they agreed and how far each one deviates from the group or a reference.

Definitions (docs of the report, hand-checkable):
- agreement of a question = pairs of reviewers who gave the same answer on a call / all pairs who both
  answered it, over the calls, as a percentage;
- a reviewer's deviation on a question = mean over calls of (their share of the question's points − the
  baseline share) × 100, where the baseline is the mean of every reviewer's share on that call, or the
  reference reviewer's share when one is chosen; positive means more lenient;
- spread of a question = mean over calls of (the highest share − the lowest share) × 100 among the reviewers
  who answered it there: 0 when all gave the same points, 100 when one gave full marks and another none;
- a reviewer differs on a question when their deviation is at least DIFFERS_AT points either way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from statistics import mean

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import REVIEW_CALLS, require, visible_evaluations
from review.errors import ValidationError
from review.library.calls import get_call
from review.library.vocabularies import rubric_call_kind
from review.models import Call, Evaluation, User
from review.reporting.tables import Column, ReportTable
from review.scoring.evaluations import open_evaluation, rubric_for, stored_answers
from review.sessions.comparison import answer_ratio

DIFFERS_AT = 20.0  # points of percent from the group: a fifth of a question's points on average


@dataclass(frozen=True)
class QuestionAgreement:
    question_id: str
    text: str
    agreement: float | None  # percent of agreeing reviewer pairs
    deviations: dict[int, float | None]  # reviewer id -> mean deviation in percentage points
    spread: float | None = None  # mean (highest − lowest share) × 100 over the calls

    @property
    def differing(self) -> list[int]:
        """Reviewers whose deviation is at least DIFFERS_AT points either way."""
        return [reviewer for reviewer, value in self.deviations.items()
                if value is not None and abs(value) >= DIFFERS_AT - 1e-9]


@dataclass
class CalibrationReport:
    call_ids: list[int]
    reviewers: dict[int, str]  # reviewer id -> display name
    reference_reviewer_id: int | None
    questions: list[QuestionAgreement] = field(default_factory=list)
    scores: dict[int, dict[int, float | None]] = field(default_factory=dict)  # call -> reviewer -> score
    score_deviations: dict[int, float | None] = field(default_factory=dict)  # reviewer -> mean deviation


def open_calibration(session: Session, actor: User, call_id: int, rubric_slug: str | None = None) -> Evaluation:
    """The actor's blind calibration evaluation of a call."""
    require(actor, REVIEW_CALLS)
    return open_evaluation(session, actor, call_id, rubric_slug=rubric_slug, kind="calibration")


def calibration_calls(session: Session, actor: User) -> list[tuple[int, int]]:
    """Calls with calibration evaluations: (call id, number of reviewers who submitted), newest first."""
    require(actor, REVIEW_CALLS)
    found: dict[int, set[int]] = defaultdict(set)
    for call_id, reviewer_id in session.execute(
            select(Evaluation.call_id, Evaluation.reviewer_id).where(
                Evaluation.kind == "calibration", Evaluation.status == "submitted", visible_evaluations(actor))):
        found[call_id].add(reviewer_id)
    return sorted(((call_id, len(reviewers)) for call_id, reviewers in found.items()), reverse=True)


def _deviation(values: dict[int, float], reference_id: int | None) -> dict[int, float]:
    if reference_id is not None:
        if reference_id not in values:
            return {}
        baseline = values[reference_id]
    else:
        baseline = mean(values.values())
    return {reviewer: (value - baseline) * 100 for reviewer, value in values.items()}


def calibration_report(session: Session, actor: User, call_ids: list[int], *, reference_reviewer_id: int | None = None,
                       reviewer_ids: list[int] | None = None, lang: str = "ru", blind: bool = True) -> CalibrationReport:
    """Agreement and deviations over the submitted calibration evaluations of `call_ids` (by `reviewer_ids`
    when given: a round's members). With `blind`, a reviewer who still has a calibration draft on these calls
    sees the report only after submitting (a round checks this itself: calibration_rounds.round_report)."""
    if actor.role != "manager":
        require(actor, REVIEW_CALLS)
    for call_id in call_ids:
        get_call(session, actor, call_id)  # another team's calls are refused, not silently left out
    statement = select(Evaluation).where(
        Evaluation.kind == "calibration", Evaluation.call_id.in_(call_ids), visible_evaluations(actor))
    if reviewer_ids is not None:
        statement = statement.where(Evaluation.reviewer_id.in_(reviewer_ids))
    evaluations = list(session.scalars(statement.order_by(Evaluation.id)))
    if blind and any(e.reviewer_id == actor.id and e.status != "submitted" for e in evaluations):
        raise ValidationError("Submit your own calibration scores of these calls first, so you score blind.")
    submitted = [e for e in evaluations if e.status == "submitted"]
    names = {user.id: user.display_name for user in session.scalars(
        select(User).where(User.id.in_({e.reviewer_id for e in submitted})))}
    if reference_reviewer_id is not None and reference_reviewer_id not in names:
        raise ValidationError("The reference reviewer has not submitted a calibration score of these calls.")
    report = CalibrationReport(sorted(call_ids), names, reference_reviewer_id)
    # question -> call -> reviewer -> (answer, share of points)
    answers: dict[str, dict[int, dict[int, tuple]]] = defaultdict(lambda: defaultdict(dict))
    texts: dict[str, str] = {}
    for evaluation in submitted:
        call = session.get(Call, evaluation.call_id)
        rubric = rubric_for(session, evaluation)
        stored = stored_answers(evaluation)
        report.scores.setdefault(call.id, {})[evaluation.reviewer_id] = evaluation.score
        for section in rubric.sections_for(rubric_call_kind(session, call.call_kind)):
            for question in section.questions:
                if not question.scores or question.id not in stored:
                    continue
                texts.setdefault(question.id, question.text.get(lang))
                answer = stored[question.id]
                answers[question.id][call.id][evaluation.reviewer_id] = (
                    (answer.value, answer.na), answer_ratio(question, answer))
    for question_id, per_call in answers.items():
        agreeing = pairs = 0
        deviations: dict[int, list[float]] = defaultdict(list)
        spreads: list[float] = []
        for by_reviewer in per_call.values():
            for (_, (first, _r1)), (_, (second, _r2)) in combinations(sorted(by_reviewer.items()), 2):
                pairs += 1
                agreeing += first == second
            shares = {reviewer: share for reviewer, (_, share) in by_reviewer.items() if share is not None}
            for reviewer, deviation in _deviation(shares, reference_reviewer_id).items() if shares else ():
                deviations[reviewer].append(deviation)
            if len(shares) > 1:
                spreads.append((max(shares.values()) - min(shares.values())) * 100)
        report.questions.append(QuestionAgreement(
            question_id, texts[question_id], agreeing / pairs * 100 if pairs else None,
            {reviewer: mean(deviations[reviewer]) if deviations.get(reviewer) else None for reviewer in names},
            mean(spreads) if spreads else None))
    score_deviations: dict[int, list[float]] = defaultdict(list)
    for by_reviewer in report.scores.values():
        shares = {reviewer: score / 100 for reviewer, score in by_reviewer.items() if score is not None}
        for reviewer, deviation in _deviation(shares, reference_reviewer_id).items() if shares else ():
            score_deviations[reviewer].append(deviation)
    report.score_deviations = {reviewer: mean(score_deviations[reviewer]) if score_deviations.get(reviewer) else None
                               for reviewer in names}
    return report


def calibration_table(report: CalibrationReport, caption: str, lang: str) -> ReportTable:
    """The report as the CSV, XLSX and PDF writers take it: per question the agreement, the spread, each
    reviewer's deviation and who differs; the overall score's deviations last."""
    def t(ru: str, en: str) -> str:
        return ru if lang == "ru" else en

    reviewers = list(report.reviewers.items())
    columns = (Column(t("Вопрос", "Question")), Column(t("Согласие, %", "Agreement, %"), "number"),
               Column(t("Разброс, п. п.", "Spread, points"), "number"),
               *(Column(name, "number") for _, name in reviewers), Column(t("Расходятся", "Differ")))
    rows = [(q.text, q.agreement, q.spread, *(q.deviations.get(r) for r, _ in reviewers),
             ", ".join(report.reviewers[r] for r in q.differing)) for q in report.questions]
    rows.append((t("Итоговая оценка", "Overall score"), None, None,
                 *(report.score_deviations.get(r) for r, _ in reviewers), ""))
    return ReportTable(t("Калибровка", "Calibration"), caption, columns, rows, lang)
