"""Everything the review screen shows for one call, gathered in one unit of work as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.review_workspace.comments_panel import CommentRow
from app.review_workspace.transcript_model import Turn, turns_from_segments
from review.access import REVIEW_CALLS, can
from review.db import Database
from review.errors import AccessDenied
from review.evaluations import (
    StoredAnswer,
    call_comments,
    open_evaluation,
    rubric_for,
    score_of,
    stored_answers,
)
from review.library import call_segments, get_call, list_operators
from review.models import Call, User
from rubrics import Rubric, ScoreResult


@dataclass
class ReviewData:
    call: Call  # detached, with its operator loaded
    operator_name: str | None
    turns: list[Turn]
    evaluation_id: int | None
    evaluation_kind: str | None
    submitted: bool
    submitted_at: datetime | None
    rubric: Rubric | None
    answers: dict[str, StoredAnswer]
    score: ScoreResult | None
    comments: list[CommentRow]
    operator_names: list[str]
    may_edit_metadata: bool
    no_evaluation_reason: str | None = None


def comment_rows(session, actor: User, call_id: int, rubric: Rubric | None, lang: str) -> list[CommentRow]:
    rows = []
    from review.models import User as UserRow

    names: dict[int, str] = {}
    for comment in call_comments(session, actor, call_id):
        if comment.author_id not in names:
            author = session.get(UserRow, comment.author_id)
            names[comment.author_id] = author.display_name if author else "?"
        question = None
        if comment.question_id and rubric is not None:
            try:
                question = rubric.question(comment.question_id).text.get(lang)
            except KeyError:
                question = comment.question_id
        rows.append(CommentRow(comment.id, comment.at_s, comment.end_s, comment.text, names[comment.author_id],
                               question, comment.author_id == actor.id))
    return rows


def load_review(db: Database, actor: User, call_id: int, lang: str,
                review_session_id: int | None = None) -> ReviewData:
    """Open (or create) the actor's evaluation of the call and read what the screen needs.

    Raises NotFound / AccessDenied when the call is not there or not the actor's to see.
    """
    with db.unit_of_work() as session:
        call = get_call(session, actor, call_id)
        operator_name = call.operator.name if call.operator else None
        turns = turns_from_segments(call_segments(session, actor, call_id))
        evaluation = rubric = score = None
        answers: dict[str, StoredAnswer] = {}
        reason = None
        try:
            evaluation = open_evaluation(session, actor, call_id, review_session_id=review_session_id)
        except AccessDenied as exc:
            reason = str(exc)  # e.g. a manager: may listen and read, not score
        if evaluation is not None:
            rubric = rubric_for(session, evaluation)
            answers = stored_answers(evaluation)
            score = score_of(session, evaluation)
        comments = comment_rows(session, actor, call_id, rubric, lang)
        operators = [o.name for o in list_operators(session, actor)]
        return ReviewData(
            call=call, operator_name=operator_name, turns=turns,
            evaluation_id=evaluation.id if evaluation else None,
            evaluation_kind=evaluation.kind if evaluation else None,
            submitted=bool(evaluation and evaluation.status == "submitted"),
            submitted_at=evaluation.submitted_at if evaluation else None,
            rubric=rubric, answers=answers, score=score, comments=comments, operator_names=operators,
            may_edit_metadata=can(actor, REVIEW_CALLS), no_evaluation_reason=reason)
