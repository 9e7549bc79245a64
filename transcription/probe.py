"""Checking a recording's header against sane limits and its file size before anything is decoded."""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from transcription.errors import AudioDecodeError, UnsupportedCodecError

MIN_SAMPLE_RATE = 1_000
MAX_SAMPLE_RATE = 192_000
MAX_CHANNELS = 8
MAX_DURATION_S = 24 * 3600.0
# The lowest bit rate a real recording has (AMR-NB at 4.75 kbit/s, Opus at 6), with a wide margin:
# a compressed file that claims more audio than this allows is lying about its length.
MIN_BITS_PER_SECOND = 500
# A header chunk list longer than this is not a recording, it is an attack on the parser.
_MAX_CHUNKS = 4096

# WAVE format tags: the codecs libsndfile decodes, and the names of common ones it does not.
_WAV_CODECS = {0x0001: "PCM", 0x0003: "IEEE float", 0x0006: "A-law", 0x0007: "μ-law"}
_WAV_CODEC_NAMES = {
    0x0002: "MS ADPCM", 0x0011: "IMA ADPCM", 0x0022: "TrueSpeech", 0x0031: "GSM 6.10", 0x0040: "G.721 ADPCM",
    0x0050: "MPEG audio", 0x0055: "MP3", 0x0064: "G.726 ADPCM", 0x0065: "G.722 ADPCM", 0x0092: "Dolby AC-3",
    0x00FF: "AAC", 0x0161: "Windows Media Audio", 0x0162: "Windows Media Audio Pro", 0x1600: "AAC",
    0x2000: "AC-3", 0x2001: "DTS", 0xA100: "G.723.1", 0xA104: "G.729",
}
_EXTENSIBLE = 0xFFFE
# (codec tag, bits per sample) -> libsndfile's RAW subtype, for reading a WAV whose header was never finished.
_RAW_SUBTYPES = {(1, 8): "PCM_U8", (1, 16): "PCM_16", (1, 24): "PCM_24", (1, 32): "PCM_32",
                 (3, 32): "FLOAT", (3, 64): "DOUBLE", (6, 8): "ALAW", (7, 8): "ULAW"}


def display_name(path: str | Path) -> str:
    """A path as text that can be printed anywhere: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(str(path)).decode("utf-8", errors="backslashreplace")


def os_path(path: str | Path) -> bytes:
    """The path's bytes, for libraries that would otherwise re-encode a name that is not UTF-8 and fail."""
    return os.fsencode(str(path))


@dataclass(frozen=True)
class WavHeader:
    codec_tag: int
    channels: int
    sample_rate: int
    block_align: int
    bits: int
    data_offset: int
    data_bytes: int  # what the file holds after the data chunk's header (the declared size when it fits)
    streaming: bool  # the recorder never wrote the sizes (0 or 0xFFFFFFFF): the audio runs to the end

    @property
    def frames(self) -> int:
        return self.data_bytes // self.block_align if self.block_align else 0

    @property
    def raw_subtype(self) -> str | None:
        return _RAW_SUBTYPES.get((self.codec_tag, self.bits))


def _codec_name(tag: int) -> str:
    return _WAV_CODECS.get(tag) or _WAV_CODEC_NAMES.get(tag) or f"WAVE format 0x{tag:04X}"


