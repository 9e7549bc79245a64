"""Voice prints: a 256-number fingerprint of who is speaking in 1.6 s of audio (Resemblyzer's speaker encoder).

The encoder (a 3-layer LSTM over 40 mel bands, trained for speaker verification; Apache-2.0) ships
its weights inside the `resemblyzer` wheel on PyPI. Only the weights file is read from there (by
transcription.torch_checkpoint, without torch): the package's own modules import torch, librosa and
webrtcvad, so the network and its mel front end are rebuilt here in numpy to the package's exact
parameters (bench/speaker_encoder_check.py compares both against the package's own).
"""

from __future__ import annotations

import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from transcription import torch_checkpoint
from transcription.errors import DiarizationError

SAMPLE_RATE = 16000
FRAME_HOP = 160  # 10 ms mel frames
WINDOW_FRAMES = 160  # the encoder was trained on 1.6 s partial utterances
_N_FFT = 400  # 25 ms window
_N_MELS = 40
_TARGET_DBFS = -30.0  # the level the encoder's training audio was normalised to


def _weights_path() -> Path:
    spec = importlib.util.find_spec("resemblyzer")  # finds the package without running its imports
    if spec is None or not spec.submodule_search_locations:
        raise DiarizationError(
            "The speaker model is not installed: pip install --no-deps resemblyzer==0.1.4 (make run does it)."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"
    if not path.is_file():
        raise DiarizationError(
            f"The speaker model file is missing: {path}. Reinstall it: pip install --no-deps --force-reinstall resemblyzer==0.1.4."
        )
    return path


def _slaney_mel_filters() -> np.ndarray:
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=40) (Slaney scale and area normalisation)."""
    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, np.log(6.4) / 27.0
    min_log_mel = min_log_hz / f_sp

    def hz_to_mel(f):
        f = np.asarray(f, dtype=np.float64)
        return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, f / f_sp)

    def mel_to_hz(m):
        return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)

    fft_hz = np.linspace(0, SAMPLE_RATE / 2, _N_FFT // 2 + 1)
    mel_hz = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2), _N_MELS + 2))
    widths = np.diff(mel_hz)
    ramps = mel_hz[:, None] - fft_hz[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_hz[2 : _N_MELS + 2] - mel_hz[:_N_MELS]))[:, None]
    return weights.astype(np.float32)


_MEL = _slaney_mel_filters()
_HANN = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(_N_FFT) / _N_FFT)).astype(np.float32)  # periodic


def mel_frames(samples: np.ndarray) -> np.ndarray:
    """Power mel spectrogram, (frames, 40), frame i centred on sample i*160, as the encoder expects."""
    padded = np.pad(samples.astype(np.float32), _N_FFT // 2)
    count = 1 + (len(padded) - _N_FFT) // FRAME_HOP
    out = np.empty((count, _N_MELS), np.float32)
    block = 4000  # frames per block, so a long call never needs its whole framed copy in memory
    for start in range(0, count, block):
        idx = np.arange(start, min(count, start + block))[:, None] * FRAME_HOP + np.arange(_N_FFT)
        power = np.abs(np.fft.rfft(padded[idx] * _HANN, axis=1)) ** 2
        out[start : start + len(idx)] = power.astype(np.float32) @ _MEL.T
    return out


def level_gain(samples: np.ndarray) -> float:
    """Gain that brings the audio to the encoder's training level (only ever louder, like the encoder's own)."""
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0
    if rms <= 0:
        return 1.0
    return max(1.0, 10 ** ((_TARGET_DBFS - 20 * np.log10(rms)) / 20))


_HIDDEN = 256
_LAYERS = 3


@dataclass(frozen=True)
class _Layer:
    """One LSTM layer, rows in torch's gate order (input, forget, cell, output), both biases summed.

    The rows of the three sigmoid gates are halved, so that one tanh over all four gates gives them
    too: sigmoid(x) = (1 + tanh(x / 2)) / 2.
    """

    w_in: np.ndarray  # (inputs, 1024), transposed for x @ w
    w_hidden: np.ndarray  # (256, 1024)
    bias: np.ndarray  # (1024,)


@dataclass(frozen=True)
class _Encoder:
    layers: tuple[_Layer, ...]
    w_out: np.ndarray  # (256, 256), transposed
    b_out: np.ndarray


@lru_cache(maxsize=1)
def _encoder() -> _Encoder:
    path = _weights_path()
    try:
        state = torch_checkpoint.load(path)["model_state"]
    except (torch_checkpoint.CheckpointError, OSError, KeyError, TypeError) as exc:
        raise DiarizationError(f"The speaker model file cannot be read: {path}.") from exc
    gate_scale = np.r_[np.full(_HIDDEN, 0.5), np.full(_HIDDEN, 0.5), np.ones(_HIDDEN), np.full(_HIDDEN, 0.5)]
    try:
        layers = []
        for n in range(_LAYERS):
            w_in, w_hidden = state[f"lstm.weight_ih_l{n}"], state[f"lstm.weight_hh_l{n}"]
            bias = state[f"lstm.bias_ih_l{n}"] + state[f"lstm.bias_hh_l{n}"]
            inputs = _N_MELS if n == 0 else _HIDDEN
            if w_in.shape != (4 * _HIDDEN, inputs) or w_hidden.shape != (4 * _HIDDEN, _HIDDEN) or bias.shape != (4 * _HIDDEN,):
                raise ValueError(f"layer {n} has the wrong shape")
            layers.append(_Layer(*(np.ascontiguousarray((a * gate_scale[:, None]).T, np.float32) for a in (w_in, w_hidden)),
                                 (bias * gate_scale).astype(np.float32)))
        w_out, b_out = state["linear.weight"], state["linear.bias"]
        if w_out.shape != (_HIDDEN, _HIDDEN) or b_out.shape != (_HIDDEN,):
            raise ValueError("the output layer has the wrong shape")
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise DiarizationError(f"The speaker model file does not fit the speaker encoder: {path}.") from exc
    return _Encoder(tuple(layers), np.ascontiguousarray(w_out.T, np.float32), b_out.astype(np.float32))


def _encode(model: _Encoder, mels: np.ndarray) -> np.ndarray:
    """The network on (windows, 160, 40) mel frames: last layer's final hidden state, linear, ReLU, L2 norm."""
    batch, steps, _ = mels.shape
    seq = np.ascontiguousarray(mels.transpose(1, 0, 2))  # time-major, so each step's rows are contiguous
    z = np.empty((batch, 4 * _HIDDEN), np.float32)
    for n, layer in enumerate(model.layers):
        gates_in = seq @ layer.w_in + layer.bias  # every step's input part in one product
        h = np.zeros((batch, _HIDDEN), np.float32)
        c = np.zeros((batch, _HIDDEN), np.float32)
        out = np.empty((steps, batch, _HIDDEN), np.float32) if n < len(model.layers) - 1 else None
        for t in range(steps):
            np.matmul(h, layer.w_hidden, out=z)
            z += gates_in[t]
            np.tanh(z, out=z)
            i, f, g, o = (z[:, k * _HIDDEN : (k + 1) * _HIDDEN] for k in range(4))
            c = 0.5 * ((1 + f) * c + (1 + i) * g)
            h = 0.5 * (1 + o) * np.tanh(c)
            if out is not None:
                out[t] = h
        seq = out
    raw = np.maximum(h @ model.w_out + model.b_out, 0)
    return raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-8)


