"""Who spoke when in a one-channel call: voice prints of its speech, clustered into speakers, put on each word.

Entry point: `diarize(samples, sample_rate, words, facts)`. Speech regions (Silero VAD, bundled with
faster-whisper) are cut into 1.6 s windows, each window gets a voice print (transcription.voice_embedding),
the prints are clustered by cosine distance (average linkage, cut at a measured distance, so one voice
stays one speaker and a third voice becomes a third), and each word takes the speaker of the windows
under it. Which cluster is the operator is decided in transcription.operator_side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from transcription import operator_side, voice_embedding
from transcription.operator_side import CallFacts

SAMPLE_RATE = voice_embedding.SAMPLE_RATE
_HOP = voice_embedding.FRAME_HOP
_WINDOW = voice_embedding.WINDOW_FRAMES
_MIN_WINDOW = 40  # frames; shorter speech (a lone "yes") is labelled from its neighbours, not embedded
# Cosine distance at which average linkage stops: fine clusters, each surely one voice.
_FINE_DISTANCE = 0.30
# Centroid cosine similarity (measured by bench/diarization_bench.py on the demo and real calls): the two
# parties of a call 0.59-0.85, two halves of one voice 0.87 and above.
_SAME_VOICE = 0.86
# A third voice must be this unlike both others (a party's drifting voice reached 0.81-0.85; a
# synthetic third voice 0.60; real parties 0.59-0.79).
_THIRD_VOICE = 0.75
# A cluster smaller than this share of the speech (and under _MIN_WINDOWS_OF_SPEAKER windows) is a
# stray (a cough, a mixed window at a turn change), merged into the nearest speaker.
_MIN_SPEAKER_SHARE = 0.06
_MIN_WINDOWS_OF_SPEAKER = 3
# A window whose print is almost as close to a second speaker as to its own holds both voices.
_OVERLAP_MARGIN = 0.05


class TimedWord(Protocol):
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class SpeakerTurn:
    speaker: str
    start: float
    end: float


@dataclass(frozen=True)
class Diarization:
    """Per word (in the order given): the speaker label and whether another voice overlaps it."""

    speakers: list[str]  # "operator", "customer", "speaker_3", ...
    overlaps: list[bool]
    turns: list[SpeakerTurn]  # the acoustic turns, in time order
    speaker_count: int
    confidence: float  # 0..1: how clearly the voices separate (1 speaker: how consistent it is)
    operator_confidence: float  # 0..1: how sure the operator label is (0.5: a guess)
    operator_evidence: tuple[str, ...]  # what decided it, e.g. "greeting names the clinic"


def extra_speaker_label(number: int) -> str:
    """The label of the third, fourth... voice of a call: speaker_3, speaker_4."""
    return f"speaker_{number}"


def speech_regions(samples: np.ndarray) -> list[tuple[int, int]]:
    """Speech of 16 kHz mono audio as (start, end) 10 ms frames; short pauses split turns."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=150, speech_pad_ms=30, min_speech_duration_ms=150)
    return [
        (ts["start"] // _HOP, ts["end"] // _HOP)
        for ts in get_speech_timestamps(samples, options, sampling_rate=SAMPLE_RATE)
    ]


def windows_of(regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """1.6 s windows tiling each region (the last one ends at the region's end); short regions whole."""
    out = []
    for start, end in regions:
        if end - start < _MIN_WINDOW:
            continue
        if end - start <= _WINDOW:
            out.append((start, end))
            continue
        starts = list(range(start, end - _WINDOW + 1, _WINDOW))
        if starts[-1] + _WINDOW < end:
            starts.append(end - _WINDOW)
        out += [(s, s + _WINDOW) for s in starts]
    return out


def cluster_voices(prints: np.ndarray) -> np.ndarray:
    """Cluster index per voice print, 0 = the voice that speaks most.

    Fine clusters from average linkage are merged while two centroids are as alike as one voice's
    (_SAME_VOICE); a voice beyond the two biggest must stand further apart (_THIRD_VOICE), since on
    a phone line a party's voice drifts more than two parties differ, and a third voice is rare.
    """
    if len(prints) < 2:
        return np.zeros(len(prints), int)
    from scipy.cluster.hierarchy import fcluster, linkage

    labels = fcluster(linkage(prints, method="average", metric="cosine"), _FINE_DISTANCE, "distance") - 1
    labels = _reassign(prints, labels)
    while True:
        ids, cents = _centroids(prints, labels)
        if len(ids) == 1:
            break
        alike = cents @ cents.T
        np.fill_diagonal(alike, -1.0)
        i, j = np.unravel_index(alike.argmax(), alike.shape)
        if alike[i, j] < _SAME_VOICE:
            break
        labels = _reassign(prints, np.where(labels == ids[j], ids[i], labels))
    while True:
        ids, counts = np.unique(labels, return_counts=True)
        _, cents = _centroids(prints, labels)
        alike = cents @ cents.T
        np.fill_diagonal(alike, -1.0)
        by_size = np.argsort(-counts)
        stray = [k for k in by_size[2:] if alike[k].max() >= _THIRD_VOICE]
        stray += [k for k in by_size if counts[k] < _MIN_WINDOWS_OF_SPEAKER or counts[k] < _MIN_SPEAKER_SHARE * len(prints)]
        if not stray or len(ids) == 1:
            break
        labels = _reassign(prints, labels, drop=ids[min(stray, key=lambda k: counts[k])])
    ids, counts = np.unique(labels, return_counts=True)
    order = list(ids[np.argsort(-counts, kind="stable")])
    return np.array([order.index(x) for x in labels])


def _centroids(prints: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids = np.unique(labels)
    cents = np.stack([prints[labels == i].mean(0) for i in ids])
    return ids, cents / np.linalg.norm(cents, axis=1, keepdims=True)


def _reassign(prints: np.ndarray, labels: np.ndarray, drop: int | None = None) -> np.ndarray:
    """Each print to its nearest centroid (without the dropped cluster): fixes average linkage's chaining."""
    ids, cents = _centroids(prints, labels)
    keep = ids != drop
    return ids[keep][(prints @ cents[keep].T).argmax(1)]


def _frame_labels(n_frames: int, wins, win_labels, regions) -> np.ndarray:
    """Speaker per 10 ms frame: windows' labels, short regions and gaps from the nearest labelled frame."""
    labels = np.full(n_frames, -1)
    for (a, b), lab in zip(wins, win_labels, strict=True):
        labels[a:b] = lab
    known = np.flatnonzero(labels >= 0)
    if len(known) == 0:
        return np.zeros(n_frames, int)
    nearest = np.searchsorted(known, np.arange(n_frames)).clip(0, len(known) - 1)
    before = known[(nearest - 1).clip(0)]
    after = known[nearest]
    frames = np.arange(n_frames)
    pick = np.where(np.abs(frames - before) < np.abs(after - frames), before, after)
    return np.where(labels >= 0, labels, labels[pick])


def _turns(frame_labels: np.ndarray, regions, names: list[str]) -> list[SpeakerTurn]:
    turns = []
    for start, end in regions:
        seg = frame_labels[start:end]
        if len(seg) == 0:
            continue
        cuts = np.flatnonzero(np.diff(seg)) + 1
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(seg)], strict=True):
            turns.append(SpeakerTurn(names[seg[a]], (start + a) * _HOP / SAMPLE_RATE, (start + b) * _HOP / SAMPLE_RATE))
    return turns


def _confidence(prints: np.ndarray, labels: np.ndarray) -> float:
    """Share of windows clearly nearer their own speaker than any other (one speaker: close to its centre)."""
    if len(prints) == 0:
        return 0.0
    _, cents = _centroids(prints, labels)
    sims = prints @ cents.T
    own = sims[np.arange(len(prints)), labels]
    if cents.shape[0] == 1:
        return float(np.mean(own >= _THIRD_VOICE))
    other = np.where(np.arange(cents.shape[0])[None, :] == labels[:, None], -1.0, sims).max(1)
    return float(np.mean(own - other > 2 * _OVERLAP_MARGIN))


def diarize(
    samples: np.ndarray, sample_rate: int, words: Sequence[TimedWord], facts: CallFacts | None = None
) -> Diarization:
    """Speaker per word of one mono call, overlap marks, and how sure both the split and the operator are.

    samples: mono float32 audio; words: the call's words with start/end seconds and text (whisper's).
    """
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if sample_rate != SAMPLE_RATE:
        from transcription.resampling import resample

        samples = resample(samples[None, :], sample_rate, SAMPLE_RATE)[0]
    n_frames = len(samples) // _HOP + 1
    regions = speech_regions(samples)
    wins = windows_of(regions)
    speech = np.concatenate([samples[a * _HOP : b * _HOP] for a, b in regions]) if regions else samples
    mels = voice_embedding.mel_frames(samples * voice_embedding.level_gain(speech))
    prints = voice_embedding.embed_windows(mels, wins)
    win_labels = cluster_voices(prints)
    frame_labels = _frame_labels(n_frames, wins, win_labels, regions)
    count = int(win_labels.max()) + 1 if len(win_labels) else 1

    word_clusters = [_word_cluster(frame_labels, w) for w in words]
    side = operator_side.choose(count, word_clusters, words, _first_speaker(frame_labels, regions), facts or CallFacts())
    names = [side.label_of(c) for c in range(count)]
    overlap_frames = _overlap_frames(n_frames, prints, win_labels, wins)
    return Diarization(
        speakers=[names[c] for c in word_clusters],
        overlaps=[bool(overlap_frames[_frames_of(w, n_frames)].any()) for w in words],
        turns=_turns(frame_labels, regions, names),
        speaker_count=count,
        confidence=round(_confidence(prints, win_labels), 3) if len(prints) else 0.0,
        operator_confidence=side.confidence,
        operator_evidence=side.evidence,
    )


def _frames_of(word: TimedWord, n_frames: int) -> slice:
    a = min(n_frames - 1, max(0, int(word.start * SAMPLE_RATE / _HOP)))
    return slice(a, max(a + 1, min(n_frames, int(np.ceil(word.end * SAMPLE_RATE / _HOP)))))


def _word_cluster(frame_labels: np.ndarray, word: TimedWord) -> int:
    return int(np.bincount(frame_labels[_frames_of(word, len(frame_labels))]).argmax())


def _first_speaker(frame_labels: np.ndarray, regions) -> int | None:
    return int(frame_labels[regions[0][0]]) if regions else None


def _overlap_frames(n_frames: int, prints: np.ndarray, labels: np.ndarray, wins) -> np.ndarray:
    marks = np.zeros(n_frames, bool)
    if len(prints) == 0 or labels.max() == 0:
        return marks
    _, cents = _centroids(prints, labels)
    sims = np.sort(prints @ cents.T, axis=1)
    for (a, b), top, second in zip(wins, sims[:, -1], sims[:, -2], strict=True):
        if top - second < _OVERLAP_MARGIN:
            marks[a:b] = True
    return marks
