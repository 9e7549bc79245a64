"""The waveform's data: a decimated envelope cached per recording, and the quiet stretches (silence, hold).

A 30-minute stereo call is decoded once; later openings read a small .npz keyed by the file's SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from review.desktop.paths import waveform_cache_dir
from transcription.audio import Envelope, envelope

# 50 points a second: finer than any on-screen zoom of a whole call, small on disk (~0.7 MB per 30 min).
POINTS_PER_SECOND = 50.0
# Both channels quieter than this (peak-to-peak) count as silence.
SILENCE_LEVEL = 0.02
SILENCE_MIN_S = 2.0
# A quiet stretch this long is most likely the caller put on hold.
HOLD_MIN_S = 10.0
# The cache keeps the envelopes opened most recently, ~350 hours of calls; older ones are rebuilt on demand.
CACHE_LIMIT_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class QuietSpan:
    start_s: float
    end_s: float

    @property
    def is_hold(self) -> bool:
        return self.end_s - self.start_s >= HOLD_MIN_S


def cache_path(sha256: str) -> Path:
    return waveform_cache_dir() / f"{sha256}.npz"


def cached_envelope(audio_path: str | Path, sha256: str) -> Envelope:
    """The recording's envelope, from the cache when present; computed and cached otherwise.

    Raises AudioDecodeError when the recording cannot be read.
    """
    cached = cache_path(sha256)
    if cached.exists():
        try:
            loaded = Envelope.load(cached)
            cached.touch()  # recently used: the last to be trimmed
            return loaded
        except (OSError, ValueError, KeyError):
            cached.unlink(missing_ok=True)  # a damaged cache file is rebuilt, never trusted
    result = envelope(audio_path, POINTS_PER_SECOND)
    partial = cached.with_suffix(".part")
    result.save(partial)
    partial.replace(cached)  # atomic: a crash mid-write never leaves a half file under the real name
    trim_cache(CACHE_LIMIT_BYTES)
    return result


def trim_cache(limit_bytes: int) -> None:
    """Remove the least recently used envelopes until the cache fits in limit_bytes."""
    entries = []
    for path in waveform_cache_dir().glob("*.npz"):
        try:
            stat = path.stat()
        except OSError:  # removed meanwhile by another window
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _mtime, size, path in sorted(entries):
        if total <= limit_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size


def quiet_spans(env: Envelope, level: float = SILENCE_LEVEL, min_s: float = SILENCE_MIN_S) -> list[QuietSpan]:
    """Stretches of at least `min_s` where every channel stays below `level` peak-to-peak."""
    loudness = (env.maxs - env.mins).max(axis=0)
    quiet = np.concatenate(([False], loudness < level, [False]))
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    starts, ends = edges[0::2], edges[1::2]
    step = 1.0 / env.points_per_second
    return [QuietSpan(s * step, e * step) for s, e in zip(starts, ends, strict=True) if (e - s) * step >= min_s]


def pixel_columns(values_min: np.ndarray, values_max: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Reduce one channel's envelope to `width` columns of (min, max) for drawing."""
    n = values_min.shape[0]
    if n == 0 or width <= 0:
        return np.zeros(max(width, 0), np.float32), np.zeros(max(width, 0), np.float32)
    bounds = np.linspace(0, n, width + 1).astype(np.int64)
    starts = np.minimum(bounds[:-1], n - 1)
    lows = np.minimum.reduceat(values_min, starts)
    highs = np.maximum.reduceat(values_max, starts)
    return lows, highs
