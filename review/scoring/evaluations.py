"""Evaluations: answers saved as the reviewer works, submitted once complete, reopened only with a reason.

The score always comes from `rubrics.score` over the pinned rubric version, never from anything stored.
Self-evaluations are the operator's own; a supervisor's answers stay hidden from the operator until both
evaluations of the call are submitted (blind scoring).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import REVIEW_CALLS, SELF_REVIEW, can, require, require_call_visible
from review.audit.trail import record
from review.errors import AccessDenied, NotFound, ValidationError
from review.library.calls import get_call
from review.library.vocabularies import rubric_call_kind
from review.models import (
    Answer,
    CalibrationCall,
    CalibrationMember,
    CalibrationRound,
    Call,
    Comment,
    Evaluation,
    Message,
    RubricVersion,
    User,
    utcnow,
)
from review.scoring.rubric_store import latest_published, rubric_of, rubric_slug_for_call
from rubrics import Answer as RubricAnswer
from rubrics import AnswerError, Rubric, ScoreContext, ScoreResult, earned_points, score


@dataclass(frozen=True)
class StoredAnswer:
    question_id: str
    value: bool | int | str | None
    na: bool
    comment: str | None

    def as_rubric_answer(self) -> RubricAnswer:
        return RubricAnswer.not_applicable() if self.na else RubricAnswer(self.value)


def _kind_for(actor: User, call: Call) -> str:
    if actor.role == "operator":
        return "self"
    return "supervisor"


def _check_may_review(actor: User, call: Call, kind: str) -> None:
    require_call_visible(actor, call)
    if kind == "self":
        require(actor, SELF_REVIEW)
        if call.operator_id is None or call.operator_id != actor.operator_id:
            raise AccessDenied("A self-review is only for the operator's own calls.")
    else:
        require(actor, REVIEW_CALLS)


def get_evaluation(session: Session, actor: User, evaluation_id: int) -> Evaluation:
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise NotFound("Evaluation #{id} does not exist.", id=evaluation_id)
    call = session.get(Call, evaluation.call_id)
    require_call_visible(actor, call)
    if evaluation.reviewer_id != actor.id and not _may_see_others(session, actor, evaluation):
        raise AccessDenied("This evaluation is not visible to you yet.")
    return evaluation


def _blind_in_calibration(session: Session, actor: User, evaluation: Evaluation) -> bool:
    """Whether another member's calibration score (or its comments) is hidden from the actor: they take part
    in an open round with this call and have not submitted their own score of it yet."""
    if evaluation.kind != "calibration" or evaluation.reviewer_id == actor.id:
        return False
    in_open_round = session.scalar(
        select(CalibrationRound.id).join(CalibrationCall, CalibrationCall.round_id == CalibrationRound.id)
        .join(CalibrationMember, CalibrationMember.round_id == CalibrationRound.id)
        .where(CalibrationCall.call_id == evaluation.call_id, CalibrationMember.user_id == actor.id,
               CalibrationRound.closed_at.is_(None)).limit(1))
    if in_open_round is None:
        return False
    own = session.scalar(select(Evaluation.status).where(
        Evaluation.call_id == evaluation.call_id, Evaluation.reviewer_id == actor.id,
        Evaluation.kind == "calibration"))
    return own != "submitted"


def _may_see_others(session: Session, actor: User, evaluation: Evaluation) -> bool:
    if actor.role in ("admin", "supervisor", "manager"):
        return not _blind_in_calibration(session, actor, evaluation)
    # An operator sees a supervisor's evaluation of their call only once both sides have submitted.
    if evaluation.status != "submitted":
        return False
    own = session.scalar(select(Evaluation).where(Evaluation.call_id == evaluation.call_id,
                                                  Evaluation.reviewer_id == actor.id, Evaluation.kind == "self"))
    return own is not None and own.status == "submitted"


@dataclass(frozen=True)
class DraftPlan:
    """An evaluation not stored yet: what `start_evaluation` stores once the reviewer answers or comments."""

    call_id: int
    kind: str
    rubric_version_id: int
    review_session_id: int | None = None


def plan_evaluation(session: Session, actor: User, call_id: int, *, rubric_slug: str | None = None,
                    kind: str | None = None, review_session_id: int | None = None,
                    default_rubric: str | None = None, rubric_version_id: int | None = None) -> Evaluation | DraftPlan:
    """The actor's evaluation of this call (draft or submitted), or the plan of a new one, which stores nothing:
    merely opening a call must not count it as reviewed. The plan pins the newest published version of
    `rubric_slug`, else of the rubric that fits the call (its channel and call kind), else of `default_rubric`
    (the user's setting). `rubric_version_id` pins an exact version (a review session's), so both sides of a
    session score against the same form even if the rubric is republished. Raises AccessDenied when the actor
    may not score the call."""
    call = get_call(session, actor, call_id)
    kind = kind or _kind_for(actor, call)
    _check_may_review(actor, call, kind)
    statement = select(Evaluation).where(Evaluation.call_id == call_id, Evaluation.reviewer_id == actor.id,
                                         Evaluation.kind == kind).order_by(Evaluation.id.desc())
    if review_session_id is not None:
        statement = statement.where(Evaluation.session_id == review_session_id)
    existing = session.scalars(statement).first()
    if existing is not None:
        return existing
    if rubric_version_id is not None:
        version = session.get(RubricVersion, rubric_version_id)
        if version is None or version.status != "published":
            raise NotFound("Rubric version #{id} is not published.", id=rubric_version_id)
    else:
        version = latest_published(session, rubric_slug or rubric_slug_for_call(session, call, default_rubric))
    return DraftPlan(call_id, kind, version.id, review_session_id)


def start_evaluation(session: Session, actor: User, plan: DraftPlan) -> Evaluation:
    """Store the planned draft, pinned to the plan's rubric version (the form the reviewer was shown); if one was
    stored meanwhile (another window), that one."""
    found = plan_evaluation(session, actor, plan.call_id, kind=plan.kind, review_session_id=plan.review_session_id,
                            rubric_version_id=plan.rubric_version_id)
    if isinstance(found, Evaluation):
        return found
    evaluation = Evaluation(call_id=plan.call_id, rubric_version_id=plan.rubric_version_id, reviewer_id=actor.id,
                            kind=plan.kind, session_id=plan.review_session_id)
    session.add(evaluation)
    session.flush()
    record(session, actor, "create", evaluation,
           new={"call": plan.call_id, "rubric_version": plan.rubric_version_id, "kind": plan.kind})
    return evaluation


def open_evaluation(session: Session, actor: User, call_id: int, *, rubric_slug: str | None = None,
                    kind: str | None = None, review_session_id: int | None = None,
                    default_rubric: str | None = None, rubric_version_id: int | None = None) -> Evaluation:
    """The actor's evaluation of this call, stored now if there is none yet (see `plan_evaluation`)."""
    found = plan_evaluation(session, actor, call_id, rubric_slug=rubric_slug, kind=kind,
                            review_session_id=review_session_id, default_rubric=default_rubric,
                            rubric_version_id=rubric_version_id)
    return found if isinstance(found, Evaluation) else start_evaluation(session, actor, found)


