"""Reading recordings: probe (cheap facts + integrity check), decode to float32, waveform envelope.

soundfile (libsndfile) reads WAV/FLAC/OGG/MP3 fast and exactly; PyAV (FFmpeg, installed with
faster-whisper) covers everything else (m4a/aac, opus in other containers, wma, amr...).
This module is the one audio decoder of the app.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from transcription.errors import AudioDecodeError

WHISPER_SAMPLE_RATE = 16000
# How much of the end of a file is decoded to prove that it is all there.
_TAIL_CHECK_S = 1.0
# A file may decode a little shorter than its header claims (encoder padding); more is truncation.
_TRUNCATION_TOLERANCE_S = 0.25


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
    if not path.exists():
        raise AudioDecodeError(path, "file not found (moved or deleted?)")
    if not path.is_file():
        raise AudioDecodeError(path, "not a file")
    if path.stat().st_size == 0:
        raise AudioDecodeError(path, "empty file (0 bytes)")


def _wav_truncation(path: Path) -> str | None:
    """libsndfile silently shortens a truncated WAV to what is there; compare the header with the file."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            return None
        if head[:4] == b"RF64":
            return None  # 64-bit sizes live in a ds64 chunk; rare for calls, trust libsndfile
        pos = 12
        while pos + 8 <= size:
            fh.seek(pos)
            chunk_id, chunk_size = struct.unpack("<4sI", fh.read(8))
            if chunk_id == b"data":
                # 0 and 0xFFFFFFFF mean "unknown length" (a recorder that streams); nothing to compare.
                if chunk_size in (0, 0xFFFFFFFF):
                    return None
                available = size - (pos + 8)
                if available < chunk_size:
                    return f"truncated: header says {chunk_size} bytes of audio, file holds {available}"
                return None
            pos += 8 + chunk_size + (chunk_size & 1)
    return "no audio data chunk"


def _probe_soundfile(path: Path) -> AudioInfo | None:
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError):
        return None  # not a format libsndfile knows; PyAV may
    if info.format in ("WAV", "WAVEX"):
        problem = _wav_truncation(path)
        if problem:
            raise AudioDecodeError(path, problem)
    try:
        with sf.SoundFile(str(path)) as snd:
            if snd.frames > 0:
                tail = int(_TAIL_CHECK_S * snd.samplerate)
                start = max(0, snd.frames - tail)
                snd.seek(start)
                got = len(snd.read(frames=snd.frames - start, dtype="float32", always_2d=True))
                if got < (snd.frames - start) - _TRUNCATION_TOLERANCE_S * snd.samplerate:
                    raise AudioDecodeError(path, "truncated: the end of the audio cannot be read")
    except sf.LibsndfileError as exc:
        raise AudioDecodeError(path, f"corrupt or truncated audio ({exc})") from exc
    if info.subtype.startswith("MPEG_LAYER"):
        codec = "MP3"
    elif info.format == "FLAC":
        codec = "FLAC"
    else:
        codec = info.subtype
    return AudioInfo(
        duration_s=info.frames / info.samplerate,
        sample_rate=int(info.samplerate),
        channels=int(info.channels),
        codec=codec,
        frames=int(info.frames),
    )


def _open_av(path: Path):
    import av  # PyAV is heavy; import when a file needs it

    try:
        container = av.open(str(path))
    except av.FFmpegError as exc:
        raise AudioDecodeError(
            path, f"not an audio file, or damaged ({exc.strerror or type(exc).__name__})"
        ) from exc
    if not container.streams.audio:
        container.close()
        raise AudioDecodeError(path, "not an audio file (no audio stream)")
    return container


def _probe_av(path: Path) -> AudioInfo:
    import av

    container = _open_av(path)
    try:
        stream = container.streams.audio[0]
        rate = int(stream.codec_context.sample_rate or stream.sample_rate or 0)
        channels = int(stream.codec_context.layout.nb_channels) if stream.codec_context.layout else 1
        if stream.duration is not None and stream.time_base is not None:
            declared = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            declared = container.duration / 1_000_000
        else:
            declared = 0.0
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
            raise AudioDecodeError(path, f"corrupt or truncated audio ({exc.strerror or exc})") from exc
        if declared <= 0:
            declared = end
        elif end < declared - _TRUNCATION_TOLERANCE_S - _TAIL_CHECK_S:
            raise AudioDecodeError(
                path, f"truncated: header says {declared:.1f} s, audio ends at {end:.1f} s"
            )
        codec = stream.codec_context.name.upper().removesuffix("FLOAT")  # "mp3float" -> "MP3"
        return AudioInfo(
            duration_s=declared,
            sample_rate=rate,
            channels=channels,
            codec=codec,
            frames=int(round(declared * rate)),
        )
    finally:
        container.close()


