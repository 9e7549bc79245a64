"""How a call is heard for transcription (channel layout, spoken language, who is who): what was used, and a supervisor's correction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from review.accounts.access import IMPORT_CALLS, REVIEW_CALLS, TRANSCRIBE, require
from review.audit.trail import record
from review.errors import ValidationError
from review.library.calls import get_call
from review.library.source_layouts import (
    SETTING_KEY,
    calls_from_source,
    source_key,
    source_layouts,
    source_of,
)
from review.models import Call, Segment, Transcript, TranscriptionJob, User
from review.storage.workspace_settings import put_setting
from review.transcripts.failure import TranscriptionFailed, read_failure
from review.transcripts.jobs import requeue, swapped_speaker

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
    speakers_inferred: bool = False  # one-channel call: operator and customer told apart by voice
    speaker_confidence: float | None = None  # 0..1, how clearly the voices separate
    operator_confidence: float | None = None  # 0..1, how sure the operator label is (0.5: a guess)
    speakers_swapped: bool = False  # a supervisor swapped the inferred labels
    layout_source: str | None = None  # the import source folder whose layout the call follows (review.library.source_layouts)
    failure: TranscriptionFailed | None = None  # why the last transcription failed; error_text() shows it


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
                   job.redecoded_windows if job else None,
                   bool(transcript and transcript.speakers_inferred),
                   transcript.speaker_confidence if transcript else None,
                   transcript.operator_confidence if transcript else None, bool(call.speakers_swapped), source,
                   read_failure(call.transcription_error) if call.transcription_status == "failed" else None)


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


def swap_speakers(session: Session, actor: User, call_id: int) -> None:
    """Operator and customer the other way round on this call, now and in every later transcription.

    One-channel call (speakers inferred from voices): the call remembers the swap. Stereo call: the
    operator's channel changes. A third voice (speaker_3…) keeps its label.
    """
    require(actor, REVIEW_CALLS)
    call = get_call(session, actor, call_id)
    transcript = session.get(Transcript, call_id)
    old = {"speakers_swapped": bool(call.speakers_swapped), "operator_channel": call.operator_channel}
    if transcript is not None and transcript.speakers_inferred:
        call.speakers_swapped = not call.speakers_swapped
    else:
        call.operator_channel = 1 - (call.operator_channel or 0)
    session.flush()
    for speaker in ("operator", "customer"):  # through a placeholder, or the second update undoes the first
        session.execute(update(Segment).where(Segment.call_id == call_id, Segment.speaker == speaker)
                        .values(speaker=f"~{swapped_speaker(speaker)}").execution_options(synchronize_session=False))
    for speaker in ("operator", "customer"):
        session.execute(update(Segment).where(Segment.call_id == call_id, Segment.speaker == f"~{speaker}")
                        .values(speaker=speaker).execution_options(synchronize_session=False))
    session.expire_all()
    new = {"speakers_swapped": bool(call.speakers_swapped), "operator_channel": call.operator_channel}
    record(session, actor, "swap_speakers", call, old=old, new=new)


@dataclass(frozen=True)
class SourceLayoutChange:
    call_ids: list[int]  # the calls from the source that the actor may see, all now heard as the source says
    requeued: int  # of those, queued to be transcribed again


def set_source_layout(session: Session, actor: User, folder: str | Path, layout: str | None) -> SourceLayoutChange:
    """Hear every call from folder with layout (a LAYOUTS code), now and on later imports; None: detect
    each call's layout again. Calls whose transcript is no longer what the layout asks for are queued to be
    transcribed again."""
    from transcription.channel_layout import LAYOUTS  # numpy with it: not at the app's start

    require(actor, IMPORT_CALLS)
    require(actor, TRANSCRIBE)
    if layout is not None and layout not in LAYOUTS:
        raise ValidationError("Channel layout '{value}' is not one of: {allowed}.", value=layout,
                              allowed=", ".join(LAYOUTS))
    key = source_key(folder)
    call_ids = calls_from_source(session, actor, key)
    if not call_ids and not Path(key).is_dir():  # a mistyped folder; a share not mounted here still has calls
        raise ValidationError("No call in the library comes from {folder}, and there is no such folder.",
                              folder=key)
    layouts = source_layouts(session)
    old = layouts.get(key)
    if layout is None:
        layouts.pop(key, None)
    else:
        layouts[key] = layout
    put_setting(session, SETTING_KEY, {"folders": layouts})
    again = []
    for call in session.scalars(select(Call).where(Call.id.in_(call_ids))) if call_ids else []:
        # A call still waiting is told its layout when a worker takes it; one transcribed (or failed)
        # is queued again unless its transcript was already made with this layout.
        waiting = call.transcription_status == "pending"
        if layout is None:
            if call.channel_layout_forced and not waiting:
                again.append(call.id)  # detected afresh: it may differ from what was forced
            call.channel_layout_forced = False
            continue
        if not waiting and call.channel_layout != layout:
            again.append(call.id)
        call.channel_layout, call.channel_layout_forced = layout, True
    session.flush()
    record(session, actor, "set_source_layout", "settings", old={"folder": key, "channel_layout": old},
           new={"folder": key, "channel_layout": layout}, note=f"{len(call_ids)} calls, {len(again)} queued again")
    requeued = requeue(session, actor, again, priority=10) if again else 0
    return SourceLayoutChange(call_ids, requeued)
