"""How often reviewers took the checks' suggested answers: per question and per deciding check, over a period.

Counted: the answers of the evaluations the other reports count (submitted supervisor evaluations of the
in-scope operators' calls in the period, review.reporting.report_data.supervisor_evaluations) that were given
while a suggestion was shown. Agreement = answers equal to the suggestion / answers given with one, as a
percentage; an N/A over a suggested answer is a disagreement. A check is counted where it decided the
suggestion. A low figure points at a check to fix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import VIEW_REPORTS, require, require_operator_visible, visible_operators
from review.errors import AccessDenied, NotFound
from review.models import Answer, Operator, User
from review.reporting.report_data import ReportScope, RubricTitles, supervisor_evaluations

# Evaluation ids per query: SQLite limits the parameters of one statement.
_CHUNK = 500


@dataclass(frozen=True)
class AgreementRow:
    rubric_slug: str
    question_id: str
    question: str  # the question's text in the report's language
    check_id: str | None  # None on a question's own row
    suggested: int  # answers given while a suggestion was shown
    accepted: int  # of those, answers equal to the suggestion

    @property
    def agreement(self) -> float | None:
        """Accepted / suggested, as a percentage; None without suggestions."""
        return 100.0 * self.accepted / self.suggested if self.suggested else None


@dataclass(frozen=True)
class AgreementReport:
    questions: list[AgreementRow]
    checks: list[AgreementRow]


def suggestion_agreement(session: Session, actor: User, scope: ReportScope, *, lang: str = "ru") -> AgreementReport:
    """Agreement with the suggestions per question and per check, by rubric and then in form order."""
    require(actor, VIEW_REPORTS)
    # As every report: an operator or a team outside the actor's view is refused, not shown empty.
    if scope.operator_id is not None:
        operator = session.get(Operator, scope.operator_id)
        if operator is None:
            raise NotFound("Operator #{id} does not exist.", id=scope.operator_id)
        require_operator_visible(actor, operator)
    if scope.team_id is not None and actor.role == "supervisor" and actor.team_id not in (None, scope.team_id):
        raise AccessDenied("{name} (supervisor) sees reports for their own team only.", name=actor.display_name)
    operators = select(Operator.id).where(visible_operators(actor))
    if scope.team_id is not None:
        operators = operators.where(Operator.team_id == scope.team_id)
    if scope.operator_id is not None:
        operators = operators.where(Operator.id == scope.operator_id)
    evaluations = {e.id: e for e in supervisor_evaluations(session, operators, scope)}
    if not evaluations:
        return AgreementReport([], [])
    titles = RubricTitles(session)
    by_question: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    by_check: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    texts: dict[tuple[str, str], str] = {}
    ids = list(evaluations)
    rows = [row for first in range(0, len(ids), _CHUNK) for row in session.execute(
        select(Answer.evaluation_id, Answer.question_id, Answer.suggested, Answer.agreed)
        .where(Answer.evaluation_id.in_(ids[first:first + _CHUNK]), Answer.agreed.is_not(None)))]
    for evaluation_id, question_id, suggested, agreed in rows:
        evaluation = evaluations[evaluation_id]
        key = (evaluation.slug, question_id)
        if key not in texts:
            question = titles.question(evaluation.version_id, question_id)
            texts[key] = question.text.get(lang) if question is not None else question_id
        by_question[key][0] += 1
        by_question[key][1] += bool(agreed)
        check = (suggested or {}).get("check")
        if check:
            by_check[(*key, check)][0] += 1
            by_check[(*key, check)][1] += bool(agreed)
    def order(key: tuple) -> tuple:
        return key[0], titles.position(key[0], key[1]), key[2:]

    questions = [AgreementRow(slug, question, texts[(slug, question)], None, *counts)
                 for (slug, question), counts in sorted(by_question.items(), key=lambda item: order(item[0]))]
    checks = [AgreementRow(slug, question, texts[(slug, question)], check, *counts)
              for (slug, question, check), counts in sorted(by_check.items(), key=lambda item: order(item[0]))]
    return AgreementReport(questions, checks)