def rubric_of_plan(session: Session, plan: DraftPlan) -> Rubric:
    return rubric_of(session.get(RubricVersion, plan.rubric_version_id))


def rubric_for(session: Session, evaluation: Evaluation) -> Rubric:
    return rubric_of(session.get(RubricVersion, evaluation.rubric_version_id))


def stored_answers(evaluation: Evaluation) -> dict[str, StoredAnswer]:
    return {a.question_id: StoredAnswer(a.question_id, (a.value or {}).get("v"), a.na, a.comment)
            for a in evaluation.answers}


def score_of(session: Session, evaluation: Evaluation) -> ScoreResult:
    """The evaluation's score, computed now from its answers and pinned rubric version."""
    call = session.get(Call, evaluation.call_id)
    answers = stored_answers(evaluation)
    return score(rubric_for(session, evaluation), {q: a.as_rubric_answer() for q, a in answers.items()},
                 ScoreContext(call_kind=rubric_call_kind(session, call.call_kind)), {q: a.comment or "" for q, a in answers.items()})


def _refresh_score(session: Session, evaluation: Evaluation) -> ScoreResult:
    result = score_of(session, evaluation)
    evaluation.score, evaluation.computed_score = result.overall, result.computed
    evaluation.critical_score, evaluation.fatal = result.critical, bool(result.fatal)
    return result


