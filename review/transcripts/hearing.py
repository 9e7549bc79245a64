"""How a call is heard for transcription (channel layout, spoken language): what was used, and a supervisor's correction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import REVIEW_CALLS, TRANSCRIBE, require
from review.audit.trail import record
from review.errors import ValidationError
from review.library.calls import get_call
from review.models import Transcript, TranscriptionJob, User
from review.source_layouts import source_layouts, source_of
from review.transcripts.jobs import requeue

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
EDITABLE = ("channel_layout", "language")


@dataclass(frozen=True)
class Hearing:
    """What the call's details show about how it was transcribed."""

    channel_layout: str | None  # transcription.channel_layout.LAYOUTS; None before the first transcript
    channel_layout_forced: bool
    forced_language: str | None  # named for the call (metadata or a supervisor); None: detected per call
    language: str | None  # the language of the stored transcript
    language_source: str | None  # transcription.language.SOURCES
    language_probability: float | None
    redecoded_windows: int | None  # in the last finished transcription
    layout_source: str | None = None  # the import source folder whose layout the call follows (review.source_layouts)


def hearing_of(session: Session, actor: User, call_id: int) -> Hearing:
    call = get_call(session, actor, call_id)
    transcript = session.get(Transcript, call_id)
    job = session.scalar(select(TranscriptionJob).where(TranscriptionJob.call_id == call_id,
                                                        TranscriptionJob.status == "done")
                         .order_by(TranscriptionJob.id.desc()).limit(1))
    source = None
    if call.channel_layout_forced:
        layouts = source_layouts(session)
        found = source_of(call.path, layouts)
        source = found if found is not None and layouts[found] == call.channel_layout else None
    return Hearing(call.channel_layout, bool(call.channel_layout_forced), call.language,
                   transcript.language if transcript else None, transcript.language_source if transcript else None,
                   transcript.language_probability if transcript else None,
                   job.redecoded_windows if job else None, source)


def _known_language(code: str) -> bool:
    from faster_whisper.tokenizer import _LANGUAGE_CODES  # the languages whisper can be told to use

    return code in _LANGUAGE_CODES


def set_hearing(session: Session, actor: User, call_id: int, **changes) -> bool:
    """Correct the call's channel layout (a LAYOUTS code; None: detect again) and/or its spoken language
    (a whisper code such as "ru", "en"; None: detect per call). A change queues the call to be
    transcribed again; returns whether anything changed."""
    from transcription.channel_layout import LAYOUTS  # numpy with it: not at the app's start

    require(actor, REVIEW_CALLS)
    require(actor, TRANSCRIBE)
    call = get_call(session, actor, call_id)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError("These call fields cannot be edited: {fields}.", fields=", ".join(unknown))
    old = {"channel_layout": call.channel_layout if call.channel_layout_forced else None, "language": call.language}
    new = dict(old)
    if "channel_layout" in changes:
        layout = changes["channel_layout"] or None
        if layout is not None and layout not in LAYOUTS:
            raise ValidationError("Channel layout '{value}' is not one of: {allowed}.", value=layout,
                                  allowed=", ".join(LAYOUTS))
        new["channel_layout"] = layout
    if "language" in changes:
        language = (changes["language"] or "").strip().lower() or None
        if language is not None and not (_LANGUAGE_CODE.match(language) and _known_language(language)):
            raise ValidationError("'{value}' is not a language code the speech model knows (e.g. ru, en).",
                                  value=language)
        new["language"] = language
    if new == old:
        return False
    if new["channel_layout"] != old["channel_layout"]:
        call.channel_layout_forced = new["channel_layout"] is not None
        if new["channel_layout"] is not None:
            call.channel_layout = new["channel_layout"]
    call.language = new["language"]
    session.flush()
    changed = {k for k in new if new[k] != old[k]}
    record(session, actor, "edit_hearing", call, old={k: old[k] for k in changed}, new={k: new[k] for k in changed})
    requeue(session, actor, [call_id], priority=10)
    return True
