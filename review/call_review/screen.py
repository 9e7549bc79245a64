"""One call as the review screen shows it, read in one unit of work as plain values: the call, its transcript or
messages, the rubric, the reviewer's evaluation (or the plan of one), comments, the patient's thread, how it was
heard, its talk figures and the reviewer's queue. Read off the GUI thread; the screen holds these values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from review.accounts.access import EXPORT_DATA, REVIEW_CALLS, can
from review.analytics.stored import call_analytics
from review.errors import AccessDenied, KalibraError
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
from review.sessions.assigned_calls import QueueItem, assigned_calls
from review.sessions.calibration_rounds import plan_calibration_evaluation
from review.sessions.review_sessions import plan_session_evaluation
from review.transcripts.excerpts import PersonalStretch, personal_data_stretches
from review.transcripts.hearing import Hearing, hearing_of
from review.workspace import Workspace
from rubrics import Rubric, ScoreContext, ScoreResult, score
from transcription.conversation import ConversationAnalytics
from transcription.transcript import Word


@dataclass(frozen=True)
class ReviewCall:
    """The call's stored facts the screen shows and edits (a copy: changing it changes nothing stored)."""

    id: int
    version: int
    path: str
    sha256: str
    started_at: datetime | None
    duration_s: float
    direction: str | None
    call_kind: str | None
    outcome: str | None
    tags: tuple[str, ...]
    channel_kind: str
    channels: int
    sample_rate: int
    operator_channel: int | None
    channel_layout: str | None
    channel_layout_forced: bool
    language: str | None
    transcription_status: str
    thanked: bool
    operator_name: str | None
    message_count: int | None
    first_response_s: float | None
    longest_wait_s: float | None

    @classmethod
    def of(cls, call: Call) -> ReviewCall:
        return cls(call.id, call.version, call.path, call.sha256, call.started_at, call.duration_s, call.direction,
                   call.call_kind, call.outcome, tuple(call.tags or ()), call.channel_kind, call.channels,
                   call.sample_rate, call.operator_channel, call.channel_layout, bool(call.channel_layout_forced),
                   call.language, call.transcription_status, bool(call.thanked),
                   call.operator.name if call.operator else None, call.message_count, call.first_response_s,
                   call.longest_wait_s)

    @property
    def written(self) -> bool:
        """A chat or an e-mail thread: messages instead of audio and a transcript."""
        return self.channel_kind in WRITTEN_CHANNEL_KINDS


@dataclass(frozen=True)
class SpokenSegment:
    speaker: str
    start_s: float
    end_s: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass(frozen=True)
class WrittenMessage:
    id: int
    role: str
    kind: str
    author: str | None
    sent_at: datetime
    text: str
    quoted: str
    signature: str
    subject: str | None
    attachments: list = field(default_factory=list)
    response_s: float | None = None
    address: str | None = None  # an e-mail's sender: a mail with no name is named by the name it gave elsewhere


@dataclass(frozen=True)
class CommentRow:
    id: int
    at_s: float
    end_s: float | None
    text: str
    author: str
    question: str | None  # the linked question's text, when linked
    own: bool
    message_id: int | None = None  # a chat's or e-mail's comment: the message it is on


@dataclass(frozen=True)
class ReviewRead:
    """Everything the review screen shows for one call, for the acting reviewer."""

    call: ReviewCall
    segments: list[SpokenSegment]
    messages: list[WrittenMessage]
    evaluation_id: int | None
    evaluation_kind: str | None
    submitted: bool
    submitted_at: datetime | None
    rubric: Rubric | None
    rubric_kind: str | None  # the call kind the rubric's sections go by (a clinic's callback → built-in)
    answers: dict[str, StoredAnswer]
    score: ScoreResult | None
    comments: list[CommentRow]
    operator_names: list[str]
    may_edit_metadata: bool
    may_export: bool
    no_evaluation_reason: KalibraError | None  # why the actor may listen but not score (said by the screen)
    review_session_id: int | None  # the session this evaluation counts for
    plan: DraftPlan | None  # nothing stored yet: the first answer or comment stores the draft
    personal_data: list[PersonalStretch]  # found only when asked (masking on)
    thread: PatientThread | None
    hearing: Hearing | None
    analytics: ConversationAnalytics | None
    queue: list[QueueItem]  # the session calls still waiting for the actor's score


def comment_rows(session: Session, actor: User, call_id: int, rubric: Rubric | None, lang: str) -> list[CommentRow]:
    """The call's comments the actor may see, each with its author's name and its question's text in `lang`."""
    names: dict[int, str] = {}
    rows = []
    for comment in call_comments(session, actor, call_id):
        if comment.author_id not in names:
            author = session.get(User, comment.author_id)
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