def read_wav_header(path: Path) -> WavHeader | None:
    """The fmt and data chunks of a RIFF/WAVE file, checked; None when the file is not RIFF/WAVE.

    Raises AudioDecodeError for a header no recording has (rates, channels, sizes) and
    UnsupportedCodecError for a codec Kalibra cannot decode (GSM 6.10, G.729...).
    """
    size = os.stat(os_path(path)).st_size
    with open(os_path(path), "rb") as fh:
        head = fh.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64", b"RIFX") or head[8:12] != b"WAVE":
            return None
        if head[:4] == b"RIFX":
            raise UnsupportedCodecError(path, "big-endian WAV (RIFX)")
        fmt: tuple[int, int, int, int, int] | None = None
        pos = 12
        for _ in range(_MAX_CHUNKS):
            if pos + 8 > size:
                break
            fh.seek(pos)
            chunk_id, chunk_size = struct.unpack("<4sI", fh.read(8))
            if chunk_id == b"fmt ":
                if chunk_size < 16:
                    raise AudioDecodeError(path, "damaged WAV header (format chunk too short)")
                body = fh.read(min(chunk_size, 40))
                if len(body) < 16:
                    raise AudioDecodeError(path, "truncated: the WAV header is incomplete")
                tag, channels, rate, _byte_rate, align, bits = struct.unpack("<HHIIHH", body[:16])
                if tag == _EXTENSIBLE and len(body) >= 26:
                    tag = struct.unpack("<H", body[24:26])[0]  # the sub-format GUID starts with the tag
                fmt = (tag, channels, rate, align, bits)
            elif chunk_id == b"data":
                if fmt is None:
                    raise AudioDecodeError(path, "damaged WAV header (audio before its format)")
                return _checked_header(path, fmt, pos + 8, chunk_size, size - (pos + 8), head[:4] == b"RF64")
            pos += 8 + chunk_size + (chunk_size & 1)
    raise AudioDecodeError(path, "no audio data chunk" if fmt else "damaged WAV header (no format chunk)")


def _checked_header(path: Path, fmt, offset: int, declared: int, available: int, rf64: bool) -> WavHeader:
    tag, channels, rate, align, bits = fmt
    if tag not in _WAV_CODECS:
        raise UnsupportedCodecError(path, _codec_name(tag))
    check_format(path, rate, channels)
    if (tag, bits) not in _RAW_SUBTYPES:
        raise AudioDecodeError(path, "damaged WAV header ({bits}-bit {codec} samples)", bits=bits, codec=_codec_name(tag))
    if align != channels * bits // 8:
        raise AudioDecodeError(path, "damaged WAV header ({channels} channels of {bits} bits in blocks of {align} "
                                     "bytes)", channels=channels, bits=bits, align=align)
    streaming = declared in (0, 0xFFFFFFFF) or (rf64 and declared == 0xFFFFFFFF)
    if rf64 and not streaming:
        streaming = declared > available  # RF64 keeps the real size in its ds64 chunk
    if not streaming and declared > available:
        raise AudioDecodeError(path, "truncated: header says {declared} bytes of audio, file holds {available}",
                               declared=declared, available=available)
    data_bytes = available if streaming else declared
    return WavHeader(tag, channels, rate, align, bits, offset, data_bytes, streaming)


def check_format(path: Path, sample_rate: float, channels: int) -> None:
    """Raise AudioDecodeError unless rate and channel count are ones a recording can have."""
    if not MIN_SAMPLE_RATE <= sample_rate <= MAX_SAMPLE_RATE:
        raise AudioDecodeError(path, "sample rate {rate} Hz is outside 1–192 kHz (damaged header?)", rate=f"{sample_rate:g}")
    if not 1 <= channels <= MAX_CHANNELS:
        raise AudioDecodeError(path, "{channels} channels is outside 1–{most} (damaged header?)", channels=channels,
                               most=MAX_CHANNELS)


def check_duration(path: Path, duration_s: float) -> None:
    """Raise AudioDecodeError when the duration is longer than a day or than the file could hold."""
    if duration_s > MAX_DURATION_S:
        raise AudioDecodeError(path, "header says {hours} hours of audio (more than a day)", hours=f"{duration_s / 3600:.0f}")
    size = os.stat(os_path(path)).st_size
    if duration_s > 1.0 + size * 8 / MIN_BITS_PER_SECOND:
        raise AudioDecodeError(path, "header says {seconds} s of audio, more than {size} bytes can hold",
                               seconds=f"{duration_s:.0f}", size=size)


class FileWindow:
    """A read-only file object that shows only bytes [start, start + length) of a file, so libsndfile
    can read the audio of a WAV whose header sizes were never written, as RAW samples."""

    def __init__(self, path: Path, start: int, length: int) -> None:
        self._fh = open(os_path(path), "rb")  # noqa: SIM115 - closed with the window
        self._start, self._length, self._pos = start, length, 0

    def read(self, n: int = -1) -> bytes:
        n = self._length - self._pos if n < 0 else min(n, self._length - self._pos)
        if n <= 0:
            return b""
        self._fh.seek(self._start + self._pos)
        data = self._fh.read(n)
        self._pos += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._length}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._fh.close()
