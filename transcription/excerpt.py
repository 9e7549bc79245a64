"""Cutting an audio excerpt of a recording: [start, end] to WAV or FLAC, optionally with stretches silenced.

The excerpt keeps the recording's sample rate and channels. Its edges and every silenced stretch fade over
10 ms, so neither a cut nor a mute clicks. The recording itself is only read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from transcription.audio import decode, probe
from transcription.errors import AudioDecodeError, TranscriptionError

FADE_S = 0.010
FORMATS = {".wav": "WAV", ".flac": "FLAC"}


class ExcerptError(TranscriptionError):
    """The excerpt cannot be made: a bad time range, an unsupported target format or an unwritable file."""


@dataclass(frozen=True)
class Excerpt:
    path: Path
    start_s: float  # in the recording, after clamping to its length
    end_s: float
    sample_rate: int
    channels: int
    frames: int
    silenced: tuple[tuple[float, float], ...]  # in excerpt time (0 = start_s), clipped to the excerpt

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate


def _read_range(source: Path, start_s: float, end_s: float) -> tuple[np.ndarray, int, float, float]:
    """(frames, channels) float32 of [start, end] clamped to the recording, its rate, and the clamped times."""
    try:
        snd = sf.SoundFile(str(source))
    except (sf.LibsndfileError, RuntimeError):
        snd = None
    if snd is not None:
        with snd:
            rate, total = snd.samplerate, snd.frames
            first, last = _frame_range(source, start_s, end_s, rate, total)
            try:
                snd.seek(first)
                data = snd.read(last - first, dtype="float32", always_2d=True)
            except (sf.LibsndfileError, RuntimeError) as exc:
                raise AudioDecodeError(source, "corrupt or truncated audio ({detail})", detail=str(exc)) from exc
        return data, rate, first / rate, (first + len(data)) / rate
    # Formats libsndfile cannot read (m4a, amr, wma...): decode all at the file's own rate, then cut.
    rate = probe(source).sample_rate
    samples = decode(source, rate)
    first, last = _frame_range(source, start_s, end_s, rate, samples.shape[1])
    return np.ascontiguousarray(samples[:, first:last].T), rate, first / rate, last / rate


def _frame_range(source: Path, start_s: float, end_s: float, rate: int, total: int) -> tuple[int, int]:
    if not (np.isfinite(start_s) and np.isfinite(end_s)) or start_s < 0 or end_s <= start_s:
        raise ExcerptError(f"{source.name}: an excerpt needs 0 ≤ start < end (got {start_s:g}–{end_s:g} s).")
    first = int(round(start_s * rate))
    last = min(total, int(round(end_s * rate)))
    if first >= total:
        raise ExcerptError(f"{source.name}: the excerpt starts at {start_s:.1f} s, after the recording ends "
                           f"({total / rate:.1f} s).")
    if last <= first:
        raise ExcerptError(f"{source.name}: the excerpt {start_s:g}–{end_s:g} s holds no audio.")
    return first, last


def gain_curve(frames: int, rate: int, silenced: Iterable[tuple[float, float]], fade_s: float = FADE_S) -> np.ndarray:
    """Per-frame gain: 0 inside each silenced (start, end) stretch (excerpt time), ramps of `fade_s` just outside
    it and at both edges of the excerpt, 1 elsewhere."""
    gain = np.ones(frames, dtype=np.float32)
    fade = max(1, int(round(fade_s * rate)))
    ramp = np.linspace(0.0, 1.0, fade + 2, dtype=np.float32)[1:-1]  # strictly between silence and full gain

    def apply(first: int, values: np.ndarray) -> None:
        lo, hi = max(0, first), min(frames, first + len(values))
        if hi > lo:
            gain[lo:hi] = np.minimum(gain[lo:hi], values[lo - first:hi - first])

    apply(0, ramp)  # fade in
    apply(frames - fade, ramp[::-1])  # fade out
    for start_s, end_s in silenced:
        first, last = int(np.floor(start_s * rate)), int(np.ceil(end_s * rate))
        if last <= 0 or first >= frames or last <= first:
            continue
        apply(first, np.zeros(last - first, dtype=np.float32))
        apply(first - fade, ramp[::-1])  # fade out into the silence
        apply(last, ramp)  # and back in after it
    return gain


def write_excerpt(source: str | Path, out_path: str | Path, start_s: float, end_s: float, *,
                  silence: Iterable[tuple[float, float]] = (), fade_s: float = FADE_S) -> Excerpt:
    """Write [start_s, end_s] of `source` to `out_path` (.wav: 16-bit PCM, .flac) at the source's rate and
    channels. `silence` holds (start, end) stretches in recording time to mute. The end is clamped to the
    recording's length. Raises AudioDecodeError (unreadable source) or ExcerptError."""
    source, out_path = Path(source), Path(out_path)
    fmt = FORMATS.get(out_path.suffix.lower())
    if fmt is None:
        found = out_path.suffix or "a name without an extension"
        raise ExcerptError(f"{out_path.name}: an excerpt is saved as .wav or .flac, not {found}.")
    data, rate, first_s, last_s = _read_range(source, start_s, end_s)
    stretches = tuple(sorted((max(0.0, a - first_s), min(last_s - first_s, b - first_s))
                             for a, b in silence if b > first_s and a < last_s and b > a))
    gain = gain_curve(len(data), rate, stretches, fade_s)
    shaped = np.clip(data * gain[:, None], -1.0, 1.0)
    tmp = out_path.with_name(out_path.name + ".part")
    try:
        sf.write(str(tmp), shaped, rate, format=fmt, subtype="PCM_16")
        tmp.replace(out_path)
    except (OSError, sf.LibsndfileError, RuntimeError) as exc:
        tmp.unlink(missing_ok=True)
        raise ExcerptError(f"{out_path}: the excerpt cannot be written ({exc}).") from exc
    return Excerpt(out_path, first_s, last_s, rate, data.shape[1], len(data), stretches)
