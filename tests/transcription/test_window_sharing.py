"""Short last windows of calls transcribed together, laid end to end; each word back to its own call."""

from __future__ import annotations

import numpy as np
import pytest

from transcription.window_sharing import Part, Window, plan_windows

S = 16000  # samples per second


def test_last_windows_are_packed_longest_first_and_the_rest_stay_own():
    bounds = [[(0, 29 * S), (29 * S, 37 * S)],  # an 8-s last window
              [(0, 20 * S)],  # one window, its language detected on it: not shared
              [(0, 28 * S), (28 * S, 48 * S)],  # 20 s
              [(0, 3 * S)]]  # told its language: its only window is shared
    plan = plan_windows(bounds, [True, False, True, True], 30 * S)
    assert [w.parts for w in plan] == [
        (Part(0, 0, 29 * S),),
        (Part(0, 29 * S, 37 * S), Part(2, 28 * S, 48 * S)),  # 20 s first, then the 8 s beside it
        (Part(1, 0, 20 * S),),
        (Part(2, 0, 28 * S),),
        (Part(3, 0, 3 * S),),  # 20 + 8 + 3 is over 30 s: a window of its own
    ]
    assert plan_windows([[], [(0, S)]], [True, True], 30 * S) == [Window((Part(1, 0, S),))]


def test_a_word_goes_to_the_part_its_middle_lies_in_and_stays_inside_it():
    window = Window((Part(0, 10 * S, 12 * S), Part(1, 5 * S, 8 * S)))
    streams = [np.arange(20 * S, dtype=np.float32), -np.arange(20 * S, dtype=np.float32)]
    audio = window.audio(streams)
    assert len(audio) == 5 * S and audio[0] == 10 * S and audio[2 * S] == -5 * S
    assert window.calls() == [0, 1]
    assert window.place(0.5, 1.0) == (0, 10.5, 11.0)
    call, start, end = window.place(1.8, 2.4)  # middle at 2.1 s: the second call's, cut to its part
    assert (call, start, end) == (1, 5.0, pytest.approx(5.4))
    call, start, end = window.place(1.7, 2.2)  # middle at 1.95 s: the first call's, cut at its end
    assert (call, start, end) == (0, pytest.approx(11.7), 12.0)
