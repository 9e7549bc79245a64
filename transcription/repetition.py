"""Telling a hallucinated loop from speech: whisper's compression-ratio test and repeated word runs.

Whisper, decoding without its temperature fallback, can fall into a loop and write one phrase over
and over. faster-whisper's sequential path rejects such output (compression ratio above 2.4, or a
mean token log-probability below -1) and decodes again at a higher temperature; the batched path
does not. These checks find the windows that need it, and the runs of repeats that remain.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from transcription.wer import normalize_words

# whisper's own thresholds (openai/whisper transcribe.py, faster-whisper's defaults)
COMPRESSION_RATIO_THRESHOLD = 2.4
LOG_PROB_THRESHOLD = -1.0
# One word said five times running ("да, да, да, да, да") is rare; a phrase of two or more words said
# three times running almost never happens in a call, and is what whisper's loops look like.
MAX_WORD_REPEATS = 4
MAX_PHRASE_REPEATS = 2
_LONGEST_PHRASE = 12  # words


def compression_ratio(text: str) -> float:
    """Bytes of the text over bytes of it zlib-compressed, as whisper computes it."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


@dataclass(frozen=True)
class Loop:
    """`repeats` consecutive copies of the `size`-word phrase starting at word `start`."""

    start: int
    size: int
    repeats: int

    @property
    def end(self) -> int:
        return self.start + self.size * self.repeats


def _allowed(size: int) -> int:
    return MAX_WORD_REPEATS if size == 1 else MAX_PHRASE_REPEATS


def find_loops(words: list[str]) -> list[Loop]:
    """Runs of a phrase repeated more often than speech repeats one (see MAX_*_REPEATS), left to right.

    words are compared after normalize_words-style folding, so "Добрый день," and "добрый день" match.
    """
    folded = [" ".join(normalize_words(w)) for w in words]
    loops: list[Loop] = []
    i = 0
    while i < len(folded):
        found = None
        for size in range(1, min(_LONGEST_PHRASE, (len(folded) - i) // 2) + 1):
            phrase = folded[i : i + size]
            if not any(phrase):
                continue
            repeats = 1
            while folded[i + repeats * size : i + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats > _allowed(size):
                found = Loop(i, size, repeats)
                break
        if found:
            loops.append(found)
            i = found.end
        else:
            i += 1
    return loops


def looks_degenerate(text: str, avg_logprob: float) -> bool:
    """Whether whisper's output for a window should be decoded again, by whisper's rules plus a loop check."""
    if not text.strip():
        return False
    return (
        compression_ratio(text) > COMPRESSION_RATIO_THRESHOLD
        or avg_logprob < LOG_PROB_THRESHOLD
        or bool(find_loops(text.split()))
    )


def keep_first_of_loops(words: list, text_of=lambda w: w) -> list:
    """The words with every loop cut down to its first copy: a last guard, for output that re-decoding
    could not cure; what was really said more than once is seldom said more often than the limits."""
    loops = find_loops([text_of(w) for w in words])
    if not loops:
        return list(words)
    kept, cursor = [], 0
    for loop in loops:
        kept += words[cursor : loop.start + loop.size]
        cursor = loop.end
    return kept + words[cursor:]
