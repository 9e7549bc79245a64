"""Conversation analytics: a synthetic stereo call with known silences, holds and overtalk (exact to 100 ms),
the demo calls against their scripts, and a one-channel call whose speakers the diarization infers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import yaml

from transcription.audio import decode, envelope
from transcription.conversation import Thresholds, analyse
from transcription.transcript import Segment, Transcript, Word

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
RATE = 8000
EXACT = 0.1  # seconds

# The synthetic call: who talks when (operator left, customer right), and where hold music plays.
OPERATOR = [(0.5, 6.0), (14.5, 20.0), (21.4, 25.0), (49.0, 52.0), (55.0, 58.0)]
CUSTOMER = [(6.4, 10.0), (18.5, 22.0), (40.0, 43.0), (52.5, 57.0), (70.0, 72.0)]
MUSIC = [(25.3, 39.7), (43.2, 48.8)]  # a 15 s hold with music, then 6 s of music: too short for a hold
DURATION = 73.0


def _words(start: float, end: float, word_s: float = 0.25, pause_s: float = 0.05) -> list[Word]:
    """Words filling [start, end] with short pauses between them, the last ending at `end`."""
    words, t, n = [], start, 0
    while t < end - 1e-9:
        words.append(Word(t, min(t + word_s, end), f"слово{n}", 0.9))
        t += word_s + pause_s
        n += 1
    words[-1] = Word(words[-1].start, end, words[-1].text, 0.9)
    return words


def _transcript(turns, *, inferred: bool = False, overlapped=(), duration: float = DURATION) -> Transcript:
    segments = []
    for speaker, (start, end) in sorted(turns, key=lambda turn: turn[1]):
        words = [Word(w.start, w.end, w.text, w.probability,
                      overlap=any(a <= w.start < b for a, b in overlapped)) for w in _words(start, end)]
        segments.append(Segment(speaker, start, end, " ".join(w.text for w in words), -0.2, 0.01, words))
    return Transcript("ru", duration, segments, speakers_inferred=inferred)


def _voice(seconds: float, rng) -> np.ndarray:
    """Speech-like sound: noise in syllables of 0.2 s with short dips, at a speaking level."""
    n = int(seconds * RATE)
    syllables = (np.arange(n) / RATE % 0.25) < 0.2
    return (rng.normal(0, 0.1, n) * np.where(syllables, 1.0, 0.1)).astype(np.float32)


def _music(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.05 * np.sin(2 * np.pi * 440 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 2.5 * t))).astype(np.float32)


@pytest.fixture(scope="module")
def synthetic_call(tmp_path_factory):
    rng = np.random.default_rng(7)
    stereo = rng.normal(0, 3e-5, (int(DURATION * RATE), 2)).astype(np.float32)  # a faint line hiss
    for channel, turns in ((0, OPERATOR), (1, CUSTOMER)):
        for start, end in turns:
            stereo[int(start * RATE):int(start * RATE) + int((end - start) * RATE), channel] += _voice(end - start, rng)
    for start, end in MUSIC:
        stereo[int(start * RATE):int(start * RATE) + int((end - start) * RATE), 0] += _music(end - start)
    path = tmp_path_factory.mktemp("conversation") / "synthetic.flac"
    sf.write(path, stereo, RATE)
    turns = [("operator", t) for t in OPERATOR] + [("customer", t) for t in CUSTOMER]
    return _transcript(turns), envelope(path, 50.0)


def _spans(result, kind):
    return [(s.start, s.end) for s in result.stretches if s.kind == kind]


def _close(found, expected):
    assert len(found) == len(expected), (found, expected)
    for (a, b), (c, d) in zip(found, expected, strict=True):
        assert abs(a - c) <= EXACT and abs(b - d) <= EXACT, (found, expected)


def test_synthetic_stereo_call_is_measured_exactly(synthetic_call):
    transcript, env = synthetic_call
    result = analyse(transcript, env)
    assert result.energy_used and not result.speakers_inferred
    assert result.duration_s == pytest.approx(DURATION)
    assert result.operator_talk_s == pytest.approx(20.6, abs=EXACT)
    assert result.customer_talk_s == pytest.approx(16.6, abs=EXACT)
    assert result.operator_share == pytest.approx(20.6 / 37.2, abs=0.005)
    assert result.operator_first_word_s == pytest.approx(0.5, abs=EXACT)
    _close(_spans(result, "silence"), [(10.0, 14.5)])  # the 6 s of music at 43-49 is not quiet
    assert (result.silence_count, result.silence_total_s) == (1, pytest.approx(4.5, abs=EXACT))
    assert result.silence_longest_s == pytest.approx(4.5, abs=EXACT)
    _close(_spans(result, "hold"), [(25.0, 40.0), (58.0, 70.0)])
    assert [s.music for s in result.stretches if s.kind == "hold"] == [True, False]
    assert (result.hold_count, result.long_holds) == (2, 0)
    assert result.hold_total_s == pytest.approx(27.0, abs=EXACT)
    assert result.hold_longest_s == pytest.approx(15.0, abs=EXACT)
    # 21.4-22.0 overlaps for 0.6 s only: not overtalk.
    _close(_spans(result, "overtalk"), [(18.5, 20.0), (55.0, 57.0)])
    assert [s.by for s in result.stretches if s.kind == "overtalk"] == ["customer", "operator"]
    assert (result.overtalk_count, result.operator_interruptions, result.customer_interruptions) == (2, 1, 1)
    assert result.overtalk_total_s == pytest.approx(3.5, abs=EXACT)
    words = sum(len(s.words) for s in transcript.segments if s.speaker == "operator")
    assert result.operator_words == words
    assert result.operator_wpm == pytest.approx(words / (20.6 / 60), rel=0.01)


def test_thresholds_change_what_counts(synthetic_call):
    transcript, env = synthetic_call
    result = analyse(transcript, env, Thresholds(silence_min_s=5.0, hold_min_s=12.0, long_hold_s=14.0,
                                                 overtalk_min_s=0.5))
    assert _spans(result, "silence") == []  # 4.5 s is under 5 now
    _close(_spans(result, "hold"), [(25.0, 40.0), (58.0, 70.0)])
    assert [s.long for s in result.stretches if s.kind == "hold"] == [True, False] and result.long_holds == 1
    _close(_spans(result, "overtalk"), [(18.5, 20.0), (21.4, 22.0), (55.0, 57.0)])
    assert [s.by for s in result.stretches if s.kind == "overtalk"] == ["customer", "operator", "operator"]


def test_without_the_envelope_music_cannot_be_told_from_quiet(synthetic_call):
    transcript, _env = synthetic_call
    result = analyse(transcript)
    assert not result.energy_used
    _close(_spans(result, "silence"), [(10.0, 14.5), (43.0, 49.0)])
    assert [s.music for s in result.stretches if s.kind == "hold"] == [False, False]


def test_a_call_with_one_party_or_nobody_speaking():
    nobody = analyse(Transcript("ru", 12.0, []))
    assert (nobody.operator_share, nobody.operator_wpm, nobody.operator_first_word_s) == (None, None, None)
    assert nobody.stretches == () and nobody.duration_s == 12.0
    alone = analyse(_transcript([("operator", (1.0, 4.0)), ("operator", (9.0, 11.0))], duration=12.0))
    assert alone.operator_share == 1.0 and alone.customer_talk_s == 0.0
    _close(_spans(alone, "silence"), [(4.0, 9.0)])


def _script(call_id: str) -> dict:
    return yaml.safe_load((DEMO / "scripts" / f"{call_id}.yaml").read_text(encoding="utf-8"))


def _script_transcript(script: dict, speaker=None) -> Transcript:
    """The script's turns as a transcription stores them, words spread evenly over each turn."""
    segments = []
    for turn in script["turns"]:
        parts = turn["text"].split()
        step = (turn["end"] - turn["start"]) / len(parts)
        words = [Word(turn["start"] + i * step, turn["start"] + (i + 1) * step, p, 0.9) for i, p in enumerate(parts)]
        segments.append(Segment(speaker or turn["speaker"], turn["start"], turn["end"], turn["text"], -0.2, 0.01,
                                words))
    segments.sort(key=lambda s: s.start)
    return Transcript(script["language"], script["duration_s"], segments)


