"""Whisper windows shared by calls: the short last windows of several calls laid end to end in one window.

Whisper's encoder costs the same for 3 s of speech as for 30 (every window is padded to 30 s), and on a
CPU it is most of the work. A call's speech rarely fills its last window: on the demo calls the last
windows held 2.5-26 s. Laid together, the last windows of calls transcribed together need fewer passes;
whisper hears one call's last turns, then another's, as it already hears two parties take turns. Each
word goes back to the call whose speech it lies in.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Part:
    call: int  # index of the call among those transcribed together
    start: int  # samples in that call's packed stream
    end: int


@dataclass(frozen=True)
class Window:
    parts: tuple[Part, ...]  # laid end to end, in this order

    def calls(self) -> list[int]:
        return list(dict.fromkeys(p.call for p in self.parts))

    def audio(self, streams: Sequence[np.ndarray]) -> np.ndarray:
        """The window's samples: each part cut from its call's packed stream."""
        if len(self.parts) == 1:
            p = self.parts[0]
            return streams[p.call][p.start : p.end]
        return np.concatenate([streams[p.call][p.start : p.end] for p in self.parts])

    def place(self, start_s: float, end_s: float) -> tuple[int, float, float]:
        """A word at [start_s, end_s] in the window: its call and its times in that call's packed stream.

        The word belongs to the part its middle lies in, and stays inside that part."""
        offsets = np.cumsum([0] + [p.end - p.start for p in self.parts]) / SAMPLE_RATE
        index = max(0, min(len(self.parts) - 1, bisect.bisect_right(offsets, (start_s + end_s) / 2) - 1))
        part, lo, hi = self.parts[index], float(offsets[index]), float(offsets[index + 1])
        shift = part.start / SAMPLE_RATE - lo
        start = min(max(start_s, lo), hi)
        return part.call, start + shift, min(max(end_s, start), hi) + shift


def plan_windows(bounds: Sequence[Sequence[tuple[int, int]]], shareable: Sequence[bool],
                 max_len: int) -> list[Window]:
    """The windows for calls whose own windows are bounds[i] (samples in call i's packed stream).

    A call's last window is laid together with other calls' when shareable[i]; every other window is the
    call's own. Shared parts go first-fit, longest first, into windows of at most max_len samples. Windows
    come in call order, a shared one where its first call's last window would be.
    """
    tails = [Part(call, *windows[-1]) for call, (windows, share) in enumerate(zip(bounds, shareable, strict=True))
             if windows and share]
    bins: list[list[Part]] = []
    for part in sorted(tails, key=lambda p: (p.start - p.end, p.call)):
        target = next((b for b in bins if sum(p.end - p.start for p in b) + part.end - part.start <= max_len), None)
        if target is None:
            bins.append([part])
        else:
            target.append(part)
    shared = {min(p.call for p in b): Window(tuple(sorted(b, key=lambda p: p.call))) for b in bins}
    plan: list[Window] = []
    for call, (windows, share) in enumerate(zip(bounds, shareable, strict=True)):
        plan += [Window((Part(call, b, e),)) for b, e in (windows[:-1] if share else windows)]
        if call in shared:
            plan.append(shared[call])
    return plan
