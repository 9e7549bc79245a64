"""The language a call is transcribed in: the expected one unless the speech is confidently another."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from tests.transcription.conftest import DEMO
from transcription.language import DETECTED, FORCED, SETTING, choose_language
from transcription.pipeline import TranscriptionOptions, load_call_audio, transcribe_samples
from transcription.repetition import find_loops
from transcription.wer import word_error_rate

pytestmark = pytest.mark.model
EN01 = DEMO / "calls" / "en01_booking_dermatology.flac"
RU09 = DEMO / "calls" / "ru09_info_prices.flac"
CLIP_S = 20.0


def clip(path):
    return np.ascontiguousarray(load_call_audio(path)[:, : int(CLIP_S * 16000)])


def said_in_clip(name: str) -> str:
    script = yaml.safe_load((DEMO / "scripts" / f"{name}.yaml").read_text(encoding="utf-8"))
    return " ".join(t["text"] for t in script["turns"] if t["end"] <= CLIP_S)


def test_an_english_call_under_the_russian_setting_is_transcribed_in_english(whisper):
    transcript = transcribe_samples(clip(EN01), TranscriptionOptions(language="ru", cpu_threads=2), whisper)
    assert (transcript.language, transcript.language_source) == ("en", DETECTED)
    assert transcript.language_probability >= 0.8
    assert word_error_rate(said_in_clip("en01_booking_dermatology"), transcript.text) < 0.35
    for speaker in ("operator", "customer"):
        assert find_loops(transcript.text_of(speaker).split()) == []


def test_a_russian_call_keeps_the_setting_and_a_forced_language_is_not_second_guessed(whisper):
    russian = transcribe_samples(clip(RU09), TranscriptionOptions(language="ru", cpu_threads=2), whisper)
    assert (russian.language, russian.language_source) == ("ru", SETTING)
    assert russian.language_probability > 0.8  # the detector agreed

    forced = choose_language(whisper, clip(EN01)[0], "ru", forced=True)
    assert (forced.language, forced.source, forced.probability) == ("ru", FORCED, None)
    assert choose_language(whisper, np.zeros(0, np.float32), "ru").source == SETTING  # no speech: nothing to hear
