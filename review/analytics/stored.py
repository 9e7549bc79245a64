"""Stored conversation analytics: computed when a transcript is stored, or later for calls transcribed before,
with the workspace's thresholds; read back for the review screen and the library."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from review.accounts.access import (
    MANAGE_SETTINGS,
    TRANSCRIBE,
    can,
    require,
    require_call_visible,
    visible_calls,
)
from review.analytics.customer_mood import customer_mood
from review.audit.trail import record
from review.errors import ValidationError
from review.models import Call, CallAnalytics, User, utcnow
from review.models import Segment as SegmentRow
from review.models import Transcript as TranscriptRow
from review.storage.db import Database
from review.storage.workspace_settings import put_setting, setting_value
from transcription.audio import Envelope
from transcription.conversation import ConversationAnalytics, Stretch, Thresholds, analyse, recording_envelope
from transcription.errors import AudioDecodeError

THRESHOLDS_KEY = "analytics_thresholds"
_SWAPPED = {"operator": "customer", "customer": "operator"}
_FIGURES = [f.name for f in fields(ConversationAnalytics) if f.name != "stretches"]


def analytics_thresholds(session: Session) -> Thresholds:
    """The workspace's thresholds (the defaults until an administrator changes them)."""
    return Thresholds.from_dict(setting_value(session, THRESHOLDS_KEY))


def set_analytics_thresholds(session: Session, actor: User, thresholds: Thresholds) -> None:
    """Change what counts as a silence, a hold, a long hold and overtalk (administrators; audited). Calls
    already measured keep their figures until measured again (`measure_calls`)."""
    require(actor, MANAGE_SETTINGS)
    values = thresholds.to_dict()
    if any(v <= 0 for v in values.values()):
        raise ValidationError("Every analytics threshold must be more than 0 seconds.")
    if not thresholds.silence_min_s < thresholds.hold_min_s <= thresholds.long_hold_s:
        raise ValidationError("A silence must be shorter than a hold, and a hold no longer than a long hold.")
    old = setting_value(session, THRESHOLDS_KEY) or Thresholds().to_dict()
    put_setting(session, THRESHOLDS_KEY, values)
    record(session, actor, "setting", "settings", old=old, new=values, note=THRESHOLDS_KEY)


def record_analytics(session: Session, call_id: int, transcript, envelope: Envelope | None, *,
                     swap: bool = False) -> CallAnalytics:
    """Measure the transcript (speakers swapped back where a supervisor said so) and store the figures,
    replacing older ones. Part of the caller's transaction."""
    if swap:
        transcript = replace(transcript, segments=[replace(s, speaker=_SWAPPED.get(s.speaker, s.speaker))
                                                   for s in transcript.segments])
    thresholds = analytics_thresholds(session)
    result = analyse(transcript, envelope, thresholds)
    mood = customer_mood(transcript)
    session.execute(delete(CallAnalytics).where(CallAnalytics.call_id == call_id))
    row = CallAnalytics(call_id=call_id, stretches=[s.to_dict() for s in result.stretches],
                        thresholds=thresholds.to_dict(), computed_at=utcnow(),
                        customer_complaints=mood.complaints,
                        complaint_at_s=round(mood.first.start, 2) if mood.first else None,
                        complaint_words=mood.first.text[:200] if mood.first else None,
                        **{name: _rounded(getattr(result, name)) for name in _FIGURES})
    session.add(row)
    return row


def _rounded(value):
    return round(value, 4) if isinstance(value, float) else value


def envelope_or_none(path: str) -> Envelope | None:
    """The recording's envelope for analytics; None when it cannot be read (the figures then come from
    the transcript alone and say so)."""
    try:
        return recording_envelope(path)
    except AudioDecodeError:
        return None


def call_analytics(session: Session, actor: User, call_id: int) -> ConversationAnalytics | None:
    """The call's stored figures and stretches; None when it has not been measured."""
    call = session.get(Call, call_id)
    if call is None:
        return None
    require_call_visible(actor, call)
    row = session.get(CallAnalytics, call_id)
    if row is None:
        return None
    return ConversationAnalytics(stretches=tuple(Stretch.from_dict(s) for s in row.stretches),
                                 **{name: getattr(row, name) for name in _FIGURES})


def _stored_transcript(session: Session, call: Call):
    """The call's stored transcript with its speakers as stored (a supervisor's swap already applied)."""
    from transcription.transcript import Segment, Transcript, Word

    row = session.get(TranscriptRow, call.id)
    stored = session.scalars(select(SegmentRow).where(SegmentRow.call_id == call.id).order_by(SegmentRow.position))
    segments = [Segment(s.speaker, s.start_s, s.end_s, s.text, s.avg_logprob or 0.0, s.no_speech_prob or 0.0,
                        [Word.from_stored(w) for w in s.words])
                for s in stored]
    return Transcript(row.language if row else "", call.duration_s, segments,
                      speakers_inferred=bool(row and row.speakers_inferred))


def measure_call(db: Database, actor: User, call_id: int, envelope: Envelope | None) -> ConversationAnalytics | None:
    """A transcribed call's figures on demand (the review screen, with the envelope it already has): stored
    when the actor may transcribe, only computed otherwise; None when the call has no transcript."""
    with db.unit_of_work() as session:
        call = session.get(Call, call_id)
        if call is None or call.transcription_status != "done":
            return None
        require_call_visible(actor, call)
        transcript = _stored_transcript(session, call)
        if can(actor, TRANSCRIBE):
            record_analytics(session, call_id, transcript, envelope)
            session.flush()
            return call_analytics(session, actor, call_id)
        return analyse(transcript, envelope, analytics_thresholds(session))


@dataclass
class MeasureReport:
    measured: int = 0
    without_audio: list[tuple[int, str]] = field(default_factory=list)  # measured from the transcript alone


def calls_to_measure(session: Session, actor: User, *, everything: bool = False) -> list[int]:
    """Transcribed calls the actor may see that have no figures yet, or figures made with other thresholds
    (every transcribed call with `everything`)."""
    done = list(session.scalars(select(Call.id).where(visible_calls(actor), Call.transcription_status == "done")
                                .order_by(Call.id)))
    if everything:
        return done
    current = analytics_thresholds(session).to_dict()
    measured = dict(session.execute(select(CallAnalytics.call_id, CallAnalytics.thresholds)).all())
    return [call_id for call_id in done if measured.get(call_id) != current]


def measure_calls(db: Database, actor: User, call_ids: list[int] | None = None, *, everything: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> MeasureReport:
    """Compute and store the figures of calls transcribed before (the given ones, else those
    `calls_to_measure` names), one transaction per call. A recording that cannot be read any more is
    measured from its transcript alone and named in the report."""
    require(actor, TRANSCRIBE)
    with db.sessions() as session:
        ids = call_ids if call_ids is not None else calls_to_measure(session, actor, everything=everything)
    report = MeasureReport()
    for done, call_id in enumerate(ids, 1):
        with db.unit_of_work() as session:
            call = session.get(Call, call_id)
            if call is None or call.transcription_status != "done":
                continue
            require_call_visible(actor, call)
            transcript = _stored_transcript(session, call)
            try:
                envelope = recording_envelope(call.path)
            except AudioDecodeError as exc:
                envelope = None
                report.without_audio.append((call_id, str(exc)))
            record_analytics(session, call_id, transcript, envelope)  # stored speakers are already swapped
            report.measured += 1
        if progress:
            progress(done, len(ids))
    return report
