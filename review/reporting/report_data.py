"""The rows reports are computed from: a report's scope, the submitted supervisor evaluations in it, each
answered question's pass or miss, and the strengths and growth areas of the period's review sessions.

Nothing here checks who asks: `review.reporting.reports` checks access and passes in the operators the actor may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from review.errors import ValidationError
from review.models import Answer, Call, Evaluation, ReviewSession, RubricRecord, RubricVersion, SessionNote
from review.scoring.rubric_store import rubric_of
from rubrics import Answer as RubricAnswer
from rubrics import Question, Rubric, earned_points

# Float noise must not turn full marks into a miss (the scoring engine uses the same tolerance).
_EPSILON = 1e-9
_CHUNK = 500  # evaluation ids per IN (...) list: well under every backend's parameter limit


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: a period (both days included) and optional team, operator and rubric filters."""

    start: date
    end: date
    team_id: int | None = None
    operator_id: int | None = None
    rubric_slug: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("The report period ends ({end}) before it starts ({start}); choose the dates again.",
                                  end=f"{self.end:%d.%m.%Y}", start=f"{self.start:%d.%m.%Y}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> ReportScope:
        """The period of the same length right before this one, with the same filters."""
        return replace(self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        """[first moment, first moment after the period) for comparing timestamps."""
        return datetime.combine(self.start, time.min), datetime.combine(self.end + timedelta(days=1), time.min)


@dataclass(frozen=True)
class EvaluatedCall:
    id: int  # the evaluation's id
    operator_id: int
    day: date
    score: float | None
    critical: float | None
    fatal: bool
    version_id: int
    slug: str


@dataclass(frozen=True)
class Outcome:
    evaluation: EvaluatedCall
    question_id: str
    passed: bool


@dataclass(frozen=True)
class NamedNote:
    session_id: int
    kind: str  # strength | growth
    question_id: str | None
    text: str
    slug: str
    version_id: int


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def supervisor_evaluations(session: Session, operator_ids: Select, scope: ReportScope) -> list[EvaluatedCall]:
    """Submitted supervisor evaluations of these operators' calls in the period (dated by the call's start, or
    by the submission when the call has no start time)."""
    when = func.coalesce(Call.started_at, Evaluation.submitted_at)
    low, high = scope.bounds()
    statement = (select(Evaluation.id, Call.operator_id, when, Evaluation.score, Evaluation.critical_score,
                        Evaluation.fatal, Evaluation.rubric_version_id, RubricRecord.slug)
                 .join(Call, Call.id == Evaluation.call_id)
                 .join(RubricVersion, RubricVersion.id == Evaluation.rubric_version_id)
                 .join(RubricRecord, RubricRecord.id == RubricVersion.rubric_id)
                 .where(Evaluation.kind == "supervisor", Evaluation.status == "submitted",
                        Call.operator_id.in_(operator_ids), when >= low, when < high)
                 .order_by(Evaluation.id))
    if scope.rubric_slug is not None:
        statement = statement.where(RubricRecord.slug == scope.rubric_slug)
    found = []
    for row in session.execute(statement):
        # SQLite hands back COALESCE of two timestamps as text.
        at = row[2] if isinstance(row[2], datetime) else datetime.fromisoformat(str(row[2]))
        found.append(EvaluatedCall(row[0], row[1], at.date(), row[3], row[4], bool(row[5]), row[6], row[7]))
    return found


class RubricTitles:
    """Rubric versions parsed once per report; a question's title comes from the newest version that has it."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._by_version: dict[int, tuple[str, int, Rubric]] = {}
        self._questions: dict[int, dict[str, Question]] = {}

    def of(self, version_id: int) -> Rubric:
        if version_id not in self._by_version:
            version = self._session.get(RubricVersion, version_id)
            self._by_version[version_id] = (version.rubric.slug, version.number, rubric_of(version))
        return self._by_version[version_id][2]

    def question(self, version_id: int, question_id: str) -> Question | None:
        if version_id not in self._questions:
            self._questions[version_id] = {question.id: question for question in self.of(version_id).questions()}
        return self._questions[version_id].get(question_id)

    def titles(self, slug: str, question_id: str, lang: str) -> tuple[str, str]:
        """(section title, question text), or ("—", the id) when no version loaded so far has the question."""
        for known_slug, _number, rubric in sorted(self._by_version.values(), key=lambda v: -v[1]):
            if known_slug != slug:
                continue
            for section in rubric.sections:
                for question in section.questions:
                    if question.id == question_id:
                        return section.title.get(lang), question.text.get(lang)
        return "—", question_id

    def rubric_title(self, slug: str, lang: str) -> str:
        """The rubric's title on its newest loaded version (the slug when none is loaded)."""
        versions = [(number, rubric) for known_slug, number, rubric in self._by_version.values() if known_slug == slug]
        return max(versions, key=lambda v: v[0])[1].title.get(lang) if versions else slug

    def position(self, slug: str, question_id: str) -> int:
        """Where the question stands on the newest loaded version's form (unknown ones last)."""
        for known_slug, _number, rubric in sorted(self._by_version.values(), key=lambda v: -v[1]):
            if known_slug == slug:
                ids = [question.id for question in rubric.questions()]
                if question_id in ids:
                    return ids.index(question_id)
        return 10_000


def question_outcomes(session: Session, rubrics: RubricTitles, evaluations: list[EvaluatedCall]) -> list[Outcome]:
    """Pass or miss of every answered, scoring, non-N/A question of these evaluations."""
    by_id = {evaluation.id: evaluation for evaluation in evaluations}
    ids = list(by_id)
    outcomes = []
    for first in range(0, len(ids), _CHUNK):
        for evaluation_id, question_id, value, na in session.execute(
                select(Answer.evaluation_id, Answer.question_id, Answer.value, Answer.na)
                .where(Answer.evaluation_id.in_(ids[first:first + _CHUNK])).order_by(Answer.evaluation_id, Answer.id)):
            evaluation = by_id[evaluation_id]
            question = rubrics.question(evaluation.version_id, question_id)
            stored = (value or {}).get("v")
            # A question the pinned version lacks, N/A, a note: nothing to pass or miss.
            if question is None or na or stored is None or not question.scores:
                continue
            got = earned_points(question, RubricAnswer(stored))
            if got is not None:
                outcomes.append(Outcome(evaluation, question_id, got >= question.max_points - _EPSILON))
    return outcomes


def pass_rates(outcomes: Iterable[Outcome]) -> dict[tuple[str, str], tuple[int, float]]:
    """(rubric slug, question id) -> (evaluations that answered it, pass rate in percent)."""
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        counts = tally[(outcome.evaluation.slug, outcome.question_id)]
        counts[0] += 1
        counts[1] += outcome.passed
    return {key: (answered, passed / answered * 100) for key, (answered, passed) in tally.items()}


def _sessions_statement(statement: Select, operator_ids: Select, scope: ReportScope) -> Select:
    low, high = scope.bounds()
    statement = statement.where(ReviewSession.operator_id.in_(operator_ids), ReviewSession.created_at >= low,
                                ReviewSession.created_at < high)
    if scope.rubric_slug is not None:
        statement = statement.where(ReviewSession.rubric_version_id.in_(
            select(RubricVersion.id).join(RubricRecord, RubricRecord.id == RubricVersion.rubric_id)
            .where(RubricRecord.slug == scope.rubric_slug)))
    return statement


def named_notes(session: Session, operator_ids: Select, scope: ReportScope) -> list[NamedNote]:
    """Strengths and growth areas of the review sessions created in the period."""
    statement = (select(SessionNote.session_id, SessionNote.kind, SessionNote.question_id, SessionNote.text,
                        RubricRecord.slug, ReviewSession.rubric_version_id)
                 .join(ReviewSession, ReviewSession.id == SessionNote.session_id)
                 .join(RubricVersion, RubricVersion.id == ReviewSession.rubric_version_id)
                 .join(RubricRecord, RubricRecord.id == RubricVersion.rubric_id)
                 .where(SessionNote.kind.in_(("growth", "strength")))
                 .order_by(SessionNote.id))
    return [NamedNote(*row) for row in session.execute(_sessions_statement(statement, operator_ids, scope))]


def sessions_count(session: Session, operator_ids: Select, scope: ReportScope) -> int:
    statement = _sessions_statement(select(func.count(ReviewSession.id)), operator_ids, scope)
    return session.scalar(statement) or 0
