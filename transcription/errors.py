"""Exceptions raised by the transcription package, each with a message a supervisor can act on."""

from __future__ import annotations

from pathlib import Path


class TranscriptionError(Exception):
    """Base class for everything this package raises on purpose."""


class AudioDecodeError(TranscriptionError):
    """A recording cannot be read: missing, empty, not audio, zero length, truncated or corrupt."""

    def __init__(self, path: str | Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class ModelNotFoundError(TranscriptionError):
    """No usable speech model: not installed, folder incomplete, or a model file corrupt."""


class TranscriptionCancelled(TranscriptionError):
    """The caller asked to stop; no partial transcript is returned."""


class DiarizationError(TranscriptionError):
    """Who-spoke-when cannot run: the speaker model is missing or damaged."""
