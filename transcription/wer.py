"""Word error rate against a reference script, with the normalisation Russian transcripts need."""

from __future__ import annotations

import re

_NON_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)


def normalize_words(text: str) -> list[str]:
    """Lowercase, ё→е, punctuation removed (hyphens split words), split on whitespace."""
    text = text.lower().replace("ё", "е")
    return _NON_WORD.sub(" ", text).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words: substitutions + deletions + insertions."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp_word in enumerate(hypothesis, start=1):
            current[j] = min(
                previous[j] + 1,  # deletion
                current[j - 1] + 1,  # insertion
                previous[j - 1] + (ref_word != hyp_word),  # substitution or match
            )
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(S + D + I) / words in reference, after normalize_words. Empty reference: 0.0 if the hypothesis is empty too."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)
