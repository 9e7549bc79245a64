"""Make Kalibra's demo calls: synthesised clinic phone calls, stereo 8 kHz, operator left, customer right.

Reads ``calls_source.yaml`` beside this file and writes, for every call:
``calls/<id>.flac`` (FLAC, 8 kHz, 16-bit, stereo), ``scripts/<id>.yaml`` (the script with the measured
start/end of every turn, the ground truth for word error rate) and one row of ``calls/metadata.csv``
(the sidecar CSV the importer reads).

Russian speech comes from festival (voice msu_ru_nsh_clunits, the only Russian voice that whisper
recognises); its one male voice is told apart per speaker by a sox pitch/tempo shift. English speech
comes from espeak-ng. Noise and pauses are drawn from seeds derived from the call id, so a rerun on
the same tools gives the same audio.

Usage: python resources/demo/make_demo.py [call_id ...]
Needs: festival + festvox-ru (text2wave), espeak-ng, sox, numpy, soundfile, PyYAML.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import yaml

DEMO_DIR = Path(__file__).resolve().parent
SOURCE_FILE = DEMO_DIR / "calls_source.yaml"
CALLS_DIR = DEMO_DIR / "calls"
SCRIPTS_DIR = DEMO_DIR / "scripts"
METADATA_FILE = CALLS_DIR / "metadata.csv"

SAMPLE_RATE = 8000
SPEECH_RMS_DBFS = -20.0  # typical telephone speech level
LINE_NOISE_STD = 1.0  # in 16-bit steps: a faint line hiss, so silence is not digital zero; FLAC stays small
LEAD_IN_S = 0.6
TAIL_S = 0.8
PAUSE_RANGE_S = (0.35, 0.9)
HOLD_MUSIC_DBFS = -30.0
METADATA_COLUMNS = ["file", "operator", "started_at", "direction", "channel", "call_kind", "outcome", "language", "tags"]


class DemoBuildError(RuntimeError):
    """A demo call could not be made; the message names the call or tool at fault."""


@dataclass
class Turn:
    speaker: str  # "operator" or "customer"
    text: str
    pause: float | None = None
    overlap: float = 0.0
    hold: float = 0.0


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise DemoBuildError(f"{what} failed ({' '.join(cmd[:3])} ...): {done.stderr.strip()[:400]}")


def _telephone(src: Path, dst: Path, pitch: float = 0.0, tempo: float = 1.0) -> None:
    """Shift pitch/tempo, band-limit like a phone line, resample to 8 kHz float (no sox dither)."""
    effects: list[str] = []
    if pitch:
        effects += ["pitch", str(pitch)]
    if tempo != 1.0:
        effects += ["tempo", "-s", str(tempo)]
    effects += ["highpass", "200", "lowpass", "3400", "rate", "-h", str(SAMPLE_RATE)]
    _run(["sox", str(src), "-e", "floating-point", "-b", "32", str(dst), *effects], "sox")


def synthesise(text: str, voice: dict, workdir: Path) -> np.ndarray:
    """Speak ``text`` with ``voice`` and return mono float32 samples at 8 kHz, silence trimmed."""
    raw = workdir / "raw.wav"
    out = workdir / "tel.wav"
    engine = voice["engine"]
    if engine == "festival":
        text_file = workdir / "text.txt"
        text_file.write_text(text + "\n", encoding="utf-8")
        _run(["text2wave", "-eval", "(voice_msu_ru_nsh_clunits)", str(text_file), "-o", str(raw)], "festival")
        _telephone(raw, out, pitch=voice.get("pitch", 0), tempo=voice.get("tempo", 1.0))
    elif engine == "espeak":
        _run(
            [
                "espeak-ng",
                "-v",
                voice["voice"],
                "-p",
                str(voice.get("pitch", 50)),
                "-s",
                str(voice.get("speed", 170)),
                "-w",
                str(raw),
                text,
            ],
            "espeak-ng",
        )
        _telephone(raw, out)
    else:
        raise DemoBuildError(f"unknown speech engine {engine!r} in {SOURCE_FILE.name}")
    samples, rate = sf.read(out, dtype="float32")
    if rate != SAMPLE_RATE or samples.ndim != 1:
        raise DemoBuildError(f"sox gave {rate} Hz / shape {samples.shape} for {text[:40]!r}")
    samples = _trim_silence(samples)
    rms = float(np.sqrt(np.mean(samples**2))) or 1e-9
    return samples * (10 ** (SPEECH_RMS_DBFS / 20) / rms)


def _trim_silence(samples: np.ndarray, frame: int = 160) -> np.ndarray:
    """Cut the synthesiser's leading and trailing silence so turn times mark speech."""
    n = len(samples) // frame
    energy = np.sqrt(np.mean(samples[: n * frame].reshape(n, frame) ** 2, axis=1))
    loud = np.nonzero(energy > energy.max() * 0.03)[0]
    if len(loud) == 0:
        raise DemoBuildError("the synthesiser produced silence")
    start = max(0, (loud[0] - 2) * frame)
    end = min(len(samples), (loud[-1] + 3) * frame)
    return samples[start:end]


