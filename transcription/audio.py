"""Reading recordings: probe (cheap facts + integrity check), decode to float32, waveform envelope.

soundfile (libsndfile) reads WAV/FLAC/OGG/MP3 fast and exactly; PyAV (FFmpeg, installed with
faster-whisper) covers everything else (m4a/aac, opus in other containers, wma, amr...).
This module is the one audio decoder of the app.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from transcription.errors import AudioDecodeError, UnsupportedCodecError
from transcription.probe import FileWindow, WavHeader, check_duration, check_format, os_path, read_wav_header
from transcription.resampling import BlockOutput, StreamResampler

WHISPER_SAMPLE_RATE = 16000
# How much of the end of a file is decoded to prove that it is all there.
_TAIL_CHECK_S = 1.0
# A file may decode a little shorter than its header claims (encoder padding); more is truncation.
_TRUNCATION_TOLERANCE_S = 0.25
# Decoding reads this much audio at a time, so memory is the result's size plus one block.
_BLOCK_S = 30.0


@dataclass(frozen=True)
class AudioInfo:
    duration_s: float
    sample_rate: int
    channels: int
    codec: str  # "PCM_16", "ULAW", "ALAW" (WAV); "FLAC", "VORBIS", "OPUS", "MP3", "AAC"...
    frames: int


@dataclass(frozen=True)
class Envelope:
    """Min/max of each bucket of samples, per channel: enough to draw a waveform at any zoom coarser than it."""

    points_per_second: float
    mins: np.ndarray  # float32, shape (channels, points)
    maxs: np.ndarray  # float32, shape (channels, points)

    @property
    def channels(self) -> int:
        return int(self.mins.shape[0])

    def save(self, path: str | Path) -> None:
        """Write to an .npz file (the caller chooses where the cache lives)."""
        with open(path, "wb") as fh:
            np.savez(fh, points_per_second=self.points_per_second, mins=self.mins, maxs=self.maxs)

    @classmethod
    def load(cls, path: str | Path) -> Envelope:
        with np.load(path) as data:
            return cls(float(data["points_per_second"]), data["mins"], data["maxs"])


# ---------------------------------------------------------------------------------------------- probe


def _check_file(path: Path) -> None:
    try:
        status = os.stat(os_path(path))
    except FileNotFoundError:
        raise AudioDecodeError(path, "file not found (moved or deleted?)") from None
    except OSError as exc:
        raise AudioDecodeError(path, "cannot be read: {detail}", detail=exc.strerror) from exc
    if not stat.S_ISREG(status.st_mode):
        raise AudioDecodeError(path, "not a file")
    if status.st_size == 0:
        raise AudioDecodeError(path, "empty file (0 bytes)")


@contextmanager
def _soundfile(path: Path, header: WavHeader | None) -> Iterator[sf.SoundFile | None]:
    """libsndfile's reader for the file, or None when libsndfile does not know the format.

    A WAV whose recorder never wrote the sizes is read as RAW samples from its data chunk to the end.
    """
    if header is not None and header.streaming:
        subtype = header.raw_subtype
        if subtype is None:
            raise AudioDecodeError(path, "unfinished WAV header with {bits}-bit samples", bits=header.bits)
        window = FileWindow(path, header.data_offset, header.frames * header.block_align)
        try:
            with sf.SoundFile(window, format="RAW", subtype=subtype, samplerate=header.sample_rate,
                              channels=header.channels, endian="LITTLE") as snd:
                yield snd
        finally:
            window.close()
        return
    try:
        snd = sf.SoundFile(os_path(path))
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        yield None  # not a format libsndfile knows; PyAV may
        return
    with snd:
        yield snd


def _probe_soundfile(path: Path, snd: sf.SoundFile) -> AudioInfo:
    check_format(path, snd.samplerate, snd.channels)
    check_duration(path, snd.frames / snd.samplerate)
    try:
        if snd.frames > 0:
            tail = int(_TAIL_CHECK_S * snd.samplerate)
            start = max(0, snd.frames - tail)
            snd.seek(start)
            got = len(snd.read(frames=snd.frames - start, dtype="float32", always_2d=True))
            if got < (snd.frames - start) - _TRUNCATION_TOLERANCE_S * snd.samplerate:
                raise AudioDecodeError(path, "truncated: the end of the audio cannot be read")
    except sf.LibsndfileError as exc:
        raise AudioDecodeError(path, "corrupt or truncated audio ({detail})", detail=str(exc)) from exc
    if snd.subtype.startswith("MPEG_LAYER"):
        codec = "MP3"
    elif snd.format == "FLAC":
        codec = "FLAC"
    else:
        codec = snd.subtype
    return AudioInfo(duration_s=snd.frames / snd.samplerate, sample_rate=int(snd.samplerate),
                     channels=int(snd.channels), codec=codec, frames=int(snd.frames))


@contextmanager
def _open_av(path: Path):
    import av  # PyAV is heavy; import when a file needs it

    with open(os_path(path), "rb") as handle:
        try:
            container = av.open(handle)
        except av.FFmpegError as exc:
            raise AudioDecodeError(
                path, "not an audio file, or damaged ({detail})", detail=exc.strerror or type(exc).__name__
            ) from exc
        try:
            if not container.streams.audio:
                raise AudioDecodeError(path, "not an audio file (no audio stream)")
            if container.streams.audio[0].codec_context is None:
                raise UnsupportedCodecError(path, "no decoder for this audio stream")
            yield container
        finally:
            container.close()


def _probe_av(path: Path) -> AudioInfo:
    import av

    with _open_av(path) as container:
        stream = container.streams.audio[0]
        context = stream.codec_context
        rate = int(context.sample_rate or stream.sample_rate or 0)
        channels = int(context.layout.nb_channels) if context.layout else 1
        check_format(path, rate, channels)
        if stream.duration is not None and stream.time_base is not None:
            declared = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            declared = container.duration / 1_000_000
        else:
            declared = 0.0
        check_duration(path, declared)
        # Decode the last second: proves the tail is present and gives the real end time.
        end = 0.0
        try:
            if declared > _TAIL_CHECK_S + 1:
                target = int((declared - _TAIL_CHECK_S - 1) / stream.time_base)
                container.seek(target, stream=stream, any_frame=False, backward=True)
            for frame in container.decode(stream):
                if frame.pts is not None and frame.time_base is not None:
                    end = max(end, float(frame.pts * frame.time_base) + frame.samples / frame.sample_rate)
                rate = rate or frame.sample_rate
        except av.FFmpegError as exc:
            raise AudioDecodeError(path, "corrupt or truncated audio ({detail})", detail=str(exc.strerror or exc)) from exc
        if declared <= 0:
            declared = end
            check_duration(path, declared)
        elif end < declared - _TRUNCATION_TOLERANCE_S - _TAIL_CHECK_S:
            raise AudioDecodeError(
                path, "truncated: header says {declared} s, audio ends at {end} s", declared=f"{declared:.1f}",
                end=f"{end:.1f}",
            )
        codec = context.name.upper().removesuffix("FLOAT")  # "mp3float" -> "MP3"
        return AudioInfo(duration_s=declared, sample_rate=rate, channels=channels, codec=codec,
                         frames=int(round(declared * rate)))


def _guarded(path: Path, work):
    """Run a reading step; anything but our own error (a library's bug on a damaged file) becomes one."""
    try:
        return work()
    except AudioDecodeError:
        raise
    except MemoryError as exc:
        raise AudioDecodeError(path, "the header claims more audio than the file can hold (damaged?)") from exc
    except Exception as exc:  # PyAV and libsndfile raise many kinds on damaged files
        raise AudioDecodeError(path, "damaged or not an audio file ({detail})", detail=exc.__class__.__name__) from exc


def probe(path: str | Path) -> AudioInfo:
    """Facts about a recording, after checking its header against sane limits and that it is whole.

    Reads the header and the last second only. Raises AudioDecodeError (UnsupportedCodecError for a
    codec Kalibra cannot decode) and nothing else.
    """
    path = Path(path)
    _check_file(path)

    def work() -> AudioInfo:
        header = read_wav_header(path)
        with _soundfile(path, header) as snd:
            info = _probe_soundfile(path, snd) if snd is not None else None
        return info or _probe_av(path)

    info = _guarded(path, work)
    if info.frames <= 0 or info.duration_s <= 0:
        raise AudioDecodeError(path, "zero duration: the recording holds no audio")
    return info


@dataclass(frozen=True)
class Levels:
    peak: float  # the loudest finite sample, 0..1 (more for a float file that clips)
    non_finite: int  # NaN or infinite samples (a broken float recording)


def levels(path: str | Path) -> Levels:
    """The peak level and the count of NaN/Inf samples, read block by block. Raises AudioDecodeError."""
    path = Path(path)
    _check_file(path)
    peak, bad = 0.0, 0

    def measure(block: np.ndarray) -> None:
        nonlocal peak, bad
        finite = np.isfinite(block)
        bad += int(block.size - np.count_nonzero(finite))
        if block.size:
            peak = max(peak, float(np.max(np.abs(np.where(finite, block, 0.0)))))

    def work() -> Levels:
        import av

        with _soundfile(path, read_wav_header(path)) as snd:
            if snd is not None:
                check_format(path, snd.samplerate, snd.channels)
                for block in snd.blocks(blocksize=int(_BLOCK_S * snd.samplerate), dtype="float32", always_2d=True):
                    measure(block)
                return Levels(peak, bad)
        with _open_av(path) as container:
            try:
                for frame in container.decode(container.streams.audio[0]):
                    measure(_frame_samples(frame, clean=False))
            except av.FFmpegError as exc:
                raise AudioDecodeError(path, "corrupt or truncated audio ({detail})", detail=str(exc.strerror or exc)) from exc
        return Levels(peak, bad)

    return _guarded(path, work)


# --------------------------------------------------------------------------------------------- decode


def _clean(block: np.ndarray) -> np.ndarray:
    """NaN and infinite samples (a broken float recording) become silence; the rest is kept in [-1, 1]."""
    np.nan_to_num(block, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(block, -1.0, 1.0, out=block)


def _decode_soundfile(path: Path, snd: sf.SoundFile, sample_rate: int, start_s: float,
                      duration_s: float | None) -> np.ndarray:
    check_format(path, snd.samplerate, snd.channels)
    rate = int(snd.samplerate)
    first = min(snd.frames, int(start_s * rate))
    frames = snd.frames - first if duration_s is None else min(snd.frames - first, int(round(duration_s * rate)))
    check_duration(path, frames / rate)
    if frames <= 0:
        raise AudioDecodeError(path, "zero duration: the recording holds no audio")
    out = BlockOutput(snd.channels, int(round(frames * sample_rate / rate)))
    resampler = StreamResampler(snd.channels, rate, sample_rate)
    if first:
        snd.seek(first)
    try:
        for block in snd.blocks(blocksize=int(_BLOCK_S * rate), frames=frames, dtype="float32", always_2d=True):
            out.add(resampler.feed(_clean(np.ascontiguousarray(block.T))))
    except sf.LibsndfileError as exc:
        raise AudioDecodeError(path, "corrupt or truncated audio ({detail})", detail=str(exc)) from exc
    out.add(resampler.flush())
    return out.samples


def _frame_samples(frame, clean: bool = True) -> np.ndarray:
    """One PyAV frame as (channels, n) float32 in [-1, 1]."""
    data = frame.to_ndarray()
    if not frame.format.is_planar:  # packed: one row, channels interleaved
        data = data.reshape(-1, frame.layout.nb_channels).T
    name = frame.format.name
    samples = data.astype(np.float32)
    if name.startswith("s16"):
        samples /= 32768.0
    elif name.startswith("s32"):
        samples /= 2147483648.0
    elif name.startswith("u8"):
        samples = (samples - 128.0) / 128.0
    return _clean(samples) if clean else samples


def _decode_av(path: Path, sample_rate: int | None, start_s: float = 0.0,
               duration_s: float | None = None) -> tuple[np.ndarray, int]:
    import av

    with _open_av(path) as container:
        stream = container.streams.audio[0]
        context = stream.codec_context
        rate = int(context.sample_rate or 0)
        channels = int(context.layout.nb_channels) if context.layout else 1
        check_format(path, rate, channels)
        target = sample_rate or rate
        resampler = StreamResampler(channels, rate, target)
        chunks: list[np.ndarray] = []
        skip = int(start_s * rate)
        left = None if duration_s is None else int(round(duration_s * rate))
        try:
            for frame in container.decode(stream):
                samples = _frame_samples(frame)
                if samples.shape[0] != channels or frame.sample_rate != rate:
                    raise AudioDecodeError(path, "the channel count or sample rate changes inside the file")
                if skip:
                    cut = min(skip, samples.shape[1])
                    samples, skip = samples[:, cut:], skip - cut
                if left is not None:
                    samples = samples[:, :left]
                    left -= samples.shape[1]
                if samples.shape[1]:
                    chunks.append(resampler.feed(samples))
                if left == 0:
                    break
        except av.FFmpegError as exc:
            raise AudioDecodeError(path, "corrupt or truncated audio ({detail})", detail=str(exc.strerror or exc)) from exc
        chunks.append(resampler.flush())
    chunks = [c for c in chunks if c.size]
    if not chunks:
        raise AudioDecodeError(path, "zero duration: the recording holds no audio")
    return np.concatenate(chunks, axis=1), target


def decode(path: str | Path, sample_rate: int = WHISPER_SAMPLE_RATE, *, start_s: float = 0.0,
           duration_s: float | None = None) -> np.ndarray:
    """Every channel of a recording (or of `duration_s` from `start_s`) as float32 in [-1, 1],
    shape (channels, n), resampled to sample_rate. NaN and infinite samples are silence.

    Reads block by block into one array of the result's size, so memory is the result plus a block.
    Raises AudioDecodeError and nothing else. Call probe() first when the file must also be checked
    for truncation.
    """
    path = Path(path)
    _check_file(path)

    def work() -> np.ndarray:
        header = read_wav_header(path)
        with _soundfile(path, header) as snd:
            if snd is not None:
                return _decode_soundfile(path, snd, sample_rate, start_s, duration_s)
        return _decode_av(path, sample_rate, start_s, duration_s)[0]

    return _guarded(path, work)


# ------------------------------------------------------------------------------------------- envelope


def _min_max(samples: np.ndarray, bucket: int) -> tuple[np.ndarray, np.ndarray]:
    channels, n = samples.shape
    points = -(-n // bucket)  # ceil
    padded = np.empty((channels, points * bucket), dtype=np.float32)
    padded[:, :n] = samples
    # Pad the last bucket with its own last sample so padding does not widen it.
    padded[:, n:] = samples[:, -1:]
    blocks = padded.reshape(channels, points, bucket)
    return blocks.min(axis=2), blocks.max(axis=2)


def envelope(
    source: str | Path | np.ndarray, points_per_second: float = 100.0, sample_rate: int | None = None
) -> Envelope:
    """Min/max per bucket per channel for the waveform view.

    source is a path (read at its own rate, block by block where libsndfile reads it, so an hour-long
    call does not sit in memory) or a (channels, n) / (n,) array with its sample_rate.
    Raises AudioDecodeError.
    """
    if isinstance(source, np.ndarray):
        if sample_rate is None:
            raise ValueError("sample_rate is required when source is an array")
        samples = source if source.ndim == 2 else source[None, :]
        bucket = max(1, int(round(sample_rate / points_per_second)))
        mins, maxs = _min_max(samples.astype(np.float32, copy=False), bucket)
        return Envelope(sample_rate / bucket, mins, maxs)
    path = Path(source)
    _check_file(path)

    def work() -> Envelope:
        with _soundfile(path, read_wav_header(path)) as snd:
            if snd is not None:
                return _envelope_soundfile(path, snd, points_per_second)
        samples, rate = _decode_av(path, None)
        return envelope(samples, points_per_second, rate)

    return _guarded(path, work)


def _envelope_soundfile(path: Path, snd: sf.SoundFile, points_per_second: float) -> Envelope:
    check_format(path, snd.samplerate, snd.channels)
    bucket = max(1, int(round(snd.samplerate / points_per_second)))
    mins, maxs = [], []
    try:
        for block in snd.blocks(blocksize=bucket * 4096, dtype="float32", always_2d=True):
            lo, hi = _min_max(_clean(np.ascontiguousarray(block.T)), bucket)
            mins.append(lo)
            maxs.append(hi)
    except sf.LibsndfileError as exc:
        raise AudioDecodeError(path, "corrupt or truncated audio ({detail})", detail=str(exc)) from exc
    if not mins:
        raise AudioDecodeError(path, "zero duration: the recording holds no audio")
    return Envelope(snd.samplerate / bucket, np.concatenate(mins, axis=1), np.concatenate(maxs, axis=1))
