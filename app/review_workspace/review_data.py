"""Everything the review screen shows for one call, gathered in one unit of work as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.i18n import error_text
from app.review_workspace.comments_panel import CommentRow
from app.review_workspace.message_items import MessageItem, items_from_messages
from app.review_workspace.transcript_model import Turn, turns_from_segments
from review.accounts.access import EXPORT_DATA, REVIEW_CALLS, can
from review.analytics.stored import call_analytics
from review.desktop.user_settings import load_settings
from review.errors import AccessDenied
from review.library.calls import call_messages, call_segments, get_call, list_operators
from review.library.patient_thread import PatientThread, patient_thread
from review.library.vocabularies import rubric_call_kind
from review.models import WRITTEN_CHANNEL_KINDS, Call, User
from review.scoring.evaluations import (
    DraftPlan,
    StoredAnswer,
    call_comments,
    plan_evaluation,
    rubric_for,
    rubric_of_plan,
    score_of,
    stored_answers,
)
from review.scoring.suggestions import call_suggestions
from review.sessions.assigned_calls import assigned_calls
from review.sessions.calibration_rounds import plan_calibration_evaluation
from review.sessions.review_sessions import plan_session_evaluation
from review.storage.db import Database
from review.transcripts.excerpts import PersonalStretch, personal_data_stretches
from review.transcripts.hearing import Hearing, hearing_of
from review.workspace import Workspace
from rubrics import Rubric, ScoreContext, ScoreResult, score
from rubrics.check_matching import Suggestion
from transcription.conversation import ConversationAnalytics


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
    review_session_id: int | None = None  # the session this evaluation counts for
    may_export: bool = False
    personal_data: list[PersonalStretch] = field(default_factory=list)  # found only when masking is on
    rubric_kind: str | None = None  # the call kind the rubric's sections go by (a clinic's callback → built-in)
    thread: PatientThread | None = None  # the calls with the same phone number
    plan: DraftPlan | None = None  # nothing stored yet: the first answer or comment stores the draft
    hearing: Hearing | None = None  # how the call was transcribed (channels, language, inferred speakers)
    analytics: ConversationAnalytics | None = None  # talk, silence, hold, overtalk; None until measured
    messages: list[MessageItem] = field(default_factory=list)  # a chat's or e-mail thread's

    @property
    def written(self) -> bool:
        """A chat or an e-mail thread: messages instead of audio and a transcript."""
        return self.call.channel_kind in WRITTEN_CHANNEL_KINDS

    @property
    def may_score(self) -> bool:
        return self.evaluation_id is not None or self.plan is not None


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
                               question, comment.author_id == actor.id, comment.message_id))
    return rows


def load_review(db: Database, actor: User, call_id: int, lang: str,
                review_session_id: int | None = None, find_personal_data: bool = False) -> ReviewData:
    """Read the actor's evaluation of the call (or the plan of one: opening stores nothing) and what the
    screen needs.

    Without `review_session_id`, a call waiting in the actor's queue (review.sessions.assigned_calls) is scored for that
    session, so opening it from the library or the sessions page counts the same. Raises NotFound /
    AccessDenied when the call is not there or not the actor's to see.
    """
    with db.unit_of_work() as session:
        call = get_call(session, actor, call_id)
        operator_name = call.operator.name if call.operator else None
        segments = call_segments(session, actor, call_id)
        turns = turns_from_segments(segments)
        messages = items_from_messages(call_messages(session, actor, call_id), call.started_at) \
            if call.channel_kind in WRITTEN_CHANNEL_KINDS else []
        # Unpadded: the screen masks exactly the words; exported audio pads its mutes itself.
        personal = personal_data_stretches(segments, pad_s=0.0) if find_personal_data else []
        if review_session_id is None:
            review_session_id = next((item.session_id for item in assigned_calls(session, actor)
                                      if item.call_id == call_id), None)
        evaluation = plan = rubric = result = None
        answers: dict[str, StoredAnswer] = {}
        reason = None
        try:
            if review_session_id is not None:
                found = plan_session_evaluation(session, actor, review_session_id, call_id)
            else:  # a call of an open calibration round the actor takes part in is scored for the round
                found = plan_calibration_evaluation(session, actor, call_id) or plan_evaluation(
                    session, actor, call_id, default_rubric=load_settings().default_rubric)
        except AccessDenied as exc:
            found, reason = None, error_text(exc)  # e.g. a manager: may listen and read, not score
        if isinstance(found, DraftPlan):
            plan = found
            rubric = rubric_of_plan(session, plan)
            result = score(rubric, {}, ScoreContext(call_kind=rubric_call_kind(session, call.call_kind)))
        elif found is not None:
            evaluation = found
            rubric = rubric_for(session, evaluation)
            answers = stored_answers(evaluation)
            result = score_of(session, evaluation)
        comments = comment_rows(session, actor, call_id, rubric, lang)
        operators = [o.name for o in list_operators(session, actor)]
        return ReviewData(
            call=call, operator_name=operator_name, turns=turns,
            evaluation_id=evaluation.id if evaluation else None,
            evaluation_kind=evaluation.kind if evaluation else plan.kind if plan else None,
            submitted=bool(evaluation and evaluation.status == "submitted"),
            rubric_kind=rubric_call_kind(session, call.call_kind),
            thread=patient_thread(session, actor, call_id),
            submitted_at=evaluation.submitted_at if evaluation else None,
            rubric=rubric, answers=answers, score=result, comments=comments, operator_names=operators,
            may_edit_metadata=can(actor, REVIEW_CALLS), no_evaluation_reason=reason,
            review_session_id=evaluation.session_id if evaluation is not None else plan and plan.review_session_id,
            may_export=can(actor, EXPORT_DATA), personal_data=personal, plan=plan, messages=messages,
            hearing=hearing_of(session, actor, call_id), analytics=call_analytics(session, actor, call_id))


def read_suggestions(ws: Workspace, call_id: int, rubric: Rubric) -> dict[str, Suggestion]:
    """The call's suggested answers under `rubric` (run off the GUI thread: it reads the transcript)."""
    if not any(question.checks for question in rubric.questions()):
        return {}
    with ws.reading() as session:
        return call_suggestions(session, ws.actor, call_id, rubric,
                                clinic_names=tuple(load_settings().clinic_names))