def test_demo_call_hold_music_where_its_script_says():
    script = _script("ru02_callback_checkup")
    [music] = script["hold_music"]
    env = envelope(DEMO / script["audio"], 50.0)
    transcript = _script_transcript(script)
    # The demo's hold is 7 s of music: under the default 10 s it is no hold, and music is not a silence.
    default = analyse(transcript, env)
    assert default.hold_count == 0 and default.silence_count == 0
    shorter = analyse(transcript, env, Thresholds(hold_min_s=5.0))
    [hold] = [s for s in shorter.stretches if s.kind == "hold"]
    assert hold.music and hold.start <= music["start"] and hold.end >= music["end"]
    assert hold.start == pytest.approx(30.86, abs=EXACT) and hold.end == pytest.approx(38.86, abs=EXACT)
    assert shorter.operator_first_word_s == pytest.approx(script["turns"][0]["start"], abs=EXACT)


def test_demo_call_overtalk_where_its_script_says():
    script = _script("ru05_complaint_lost_appointment")
    transcript = _script_transcript(script)
    interrupting = next(t for t, before in zip(script["turns"][1:], script["turns"], strict=False)
                        if t["start"] < before["end"])
    interrupted = script["turns"][script["turns"].index(interrupting) - 1]
    result = analyse(transcript, envelope(DEMO / script["audio"], 50.0), Thresholds(overtalk_min_s=0.5))
    [overtalk] = [s for s in result.stretches if s.kind == "overtalk"]
    assert overtalk.start == pytest.approx(interrupting["start"], abs=EXACT)
    assert overtalk.end == pytest.approx(interrupted["end"], abs=EXACT)
    assert overtalk.by == interrupting["speaker"] == "customer" and result.customer_interruptions == 1
    truth = {party: sum(t["end"] - t["start"] for t in script["turns"] if t["speaker"] == party)
             for party in ("operator", "customer")}
    # Talk joins the turns' words; the script's turns of one party never come within JOIN_S of each other.
    assert result.operator_talk_s == pytest.approx(truth["operator"], abs=EXACT)
    assert result.customer_talk_s == pytest.approx(truth["customer"], abs=EXACT)


