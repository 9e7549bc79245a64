"""Audio excerpts of a call, with personal data muted: the moment a supervisor plays at a team meeting or
sends to a trainer, without the patient's phone, card or passport number in it.

Stretches to mute come from the stored transcript (review.transcripts.personal_data over each segment's words); the
recording is only read. Every export is written to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from review.accounts.access import EXPORT_DATA, require
from review.audit.trail import record
from review.errors import ValidationError
from review.library.calls import call_segments, get_call
from review.models import User
from review.transcripts.personal_data import find_personal_data, locate_in_words
from transcription.errors import AudioDecodeError
from transcription.excerpt import ExcerptError, write_excerpt

# Word times are approximate (whisper's alignment drifts by ~0.1 s): mute a little around each stretch.
PAD_S = 0.15


@dataclass(frozen=True)
class PersonalStretch:
    kind: str  # one of review.transcripts.personal_data.KINDS
    speaker: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class ExportedExcerpt:
    path: Path
    start_s: float
    end_s: float
    duration_s: float
    muted: tuple[PersonalStretch, ...]  # the stretches inside the excerpt that were silenced (recording time)


def personal_data_stretches(segments: Iterable, pad_s: float = PAD_S) -> list[PersonalStretch]:
    """Where personal data is spoken, from stored segments (speaker, start_s, end_s, text, words), padded by
    `pad_s`. A segment whose spans cannot be placed on its words (no word times) counts whole."""
    found: list[PersonalStretch] = []
    for segment in segments:
        spans = find_personal_data(segment.text or "")
        if not spans:
            continue
        timed = locate_in_words(segment.text, segment.words or [], spans)
        placed = {(t.start, t.end) for t in timed}
        for t in timed:
            found.append(PersonalStretch(t.kind, segment.speaker, max(0.0, t.start_s - pad_s), t.end_s + pad_s))
        for span in spans:
            if (span.start, span.end) not in placed:
                found.append(PersonalStretch(span.kind, segment.speaker, max(0.0, segment.start_s - pad_s),
                                             segment.end_s + pad_s))
    return sorted(found, key=lambda s: (s.start_s, s.end_s))


def export_excerpt(session: Session, actor: User, call_id: int, start_s: float, end_s: float,
                   out_path: str | Path, mute_personal_data: bool = True) -> ExportedExcerpt:
    """Write [start_s, end_s] of the call's recording to `out_path` (.wav or .flac, the recording's rate and
    channels), muting personal data unless told not to. Raises AccessDenied / NotFound for calls the actor may
    not export, ValidationError for a bad range, an unreadable recording or muting without a transcript."""
    require(actor, EXPORT_DATA)
    call = get_call(session, actor, call_id)
    stretches: list[PersonalStretch] = []
    if mute_personal_data:
        if call.transcription_status != "done":
            raise ValidationError("Call #{call_id} has no transcript yet, so the personal data in it cannot be "
                                  "found and muted. Transcribe it first, or export without muting.", call_id=call_id)
        stretches = personal_data_stretches(call_segments(session, actor, call_id))
    try:
        excerpt = write_excerpt(call.path, out_path, start_s, end_s,
                                silence=[(s.start_s, s.end_s) for s in stretches])
    except AudioDecodeError as exc:
        raise ValidationError("The recording of call #{call_id} cannot be read: {reason}", call_id=call_id,
                              reason=str(exc)) from exc
    except ExcerptError as exc:
        raise ValidationError(str(exc)) from exc
    muted = tuple(s for s in stretches if s.end_s > excerpt.start_s and s.start_s < excerpt.end_s)
    record(session, actor, "export_excerpt", call,
           new={"file": str(excerpt.path), "start_s": round(excerpt.start_s, 3), "end_s": round(excerpt.end_s, 3),
                "mute_personal_data": mute_personal_data, "muted": [s.kind for s in muted]})
    return ExportedExcerpt(excerpt.path, excerpt.start_s, excerpt.end_s, excerpt.duration_s, muted)