def read_comments(ws: Workspace, call_id: int, rubric: Rubric | None, lang: str) -> list[CommentRow]:
    with ws.reading() as session:
        return comment_rows(session, ws.actor, call_id, rubric, lang)


def score_answers(rubric: Rubric, rubric_kind: str | None, answers: dict[str, StoredAnswer]) -> ScoreResult:
    """The score of these answers, as the stored evaluation computes it (rubrics.scoring; no storage)."""
    return score(rubric, {q: a.as_rubric_answer() for q, a in answers.items()}, ScoreContext(call_kind=rubric_kind),
                 {q: a.comment or "" for q, a in answers.items()})


def read_review(ws: Workspace, call_id: int, lang: str, *, review_session_id: int | None = None,
                find_personal_data: bool = False) -> ReviewRead:
    """Read the actor's evaluation of the call (or the plan of one: opening stores nothing) and what the screen
    needs, in one unit of work.

    Without `review_session_id`, a call waiting in the actor's queue (review.sessions.assigned_calls) is scored
    for that session, so opening it from the library or the sessions page counts the same. Raises NotFound /
    AccessDenied when the call is not there or not the actor's to see.
    """
    actor = ws.actor
    with ws.reading() as session:
        row = get_call(session, actor, call_id)
        call = ReviewCall.of(row)
        stored = call_segments(session, actor, call_id)
        segments = [SpokenSegment(s.speaker, s.start_s, s.end_s, s.text, [Word.from_stored(w) for w in s.words or ()])
                    for s in stored]
        messages = [WrittenMessage(m.id, m.role, m.kind, m.author, m.sent_at, m.text, m.quoted, m.signature,
                                   m.subject, list(m.attachments or []), m.response_s, m.address)
                    for m in call_messages(session, actor, call_id)] if call.written else []
        # Unpadded: the screen masks exactly the words; exported audio pads its mutes itself.
        personal = personal_data_stretches(stored, pad_s=0.0) if find_personal_data else []
        queue = assigned_calls(session, actor)
        if review_session_id is None:
            review_session_id = next((item.session_id for item in queue if item.call_id == call_id), None)
        rubric_kind = rubric_call_kind(session, call.call_kind)
        evaluation = plan = rubric = result = reason = None
        answers: dict[str, StoredAnswer] = {}
        try:
            if review_session_id is not None:
                found = plan_session_evaluation(session, actor, review_session_id, call_id)
            else:  # a call of an open calibration round the actor takes part in is scored for the round
                found = plan_calibration_evaluation(session, actor, call_id) or plan_evaluation(
                    session, actor, call_id, default_rubric=ws.settings.default_rubric)
        except AccessDenied as exc:
            found, reason = None, exc  # e.g. a manager: may listen and read, not score
        if isinstance(found, DraftPlan):
            plan = found
            rubric = rubric_of_plan(session, plan)
            result = score(rubric, {}, ScoreContext(call_kind=rubric_kind))
        elif found is not None:
            evaluation = found
            rubric = rubric_for(session, evaluation)
            answers = stored_answers(evaluation)
            result = score_of(session, evaluation)
        return ReviewRead(
            call=call, segments=segments, messages=messages,
            evaluation_id=evaluation.id if evaluation else None,
            evaluation_kind=evaluation.kind if evaluation else plan.kind if plan else None,
            submitted=bool(evaluation and evaluation.status == "submitted"),
            submitted_at=evaluation.submitted_at if evaluation else None,
            rubric=rubric, rubric_kind=rubric_kind, answers=answers, score=result,
            comments=comment_rows(session, actor, call_id, rubric, lang),
            operator_names=[o.name for o in list_operators(session, actor)],
            may_edit_metadata=can(actor, REVIEW_CALLS), may_export=can(actor, EXPORT_DATA),
            no_evaluation_reason=reason,
            review_session_id=evaluation.session_id if evaluation is not None else plan and plan.review_session_id,
            plan=plan, personal_data=personal, thread=patient_thread(session, actor, call_id),
            hearing=hearing_of(session, actor, call_id), analytics=call_analytics(session, actor, call_id),
            queue=queue)


def read_queue(ws: Workspace) -> list[QueueItem]:
    """The session calls still waiting for the actor's score (the review page's and the header's "My queue")."""
    with ws.reading() as session:
        return assigned_calls(session, ws.actor)
