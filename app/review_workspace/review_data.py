"""What the review screen holds for the call it shows: review.call_review.screen's plain read, with the turns and
message items the widgets draw, built off the GUI thread; the screen updates it as the reviewer scores."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from app.review_workspace.message_items import MessageItem, items_from_messages
from app.review_workspace.transcript_model import Turn, turns_from_segments
from review.call_review.changes import Draft
from review.call_review.screen import CommentRow, ReviewCall, ReviewRead, read_review
from review.library.patient_thread import PatientThread
from review.scoring.evaluations import DraftPlan, StoredAnswer
from review.scoring.suggestions import call_suggestions
from review.sessions.assigned_calls import QueueItem
from review.transcripts.excerpts import PersonalStretch
from review.transcripts.hearing import Hearing
from review.workspace import Workspace
from rubrics import Rubric, ScoreResult
from rubrics.check_matching import Suggestion
from transcription.conversation import ConversationAnalytics


@dataclass
class ReviewData:
    call: ReviewCall
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
    no_evaluation_reason: object = None  # the KalibraError that says why the actor may not score
    review_session_id: int | None = None  # the session this evaluation counts for
    may_export: bool = False
    personal_data: list[PersonalStretch] = field(default_factory=list)  # found only when masking is on
    rubric_kind: str | None = None  # the call kind the rubric's sections go by (a clinic's callback → built-in)
    thread: PatientThread | None = None  # the calls with the same phone number
    plan: DraftPlan | None = None  # nothing stored yet: the first answer or comment stores the draft
    hearing: Hearing | None = None  # how the call was transcribed (channels, language, inferred speakers)
    analytics: ConversationAnalytics | None = None  # talk, silence, hold, overtalk; None until measured
    messages: list[MessageItem] = field(default_factory=list)  # a chat's or e-mail thread's
    queue: list[QueueItem] = field(default_factory=list)  # the actor's session calls waiting for a score

    @property
    def operator_name(self) -> str | None:
        return self.call.operator_name

    @property
    def written(self) -> bool:
        """A chat or an e-mail thread: messages instead of audio and a transcript."""
        return self.call.written

    @property
    def may_score(self) -> bool:
        return self.evaluation_id is not None or self.plan is not None

    @property
    def draft(self) -> Draft:
        """Where the next answer or comment goes (the first one stores the planned draft)."""
        return Draft(self.evaluation_id, self.plan)


_SHARED = {f.name for f in fields(ReviewData)} - {"turns", "messages"}


def screen_data(read: ReviewRead) -> ReviewData:
    """The screen's data from the core's read (pure Python: turns and message items from the stored rows)."""
    messages = items_from_messages(read.messages, read.call.started_at) if read.call.written else []
    return ReviewData(turns=turns_from_segments(read.segments), messages=messages,
                      **{name: getattr(read, name) for name in _SHARED})


def load_review(ws: Workspace, call_id: int, lang: str, review_session_id: int | None = None,
                find_personal_data: bool = False) -> ReviewData:
    """Everything the screen shows for the call (run off the GUI thread); see review.call_review.screen."""
    return screen_data(read_review(ws, call_id, lang, review_session_id=review_session_id,
                                   find_personal_data=find_personal_data))


def read_suggestions(ws: Workspace, call_id: int, rubric: Rubric) -> dict[str, Suggestion]:
    """The call's suggested answers under `rubric` (run off the GUI thread: it reads the transcript)."""
    if not any(question.checks for question in rubric.questions()):
        return {}
    with ws.reading() as session:
        return call_suggestions(session, ws.actor, call_id, rubric, clinic_names=tuple(ws.settings.clinic_names))
