"""Echo detection, packing and time mapping on synthetic signals (no model)."""

from __future__ import annotations

import numpy as np
import pytest

from transcription import speech_regions as sr

RATE = sr.SAMPLE_RATE


def speechlike(seconds: float, seed: int) -> np.ndarray:
    """Noise in syllable-like bursts of random length and loudness, as speech energy rises and falls."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    envelope = np.zeros(n, np.float32)
    at = 0
    while at < n:
        length = int(rng.uniform(0.08, 0.3) * RATE)
        envelope[at : at + length] = rng.choice([0.05, rng.uniform(0.4, 1.0)])
        at += length
    return (0.3 * envelope * rng.normal(0, 1, n)).astype(np.float32)


def two_channels(seconds: float) -> np.ndarray:
    return np.zeros((2, int(seconds * RATE)), np.float32)


def test_faint_delayed_copy_is_echo_and_is_dropped():
    audio = two_channels(4)
    talk = speechlike(3, seed=1)
    audio[0, 8000 : 8000 + len(talk)] = talk
    delay = int(0.12 * RATE)
    audio[1, 8000 + delay : 8000 + delay + len(talk)] = talk * 10 ** (-24 / 20)
    energy = sr.frame_energy(audio)
    regions = [sr.Region(0, 8000, 8000 + len(talk)), sr.Region(1, 8000 + delay, 8000 + delay + len(talk))]

    kept = sr.drop_echo(regions, energy, margin_db=10, min_correlation=0.6, min_len=2400)
    assert kept == [regions[0]]


def test_quiet_independent_speech_over_loud_speech_is_kept():
    # A soft-spoken customer talking over a loud operator: much weaker, but not a copy.
    audio = two_channels(4)
    loud, soft = speechlike(3, seed=1), speechlike(3, seed=2) * 10 ** (-15 / 20)
    audio[0, 8000 : 8000 + len(loud)] = loud
    audio[1, 8000 : 8000 + len(soft)] = soft
    energy = sr.frame_energy(audio)
    assert sr.is_echo(energy, 1, 0, 8000, 8000 + len(soft), 10, 0.6) is False
    assert sr.is_echo(energy, 0, 1, 8000, 8000 + len(soft), 10, 0.6) is False


def test_echo_is_cut_out_of_a_region_that_also_holds_real_speech():
    # Customer speaks 0.5-2.5 s; the operator's echo follows at 2.7-5 s inside the same VAD region.
    audio = two_channels(6)
    own, oper = speechlike(2, seed=3), speechlike(2.3, seed=4)
    audio[1, 8000 : 8000 + len(own)] = own
    audio[0, 43200 : 43200 + len(oper)] = oper
    audio[1, 43200 : 43200 + len(oper)] += oper * 10 ** (-24 / 20)
    energy = sr.frame_energy(audio)
    customer_region = sr.Region(1, 8000, 43200 + len(oper))
    operator_region = sr.Region(0, 43200, 43200 + len(oper))
    kept = sr.drop_echo([customer_region, operator_region], energy, 10, 0.6, 2400)
    assert sr.Region(1, 8000, 43200) in kept
    assert operator_region in kept
    assert len(kept) == 2


def test_pack_and_map_back():
    audio = two_channels(10)
    audio[0] = 0.1
    audio[1] = 0.2
    regions = [sr.Region(1, 5 * RATE, 6 * RATE), sr.Region(0, 1 * RATE, 3 * RATE)]
    gap = RATE // 10
    packed, pieces = sr.pack(audio, regions, gap)
    assert len(packed) == 3 * RATE + 2 * gap
    assert [p.channel for p in pieces] == [0, 1]  # time order, not list order
    assert packed[0] == pytest.approx(0.1) and packed[2 * RATE + gap] == pytest.approx(0.2)
    timeline = sr.PackedTimeline(pieces)
    assert timeline.locate(0.5) == (0, pytest.approx(1.5))
    assert timeline.locate(2.1 + 0.25) == (1, pytest.approx(5.25))


def test_chunks_never_split_a_piece_and_stay_within_the_window():
    audio = two_channels(120)
    regions = [sr.Region(i % 2, int(i * 4.5 * RATE), int((i * 4.5 + 4) * RATE)) for i in range(25)]
    _, pieces = sr.pack(audio, regions, 3200)
    bounds = sr.chunk_bounds(pieces, 3200, 30 * RATE)
    assert all(e - s <= 30 * RATE for s, e in bounds)
    starts = {p.packed_start for p in pieces}
    assert all(s in starts for s, _ in bounds)
    assert bounds[0][0] == 0 and bounds[-1][1] >= pieces[-1].packed_start + (
        pieces[-1].end - pieces[-1].start
    )
