"""One call in, a speaker-attributed transcript out.

The channel layout is told first (transcription.channel_layout): a stereo file whose channels hold
one mix twice, or one mix beside silence, is transcribed as mono. The language is chosen from a
window of the speech (transcription.language); windows are decoded in batches with a guard against
loops (transcription.window_decoding).

Stereo: Silero VAD finds speech on each channel, echo of the other side is cut away, the speech of
both channels is packed into one stream in time order and whisper runs over it once; every word is
mapped back to its channel (the speaker) and its original time. Mono: the same with one channel;
the speakers are then told apart by voice (transcription.diarization: operator, customer, a third
voice as speaker_3) and the transcript says they were inferred. Several calls can be transcribed together (transcribe_many): their windows share
whisper's batches, which is where a CPU gains most on a backlog of short calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from transcription import speech_regions as sr
from transcription.audio import decode, probe
from transcription.channel_layout import LAYOUTS, as_layout, detect_layout
from transcription.errors import TranscriptionCancelled
from transcription.language import FORCED, choose_language
from transcription.operator_side import CallFacts
from transcription.transcript import Segment, Transcript, Word
from transcription.window_decoding import RawWord, WindowEncoder, decode_windows
from transcription.window_sharing import Part, Window, plan_windows

ProgressCallback = Callable[[float], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class TranscriptionOptions:
    language: str | None = "ru"  # expected; None: whatever the speech is
    language_forced: bool = False  # the call's language is known: no detection
    channel_layout: str | None = None  # None: detected from the audio (transcription.channel_layout)
    loop_guard: bool = True  # re-decode windows whose output loops (transcription.window_decoding)
    # Stereo: pack each channel's speech on its own (windows hear one party) instead of in turn order.
    # Off: on ../shared/realcalls it was worse (WER 0.237 per speaker against 0.221) and slower (more windows).
    pack_by_channel: bool = False
    # Beam 3: the smallest beam at which the WER is at most plain faster-whisper's (beam 5, VAD, per channel)
    # on every corpus of bench/transcribe_bench.py. Real stereo calls: 0.207 per speaker against 0.210
    # (beam 2: 0.221, 4: 0.202, 5: 0.203); their mono mix: 0.206 against 0.211 (beam 2: 0.221, 4: 0.212,
    # 5: 0.211); demo calls: 0.158 against 0.225 (beam 2: 0.167). It decodes about a tenth slower than 2.
    beam_size: int = 3
    # The clinic's own words (its name, doctors, services, drugs), given to whisper as hotwords: the
    # decoder sees them before each window, so it spells them as the clinic does.
    hotwords: str | None = None
    model_folder: str | None = None  # a faster-whisper model folder chosen in settings
    model_name: str | None = None  # downloaded by faster-whisper only if allow_download
    allow_download: bool = False
    model_cache_dir: str | None = None  # where the packaged model is joined; the user's data folder
    operator_channel: int = 0  # 0 = left, 1 = right
    # One-channel calls: tell the speakers apart by voice (adds about 11 % to the call's transcription
    # time on 2 cores, bench/diarization_bench.py); what is known of the call helps name the operator.
    diarize: bool = True
    call_facts: CallFacts = field(default_factory=CallFacts)
    cpu_threads: int = 0  # 0: ctranslate2 picks
    use_batched: bool = True  # faster-whisper's BatchedInferencePipeline over the packed windows
    # Calls transcribed together lay their short last windows together (transcription.window_sharing).
    share_windows: bool = True
    # Windows decoded together, across calls (transcribe_many). On 2 CPU cores one decoder step for
    # 8 windows cost 2.6x that for one (measured on the demo windows): 8 is where the gain flattens.
    batch_size: int = 8
    # Silero VAD tuned for dialogue: turns are separated by well under the default 2 s of silence.
    # A threshold of 0.35 keeps a lone "hi" or "bye" that 0.5 misses (real calls at beam 2: WER 0.214
    # against 0.221) but gives more windows to decode (16 against 15); not measured at beam 3 yet.
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
        if self.channel_layout is not None and self.channel_layout not in LAYOUTS:
            raise ValueError(f"channel_layout must be one of {', '.join(LAYOUTS)}, not {self.channel_layout!r}")


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


def _build_segments(raw_words, timeline: sr.PackedTimeline, names, split_gap_s, duration) -> list[Segment]:
    """Map words to channel and original time, then group them into segments per speaker turn."""
    groups: list[tuple[int, list[tuple[Word, float, float]]]] = []
    for rw in raw_words:
        index = timeline.piece_index((rw.start + rw.end) / 2)
        piece = timeline.pieces[index]
        lo, hi = piece.start / sr.SAMPLE_RATE, piece.end / sr.SAMPLE_RATE
        shift = (piece.start - piece.packed_start) / sr.SAMPLE_RATE
        start = min(max(rw.start + shift, lo), hi, duration)
        end = min(max(rw.end + shift, start), hi, duration)
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


_WINDOW_S = 30.0  # whisper's window
_WINDOW_MARGIN = 160  # samples (10 ms) kept free at the end of each window
# A window a little under 30 s: one at exactly 30 s is where whisper's padding arithmetic is on edge.
_WINDOW_SAMPLES = int(_WINDOW_S * sr.SAMPLE_RATE) - _WINDOW_MARGIN


MAX_CALLS_TOGETHER = 16


def batch_is_full(calls: int, audio_s: float, options: TranscriptionOptions) -> bool:
    """Whether calls gathered for transcribe_many are enough: about one batch of windows of audio.

    More would only delay the first results and hold more audio in memory, not go faster.
    """
    return calls >= MAX_CALLS_TOGETHER or audio_s >= options.batch_size * _WINDOW_S


@dataclass
class _PreparedCall:
    """One call's speech, packed and cut into windows, waiting for whisper."""

    packed: np.ndarray
    pieces: list[sr.Piece]
    bounds: list[tuple[int, int]]  # windows, samples in the packed stream
    language: str
    duration: float
    names: dict[int, str]
    options: TranscriptionOptions
    words: list[RawWord]
    layout: str = ""
    language_source: str = ""
    language_probability: float | None = None
    windows_done: int = 0
    redecoded: int = 0
    mono: np.ndarray | None = None  # a one-channel call's audio, kept for telling its voices apart

    def transcript(self) -> Transcript:
        # A shared window may be decoded before the call's own earlier ones: words in stream order.
        segments = _build_segments(
            sorted(self.words, key=lambda w: w.start), sr.PackedTimeline(self.pieces), self.names, self.options.split_gap_s, self.duration
        )
        voices = {}
        if self.mono is not None and self.options.diarize and segments:
            segments, found = attribute_voices(segments, self.mono, self.options.call_facts)
            voices = {"speakers_inferred": True, "speaker_confidence": found.confidence,
                      "operator_confidence": found.operator_confidence}
        self.mono = None
        return Transcript(language=self.language, duration_s=round(self.duration, 3), segments=segments,
                          channel_layout=self.layout, language_source=self.language_source,
                          language_probability=self.language_probability, redecoded_windows=self.redecoded,
                          **voices)


