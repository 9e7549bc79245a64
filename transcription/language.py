"""Which language to transcribe a call in: the expected one, unless its speech is confidently another.

Whisper told the wrong language writes the right sounds in the wrong words, or a hallucinated phrase
over and over. Detection costs one encoder pass over a window of the call's speech (not its silence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SETTING = "setting"  # the expected language (settings), kept
DETECTED = "detected"  # detected from the speech, the setting switched off or overruled
FORCED = "forced"  # named for this call (metadata or a supervisor): never second-guessed
SOURCES = (SETTING, DETECTED, FORCED)

# The detector's probability above which a call is transcribed in another language than expected.
# whisper base gave the spoken language 0.95-0.999 on every demo call and every call in
# ../shared/realcalls (8 kHz phone audio); below 0.8 the guess is kept out of the way.
SWITCH_MIN_PROBABILITY = 0.8
_WINDOW_SAMPLES = 30 * 16000


@dataclass(frozen=True)
class LanguageChoice:
    language: str
    source: str  # one of SOURCES
    probability: float | None = None  # the detector's, for the detected language; None when not run


def choose_language(model, speech: np.ndarray, expected: str | None, forced: bool = False,
                    min_probability: float = SWITCH_MIN_PROBABILITY) -> LanguageChoice:
    """The language for a call whose speech (16 kHz mono, silence cut out) is `speech`.

    expected None: whatever is detected. forced: expected, without detection.
    """
    if expected and forced:
        return LanguageChoice(expected, FORCED)
    if len(speech) == 0:
        return LanguageChoice(expected or "", SETTING)
    language, probability, _all = model.detect_language(audio=np.ascontiguousarray(speech[:_WINDOW_SAMPLES]))
    probability = round(float(probability), 3)
    if not expected or (language != expected and probability >= min_probability):
        return LanguageChoice(language, DETECTED, probability)
    return LanguageChoice(expected, SETTING, probability if language == expected else None)
