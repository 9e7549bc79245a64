"""Disputes: an operator contests one answer of a supervisor's evaluation of their call, within a window set
for the workspace; the supervisor accepts (the answer changes through the evaluation service) or declines
with a reason. The dispute row keeps the old and new answers; the audit trail keeps every step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import (
    MANAGE_SETTINGS,
    REVIEW_CALLS,
    SELF_REVIEW,
    require,
    require_operator_id_visible,
    visible_evaluations,
)
from review.audit.trail import record
from review.errors import AccessDenied, NotFound, ValidationError
from review.models import Call, Dispute, Evaluation, User, utcnow
from review.scoring.evaluations import get_evaluation, reopen, rubric_for, set_answer, stored_answers, submit
from review.storage.workspace_settings import put_setting, setting_value

WINDOW_SETTING = "dispute_window_days"
DEFAULT_WINDOW_DAYS = 7


def dispute_window(session: Session) -> timedelta:
    return timedelta(days=(setting_value(session, WINDOW_SETTING) or {}).get("days", DEFAULT_WINDOW_DAYS))


def set_dispute_window(session: Session, actor: User, days: int) -> None:
    """How many days after a supervisor submits an evaluation the operator may dispute it (a workspace setting)."""
    require(actor, MANAGE_SETTINGS)
    if not 0 < days <= 365:
        raise ValidationError("The dispute window is between 1 and 365 days.")
    stored = setting_value(session, WINDOW_SETTING)
    old = dict(stored) if stored is not None else None
    put_setting(session, WINDOW_SETTING, {"days": days})
    record(session, actor, "setting", WINDOW_SETTING, old=old, new={"days": days})


def _answer_dict(evaluation: Evaluation, question_id: str) -> dict | None:
    answer = stored_answers(evaluation).get(question_id)
    return None if answer is None else {"value": answer.value, "na": answer.na, "comment": answer.comment}


def raise_dispute(session: Session, actor: User, evaluation_id: int, question_id: str, comment: str) -> Dispute:
    """The operator disputes one answer of a submitted supervisor evaluation of their own call."""
    require(actor, SELF_REVIEW)
    evaluation = get_evaluation(session, actor, evaluation_id)
    call = session.get(Call, evaluation.call_id)
    if call.operator_id is None or call.operator_id != actor.operator_id:
        raise AccessDenied("Only the operator whose call was scored can dispute its answers.")
    if evaluation.kind != "supervisor" or evaluation.status != "submitted":
        raise ValidationError("Only a submitted supervisor evaluation can be disputed.")
    window = dispute_window(session)
    if utcnow() - evaluation.submitted_at > window:
        raise ValidationError("The {days}-day window to dispute this evaluation has passed.", days=window.days)
    try:
        rubric_for(session, evaluation).question(question_id)
    except KeyError:
        raise ValidationError("The evaluation's rubric has no question '{question}'.", question=question_id) from None
    if not comment.strip():
        raise ValidationError("Explain why the answer is wrong.")
    if session.scalar(select(Dispute).where(Dispute.evaluation_id == evaluation_id, Dispute.question_id == question_id,
                                            Dispute.status == "open")):
        raise ValidationError("This answer is already disputed; wait for the supervisor's decision.")
    dispute = Dispute(evaluation_id=evaluation_id, question_id=question_id, raised_by=actor.id,
                      comment=comment.strip(), status="open", old_value=_answer_dict(evaluation, question_id))
    session.add(dispute)
    session.flush()
    record(session, actor, "dispute", dispute, old=dispute.old_value, new={"comment": dispute.comment},
           note=question_id)
    return dispute


def _open_dispute(session: Session, actor: User, dispute_id: int) -> Dispute:
    require(actor, REVIEW_CALLS)
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound("Dispute #{id} does not exist.", id=dispute_id)
    if dispute.status != "open":
        if dispute.status == "accepted":
            raise ValidationError("This dispute was already accepted.")
        raise ValidationError("This dispute was already declined.")
    get_evaluation(session, actor, dispute.evaluation_id)
    return dispute


def argued_answer(question, old: dict | None):
    """The answer the operator argues for: the opposite of a yes/no, otherwise the best level or option."""
    if question.type == "yes_no":
        return not (old or {}).get("value")
    if question.type == "scale":
        return max(level.value for level in question.levels)
    if question.type == "choice":
        return max(question.options, key=lambda o: o.points).key
    return (old or {}).get("value")


def accept_dispute(session: Session, actor: User, dispute_id: int, *, value: bool | int | str | None = None,
                   na: bool = False, reason: str, argued: bool = False) -> Dispute:
    """Change the disputed answer to `value` (or N/A; with `argued`, to the answer the operator argues for):
    the evaluation is reopened, answered and submitted again by its reviewer through the evaluation service,
    so its score is recomputed."""
    dispute = _open_dispute(session, actor, dispute_id)
    evaluation = session.get(Evaluation, dispute.evaluation_id)
    if argued:
        value = argued_answer(rubric_for(session, evaluation).question(dispute.question_id), dispute.old_value)
    if evaluation.reviewer_id != actor.id:
        reviewer = session.get(User, evaluation.reviewer_id)
        raise AccessDenied("Only {name}, who scored this call, can change the answer.", name=reviewer.display_name)
    if not reason.strip():
        raise ValidationError("Say why the answer changes.")
    reopen(session, actor, evaluation.id, f"Dispute #{dispute.id} accepted: {reason.strip()}")
    existing = stored_answers(evaluation).get(dispute.question_id)
    set_answer(session, actor, evaluation.id, dispute.question_id, value=None if na else value, na=na,
               comment=existing.comment if existing and existing.comment else reason.strip())
    submit(session, actor, evaluation.id)
    return _close(session, actor, dispute, "accepted", reason, _answer_dict(evaluation, dispute.question_id))


def decline_dispute(session: Session, actor: User, dispute_id: int, reason: str) -> Dispute:
    dispute = _open_dispute(session, actor, dispute_id)
    if not reason.strip():
        raise ValidationError("Say why the answer stays as it is.")
    return _close(session, actor, dispute, "declined", reason, None)


def _close(session: Session, actor: User, dispute: Dispute, status: str, reason: str, new_value: dict | None) -> Dispute:
    dispute.status, dispute.resolution, dispute.new_value = status, reason.strip(), new_value
    dispute.resolved_by, dispute.resolved_at = actor.id, utcnow()
    session.flush()
    record(session, actor, status, dispute, old=dispute.old_value, new=new_value, note=dispute.resolution)
    return dispute


@dataclass(frozen=True)
class DisputeRow:
    id: int
    evaluation_id: int
    call_id: int
    operator_id: int | None
    question_id: str
    question_text: str
    comment: str
    status: str
    old_value: dict | None
    new_value: dict | None
    resolution: str | None
    created_at: datetime
    resolved_at: datetime | None


def list_disputes(session: Session, actor: User, *, status: str | None = None, lang: str = "ru") -> list[DisputeRow]:
    """Disputes the actor may see (an operator: their own), newest first."""
    statement = (select(Dispute, Evaluation, Call.operator_id).join(Evaluation, Evaluation.id == Dispute.evaluation_id)
                 .join(Call, Call.id == Evaluation.call_id).where(visible_evaluations(actor))
                 .order_by(Dispute.id.desc()))
    if actor.role == "operator":
        statement = statement.where(Dispute.raised_by == actor.id)
    if status:
        statement = statement.where(Dispute.status == status)
    rows = []
    for dispute, evaluation, operator_id in session.execute(statement):
        require_operator_id_visible(session, actor, operator_id)
        try:
            text = rubric_for(session, evaluation).question(dispute.question_id).text.get(lang)
        except KeyError:
            text = dispute.question_id
        rows.append(DisputeRow(dispute.id, evaluation.id, evaluation.call_id, operator_id, dispute.question_id, text,
                               dispute.comment, dispute.status, dispute.old_value, dispute.new_value,
                               dispute.resolution, dispute.created_at, dispute.resolved_at))
    return rows
