"""Who spoke when in one-channel calls: demo downmixes, a three-voice call, a call with one side silent."""

from __future__ import annotations

import csv
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import yaml

from tests.conftest import need_tool
from tests.transcription.synth import SAMPLE_RATE, say
from transcription.audio import decode
from transcription.operator_side import CallFacts

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"



@pytest.fixture
def voices():
    """festival, sox and espeak-ng make the test voices."""
    for command, package in (("text2wave", "festival festvox-ru"), ("sox", "sox"), ("espeak-ng", "espeak-ng")):
        need_tool(command, package)


@dataclass(frozen=True)
class ScriptWord:
    start: float
    end: float
    text: str


def words_of(turns) -> tuple[list[ScriptWord], list[str]]:
    """Each turn's words spread evenly over the turn's time (whisper's words would be timed like this)."""
    words, truth = [], []
    for speaker, text, start, end in turns:
        parts = text.split()
        step = (end - start) / len(parts)
        for i, part in enumerate(parts):
            words.append(ScriptWord(start + i * step, start + (i + 1) * step, part))
            truth.append(speaker)
    return words, truth


def demo_call(call_id: str):
    script = yaml.safe_load((DEMO / "scripts" / f"{call_id}.yaml").read_text(encoding="utf-8"))
    row = next(r for r in csv.DictReader(open(DEMO / "calls" / "metadata.csv", encoding="utf-8"))
               if r["file"] == f"{call_id}.flac")
    stereo = decode(DEMO / script["audio"])
    turns = [(t["speaker"], t["text"], t["start"], t["end"]) for t in script["turns"]]
    return stereo, turns, CallFacts(row["direction"], row["operator"], ("Семейный доктор", "Family Doctor"))


@pytest.mark.parametrize("call_id", ["en01_booking_dermatology", "ru02_callback_checkup"])
def test_mono_demo_call_gets_operator_and_customer(call_id):
    from transcription.diarization import diarize

    stereo, turns, facts = demo_call(call_id)
    words, truth = words_of(turns)
    result = diarize(stereo.mean(axis=0), 16000, words, facts)
    assert result.speaker_count == 2
    right = np.mean([h == t for h, t in zip(result.speakers, truth, strict=True)])
    assert right >= 0.9, (right, result.operator_evidence)
    assert result.operator_confidence > 0.9
    assert result.confidence > 0.5


def test_mono_demo_call_at_8_khz_is_resampled():
    from transcription.diarization import diarize

    stereo, turns, facts = demo_call("en01_booking_dermatology")
    words, truth = words_of(turns)
    result = diarize(decode(DEMO / "calls" / "en01_booking_dermatology.flac", 8000).mean(axis=0), 8000, words, facts)
    assert result.speaker_count == 2
    assert np.mean([h == t for h, t in zip(result.speakers, truth, strict=True)]) >= 0.9


def test_call_silent_on_one_side_is_one_speaker():
    """The operator's channel alone: the customer's turns are silence, nobody to split off."""
    from transcription.diarization import diarize

    stereo, turns, facts = demo_call("ru01_booking_cardiology")
    operator_turns = [t for t in turns if t[0] == "operator"]
    words, _ = words_of(operator_turns)
    result = diarize(stereo[0], 16000, words, facts)
    assert result.speaker_count == 1
    assert set(result.speakers) == {"operator"}
    assert not any(result.overlaps)


def _shifted(samples: np.ndarray, cents: int, folder: Path, name: str) -> np.ndarray:
    src, dst = folder / f"{name}_in.wav", folder / f"{name}_out.wav"
    sf.write(src, samples, SAMPLE_RATE)
    subprocess.run(["sox", str(src), str(dst), "pitch", str(cents)], check=True, capture_output=True)
    return sf.read(dst, dtype="float32")[0]


def _espeak(text: str, folder: Path, name: str) -> np.ndarray:
    raw, dst = folder / f"{name}_raw.wav", folder / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", "ru", "-w", str(raw), text], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", str(SAMPLE_RATE), str(dst)], check=True, capture_output=True)
    return sf.read(dst, dtype="float32")[0]


THREE_VOICES = [
    ("operator", "Добрый день, клиника Здоровье, меня зовут Анна. Чем могу вам помочь?"),
    ("customer", "Здравствуйте. Я хотел бы узнать результаты анализов, которые сдавал на прошлой неделе."),
    ("operator", "Одну минуту, я соединю вас с доктором, она ответит на ваши вопросы."),
    ("speaker_3", "Здравствуйте, это доктор Соколова. Ваши анализы пришли, в целом всё хорошо."),
    ("customer", "Спасибо. А холестерин в норме? В прошлый раз он был повышен."),
    ("speaker_3", "Холестерин немного выше нормы. Я советую меньше жирной пищи и прийти через месяц."),
    ("customer", "Хорошо, я понял. Тогда запишите меня, пожалуйста, на повторный приём."),
    ("speaker_3", "Я передам вас обратно администратору, она подберёт удобное время для визита."),
    ("operator", "Снова здравствуйте. Есть время в понедельник в десять утра, вам удобно?"),
    ("customer", "Да, понедельник подходит. Спасибо вам большое, до свидания."),
]


@pytest.mark.usefixtures("voices")
def test_three_voice_call_gets_three_speakers(tmp_path):
    """Operator, customer and a doctor joining: the third voice becomes speaker_3, not one of the two."""
    from transcription.diarization import diarize

    voices = {
        "operator": lambda text, i: _shifted(say(text, tmp_path, f"o{i}"), 330, tmp_path, f"o{i}"),
        "customer": lambda text, i: _shifted(say(text, tmp_path, f"c{i}"), -150, tmp_path, f"c{i}"),
        "speaker_3": lambda text, i: _espeak(text, tmp_path, f"d{i}"),
    }
    gap = int(0.6 * SAMPLE_RATE)
    audio, turns, cursor = [np.zeros(gap, np.float32)], [], gap
    for i, (speaker, text) in enumerate(THREE_VOICES):
        piece = voices[speaker](text, i)
        piece = piece / (np.sqrt(np.mean(piece**2)) + 1e-9) * 0.1  # every voice at the same level
        turns.append((speaker, text, cursor / SAMPLE_RATE, (cursor + len(piece)) / SAMPLE_RATE))
        audio += [piece.astype(np.float32), np.zeros(gap, np.float32)]
        cursor += len(piece) + gap
    mono = np.concatenate(audio) + np.random.default_rng(0).normal(0, 1e-4, cursor).astype(np.float32)
    words, truth = words_of(turns)

    result = diarize(mono, SAMPLE_RATE, words, CallFacts("in", "Анна Петрова", ("Здоровье",)))

    assert result.speaker_count == 3
    assert np.mean([h == t for h, t in zip(result.speakers, truth, strict=True)]) >= 0.9
    assert {t.speaker for t in result.turns} == {"operator", "customer", "speaker_3"}