def hold_music(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """A quiet, simple melody of soft sine notes, the kind a phone system plays on hold."""
    note_s = 0.4
    scale = [261.6, 293.7, 329.6, 392.0, 440.0, 523.3]
    n_notes = int(np.ceil(seconds / note_s))
    t = np.arange(int(note_s * SAMPLE_RATE)) / SAMPLE_RATE
    envelope = np.minimum(1.0, t / 0.03) * np.exp(-t * 3.0)
    notes = []
    for _ in range(n_notes):
        f = scale[int(rng.integers(len(scale)))]
        notes.append(envelope * (np.sin(2 * np.pi * f * t) + 0.3 * np.sin(2 * np.pi * 2 * f * t)))
    music = np.concatenate(notes)[: int(seconds * SAMPLE_RATE)]
    music /= np.sqrt(np.mean(music**2))
    return (music * 10 ** (HOLD_MUSIC_DBFS / 20)).astype(np.float32)


def _parse_turn(raw) -> Turn:
    if isinstance(raw, list):
        return Turn(speaker=raw[0], text=raw[1])
    return Turn(
        speaker=raw["speaker"],
        text=raw["text"],
        pause=raw.get("pause"),
        overlap=float(raw.get("overlap", 0.0)),
        hold=float(raw.get("hold", 0.0)),
    )


def build_call(call: dict, voices: dict, workdir: Path) -> tuple[np.ndarray, list[dict], list[dict]]:
    """Synthesise and mix one call.

    Returns (stereo int16 samples, turns with start/end seconds, hold-music spans with start/end seconds).
    """
    rng = np.random.default_rng(zlib.crc32(call["id"].encode()))
    operator_voice = voices[call["operator"]]
    customer_voice = call["customer_voice"]
    turns = [_parse_turn(t) for t in call["turns"]]

    placed: list[tuple[Turn, int, np.ndarray]] = []  # (turn, start sample, audio)
    holds: list[tuple[int, np.ndarray]] = []
    cursor = int(LEAD_IN_S * SAMPLE_RATE)
    for i, turn in enumerate(turns):
        if turn.speaker not in ("operator", "customer"):
            raise DemoBuildError(f"call {call['id']}: turn {i + 1} has speaker {turn.speaker!r}")
        voice = operator_voice if turn.speaker == "operator" else customer_voice
        audio = synthesise(turn.text, voice, workdir)
        if i > 0:
            if turn.hold:
                cursor += int(0.5 * SAMPLE_RATE)
                music = hold_music(turn.hold, rng)
                holds.append((cursor, music))
                cursor += len(music) + int(0.5 * SAMPLE_RATE)
            elif turn.overlap:
                cursor -= int(turn.overlap * SAMPLE_RATE)
            else:
                pause = turn.pause if turn.pause is not None else rng.uniform(*PAUSE_RANGE_S)
                cursor += int(pause * SAMPLE_RATE)
        placed.append((turn, cursor, audio))
        cursor += len(audio)

    total = cursor + int(TAIL_S * SAMPLE_RATE)
    channels = {"operator": np.zeros(total, np.float32), "customer": np.zeros(total, np.float32)}
    for turn, start, audio in placed:
        channels[turn.speaker][start : start + len(audio)] += audio
    for start, music in holds:
        channels["operator"][start : start + len(music)] += music

    echo = call.get("echo")
    if echo:
        # Crosstalk: the operator's voice leaks faintly and late into the customer's channel.
        delay = int(echo["delay_ms"] * SAMPLE_RATE / 1000)
        leak = channels["operator"][: total - delay] * 10 ** (echo["gain_db"] / 20)
        channels["customer"][delay:] += leak

    stereo = np.stack([channels["operator"], channels["customer"]], axis=1) * 32767.0
    stereo += rng.normal(0.0, LINE_NOISE_STD, stereo.shape)
    peak = np.abs(stereo).max()
    if peak > 32000:
        raise DemoBuildError(f"call {call['id']}: mix clips (peak {peak:.0f}); lower SPEECH_RMS_DBFS")
    timed = [
        {
            "speaker": turn.speaker,
            "text": turn.text,
            "start": round(start / SAMPLE_RATE, 2),
            "end": round((start + len(audio)) / SAMPLE_RATE, 2),
        }
        for turn, start, audio in placed
    ]
    hold_spans = [
        {"start": round(start / SAMPLE_RATE, 2), "end": round((start + len(music)) / SAMPLE_RATE, 2)}
        for start, music in holds
    ]
    return np.round(stereo).astype(np.int16), timed, hold_spans


def script_record(call: dict, duration: float, turns: list[dict], holds: list[dict]) -> dict:
    """The per-call script file: metadata, what the call demonstrates, and the timed turns."""
    record = {
        key: call[key]
        for key in (
            "id",
            "title",
            "language",
            "operator",
            "started_at",
            "direction",
            "channel",
            "call_kind",
            "outcome",
            "tags",
        )
    }
    record["audio"] = f"calls/{call['id']}.flac"
    record["duration_s"] = round(duration, 2)
    if call.get("echo"):
        record["echo"] = call["echo"]
    if holds:
        record["hold_music"] = holds  # on the operator channel
    record["turns"] = turns
    return record


def metadata_row(call: dict) -> dict:
    return {
        "file": f"{call['id']}.flac",
        "operator": call["operator"],
        "started_at": call["started_at"],
        "direction": call["direction"],
        "channel": call["channel"],
        "call_kind": call["call_kind"],
        "outcome": call["outcome"],
        "language": call["language"],
        "tags": ";".join(call["tags"]),
    }


def _check_tools() -> None:
    missing = [tool for tool in ("text2wave", "espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        raise DemoBuildError(
            f"missing tools: {', '.join(missing)}; install festival festvox-ru espeak-ng sox"
        )


def main(argv: list[str]) -> int:
    _check_tools()
    source = yaml.safe_load(SOURCE_FILE.read_text(encoding="utf-8"))
    voices = source["operators"]
    wanted = set(argv)
    CALLS_DIR.mkdir(exist_ok=True)
    SCRIPTS_DIR.mkdir(exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kalibra-demo-") as tmp:
        for call in source["calls"]:
            rows.append(metadata_row(call))
            if wanted and call["id"] not in wanted:
                continue
            stereo, turns, holds = build_call(call, voices, Path(tmp))
            duration = len(stereo) / SAMPLE_RATE
            sf.write(CALLS_DIR / f"{call['id']}.flac", stereo, SAMPLE_RATE, format="FLAC", subtype="PCM_16")
            script = script_record(call, duration, turns, holds)
            (SCRIPTS_DIR / f"{call['id']}.yaml").write_text(
                yaml.safe_dump(script, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8"
            )
            print(f"{call['id']}: {duration:5.1f} s, {len(turns)} turns")
    with METADATA_FILE.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=METADATA_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except DemoBuildError as error:
        print(f"make_demo: {error}", file=sys.stderr)
        sys.exit(1)
