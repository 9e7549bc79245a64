"""What a transcription produces: segments with a speaker, times, confidence and word times."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SPEAKERS = ("operator", "customer", "unknown")  # and "speaker_3", "speaker_4"... (a third voice of a mono call)


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str  # as whisper spells it, without the leading space
    probability: float
    overlap: bool = False  # another voice speaks at the same time (mono calls: inferred)

    # The one stored shape of a word (a segment's JSON list): start, end, text, p (probability), o (overlapped,
    # only when true). Every reader goes through from_stored, so the keys live here alone.
    def to_stored(self) -> dict:
        stored = {"start": self.start, "end": self.end, "text": self.text, "p": round(self.probability, 3)}
        if self.overlap:
            stored["o"] = True
        return stored

    @classmethod
    def from_stored(cls, stored: dict) -> Word:
        # "word" and "probability": how transcripts stored before 0.3 spelled them.
        return cls(float(stored["start"]), float(stored["end"]), str(stored.get("text", stored.get("word", ""))),
                   float(stored.get("p", stored.get("probability", 1.0))), bool(stored.get("o", False)))


@dataclass(frozen=True)
class Segment:
    speaker: str  # one of SPEAKERS or speaker_N
    start: float
    end: float
    text: str
    avg_logprob: float  # whisper's mean token log-probability; below about -1 the text is unsure
    no_speech_prob: float
    words: list[Word] = field(default_factory=list)


@dataclass(frozen=True)
class Transcript:
    language: str
    duration_s: float
    segments: list[Segment]
    # How it was made: the channel layout heard (transcription.channel_layout), why this language
    # (transcription.language.SOURCES) and the detector's probability, windows decoded a second time.
    channel_layout: str = ""
    language_source: str = ""
    language_probability: float | None = None
    redecoded_windows: int = 0
    # A one-channel call's speakers come from their voices (transcription.diarization), not channels:
    # how clearly the voices separate and how sure the operator label is (0.5: a guess), both 0..1.
    speakers_inferred: bool = False
    speaker_confidence: float | None = None
    operator_confidence: float | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    def text_of(self, speaker: str) -> str:
        return " ".join(s.text for s in self.segments if s.speaker == speaker)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Transcript:
        segments = [
            Segment(**{**s, "words": [Word(**w) for w in s.get("words", [])]}) for s in data["segments"]
        ]
        extra = {k: data[k] for k in ("channel_layout", "language_source", "language_probability",
                                      "redecoded_windows", "speakers_inferred", "speaker_confidence",
                                      "operator_confidence") if k in data}
        return cls(language=data["language"], duration_s=data["duration_s"], segments=segments, **extra)
