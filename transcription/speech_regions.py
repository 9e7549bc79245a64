"""Where each channel speaks, which of it is only echo of the other side, and one packed stream of speech.

A stereo call is two recordings of one conversation that take turns. Instead of running whisper
over each full channel (twice the audio, mostly silence), the speech regions of both channels are
cut out, echo regions are dropped, and the rest is laid end to end in time order: whisper sees the
conversation's speech once, and every piece remembers its channel and original time.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
_FRAME = 320  # 20 ms energy frames at 16 kHz
_ECHO_MAX_LAG_FRAMES = 15  # echo may arrive up to 300 ms late (line and canceller delay)


@dataclass(frozen=True)
class Region:
    channel: int
    start: int  # samples, at 16 kHz, in the original call
    end: int


@dataclass(frozen=True)
class Piece:
    """A region placed in the packed stream."""

    channel: int
    start: int  # original call time, samples
    end: int
    packed_start: int  # where it begins in the packed stream, samples


def detect_speech(samples: np.ndarray, vad_options) -> list[Region]:
    """Silero VAD (bundled with faster-whisper) on each channel of (channels, n) 16 kHz audio."""
    from faster_whisper.vad import get_speech_timestamps

    regions = []
    for channel, audio in enumerate(samples):
        for ts in get_speech_timestamps(audio, vad_options, sampling_rate=SAMPLE_RATE):
            regions.append(Region(channel, int(ts["start"]), int(ts["end"])))
    return regions


def frame_energy(samples: np.ndarray) -> np.ndarray:
    """Mean square per 20 ms frame, shape (channels, frames)."""
    channels, n = samples.shape
    frames = n // _FRAME
    blocks = samples[:, : frames * _FRAME].reshape(channels, frames, _FRAME).astype(np.float64)
    return (blocks**2).mean(axis=2)


def _best_lagged_correlation(own: np.ndarray, other: np.ndarray) -> float:
    """Highest Pearson correlation of the two energy envelopes with own lagging other by 0..max lag."""
    best = -1.0
    for lag in range(0, min(_ECHO_MAX_LAG_FRAMES, len(own) - 4) + 1):
        a = own[lag:]
        b = other[: len(other) - lag] if lag else other
        if a.std() == 0 or b.std() == 0:
            continue
        best = max(best, float(np.corrcoef(a, b)[0, 1]))
    return best


def is_echo(
    energy: np.ndarray,
    channel: int,
    other: int,
    start: int,
    end: int,
    margin_db: float,
    min_correlation: float,
) -> bool:
    """True when channel's sound over [start, end) is a faint copy of the other channel.

    Two conditions, both needed: the other channel is louder by margin_db, and the loudness of this
    channel follows the other's over time (correlated envelopes, allowing a delay). A quiet customer
    talking over a loud operator is louder-than-nothing but not correlated, so it is kept.
    """
    f0, f1 = start // _FRAME, max(start // _FRAME + 1, end // _FRAME)
    own, oth = energy[channel, f0:f1], energy[other, f0:f1]
    if len(own) == 0:
        return False
    level_db = 10 * np.log10((oth.mean() + 1e-12) / (own.mean() + 1e-12))
    if level_db < margin_db:
        return False
    if len(own) < 8:  # too short to judge the shape; the level alone decides
        return True
    return _best_lagged_correlation(np.sqrt(own), np.sqrt(oth)) >= min_correlation


def drop_echo(
    regions: list[Region], energy: np.ndarray, margin_db: float, min_correlation: float, min_len: int
) -> list[Region]:
    """Remove from each region the parts where it overlaps speech of the other channel and is only its echo."""
    by_channel: dict[int, list[Region]] = {}
    for r in regions:
        by_channel.setdefault(r.channel, []).append(r)
    if len(by_channel) < 2:
        return regions
    kept = []
    for region in regions:
        other = 1 - region.channel
        spans = [(region.start, region.end)]
        for o in by_channel.get(other, []):
            lo, hi = max(region.start, o.start), min(region.end, o.end)
            if hi - lo <= 0 or not is_echo(energy, region.channel, other, lo, hi, margin_db, min_correlation):
                continue
            spans = [
                piece for s, e in spans for piece in ((s, min(e, lo)), (max(s, hi), e)) if piece[1] > piece[0]
            ]
        kept += [Region(region.channel, s, e) for s, e in spans if e - s >= min_len]
    return sorted(kept, key=lambda r: (r.start, r.channel))


def pack(samples: np.ndarray, regions: list[Region], gap: int, by_channel: bool = False) -> tuple[np.ndarray, list[Piece]]:
    """Lay the regions end to end in time order with `gap` samples of silence between them.

    by_channel: all of the first channel's speech, then all of the second's (each party heard alone).
    """
    pieces, parts = [], []
    cursor = 0
    silence = np.zeros(gap, dtype=np.float32)
    order = (lambda r: (r.channel, r.start)) if by_channel else (lambda r: (r.start, r.channel))
    for r in sorted(regions, key=order):
        pieces.append(Piece(r.channel, r.start, r.end, cursor))
        parts += [samples[r.channel, r.start : r.end], silence]
        cursor += (r.end - r.start) + gap
    packed = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
    return packed, pieces


def chunk_bounds(pieces: list[Piece], gap: int, max_len: int, split_channels: bool = False) -> list[tuple[int, int]]:
    """Split the packed stream into windows of at most max_len samples, only between pieces.

    split_channels: a window also ends where the channel changes.
    """
    bounds = []
    start = end = None
    channel = None
    for p in pieces:
        p_end = p.packed_start + (p.end - p.start)
        if start is None:
            start = p.packed_start
        elif p_end - start > max_len or (split_channels and p.channel != channel):
            bounds.append((start, end))
            start = p.packed_start
        end = min(p_end + gap, start + max_len)
        channel = p.channel
    if start is not None:
        bounds.append((start, end))
    return bounds


class PackedTimeline:
    """Maps a time in the packed stream back to (channel, original time)."""

    def __init__(self, pieces: list[Piece]):
        self.pieces = pieces
        self._starts = [p.packed_start for p in pieces]

    def locate(self, packed_time_s: float) -> tuple[int, float]:
        t = packed_time_s * SAMPLE_RATE
        i = max(0, bisect.bisect_right(self._starts, t) - 1)
        p = self.pieces[i]
        offset = min(max(t - p.packed_start, 0), p.end - p.start)
        return p.channel, (p.start + offset) / SAMPLE_RATE

    def piece_index(self, packed_time_s: float) -> int:
        return max(0, bisect.bisect_right(self._starts, packed_time_s * SAMPLE_RATE) - 1)