def embed_windows(mels: np.ndarray, windows: list[tuple[int, int]], batch: int = 64) -> np.ndarray:
    """One L2-normed voice print per (start, end) frame window; shorter windows are repeated to 1.6 s.

    The windows are split into batches (at most `batch`, about 50 MB of work memory each), one per
    core, run side by side with one BLAS thread each: every step of the LSTM is a small matrix product,
    and a multi-threaded BLAS spends more time syncing its threads on those than computing (65 windows
    on the busy 2-core machine: 1.4-2.7 s with one BLAS thread, 4-9 s with two).
    """
    if not windows:
        return np.zeros((0, 256), np.float32)
    model = _encoder()
    inputs = np.empty((len(windows), WINDOW_FRAMES, _N_MELS), np.float32)
    for i, (a, b) in enumerate(windows):
        piece = mels[a:b]
        inputs[i] = np.resize(piece, (WINDOW_FRAMES, _N_MELS)) if len(piece) < WINDOW_FRAMES else piece[:WINDOW_FRAMES]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    size = max(1, min(batch, -(-len(inputs) // cores)))
    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(min(cores, -(-len(inputs) // size))) as pool:
        parts = pool.map(lambda s: _encode(model, inputs[s : s + size]), range(0, len(inputs), size))
        return np.concatenate(list(parts))
