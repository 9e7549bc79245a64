"""What a recording's channels hold: one party each, the same mix twice, one live and one silent, or mono.

Many PBXs and call recorders write stereo files whose channels carry the same mixed audio, or one
mixed channel beside a silent one; transcribing such channels as two speakers doubles every word.
The layout is told cheaply from the decoded samples, before any speech detection.
"""

from __future__ import annotations

import numpy as np

STEREO = "stereo"  # one party per channel
DUAL_MONO = "dual_mono"  # both channels carry the same audio
ONE_SILENT = "one_silent"  # one channel carries the call, the other (almost) nothing
MONO = "mono"
LAYOUTS = (STEREO, DUAL_MONO, ONE_SILENT, MONO)

# Channels whose samples correlate this well are one signal (allowing another gain or a lossy
# codec's joint stereo); two parties with crosstalk or echo stay far below it.
DUAL_MONO_MIN_CORRELATION = 0.95
# A channel this much quieter than the other carries no party of its own: its loudest moments stay
# below the other's typical speech (echo at -24 dB and a quiet customer are well above this).
SILENT_MARGIN_DB = 40.0
SILENT_FLOOR = 10 ** (-70 / 20)  # digital silence or dither, as an amplitude
_FRAME = 320  # 20 ms at 16 kHz


def _loud_level(channel: np.ndarray) -> float:
    """RMS of the loudest tenth of 20-ms frames: the level of speech, whatever the share of silence."""
    frames = len(channel) // _FRAME
    if frames == 0:
        return float(np.sqrt(np.mean(channel.astype(np.float64) ** 2))) if len(channel) else 0.0
    power = (channel[: frames * _FRAME].astype(np.float64).reshape(frames, _FRAME) ** 2).mean(axis=1)
    top = np.sort(power)[-max(1, frames // 10) :]
    return float(np.sqrt(top.mean()))


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    a = a.astype(np.float64) - a.mean()
    b = b.astype(np.float64) - b.mean()
    denominator = np.sqrt(np.dot(a, a) * np.dot(b, b))
    return float(np.dot(a, b) / denominator) if denominator > 0 else 0.0


def detect_layout(samples: np.ndarray) -> str:
    """The layout of (channels, n) audio: one of LAYOUTS. Only the first two channels count."""
    if samples.ndim == 1 or samples.shape[0] == 1:
        return MONO
    left, right = samples[0], samples[1]
    levels = [_loud_level(left), _loud_level(right)]
    quiet, loud = min(levels), max(levels)
    if loud <= SILENT_FLOOR:
        return MONO  # nothing on either channel: one empty stream is enough
    if quiet <= SILENT_FLOOR or 20 * np.log10(loud / max(quiet, 1e-12)) >= SILENT_MARGIN_DB:
        return ONE_SILENT
    if _correlation(left, right) >= DUAL_MONO_MIN_CORRELATION:
        return DUAL_MONO
    return STEREO


def as_layout(samples: np.ndarray, layout: str) -> np.ndarray:
    """The audio whisper should hear for a layout: both channels for stereo, one channel otherwise.

    dual_mono: the mean of the two (the same signal, a little less noise); one_silent: the live channel.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown channel layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    if samples.ndim == 1:
        return samples[None, :]
    if layout == STEREO:
        return samples[:2] if samples.shape[0] >= 2 else samples
    if samples.shape[0] == 1:
        return samples
    if layout == ONE_SILENT:
        live = int(np.argmax([_loud_level(samples[0]), _loud_level(samples[1])]))
        return samples[live : live + 1]
    return samples[:2].mean(axis=0, dtype=np.float32)[None, :]
