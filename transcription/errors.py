"""Exceptions raised by the transcription package, each with a message a supervisor can act on."""

from __future__ import annotations

import os
from pathlib import Path


class TranscriptionError(Exception):
    """Base class for everything this package raises on purpose."""


class AudioDecodeError(TranscriptionError):
    """A recording cannot be read: missing, empty, not audio, zero length, truncated or corrupt."""

    def __init__(self, path: str | Path, reason: str, /, **params: object):
        self.path = Path(path)
        # `reason` is an English template with {name} placeholders that `params` fill: the interface translates
        # the template (context "Errors", collected by resources/i18n/translations.py) before filling it in.
        self.template, self.params = reason, params
        self.reason = reason.format(**params) if params else reason
        # A name that is not UTF-8 is shown with its odd bytes as \xNN, so the message can be printed.
        self.shown_name = os.fsencode(self.path.name).decode("utf-8", errors="backslashreplace")
        super().__init__(f"{self.shown_name}: {self.reason}")


class UnsupportedCodecError(AudioDecodeError):
    """A well-formed recording in a codec Kalibra cannot decode (GSM 6.10, G.729...): skipped, not broken."""

    def __init__(self, path: str | Path, codec: str):
        self.codec = codec
        super().__init__(path, "codec not supported: {codec}", codec=codec)


class ModelNotFoundError(TranscriptionError):
    """No usable speech model: not installed, folder incomplete, or a model file corrupt."""


class TranscriptionCancelled(TranscriptionError):
    """The caller asked to stop; no partial transcript is returned."""


class DiarizationError(TranscriptionError):
    """Who-spoke-when cannot run: the speaker model is missing or damaged."""
