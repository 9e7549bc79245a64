"""Whisper over windows of packed speech: batched for speed, with the sequential path's guard against loops.

A batch of windows goes through faster-whisper's BatchedInferencePipeline at temperature 0 and no
conditioning on earlier text. A window whose output looks degenerate (transcription.repetition) is
decoded again alone the way WhisperModel.transcribe does it: temperature fallback on compression
ratio and log-probability, still without conditioning on previous text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from transcription import repetition
from transcription import speech_regions as sr

# faster-whisper's default fallback ladder; re-decoding starts again at 0 with the wider beam.
FALLBACK_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
REDECODE_MIN_BEAM = 5


@dataclass
class RawWord:
    start: float  # seconds in the window (or, once placed, in the call's packed stream)
    end: float
    text: str
    probability: float
    avg_logprob: float
    no_speech_prob: float


@dataclass
class DecodedWindows:
    words: list[list[RawWord]]  # per window, window-relative times
    redecoded: list[bool]  # per window: its batched output was degenerate and it was decoded again


def _key(features: np.ndarray) -> bytes:
    return hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16).digest()


class WindowEncoder:
    """The WhisperModel as BatchedInferencePipeline sees it, with two changes for a CPU.

    Its encoder takes two windows at a time: the encoder's attention over a window holds ~70 MB per
    layer; eight at once doubled the process's peak memory (1.2 GB) and ran no faster per window than
    two. And a window encoded to detect its call's language (detect_language) keeps its encoder output
    until the same window is decoded: on the demo calls that pass was a third of the encoder's work.
    One WindowEncoder serves one transcribe_many.
    """

    ENCODE_AT_ONCE = 2

    def __init__(self, model) -> None:
        self._model = model
        self._kept: dict[bytes, np.ndarray] = {}
        self.passes = 0  # windows run through the encoder (a figure for tests and benches)

    def __getattr__(self, name):
        return getattr(self._model, name)

    @property
    def _on_cpu(self) -> bool:
        return self._model.model.device == "cpu"

    def features(self, window: np.ndarray) -> np.ndarray:
        """A window's log-mel features exactly as the batched pipeline computes them."""
        from faster_whisper.audio import pad_or_trim

        return pad_or_trim(self._model.feature_extractor(window)[..., :-1])

    def detect_language(self, audio: np.ndarray, **_whisper_options):
        """WhisperModel.detect_language over the first 30 s of audio, as (language, probability, all)."""
        if not self._on_cpu:
            return self._model.detect_language(audio=audio)
        features = self.features(audio[: self._model.feature_extractor.n_samples])
        output = self._encode_rows(features[None])
        self._kept[_key(features)] = output[0]
        import ctranslate2

        results = self._model.model.detect_language(ctranslate2.StorageView.from_array(output))[0]
        probabilities = [(token[2:-2], probability) for token, probability in results]
        return probabilities[0][0], probabilities[0][1], probabilities

    def _encode_rows(self, features: np.ndarray) -> np.ndarray:
        self.passes += len(features)
        return np.concatenate([
            np.asarray(self._model.encode(np.ascontiguousarray(features[i : i + self.ENCODE_AT_ONCE])))
            for i in range(0, len(features), self.ENCODE_AT_ONCE)
        ])

    def encode(self, features: np.ndarray):
        import ctranslate2

        if not self._on_cpu:
            self.passes += len(features)
            return self._model.encode(features)
        rows = [self._kept.pop(_key(f), None) for f in features]
        missing = [i for i, row in enumerate(rows) if row is None]
        if missing:
            for i, row in zip(missing, self._encode_rows(features[missing]), strict=True):
                rows[i] = row
        return ctranslate2.StorageView.from_array(np.ascontiguousarray(np.stack(rows)))


