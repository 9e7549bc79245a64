"""Channel layout per import source: every recording under one folder heard one way, now and on later imports.

An import source is a folder recordings are imported from (a PBX's or call recorder's export, often
with a subfolder per day): one recorder writes every file the same way, so when it writes dual-mono
files the correction belongs to the source, not to each call. A source's layout is a workspace
setting; setting it forces that layout on every call already imported from under the folder (a per-call
correction made later still wins for its call) and on every call imported from there afterwards.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import IMPORT_CALLS, TRANSCRIBE, require, visible_calls
from review.audit.trail import record
from review.errors import ValidationError
from review.models import Call, Setting, User
from review.transcripts.jobs import requeue

SETTING_KEY = "source_layouts"


@dataclass(frozen=True)
class SourceLayoutChange:
    call_ids: list[int]  # the calls from the source that the actor may see, all now heard as the source says
    requeued: int  # of those, queued to be transcribed again


def source_key(folder: str | Path) -> str:
    """How a source folder (or a recording's path) is stored and compared: absolute, "." and ".." taken
    out, symbolic links kept (recordings' paths are stored as they were reached at import)."""
    return os.path.normpath(Path(folder).expanduser().absolute())


def source_layouts(session: Session) -> dict[str, str]:
    """Every import source with a layout set: folder → layout (a transcription.channel_layout code)."""
    setting = session.get(Setting, SETTING_KEY)
    return dict(setting.value.get("folders", {})) if setting is not None else {}


def source_of(path: str | Path, layouts: dict[str, str]) -> str | None:
    """The innermost source folder with a layout that holds the recording at path, or None."""
    recording = Path(source_key(path))
    holding = [folder for folder in layouts if recording.is_relative_to(folder)]
    return max(holding, key=lambda folder: len(Path(folder).parts)) if holding else None


def layout_for_recording(session: Session, path: str | Path) -> str | None:
    """The layout a recording imported from path takes from its source; None: detected when transcribed."""
    layouts = source_layouts(session)
    source = source_of(path, layouts)
    return layouts[source] if source is not None else None


def folders_of(path: str | Path) -> list[str]:
    """The folders a recording may count as imported from, innermost first (its folder, then each parent)."""
    folder = Path(source_key(Path(path).parent))
    return [str(p) for p in (folder, *folder.parents)]


def calls_from_source(session: Session, actor: User, folder: str | Path) -> list[int]:
    """Ids of the calls the actor may see whose recordings lie under folder, at any depth."""
    root = Path(source_key(folder))
    rows = session.execute(select(Call.id, Call.path).where(visible_calls(actor)).order_by(Call.id))
    # Compared as paths, not with LIKE: a name's bytes that are not UTF-8 are stored escaped.
    return [call_id for call_id, path in rows if Path(source_key(path)).is_relative_to(root)]


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
    setting = session.get(Setting, SETTING_KEY)
    if setting is None:
        session.add(Setting(key=SETTING_KEY, value={"folders": layouts}))
    else:
        setting.value = {"folders": layouts}
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
