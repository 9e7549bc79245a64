"""Per-user settings of this desktop (database address, language, model folder, default rubric).

Kept in a small JSON file in the user's config folder so the CLI and worker read the same values as the
GUI. Window geometry and other view state stay in Qt's own settings in `app/`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, Field, ValidationError

from review.desktop.paths import APP_NAME

SETTINGS_VERSION = 1


class SavedMapping(BaseModel):
    """How a metadata file was read: a telephony preset and (target, column) pairs over the guess."""

    preset: str | None = None
    columns: list[tuple[str, str]] = Field(default_factory=list)


class UserSettings(BaseModel):
    version: int = SETTINGS_VERSION
    database_url: str | None = None
    language: str = Field(default="ru", pattern="^(ru|en)$")
    model_folder: str | None = None
    # Last resort when no model is installed: a name faster-whisper downloads ("small", "medium"…).
    model_name: str | None = None
    allow_download: bool = False
    transcription_language: str | None = "ru"  # None: detect per call
    # The pipeline's default and why: transcription.pipeline.TranscriptionOptions.beam_size.
    beam_size: int = Field(default=3, ge=1, le=10)
    # The clinic's names as operators say them on the phone: on a one-channel call, the voice that says
    # one in its greeting is taken for the operator (transcription.operator_side).
    clinic_names: list[str] = Field(default_factory=list)
    default_rubric: str | None = "inbound_call"
    filename_template: str = "{date}_{time}_{operator}_{direction}_{phone}"
    mask_personal_data: bool = False
    # The metadata mapping last used for each recordings folder, and mappings saved under a name.
    folder_mappings: dict[str, SavedMapping] = Field(default_factory=dict)
    named_mappings: dict[str, SavedMapping] = Field(default_factory=dict)

    def mapping_for_folder(self, folder: str | Path) -> SavedMapping | None:
        return self.folder_mappings.get(_folder_key(folder))

    def remember_mapping(self, folder: str | Path, mapping: SavedMapping) -> None:
        self.folder_mappings[_folder_key(folder)] = mapping


def _folder_key(folder: str | Path) -> str:
    return str(Path(folder).expanduser().resolve())


def settings_path() -> Path:
    override = os.environ.get("KALIBRA_CONFIG_DIR")
    folder = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return folder / "settings.json"


def load_settings(path: Path | None = None) -> UserSettings:
    """Settings from disk; a missing or damaged file gives the defaults (the damaged file is kept aside)."""
    path = path or settings_path()
    if not path.exists():
        return UserSettings()
    try:
        return UserSettings.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        path.replace(path.with_suffix(".damaged.json"))
        return UserSettings()


def save_settings(settings: UserSettings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(settings.model_dump_json(indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