def test_mono_call_uses_the_inferred_speakers_and_says_so():
    from transcription.operator_side import CallFacts
    from transcription.pipeline import attribute_voices

    script = _script("ru02_callback_checkup")
    mono = decode(DEMO / script["audio"]).mean(axis=0)
    unknown = _script_transcript(script, speaker="unknown")
    segments, _found = attribute_voices(unknown.segments, mono, CallFacts("out", "Ольга Кузнецова",
                                                                          ("Семейный доктор",)))
    transcript = Transcript("ru", script["duration_s"], segments, speakers_inferred=True)
    result = analyse(transcript, envelope(mono, 50.0, 16000), Thresholds(hold_min_s=5.0))
    assert result.speakers_inferred
    truth = {party: sum(t["end"] - t["start"] for t in script["turns"] if t["speaker"] == party)
             for party in ("operator", "customer")}
    assert result.operator_talk_s == pytest.approx(truth["operator"], rel=0.1)
    assert result.customer_talk_s == pytest.approx(truth["customer"], rel=0.15)
    assert result.operator_first_word_s == pytest.approx(0.6, abs=EXACT)
    [hold] = [s for s in result.stretches if s.kind == "hold"]
    assert hold.music and hold.start == pytest.approx(30.86, abs=EXACT)
    assert all(s.by is None for s in result.stretches if s.kind == "overtalk")  # one channel: not known


def test_mono_overtalk_comes_from_the_overlapped_words():
    turns = [("operator", (0.5, 6.0)), ("customer", (6.2, 12.0)), ("operator", (12.2, 15.0))]
    result = analyse(_transcript(turns, inferred=True, overlapped=[(7.9, 9.9)], duration=16.0))
    [overtalk] = [s for s in result.stretches if s.kind == "overtalk"]
    assert (overtalk.start, overtalk.end, overtalk.by) == (pytest.approx(8.0), pytest.approx(10.05), None)
    assert result.overtalk_count == 1 and result.speakers_inferred