def _editable(session: Session, actor: User, evaluation_id: int) -> Evaluation:
    evaluation = get_evaluation(session, actor, evaluation_id)
    if evaluation.reviewer_id != actor.id:
        raise AccessDenied("Only the reviewer who made an evaluation can change its answers.")
    if evaluation.status != "draft":
        raise ValidationError("This evaluation is submitted; reopen it (with a reason) to change answers.")
    return evaluation


def set_answer(session: Session, actor: User, evaluation_id: int, question_id: str, *,
               value: bool | int | str | None = None, na: bool = False, comment: str | None = None,
               clear: bool = False, suggested: tuple[bool | int | str, str | None] | None = None) -> ScoreResult:
    """Save one answer (or clear it) and return the new score. Raises ValidationError for an answer that
    does not fit the question. `suggested` (the answer the checks suggested, the deciding check) is kept
    beside the answer with whether the two match; the suggestion is never the answer itself."""
    evaluation = _editable(session, actor, evaluation_id)
    rubric = rubric_for(session, evaluation)
    try:
        question = rubric.question(question_id)
    except KeyError:
        raise ValidationError("The rubric has no question '{question}'.", question=question_id) from None
    existing = next((a for a in evaluation.answers if a.question_id == question_id), None)
    old = {"value": (existing.value or {}).get("v"), "na": existing.na, "comment": existing.comment} if existing else None
    if clear:
        if existing is not None:
            evaluation.answers.remove(existing)
        new = None
    else:
        try:
            earned_points(question, RubricAnswer.not_applicable() if na else RubricAnswer(value))
        except (AnswerError, ValueError) as exc:
            raise ValidationError(str(exc)) from exc
        if existing is None:
            existing = Answer(question_id=question_id)
            evaluation.answers.append(existing)
        existing.value = None if na else {"v": value}
        existing.na = na
        if suggested is not None:
            existing.suggested = {"v": suggested[0], "check": suggested[1]}
            existing.agreed = not na and value == suggested[0] and type(value) is type(suggested[0])
        else:
            existing.suggested = existing.agreed = None
        if comment is not None:
            existing.comment = comment.strip() or None
        new = {"value": value, "na": na, "comment": existing.comment}
    result = _refresh_score(session, evaluation)
    session.flush()
    if old != new:  # the same answer given again (or clearing none) is not a change worth a line in the trail
        record(session, actor, "answer", evaluation, old=old, new=new, note=question_id)
    return result


def set_answer_comment(session: Session, actor: User, evaluation_id: int, question_id: str, comment: str) -> ScoreResult:
    evaluation = _editable(session, actor, evaluation_id)
    existing = next((a for a in evaluation.answers if a.question_id == question_id), None)
    if existing is None:
        raise ValidationError("Answer the question before commenting on the answer.")
    old = existing.comment
    existing.comment = comment.strip() or None
    result = _refresh_score(session, evaluation)
    session.flush()
    record(session, actor, "answer_comment", evaluation, old={"comment": old}, new={"comment": existing.comment},
           note=question_id)
    return result


def submit(session: Session, actor: User, evaluation_id: int) -> ScoreResult:
    evaluation = _editable(session, actor, evaluation_id)
    result = _refresh_score(session, evaluation)
    if result.unanswered:
        raise ValidationError("Questions that still need an answer: {count}.", count=len(result.unanswered))
    if result.missing_required_comments:
        raise ValidationError("Answers that still need a comment: {count}.",
                              count=len(result.missing_required_comments))
    evaluation.status, evaluation.submitted_at = "submitted", utcnow()
    session.flush()
    record(session, actor, "submit", evaluation, new={"score": result.overall, "critical": result.critical})
    return result