def _batched_runs(model, windows: list[np.ndarray], common: dict) -> list[list]:
    """faster-whisper's batched pipeline over the windows side by side; its segments per window."""
    from faster_whisper import BatchedInferencePipeline

    rate = sr.SAMPLE_RATE
    # The windows, which may come from several calls, side by side in one stream: whisper's
    # decoder then advances all of them together, one step for the whole batch.
    offsets = np.cumsum([0] + [len(w) for w in windows])
    stream = np.concatenate(windows).astype(np.float32)
    segments, _info = BatchedInferencePipeline(model if isinstance(model, WindowEncoder) else WindowEncoder(model)).transcribe(
        stream,
        # Half a sample in: faster-whisper turns seconds back into samples with int(), and a
        # start that lands one sample early makes a 30-s window 30 s + 1 sample, which its
        # word alignment does not survive (a native crash).
        clip_timestamps=[
            {"start": (offsets[i] + 0.5) / rate, "end": (offsets[i + 1] + 0.5) / rate} for i in range(len(windows))
        ],
        batch_size=len(windows),
        vad_filter=False,
        **common,
    )
    # A segment's window is told by its seek (its window's start, in 10-ms frames), never by its
    # times: those can run past the window's end or start before it.
    window_frames = np.array([(o + 0.5) / rate * 100 for o in offsets[:-1]])
    runs: list[list] = [[] for _ in windows]
    for seg in segments:
        index = int(np.abs(window_frames - seg.seek).argmin())
        runs[index].append((offsets[index] / rate, seg))
    return runs


def _sequential_run(model, window: np.ndarray, common: dict, temperatures) -> list:
    segments, _info = model.transcribe(
        window, vad_filter=False, condition_on_previous_text=False, temperature=list(temperatures), **common
    )
    return [(0.0, seg) for seg in segments]


def _is_degenerate(run: list) -> bool:
    spoken = [seg for _shift, seg in run if not (seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0)]
    if not spoken:
        return False
    text = " ".join(seg.text.strip() for seg in spoken)
    tokens = sum(max(1, len(seg.tokens)) for seg in spoken)
    avg_logprob = sum(seg.avg_logprob * max(1, len(seg.tokens)) for seg in spoken) / tokens
    return repetition.looks_degenerate(text, avg_logprob)


def _words_of(run: list, length: float) -> list[RawWord]:
    words = []
    for shift, seg in run:
        # whisper's own rule for a window that holds no speech
        if seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0:
            continue
        for w in seg.words or []:
            if w.word.strip():
                start = min(max(w.start - shift, 0.0), length)  # a word stays in its window
                end = min(max(w.end - shift, start), length)
                words.append(RawWord(start, end, w.word, w.probability, seg.avg_logprob, seg.no_speech_prob))
    return words


def decode_windows(model, windows: list[np.ndarray], language: str, options) -> DecodedWindows:
    """Whisper over each window of packed speech; per window, its words with window-relative times.

    options: a TranscriptionOptions (beam_size, use_batched, loop_guard, hotwords). With the loop guard on, a
    window whose batched output is degenerate is decoded again alone with temperature fallback, and
    any loop that still remains is cut to its first copy.
    """
    rate = sr.SAMPLE_RATE
    common = dict(language=language, beam_size=options.beam_size, word_timestamps=True,
                  hotwords=options.hotwords or None)
    if options.use_batched:
        runs = _batched_runs(model, windows, common)
    else:
        runs = [_sequential_run(model, window, common, FALLBACK_TEMPERATURES) for window in windows]
    redecoded = [False] * len(windows)
    if options.loop_guard:
        retry = dict(common, beam_size=max(options.beam_size, REDECODE_MIN_BEAM))
        for index, run in enumerate(runs):
            if _is_degenerate(run):
                runs[index] = _sequential_run(model, windows[index], retry, FALLBACK_TEMPERATURES)
                redecoded[index] = True
    words = []
    for index, run in enumerate(runs):
        found = _words_of(run, len(windows[index]) / rate)
        if options.loop_guard:
            found = repetition.keep_first_of_loops(found, lambda w: w.text)
        words.append(found)
    return DecodedWindows(words, redecoded)
