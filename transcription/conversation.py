"""Conversation analytics of one call from its transcript (and its recording's envelope): talk, silence, hold, overtalk.

Who speaks when comes from the words' times: each party's words, joined across pauses shorter than
JOIN_S, are its talk. Stretches where neither party speaks, between the first and the last word, are
silences (at least `silence_min_s`) or holds (at least `hold_min_s`, music or silence alike). The envelope,
when given, tells sound without speech from quiet: a hold with music, and a short stretch of music or
noise, which is neither a silence nor (being short) a hold. Overtalk on a two-channel call is where both
parties' talk overlaps for more than `overtalk_min_s`; the one who started second interrupted. A
one-channel call's speakers are inferred from voices, and its overtalk comes from the words the
diarization marked as overlapped (who started it is not known there).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from transcription.audio import Envelope, decode, envelope, probe
from transcription.transcript import Transcript

PARTIES = ("operator", "customer")
# Pauses inside one party's talk shorter than this are still talking (between words, a breath).
JOIN_S = 0.5
# A channel is sounding where its envelope (peak to peak) passes this, or 4x its own noise floor.
SOUND_LEVEL = 0.02
# A stretch without words counts as sound (music, noise) when at least this share of it sounds.
SOUND_SHARE = 0.5
STRETCH_KINDS = ("silence", "hold", "overtalk")
# The recording's envelope for analytics: 8 kHz is plenty to tell sound from quiet, read 10 minutes at a time.
ENVELOPE_RATE = 8000
POINTS_PER_SECOND = 50.0
ENVELOPE_PIECE_S = 600.0


@dataclass(frozen=True)
class Thresholds:
    """The workspace's settings for what counts (seconds)."""

    silence_min_s: float = 3.0
    hold_min_s: float = 10.0
    long_hold_s: float = 120.0
    overtalk_min_s: float = 1.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Thresholds:
        known = {k: float(v) for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Stretch:
    kind: str  # one of STRETCH_KINDS
    start: float
    end: float
    by: str | None = None  # overtalk: the party who started talking over the other, None where not known
    music: bool = False  # hold: the recording sounds (music, not a quiet line) while nobody speaks
    long: bool = False  # hold: longer than the long-hold threshold

    @property
    def duration_s(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict:
        stored = {"kind": self.kind, "start": round(self.start, 2), "end": round(self.end, 2)}
        stored.update({k: v for k, v in (("by", self.by), ("music", self.music), ("long", self.long)) if v})
        return stored

    @classmethod
    def from_dict(cls, data: dict) -> Stretch:
        return cls(data["kind"], data["start"], data["end"], data.get("by"), bool(data.get("music")),
                   bool(data.get("long")))


@dataclass(frozen=True)
class ConversationAnalytics:
    duration_s: float
    operator_talk_s: float
    customer_talk_s: float
    operator_share: float | None  # of the parties' talk time together, 0..1; None when nobody spoke
    silence_count: int
    silence_total_s: float
    silence_longest_s: float
    hold_count: int
    hold_total_s: float
    hold_longest_s: float
    long_holds: int
    overtalk_count: int
    overtalk_total_s: float
    operator_interruptions: int  # overtalk the operator started
    customer_interruptions: int
    operator_words: int
    operator_wpm: float | None
    operator_first_word_s: float | None
    speakers_inferred: bool  # a one-channel call: the speakers come from their voices
    energy_used: bool  # the recording's envelope was there to tell music from quiet
    stretches: tuple[Stretch, ...] = field(default_factory=tuple)

    @property
    def customer_share(self) -> float | None:
        return None if self.operator_share is None else 1.0 - self.operator_share


Interval = tuple[float, float]


def _joined(intervals: list[Interval], gap: float) -> list[Interval]:
    """Sorted intervals with those closer than `gap` merged."""
    joined: list[list[float]] = []
    for start, end in sorted(intervals):
        if joined and start - joined[-1][1] < gap:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return [(start, end) for start, end in joined]


def _intersections(a: list[Interval], b: list[Interval]) -> list[tuple[float, float, Interval, Interval]]:
    """Where intervals of two sorted, disjoint lists overlap, with the pair that overlaps."""
    found, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            found.append((start, end, a[i], b[j]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return found


def _words_by_party(transcript: Transcript) -> tuple[dict[str, list[Interval]], list[Interval], int]:
    """Each speaker's word times (a segment without word times counts whole), the overlapped words' times,
    and how many words the operator said."""
    spoken: dict[str, list[Interval]] = {}
    overlapped: list[Interval] = []
    operator_words = 0
    for segment in transcript.segments:
        times = spoken.setdefault(segment.speaker, [])
        if segment.words:
            times.extend((w.start, w.end) for w in segment.words)
            overlapped.extend((w.start, w.end) for w in segment.words if w.overlap)
            count = len(segment.words)
        else:
            times.append((segment.start, segment.end))
            count = len(segment.text.split())
        if segment.speaker == "operator":
            operator_words += count
    return spoken, overlapped, operator_words


class _Sound:
    """Which envelope points sound on any channel, summed so the share of any stretch is two look-ups."""

    def __init__(self, env: Envelope) -> None:
        loudness = env.maxs - env.mins
        floor = np.percentile(loudness, 10, axis=1, keepdims=True) if loudness.shape[1] else 0.0
        sounding = (loudness > np.maximum(SOUND_LEVEL, 4 * floor)).any(axis=0)
        self._sum = np.concatenate(([0], np.cumsum(sounding)))
        self._rate = env.points_per_second

    def share(self, start: float, end: float) -> float:
        first = min(int(round(start * self._rate)), len(self._sum) - 1)
        last = min(int(round(end * self._rate)), len(self._sum) - 1)
        return float(self._sum[last] - self._sum[first]) / (last - first) if last > first else 0.0


def _quiet_stretches(talk: list[Interval], sound: _Sound | None, limits: Thresholds) -> list[Stretch]:
    stretches = []
    for (_, gap_start), (gap_end, _) in zip(talk, talk[1:], strict=False):
        length = gap_end - gap_start
        if length < limits.silence_min_s:
            continue
        sounding = sound is not None and sound.share(gap_start, gap_end) >= SOUND_SHARE
        if length >= limits.hold_min_s:
            stretches.append(Stretch("hold", gap_start, gap_end, music=sounding, long=length > limits.long_hold_s))
        elif not sounding:  # short music or noise is neither quiet nor (being short) a hold
            stretches.append(Stretch("silence", gap_start, gap_end))
    return stretches


def _overtalk(parties: dict[str, list[Interval]], overlapped: list[Interval], inferred: bool,
              limits: Thresholds) -> list[Stretch]:
    if inferred:  # one channel: the diarization marked the words another voice spoke over
        return [Stretch("overtalk", start, end) for start, end in _joined(overlapped, JOIN_S)
                if end - start > limits.overtalk_min_s]
    stretches = []
    for start, end, op, cu in _intersections(parties["operator"], parties["customer"]):
        if end - start <= limits.overtalk_min_s:
            continue
        by = "customer" if cu[0] > op[0] else "operator" if op[0] > cu[0] else None
        stretches.append(Stretch("overtalk", start, end, by=by))
    return stretches


def analyse(transcript: Transcript, envelope: Envelope | None = None,
            thresholds: Thresholds | None = None) -> ConversationAnalytics:
    """The call's figures and stretches; `envelope` (transcription.audio.envelope of the recording) lets
    holds with music be told from quiet ones and keeps short music out of the silences."""
    limits = thresholds or Thresholds()
    spoken, overlapped, operator_words = _words_by_party(transcript)
    parties = {party: _joined(spoken.get(party, []), JOIN_S) for party in PARTIES}
    anyone = _joined([t for times in spoken.values() for t in times], JOIN_S)
    sound = _Sound(envelope) if envelope is not None and envelope.mins.size else None
    quiet = _quiet_stretches(anyone, sound, limits)
    overtalk = _overtalk(parties, overlapped, transcript.speakers_inferred, limits)
    silences = [s for s in quiet if s.kind == "silence"]
    holds = [s for s in quiet if s.kind == "hold"]
    talk = {party: sum(end - start for start, end in parties[party]) for party in PARTIES}
    together = talk["operator"] + talk["customer"]
    operator_times = spoken.get("operator", [])
    last_word = max((end for _, end in anyone), default=0.0)
    return ConversationAnalytics(
        duration_s=max(transcript.duration_s, last_word),
        operator_talk_s=talk["operator"], customer_talk_s=talk["customer"],
        operator_share=talk["operator"] / together if together > 0 else None,
        silence_count=len(silences), silence_total_s=sum(s.duration_s for s in silences),
        silence_longest_s=max((s.duration_s for s in silences), default=0.0),
        hold_count=len(holds), hold_total_s=sum(s.duration_s for s in holds),
        hold_longest_s=max((s.duration_s for s in holds), default=0.0), long_holds=sum(s.long for s in holds),
        overtalk_count=len(overtalk), overtalk_total_s=sum(s.duration_s for s in overtalk),
        operator_interruptions=sum(s.by == "operator" for s in overtalk),
        customer_interruptions=sum(s.by == "customer" for s in overtalk),
        operator_words=operator_words,
        operator_wpm=operator_words / (talk["operator"] / 60) if talk["operator"] > 0 else None,
        operator_first_word_s=min((start for start, _ in operator_times), default=None),
        speakers_inferred=transcript.speakers_inferred, energy_used=sound is not None,
        stretches=tuple(sorted(quiet + overtalk, key=lambda s: (s.start, s.kind))),
    )


def recording_envelope(path) -> Envelope:
    """The recording's envelope at POINTS_PER_SECOND, decoded a piece at a time, so memory stays small
    however long the call. Raises AudioDecodeError."""
    info = probe(path)
    mins, maxs, start = [], [], 0.0
    while start < info.duration_s:
        piece = decode(path, ENVELOPE_RATE, start_s=start, duration_s=ENVELOPE_PIECE_S)
        if piece.shape[1] == 0:
            break
        part = envelope(piece, POINTS_PER_SECOND, ENVELOPE_RATE)
        mins.append(part.mins)
        maxs.append(part.maxs)
        start += ENVELOPE_PIECE_S
    if not mins:
        return Envelope(POINTS_PER_SECOND, np.zeros((info.channels, 0), np.float32),
                        np.zeros((info.channels, 0), np.float32))
    return Envelope(POINTS_PER_SECOND, np.concatenate(mins, axis=1), np.concatenate(maxs, axis=1))
