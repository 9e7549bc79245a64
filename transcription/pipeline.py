"""One call in, a speaker-attributed transcript out.

Stereo: Silero VAD finds speech on each channel, echo of the other side is cut away, the speech of
both channels is packed into one stream in time order and whisper runs over it once; every word is
mapped back to its channel (the speaker) and its original time. Mono: the same with one channel,
speaker "unknown".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from transcription import speech_regions as sr
from transcription.audio import decode, probe
from transcription.errors import TranscriptionCancelled
from transcription.transcript import Segment, Transcript, Word

ProgressCallback = Callable[[float], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class TranscriptionOptions:
    language: str | None = "ru"  # None: detect from the speech
    # Beam 2 measured on the demo calls: WER 0.152 against 0.151 with beam 5, 1.25x faster;
    # greedy (1) loses accuracy (0.167). See bench/transcribe_bench.py.
    beam_size: int = 2
    model_folder: str | None = None  # a faster-whisper model folder chosen in settings
    model_name: str | None = None  # downloaded by faster-whisper only if allow_download
    allow_download: bool = False
    model_cache_dir: str | None = None  # where the packaged model is joined; the user's data folder
    operator_channel: int = 0  # 0 = left, 1 = right
    cpu_threads: int = 0  # 0: ctranslate2 picks
    use_batched: bool = True  # faster-whisper's BatchedInferencePipeline over the packed chunks
    batch_size: int = 4
    # Silero VAD tuned for dialogue: turns are separated by well under the default 2 s of silence.
    vad_threshold: float = 0.5
    min_silence_duration_ms: int = 400
    speech_pad_ms: int = 200
    min_speech_duration_ms: int = 150
    # Echo: a region is the other side's echo when that side is this much louder and correlated.
    echo_margin_db: float = 10.0
    echo_min_correlation: float = 0.6
    # A new segment starts when the speaker changes or after this much silence within one speaker.
    split_gap_s: float = 0.8
    packed_gap_ms: int = 200

    def __post_init__(self):
        if self.operator_channel not in (0, 1):
            raise ValueError(f"operator_channel must be 0 (left) or 1 (right), not {self.operator_channel!r}")
        if self.beam_size < 1 or self.batch_size < 1:
            raise ValueError("beam_size and batch_size must be at least 1")


def _vad_options(options: TranscriptionOptions, max_speech_s: float):
    from faster_whisper.vad import VadOptions

    return VadOptions(
        threshold=options.vad_threshold,
        min_speech_duration_ms=options.min_speech_duration_ms,
        max_speech_duration_s=max_speech_s,
        min_silence_duration_ms=options.min_silence_duration_ms,
        speech_pad_ms=options.speech_pad_ms,
    )


def speaker_names(channels: int, operator_channel: int) -> dict[int, str]:
    if channels == 1:
        return {0: "unknown"}
    return {operator_channel: "operator", 1 - operator_channel: "customer"}


@dataclass
class _RawWord:
    packed_start: float
    packed_end: float
    text: str
    probability: float
    avg_logprob: float
    no_speech_prob: float


def _whisper_words(model, packed, bounds, options, language, progress, should_cancel):
    """Run whisper on each window of the packed stream; yield words with packed-stream times."""
    rate = sr.SAMPLE_RATE
    common = dict(language=language, beam_size=options.beam_size, word_timestamps=True)
    if options.use_batched:
        from faster_whisper import BatchedInferencePipeline

        pipeline = BatchedInferencePipeline(model)
        # One batch per call, so cancel and progress are checked between batches.
        groups = [bounds[i : i + options.batch_size] for i in range(0, len(bounds), options.batch_size)]
        runs = (
            (
                0,
                pipeline.transcribe(
                    packed,
                    clip_timestamps=[{"start": s / rate, "end": e / rate} for s, e in group],
                    batch_size=options.batch_size,
                    vad_filter=False,
                    **common,
                )[0],
            )
            for group in groups
        )
    else:
        runs = (
            (
                s,
                model.transcribe(packed[s:e], vad_filter=False, condition_on_previous_text=False, **common)[
                    0
                ],
            )
            for s, e in bounds
        )
    total = max(1e-9, len(packed) / rate)
    for offset_samples, segments in runs:
        if should_cancel():
            raise TranscriptionCancelled("transcription cancelled")
        offset = offset_samples / rate
        for seg in segments:
            if should_cancel():
                raise TranscriptionCancelled("transcription cancelled")
            # whisper's own rule for a window that holds no speech
            if seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0:
                continue
            for w in seg.words or []:
                if w.word.strip():
                    yield _RawWord(
                        w.start + offset,
                        w.end + offset,
                        w.word,
                        w.probability,
                        seg.avg_logprob,
                        seg.no_speech_prob,
                    )
            progress(min(0.99, 0.05 + 0.94 * (seg.end + offset) / total))


def _build_segments(raw_words, timeline: sr.PackedTimeline, names, split_gap_s, duration) -> list[Segment]:
    """Map words to channel and original time, then group them into segments per speaker turn."""
    groups: list[tuple[int, list[tuple[Word, float, float]]]] = []
    for rw in raw_words:
        index = timeline.piece_index((rw.packed_start + rw.packed_end) / 2)
        piece = timeline.pieces[index]
        lo, hi = piece.start / sr.SAMPLE_RATE, piece.end / sr.SAMPLE_RATE
        shift = (piece.start - piece.packed_start) / sr.SAMPLE_RATE
        start = min(max(rw.packed_start + shift, lo), hi, duration)
        end = min(max(rw.packed_end + shift, start), hi, duration)
        word = Word(round(start, 3), round(end, 3), rw.text.strip(), round(float(rw.probability), 4))
        if groups and groups[-1][0] == piece.channel and start - groups[-1][1][-1][0].end < split_gap_s:
            groups[-1][1].append((word, rw.avg_logprob, rw.no_speech_prob))
        else:
            groups.append((piece.channel, [(word, rw.avg_logprob, rw.no_speech_prob)]))
    segments = []
    for channel, items in groups:
        words = [w for w, _, _ in items]
        segments.append(
            Segment(
                speaker=names[channel],
                start=words[0].start,
                end=max(w.end for w in words),
                text=" ".join(w.text for w in words),
                avg_logprob=round(float(np.mean([a for _, a, _ in items])), 4),
                no_speech_prob=round(float(max(n for _, _, n in items)), 4),
                words=words,
            )
        )
    segments.sort(key=lambda s: (s.start, s.end))
    return segments


def transcribe_samples(
    samples: np.ndarray,
    options: TranscriptionOptions,
    model,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Transcript:
    """Transcribe (channels, n) float32 audio at 16 kHz. See transcribe_call."""
    progress = progress or (lambda _f: None)
    should_cancel = should_cancel or (lambda: False)
    samples = samples[:2]
    channels = samples.shape[0]
    duration = samples.shape[1] / sr.SAMPLE_RATE
    names = speaker_names(channels, options.operator_channel)
    max_window_s = 30.0
    # A region may be at most one window long, less the silence that follows it in the pack.
    vad = _vad_options(options, max_window_s - 1.0)
    regions = sr.detect_speech(samples, vad)
    if should_cancel():
        raise TranscriptionCancelled("transcription cancelled")
    if channels == 2:
        energy = sr.frame_energy(samples)
        regions = sr.drop_echo(
            regions,
            energy,
            options.echo_margin_db,
            options.echo_min_correlation,
            int(options.min_speech_duration_ms * sr.SAMPLE_RATE / 1000),
        )
    progress(0.05)
    gap = int(options.packed_gap_ms * sr.SAMPLE_RATE / 1000)
    packed, pieces = sr.pack(samples, regions, gap)
    language = options.language
    if not pieces:
        progress(1.0)
        return Transcript(language or "", duration, [])
    if language is None:
        language, _prob, _all = model.detect_language(audio=packed[: int(max_window_s * sr.SAMPLE_RATE)])
    bounds = sr.chunk_bounds(pieces, gap, int(max_window_s * sr.SAMPLE_RATE))
    raw = list(_whisper_words(model, packed, bounds, options, language, progress, should_cancel))
    segments = _build_segments(raw, sr.PackedTimeline(pieces), names, options.split_gap_s, duration)
    progress(1.0)
    return Transcript(language=language, duration_s=round(duration, 3), segments=segments)


_loaded: dict[tuple, object] = {}


def load_whisper(options: TranscriptionOptions, download_progress: ProgressCallback | None = None):
    """The WhisperModel the options ask for, loaded once per process. Raises ModelNotFoundError."""
    from transcription.model import load_model, resolve_model

    cache_dir = options.model_cache_dir or _default_cache_dir()
    resolved = resolve_model(cache_dir, options.model_folder, options.model_name, options.allow_download)
    key = (resolved, options.cpu_threads)
    if key not in _loaded:
        _loaded.clear()  # one model in memory at a time
        _loaded[key] = load_model(resolved, options.cpu_threads, cache_dir, download_progress)
    return _loaded[key]


def _default_cache_dir() -> str:
    import platformdirs

    return str(Path(platformdirs.user_data_dir("Kalibra", appauthor=False)) / "models")


def transcribe_call(
    path: str | Path,
    options: TranscriptionOptions | None = None,
    model=None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Transcript:
    """Transcribe one recording.

    Stereo: channel options.operator_channel is the operator, the other the customer; segments of
    both are merged in time order, echo is not duplicated. Mono: speaker "unknown". progress gets
    0..1; should_cancel is polled between windows and segments and raises TranscriptionCancelled.
    Raises AudioDecodeError, ModelNotFoundError, TranscriptionCancelled.
    """
    options = options or TranscriptionOptions()
    probe(path)  # integrity first: a truncated file is an error, not a short transcript
    samples = decode(path, sr.SAMPLE_RATE)
    if model is None:
        model = load_whisper(options)
    return transcribe_samples(samples, options, model, progress, should_cancel)
