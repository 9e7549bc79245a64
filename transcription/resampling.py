"""Band-limited resampling fed block by block, into one array allocated once at the result's length."""

from __future__ import annotations

import numpy as np


class StreamResampler:
    """Per-channel band-limited resampling with FFmpeg's libswresample, fed block by block."""

    def __init__(self, channels: int, from_rate: int, to_rate: int) -> None:
        self.from_rate, self.to_rate = from_rate, to_rate
        if from_rate != to_rate:
            import av

            self._resamplers = [av.AudioResampler(format="flt", layout="mono", rate=to_rate) for _ in range(channels)]

    def _run(self, frames: list) -> np.ndarray:
        out = []
        for resampler, frame in zip(self._resamplers, frames, strict=True):
            pieces = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
            out.append(np.concatenate(pieces) if pieces else np.zeros(0, np.float32))
        n = min(len(channel) for channel in out)
        return np.stack([channel[:n] for channel in out]) if out else np.zeros((0, 0), np.float32)

    def feed(self, block: np.ndarray) -> np.ndarray:
        """(channels, n) at from_rate -> (channels, m) at to_rate (m may lag n: the filter has a delay)."""
        if self.from_rate == self.to_rate:
            return block
        import av

        frames = []
        for channel in block:
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(channel, dtype=np.float32)[None, :],
                                               format="flt", layout="mono")
            frame.sample_rate = self.from_rate
            frames.append(frame)
        return self._run(frames)

    def flush(self) -> np.ndarray:
        if self.from_rate == self.to_rate:
            return np.zeros((0, 0), np.float32)
        return self._run([None] * len(self._resamplers))


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """(channels, n) float32 -> (channels, m) float32 with FFmpeg's libswresample (band-limited, not linear)."""
    if from_rate == to_rate:
        return np.ascontiguousarray(samples, dtype=np.float32)
    expected = int(round(samples.shape[1] * to_rate / from_rate))
    out = BlockOutput(samples.shape[0], expected)
    resampler = StreamResampler(samples.shape[0], from_rate, to_rate)
    out.add(resampler.feed(samples))
    out.add(resampler.flush())
    return out.samples


class BlockOutput:
    """The decoded call, allocated once at its final length and filled block by block."""

    def __init__(self, channels: int, frames: int) -> None:
        self.samples = np.zeros((channels, frames), dtype=np.float32)
        self.filled = 0

    def add(self, block: np.ndarray) -> None:
        n = min(block.shape[1] if block.size else 0, self.samples.shape[1] - self.filled)
        if n > 0:
            self.samples[:, self.filled:self.filled + n] = block[:, :n]
            self.filled += n