def reopen(session: Session, actor: User, evaluation_id: int, reason: str) -> Evaluation:
    evaluation = get_evaluation(session, actor, evaluation_id)
    if evaluation.reviewer_id != actor.id and not can(actor, REVIEW_CALLS):
        raise AccessDenied("Only the reviewer or a supervisor can reopen an evaluation.")
    if evaluation.status != "submitted":
        raise ValidationError("Only a submitted evaluation can be reopened.")
    if not reason.strip():
        raise ValidationError("Say why the evaluation is reopened.")
    evaluation.status, evaluation.submitted_at = "draft", None
    session.flush()
    record(session, actor, "reopen", evaluation, old={"status": "submitted"}, new={"status": "draft"},
           note=reason.strip())
    return evaluation


def add_comment(session: Session, actor: User, call_id: int, at_s: float, text: str, *,
                end_s: float | None = None, evaluation_id: int | None = None,
                question_id: str | None = None, message_id: int | None = None) -> Comment:
    """A comment at a moment (or stretch) of a call, or on one message of a chat or e-mail thread (`message_id`;
    its time in the conversation is then `at_s`)."""
    if not (can(actor, REVIEW_CALLS) or can(actor, SELF_REVIEW)):
        raise AccessDenied("Only reviewers comment on calls.")
    call = get_call(session, actor, call_id)
    if not text.strip():
        raise ValidationError("A comment needs text.")
    if not 0 <= at_s <= call.duration_s + 0.5 or (end_s is not None and end_s < at_s):
        raise ValidationError("The comment's time is outside the call.")
    if evaluation_id is not None:
        evaluation = get_evaluation(session, actor, evaluation_id)
        if evaluation.call_id != call_id:
            raise ValidationError("The evaluation belongs to another call.")
    if message_id is not None:
        message = session.get(Message, message_id)
        if message is None or message.call_id != call_id:
            raise ValidationError("The message belongs to another conversation.")
    comment = Comment(call_id=call_id, evaluation_id=evaluation_id, author_id=actor.id, at_s=at_s, end_s=end_s,
                      question_id=question_id, text=text.strip(), message_id=message_id)
    session.add(comment)
    session.flush()
    record(session, actor, "comment", comment, new={"at_s": at_s, "text": comment.text, "question": question_id,
                                                    **({"message": message_id} if message_id else {})})
    return comment


def delete_comment(session: Session, actor: User, comment_id: int) -> None:
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("Comment #{id} does not exist.", id=comment_id)
    if comment.author_id != actor.id and actor.role != "admin":
        raise AccessDenied("Only the author can delete a comment.")
    record(session, actor, "delete", comment, old={"at_s": comment.at_s, "text": comment.text})
    session.delete(comment)
    session.flush()


def call_comments(session: Session, actor: User, call_id: int) -> list[Comment]:
    """Comments on a call the actor may see: their own, and others' once blind scoring (a self-review, a
    calibration round) is over."""
    get_call(session, actor, call_id)
    comments = list(session.scalars(select(Comment).where(Comment.call_id == call_id).order_by(Comment.at_s)))
    # Others' comments follow their evaluation: an operator's blind self-review, a member's blind calibration.
    seen: dict[int, bool] = {}
    visible = []
    for comment in comments:
        if comment.author_id == actor.id or comment.evaluation_id is None:
            visible.append(comment)
            continue
        if comment.evaluation_id not in seen:
            seen[comment.evaluation_id] = _may_see_others(session, actor,
                                                          session.get(Evaluation, comment.evaluation_id))
        if seen[comment.evaluation_id]:
            visible.append(comment)
    return visible


def evaluations_of_call(session: Session, actor: User, call_id: int) -> list[Evaluation]:
    get_call(session, actor, call_id)
    found = session.scalars(select(Evaluation).where(Evaluation.call_id == call_id).order_by(Evaluation.id))
    return [e for e in found if e.reviewer_id == actor.id or _may_see_others(session, actor, e)]
