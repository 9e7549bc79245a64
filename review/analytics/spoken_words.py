"""A transcript's words as the phrase matching reads them: each with its party and times."""

from __future__ import annotations

from rubrics.check_matching import SpokenWord
from transcription.transcript import Transcript


def spoken_words(transcript: Transcript) -> list[SpokenWord]:
    """Every word with its party and times; a segment stored without word times spreads its text evenly."""
    words: list[SpokenWord] = []
    for segment in transcript.segments:
        if segment.words:
            words += [SpokenWord(segment.speaker, w.start, w.end, w.text) for w in segment.words]
            continue
        tokens = segment.text.split()
        step = (segment.end - segment.start) / max(len(tokens), 1)
        words += [SpokenWord(segment.speaker, segment.start + n * step, segment.start + (n + 1) * step, token)
                  for n, token in enumerate(tokens)]
    return words