def attribute_voices(segments: list[Segment], samples: np.ndarray, facts: CallFacts):
    """Segments of a one-channel call split where the voice changes, each word on its speaker.

    Returns (segments, transcription.diarization.Diarization); words another voice overlaps are marked.
    """
    from transcription.diarization import diarize

    words = [w for s in segments for w in s.words]
    found = diarize(samples, sr.SAMPLE_RATE, words, facts)
    labels = iter(zip(found.speakers, found.overlaps, strict=True))
    out: list[Segment] = []
    for segment in segments:
        runs: list[tuple[str, list[Word]]] = []
        for word in segment.words:
            speaker, overlap = next(labels)
            word = replace(word, overlap=overlap)
            if runs and runs[-1][0] == speaker:
                runs[-1][1].append(word)
            else:
                runs.append((speaker, [word]))
        out += [replace(segment, speaker=speaker, start=run[0].start, end=max(w.end for w in run),
                        text=" ".join(w.text for w in run), words=run) for speaker, run in runs]
    return out, found


def _prepare(samples: np.ndarray, options: TranscriptionOptions) -> _PreparedCall:
    """Speech of each channel, echo removed, packed in time order and cut into whisper windows.

    A stereo file whose channels are one mix twice, or one mix and silence, is heard as mono.
    """
    duration = samples.shape[1] / sr.SAMPLE_RATE
    layout = options.channel_layout or detect_layout(samples)
    samples = as_layout(samples, layout)
    channels = samples.shape[0]
    # A region may be at most one window long, less the silence that follows it in the pack.
    regions = sr.detect_speech(samples, _vad_options(options, _WINDOW_S - 1.0))
    if channels == 2:
        regions = sr.drop_echo(
            regions,
            sr.frame_energy(samples),
            options.echo_margin_db,
            options.echo_min_correlation,
            int(options.min_speech_duration_ms * sr.SAMPLE_RATE / 1000),
        )
    gap = int(options.packed_gap_ms * sr.SAMPLE_RATE / 1000)
    by_channel = options.pack_by_channel and channels == 2
    packed, pieces = sr.pack(samples, regions, gap, by_channel)
    bounds = sr.chunk_bounds(pieces, gap, _WINDOW_SAMPLES, by_channel) if pieces else []
    names = speaker_names(channels, options.operator_channel)
    return _PreparedCall(packed, pieces, bounds, options.language or "", duration, names, options, [], layout,
                         mono=samples[0] if channels == 1 and options.diarize else None)


def _settle_language(call: _PreparedCall, encoder: WindowEncoder) -> None:
    """The language the call is decoded in: detected on its first window, whose encoder output is kept."""
    first = call.packed[slice(*call.bounds[0])] if call.bounds else call.packed[:0]
    choice = choose_language(encoder, first, call.options.language, call.options.language_forced)
    call.language, call.language_source, call.language_probability = choice.language, choice.source, choice.probability


