"""Stored transcripts: read back as the transcription package's Transcript, exported with masking."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from review.accounts.access import EXPORT_DATA, require
from review.audit.trail import record
from review.library.calls import call_segments, get_call
from review.models import Transcript as TranscriptRow
from review.models import User
from review.transcripts.personal_data import mask_text
from transcription.export import to_json, to_srt, to_txt
from transcription.transcript import Segment, Transcript, Word

EXPORT_FORMATS = ("txt", "srt", "json")


def stored_transcript(session: Session, actor: User, call_id: int, *, masked: bool = False) -> Transcript:
    """The call's transcript; with `masked`, personal data (phones, cards, documents…) is replaced."""
    call = get_call(session, actor, call_id)
    row = session.get(TranscriptRow, call_id)
    segments = []
    for stored in call_segments(session, actor, call_id):
        text = mask_text(stored.text) if masked else stored.text
        words = [] if masked and text != stored.text else [
            Word.from_stored(w) for w in stored.words]
        segments.append(Segment(stored.speaker, stored.start_s, stored.end_s, text, stored.avg_logprob or 0.0,
                                stored.no_speech_prob or 0.0, words))
    inferred = {"speakers_inferred": True, "speaker_confidence": row.speaker_confidence,
                "operator_confidence": row.operator_confidence} if row and row.speakers_inferred else {}
    return Transcript(language=row.language if row else "", duration_s=call.duration_s, segments=segments,
                      channel_layout=call.channel_layout or "", **inferred)


def export_transcript(session: Session, actor: User, call_id: int, path: str | Path, fmt: str, *,
                      labels: dict[str, str] | None = None, masked: bool = True) -> Path:
    """Write the transcript as TXT, SRT or JSON (personal data masked unless asked otherwise)."""
    require(actor, EXPORT_DATA)
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown transcript format {fmt!r}")
    transcript = stored_transcript(session, actor, call_id, masked=masked)
    if fmt == "json":
        content = to_json(transcript)
    else:
        render = to_txt if fmt == "txt" else to_srt
        content = render(transcript, labels) if labels else render(transcript)
    target = Path(path)
    target.write_text(content, encoding="utf-8")
    record(session, actor, "export_transcript", get_call(session, actor, call_id),
           new={"format": fmt, "masked": masked, "path": str(target)})
    return target
