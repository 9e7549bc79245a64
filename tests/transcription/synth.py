"""Synthetic phone calls for tests: Russian speech from festival, operator left, customer right.

festival's Russian voice is the one TTS whisper base recognises almost word for word (see
MACHINE-NOTES); espeak-ng's Russian is not usable. One voice speaks both parts; the speakers are
told apart by channel, which is what the pipeline relies on.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

SAMPLE_RATE = 8000


def say(text: str, folder: Path, name: str) -> np.ndarray:
    """One utterance as float32 mono at 8 kHz."""
    txt = folder / f"{name}.txt"
    wav = folder / f"{name}.wav"
    txt.write_text(text, encoding="utf-8")
    subprocess.run(
        [
            "text2wave",
            "-eval",
            "(voice_msu_ru_nsh_clunits)",
            str(txt),
            "-o",
            str(wav),
            "-F",
            str(SAMPLE_RATE),
        ],
        check=True,
        capture_output=True,
    )
    samples, rate = sf.read(wav, dtype="float32")
    assert rate == SAMPLE_RATE
    return samples


@dataclass(frozen=True)
class Turn:
    speaker: str  # "operator" | "customer"
    text: str
    start: float = 0.0
    end: float = 0.0


def make_call(
    turns: list[tuple[str, str]],
    path: Path,
    gap_s: float = 0.5,
    echo_db: float | None = None,
    noise_db: float = -60.0,
    seed: int = 0,
) -> list[Turn]:
    """Write a stereo call to path (format from the suffix) and return the turns with their times.

    echo_db: also put each side's speech on the other channel at this level (e.g. -24), as a
    phone line with poor echo cancellation does.
    """
    work = path.parent / (path.stem + "_parts")
    work.mkdir(parents=True, exist_ok=True)
    pieces = [say(text, work, f"t{i}") for i, (_, text) in enumerate(turns)]
    total = int((sum(len(p) for p in pieces) / SAMPLE_RATE + gap_s * (len(pieces) + 1)) * SAMPLE_RATE)
    channels = np.zeros((2, total), dtype=np.float32)
    placed: list[Turn] = []
    cursor = int(gap_s * SAMPLE_RATE)
    for (speaker, text), samples in zip(turns, pieces, strict=True):
        ch = 0 if speaker == "operator" else 1
        channels[ch, cursor : cursor + len(samples)] += samples
        if echo_db is not None:
            channels[1 - ch, cursor : cursor + len(samples)] += samples * 10 ** (echo_db / 20)
        placed.append(Turn(speaker, text, cursor / SAMPLE_RATE, (cursor + len(samples)) / SAMPLE_RATE))
        cursor += len(samples) + int(gap_s * SAMPLE_RATE)
    rng = np.random.default_rng(seed)
    channels += rng.normal(0, 10 ** (noise_db / 20), channels.shape).astype(np.float32)
    sf.write(path, np.clip(channels.T, -1, 1), SAMPLE_RATE)
    shutil.rmtree(work)
    return placed


DIALOGUE = [
    ("operator", "Добрый день, клиника здоровье. Меня зовут Анна, чем я могу вам помочь?"),
    ("customer", "Здравствуйте. Я хочу записаться к терапевту на завтра."),
    ("operator", "Конечно. Назовите, пожалуйста, вашу фамилию и дату рождения."),
    ("customer", "Иванов Петр Сергеевич."),
    ("operator", "Спасибо. Есть свободное время утром. Вам удобно?"),
    ("customer", "Да, удобно. Спасибо большое, до свидания."),
]


def write_aac(wav: Path, target: Path) -> Path:
    """Encode a WAV file to AAC in an MP4 (.m4a) container with PyAV, which the app already depends on."""
    import av

    samples, rate = sf.read(wav, dtype="float32", always_2d=True)
    planar = np.ascontiguousarray(samples.T)
    layout = "stereo" if planar.shape[0] == 2 else "mono"
    with av.open(str(target), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate, layout=layout)
        for start in range(0, planar.shape[1], 4096):
            frame = av.AudioFrame.from_ndarray(planar[:, start:start + 4096], format="fltp", layout=layout)
            frame.sample_rate = rate
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return target