def probe(path: str | Path) -> AudioInfo:
    """Facts about a recording, after checking that it is whole. Raises AudioDecodeError."""
    path = Path(path)
    _check_file(path)
    info = _probe_soundfile(path) or _probe_av(path)
    if info.sample_rate <= 0 or info.channels <= 0:
        raise AudioDecodeError(path, "not an audio file (no sample rate or channels)")
    if info.frames <= 0 or info.duration_s <= 0:
        raise AudioDecodeError(path, "zero duration: the recording holds no audio")
    return info


# --------------------------------------------------------------------------------------------- decode


def _resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """(channels, n) float32 -> (channels, m) float32 with FFmpeg's libswresample (band-limited, not linear)."""
    if from_rate == to_rate:
        return np.ascontiguousarray(samples, dtype=np.float32)
    import av

    out = []
    for channel in samples:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=to_rate)
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(channel, dtype=np.float32)[None, :], format="flt", layout="mono"
        )
        frame.sample_rate = from_rate
        pieces = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
        pieces += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
        out.append(np.concatenate(pieces) if pieces else np.zeros(0, np.float32))
    expected = int(round(samples.shape[1] * to_rate / from_rate))
    result = np.zeros((len(out), expected), dtype=np.float32)
    for i, channel in enumerate(out):
        n = min(expected, len(channel))
        result[i, :n] = channel[:n]
    return result


def _decode_av(path: Path, sample_rate: int | None) -> tuple[np.ndarray, int]:
    import av

    container = _open_av(path)
    try:
        stream = container.streams.audio[0]
        chunks: list[np.ndarray] = []
        rate = 0
        try:
            for frame in container.decode(stream):
                rate = rate or frame.sample_rate
                data = frame.to_ndarray()
                if frame.format.is_planar:
                    chunks.append(data.astype(np.float32, copy=False))
                else:  # packed: one row, channels interleaved
                    n_ch = frame.layout.nb_channels
                    chunks.append(data.reshape(-1, n_ch).T.astype(np.float32, copy=False))
        except av.FFmpegError as exc:
            raise AudioDecodeError(path, f"corrupt or truncated audio ({exc.strerror or exc})") from exc
        if not chunks:
            raise AudioDecodeError(path, "zero duration: the recording holds no audio")
        fmt = stream.codec_context.format
        samples = np.concatenate(chunks, axis=1)
        if fmt is not None and fmt.name.startswith("s16"):
            samples = samples / 32768.0
        elif fmt is not None and fmt.name.startswith("s32"):
            samples = samples / 2147483648.0
        elif fmt is not None and fmt.name.startswith("u8"):
            samples = (samples - 128.0) / 128.0
        samples = samples.astype(np.float32, copy=False)
    finally:
        container.close()
    if sample_rate is None:
        return samples, rate
    return _resample(samples, rate, sample_rate), sample_rate


def _read_native(path: Path) -> tuple[np.ndarray, int]:
    """All channels at the file's own rate, (channels, n) float32."""
    _check_file(path)
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError):
        return _decode_av(path, None)
    if data.shape[0] == 0:
        raise AudioDecodeError(path, "zero duration: the recording holds no audio")
    return np.ascontiguousarray(data.T), int(rate)


def decode(path: str | Path, sample_rate: int = WHISPER_SAMPLE_RATE) -> np.ndarray:
    """Every channel of a recording as float32 in [-1, 1], shape (channels, n), resampled to sample_rate.

    Raises AudioDecodeError. Call probe() first when the file must also be checked for truncation.
    """
    path = Path(path)
    samples, rate = _read_native(path)
    return _resample(samples, rate, sample_rate)


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
    try:
        snd = sf.SoundFile(str(path))
    except (sf.LibsndfileError, RuntimeError):
        samples, rate = _decode_av(path, None)
        return envelope(samples, points_per_second, rate)
    with snd:
        bucket = max(1, int(round(snd.samplerate / points_per_second)))
        mins, maxs = [], []
        try:
            for block in snd.blocks(blocksize=bucket * 4096, dtype="float32", always_2d=True):
                lo, hi = _min_max(np.ascontiguousarray(block.T), bucket)
                mins.append(lo)
                maxs.append(hi)
        except sf.LibsndfileError as exc:
            raise AudioDecodeError(path, f"corrupt or truncated audio ({exc})") from exc
        if not mins:
            raise AudioDecodeError(path, "zero duration: the recording holds no audio")
        return Envelope(snd.samplerate / bucket, np.concatenate(mins, axis=1), np.concatenate(maxs, axis=1))
