"""Every table of Kalibra; importing this package registers them all on `Base.metadata`."""

from review.models.accounts import ROLES, AuditEntry, Operator, Setting, Team, User
from review.models.analytics import CallAnalytics
from review.models.base import Base, utcnow
from review.models.calibration import CalibrationCall, CalibrationMember, CalibrationRound
from review.models.evaluations import EVALUATION_KINDS, Answer, Comment, Evaluation
from review.models.library import (
    CALL_KINDS,
    CHANNEL_KINDS,
    DIRECTIONS,
    MESSAGE_ROLES,
    OUTCOMES,
    TRANSCRIPTION_STATES,
    WRITTEN_CHANNEL_KINDS,
    Call,
    Message,
    Segment,
    Transcript,
    TranscriptionJob,
)
from review.models.rubrics import RubricRecord, RubricVersion
from review.models.sessions import Dispute, Goal, ReviewSession, SessionCall, SessionNote
from review.models.vocabularies import CALLBACK_KINDS, VOCABULARIES, VocabularyEntry

__all__ = [
    "ROLES", "CALL_KINDS", "CALLBACK_KINDS", "VOCABULARIES", "VocabularyEntry", "CHANNEL_KINDS", "WRITTEN_CHANNEL_KINDS", "MESSAGE_ROLES", "DIRECTIONS", "OUTCOMES", "TRANSCRIPTION_STATES", "EVALUATION_KINDS",
    "Answer", "AuditEntry", "Base", "CalibrationCall", "CalibrationMember", "CalibrationRound", "Call", "CallAnalytics", "Comment", "Dispute", "Evaluation", "Goal", "Message", "Operator",
    "ReviewSession", "RubricRecord", "RubricVersion", "Segment", "SessionCall", "SessionNote", "Setting",
    "Team", "Transcript", "TranscriptionJob", "User", "utcnow",
]
