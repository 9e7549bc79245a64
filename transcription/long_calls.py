"""Long recordings transcribed a piece at a time, so memory stays bounded however long the call."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from transcription.audio import WHISPER_SAMPLE_RATE, decode, probe
from transcription.transcript import Segment, Transcript

# 20 minutes of 16 kHz float32 is 77 MB a channel: with eight channels and whisper beside it, well
# under the 1.5 GB a call may take. Calls up to this long are transcribed whole.
PIECE_S = 20 * 60.0


def is_long(duration_s: float) -> bool:
    return duration_s > PIECE_S


def _shifted(segment: Segment, offset: float) -> Segment:
    return replace(segment, start=segment.start + offset, end=segment.end + offset,
                   words=[replace(w, start=w.start + offset, end=w.end + offset) for w in segment.words])


def transcribe_in_pieces(path: str | Path, options, model, progress: Callable[[float], None] | None = None,
                         should_cancel: Callable[[], bool] | None = None) -> Transcript:
    """One transcript of a long recording, decoded and transcribed PIECE_S at a time.

    A word spoken across a piece boundary may be split in two. Raises what transcribe_many raises.
    """
    from transcription.pipeline import transcribe_many

    info = probe(path)
    piece_s = PIECE_S * min(1.0, 2 / info.channels)  # more channels, shorter pieces: the same memory
    pieces = max(1, math.ceil(info.duration_s / piece_s))
    segments: list[Segment] = []
    language = None
    for piece in range(pieces):
        start = piece * piece_s
        samples = decode(path, WHISPER_SAMPLE_RATE, start_s=start, duration_s=piece_s)

        def report(_index: int, fraction: float, piece: int = piece) -> None:
            if progress:
                progress((piece + fraction) / pieces)

        for _index, transcript in transcribe_many([(samples, options)], model, report, should_cancel):
            language = language or transcript.language or None
            segments += [_shifted(segment, start) for segment in transcript.segments]
        del samples  # before the next piece is decoded
    return Transcript(language or options.language or "", info.duration_s, segments)
