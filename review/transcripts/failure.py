"""Why a call's transcription failed, stored as a template with its values so each interface shows it in its
own language (the Russian library status must not read English), and the command line prints it in English."""

from __future__ import annotations

import json

from review.errors import KalibraError
from transcription.errors import AudioDecodeError

_MARK = '{"template"'  # how a stored reason begins; older rows hold plain English text


class TranscriptionFailed(KalibraError):
    """The reason a call's transcription failed; str() is the English sentence, with the file name first when
    the recording itself is at fault (the call's details show the file beside it, so the interface leaves it out)."""

    def __init__(self, template: str = "", /, *, file: str | None = None, **params: object) -> None:
        super().__init__(template, **params)
        self.file = file

    def __str__(self) -> str:
        reason = super().__str__()
        return f"{self.file}: {reason}" if self.file else reason


def stopped_too_often(attempts: int) -> TranscriptionFailed:
    return TranscriptionFailed("the transcription stopped {attempts} times without finishing (the worker was closed "
                               "or crashed); it is tried again only when asked: Transcribe again, or "
                               "`kalibra transcribe` with the call's number", attempts=attempts)


def failure_of(exc: BaseException) -> TranscriptionFailed:
    """The stored reason for an error met while transcribing one call."""
    if isinstance(exc, AudioDecodeError):
        return TranscriptionFailed(exc.template, file=exc.shown_name, **exc.params)
    if isinstance(exc, KalibraError):
        return TranscriptionFailed(exc.template, **exc.params)
    return TranscriptionFailed(str(exc))  # a model or decoder message built at run time: English as it came


def stored_text(failure: TranscriptionFailed) -> str:
    return json.dumps({"template": failure.template, "params": failure.params, "file": failure.file},
                      ensure_ascii=False, default=str)


def read_failure(text: str | None) -> TranscriptionFailed | None:
    """The stored reason back; a reason stored before templates were (plain text) reads as that text."""
    if not text:
        return None
    if text.startswith(_MARK):
        try:
            stored = json.loads(text)
            return TranscriptionFailed(str(stored["template"]), file=stored.get("file"), **dict(stored["params"]))
        except (ValueError, KeyError, TypeError):
            pass
    return TranscriptionFailed(text)
