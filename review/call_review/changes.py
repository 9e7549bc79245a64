"""What the review screen changes, as the acting reviewer, each in one unit of work run off the GUI thread:
answers, answer comments, timestamped comments, submit and reopen, the "thanked" mark, the call's details.
The first answer or comment stores the planned draft: opening a call stores nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from review.call_review.screen import CommentRow, comment_rows
from review.library.call_edits import update_call_metadata
from review.models import Call, User
from review.reporting.recognition import mark_thanked
from review.scoring.evaluations import (
    DraftPlan,
    StoredAnswer,
    add_comment,
    delete_comment,
    get_evaluation,
    reopen,
    set_answer,
    set_answer_comment,
    start_evaluation,
    stored_answers,
    submit,
)
from review.sessions.review_sessions import open_session_evaluation
from review.transcripts.hearing import set_hearing
from review.workspace import Workspace
from rubrics import Rubric, ScoreResult


@dataclass(frozen=True)
class Draft:
    """The evaluation a change goes to: the stored one, or the plan the first change stores."""

    evaluation_id: int | None
    plan: DraftPlan | None


def _stored_evaluation_id(session: Session, actor: User, draft: Draft) -> int:
    if draft.evaluation_id is not None:
        return draft.evaluation_id
    plan = draft.plan
    if plan.review_session_id is not None:  # the session's checks again: it may have closed meanwhile
        return open_session_evaluation(session, actor, plan.review_session_id, plan.call_id).id
    return start_evaluation(session, actor, plan).id


@dataclass(frozen=True)
class AnswerSaved:
    evaluation_id: int
    score: ScoreResult
    answers: dict[str, StoredAnswer]


def save_answer(ws: Workspace, draft: Draft, question_id: str, *, value: object, na: bool, comment: str | None,
                clear: bool, suggested: tuple | None) -> AnswerSaved:
    """Store one answer (or clear it); the draft is stored first when there is none yet."""
    with ws.changing() as session:
        evaluation_id = _stored_evaluation_id(session, ws.actor, draft)
        result = set_answer(session, ws.actor, evaluation_id, question_id, value=None if na else value, na=na,
                            comment=comment, clear=clear, suggested=suggested)
        return AnswerSaved(evaluation_id, result, stored_answers(get_evaluation(session, ws.actor, evaluation_id)))


def save_answer_comment(ws: Workspace, evaluation_id: int, question_id: str, text: str) -> ScoreResult:
    with ws.changing() as session:
        return set_answer_comment(session, ws.actor, evaluation_id, question_id, text)


def submit_evaluation(ws: Workspace, evaluation_id: int) -> tuple[ScoreResult, datetime | None]:
    """Submit; raises ValidationError naming what is still missing."""
    with ws.changing() as session:
        result = submit(session, ws.actor, evaluation_id)
        return result, get_evaluation(session, ws.actor, evaluation_id).submitted_at


def reopen_evaluation(ws: Workspace, evaluation_id: int, reason: str) -> None:
    with ws.changing() as session:
        reopen(session, ws.actor, evaluation_id, reason)


@dataclass(frozen=True)
class CommentSaved:
    evaluation_id: int | None  # the reviewer's evaluation the comment belongs to (stored by it, if need be)
    comments: list[CommentRow]  # the call's comments now


def save_comment(ws: Workspace, call_id: int, draft: Draft | None, at_s: float, end_s: float | None, text: str,
                 question_id: str | None, message_id: int | None, rubric: Rubric | None, lang: str) -> CommentSaved:
    """A comment at a moment of the call; a reviewer's (`draft` given) belongs to their evaluation."""
    with ws.changing() as session:
        evaluation_id = _stored_evaluation_id(session, ws.actor, draft) if draft is not None else None
        add_comment(session, ws.actor, call_id, at_s, text, end_s=end_s, evaluation_id=evaluation_id,
                    question_id=question_id, message_id=message_id)
        return CommentSaved(evaluation_id, comment_rows(session, ws.actor, call_id, rubric, lang))


def remove_comment(ws: Workspace, call_id: int, comment_id: int, rubric: Rubric | None, lang: str) -> list[CommentRow]:
    with ws.changing() as session:
        delete_comment(session, ws.actor, comment_id)
        return comment_rows(session, ws.actor, call_id, rubric, lang)


def set_thanked(ws: Workspace, call_id: int, thanked: bool) -> int:
    """Mark (or unmark) the patient's thanks; returns the call's new version."""
    with ws.changing() as session:
        mark_thanked(session, ws.actor, call_id, thanked)
        session.flush()
        return session.get(Call, call_id).version


def save_call_details(ws: Workspace, call_id: int, details: dict, hearing: dict, *,
                      expected_version: int | None) -> None:
    """Correct the call's details (guarded by `expected_version`: ConflictError when someone else edited them),
    then how it is heard (which changes the call's version, so it comes second, in its own unit of work)."""
    if details:
        with ws.changing() as session:
            update_call_metadata(session, ws.actor, call_id, expected_version=expected_version, **details)
    if hearing:
        with ws.changing() as session:
            set_hearing(session, ws.actor, call_id, **hearing)