def transcribe_many(
    calls: Sequence[tuple[np.ndarray, TranscriptionOptions]],
    model,
    progress: Callable[[int, float], None] | None = None,
    should_cancel: CancelCheck | None = None,
) -> Iterator[tuple[int, Transcript]]:
    """Transcribe several calls together; yield (index in calls, transcript) as each one is finished.

    Each call is (channels, n) float32 audio at 16 kHz with its own options (language, operator
    channel). Windows of calls that share a language and decoding settings go through whisper in the
    same batches: on a CPU the decoder costs nearly as much for one window as for eight, so a
    backlog of short calls is transcribed much faster than call by call. Each call's language is
    detected on its first window, and that window's encoder output is kept for its decoding
    (window_decoding.WindowEncoder). Calls' short last windows are laid together
    (transcription.window_sharing), so a call's last words may read a little differently with the calls
    it is transcribed with, as whisper's text differs with where a window starts; with share_windows off
    a call reads as it does alone (word times may move by a few milliseconds: alignment runs over a
    different batch). progress gets (index, 0..1); should_cancel is polled between calls and batches and
    raises TranscriptionCancelled.
    """
    progress = progress or (lambda _i, _f: None)
    should_cancel = should_cancel or (lambda: False)
    encoder = model if isinstance(model, WindowEncoder) else WindowEncoder(model)

    def check_cancel() -> None:
        if should_cancel():
            raise TranscriptionCancelled("transcription cancelled")

    prepared: list[_PreparedCall] = []
    for index, (samples, options) in enumerate(calls):
        check_cancel()
        prepared.append(_prepare(samples, options))
        check_cancel()  # voice detection done; the language is whisper's first work on the call
        _settle_language(prepared[-1], encoder)
        progress(index, 0.05)
    groups: dict[tuple, list[int]] = {}
    for index, call in enumerate(prepared):
        if not call.bounds:
            progress(index, 1.0)
            yield index, call.transcript()
            continue
        o = call.options
        groups.setdefault((call.language, o.beam_size, o.use_batched, o.batch_size, o.loop_guard, o.share_windows,
                           o.hotwords), []).append(index)
    streams = [call.packed for call in prepared]
    for (language, _beam, _batched, batch_size, _guard, share, _hotwords), members in groups.items():
        # A call's first window is its own when its language was detected on it (the encoder output is
        # reused); its last window after that, or its only one when the language was told, is shared.
        shareable = [share and (len(prepared[i].bounds) > 1 or prepared[i].language_source == FORCED)
                     for i in members]
        plan = plan_windows([prepared[i].bounds for i in members], shareable, _WINDOW_SAMPLES)
        windows = [Window(tuple(Part(members[p.call], p.start, p.end) for p in w.parts)) for w in plan]
        pending = {i: sum(i in w.calls() for w in windows) for i in members}
        for first in range(0, len(windows), batch_size):
            check_cancel()
            batch = windows[first : first + batch_size]
            options = prepared[batch[0].parts[0].call].options
            decoded = decode_windows(encoder, [w.audio(streams) for w in batch], language, options)
            for window, words, again in zip(batch, decoded.words, decoded.redecoded, strict=True):
                for w in words:
                    i, start, end = window.place(w.start, w.end)
                    prepared[i].words.append(RawWord(start, end, w.text, w.probability, w.avg_logprob,
                                                     w.no_speech_prob))
                for i in window.calls():
                    prepared[i].redecoded += again
                    prepared[i].windows_done += 1
            for i in dict.fromkeys(i for w in batch for i in w.calls()):
                call = prepared[i]
                if call.windows_done == pending[i]:
                    progress(i, 1.0)
                    yield i, call.transcript()
                else:
                    progress(i, min(0.99, 0.05 + 0.94 * call.windows_done / pending[i]))


def transcribe_samples(
    samples: np.ndarray,
    options: TranscriptionOptions,
    model,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Transcript:
    """Transcribe (channels, n) float32 audio at 16 kHz. See transcribe_call."""
    report = (lambda _i, fraction: progress(fraction)) if progress else None
    ((_index, transcript),) = transcribe_many([(samples, options)], model, report, should_cancel)
    return transcript


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


def load_call_audio(path: str | Path) -> np.ndarray:
    """A recording as (channels, n) float32 at 16 kHz, ready for transcribe_many. Raises AudioDecodeError."""
    probe(path)  # integrity first: a truncated file is an error, not a short transcript
    return decode(path, sr.SAMPLE_RATE)


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
    0..1; should_cancel is polled between batches of windows and raises TranscriptionCancelled.
    Raises AudioDecodeError, ModelNotFoundError, TranscriptionCancelled.
    """
    options = options or TranscriptionOptions()
    samples = load_call_audio(path)
    if model is None:
        model = load_whisper(options)
    return transcribe_samples(samples, options, model, progress, should_cancel)
