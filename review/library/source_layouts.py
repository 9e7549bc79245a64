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

from review.accounts.access import visible_calls
from review.library.calls import get_call
from review.models import Call, User
from review.storage.workspace_settings import setting_value

SETTING_KEY = "source_layouts"


def source_key(folder: str | Path) -> str:
    """How a source folder (or a recording's path) is stored and compared: absolute, "." and ".." taken
    out, symbolic links kept (recordings' paths are stored as they were reached at import)."""
    return os.path.normpath(Path(folder).expanduser().absolute())


def source_layouts(session: Session) -> dict[str, str]:
    """Every import source with a layout set: folder → layout (a transcription.channel_layout code)."""
    return dict((setting_value(session, SETTING_KEY) or {}).get("folders", {}))


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


@dataclass(frozen=True)
class SourceChoices:
    """What choosing a source's layout from one call shows: the folders above it with their calls, the layouts."""

    path: str  # the call's recording
    folders: tuple[str, ...]  # innermost first
    calls_in: dict[str, int]  # folder → how many calls the actor may see come from under it
    layouts: dict[str, str]  # every source with a layout set


def source_choices(session: Session, actor: User, call_id: int) -> SourceChoices:
    """The folders a call may count as imported from, with their calls counted in one pass, and the layouts."""
    path = get_call(session, actor, call_id).path
    folders = tuple(folders_of(path))
    counts = dict.fromkeys(folders, 0)
    for _call_id, other in session.execute(select(Call.id, Call.path).where(visible_calls(actor))):
        recording = Path(source_key(other))
        for folder in folders:
            if recording.is_relative_to(folder):
                counts[folder] += 1
    return SourceChoices(path, folders, counts, source_layouts(session))
