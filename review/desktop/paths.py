"""Where Kalibra keeps its files on this machine."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "Kalibra"


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    # Personal data lives here (database, caches of transcripts): owner only.
    os.chmod(path, stat.S_IRWXU)
    return path


def user_data_dir() -> Path:
    override = os.environ.get("KALIBRA_DATA_DIR")
    return _private_dir(Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def model_cache_dir() -> Path:
    return _private_dir(user_data_dir() / "models")


def waveform_cache_dir() -> Path:
    return _private_dir(user_data_dir() / "waveforms")
