"""A messy folder of recordings, made on the spot: broken headers, damaged files, odd names, odd audio."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from tests.conftest import write_tone_call


def wav_bytes(*, tag=1, channels=1, rate=8000, bits=16, align=None, byte_rate=None, data: bytes | None = None,
              data_size=None, riff_size=None, fmt_size=16, form=b"RIFF", extra_chunks=b"") -> bytes:
    """A WAV file with every header field under the caller's control."""
    align = channels * (bits // 8) if align is None else align
    byte_rate = rate * align if byte_rate is None else byte_rate
    data = (np.sin(np.arange(8000) / 3) * 8000).astype("<i2").tobytes() if data is None else data
    fmt = struct.pack("<HHIIHH", tag, channels, rate & 0xFFFFFFFF, byte_rate & 0xFFFFFFFF, align, bits)
    fmt = fmt[:fmt_size] + b"\0" * max(0, fmt_size - 16)
    body = b"WAVE" + extra_chunks + b"fmt " + struct.pack("<I", fmt_size) + fmt
    body += b"data" + struct.pack("<I", len(data) if data_size is None else data_size) + data
    return form + struct.pack("<I", len(body) if riff_size is None else riff_size) + body


@dataclass
class Corpus:
    folder: Path
    good: list[Path] = field(default_factory=list)  # must be imported
    warned: dict[Path, str] = field(default_factory=dict)  # imported with a warning containing this
    rejected: dict[Path, str] = field(default_factory=dict)  # reported as not imported, reason containing this
    skipped: dict[Path, str] = field(default_factory=dict)  # reported as skipped, reason containing this
    duplicates: dict[Path, str] = field(default_factory=dict)
    metadata_problems: dict[Path, str] = field(default_factory=dict)

    @property
    def broken(self) -> int:
        return len(self.rejected) + len(self.skipped)


HEADER_LIES = {
    "rate_1hz": dict(rate=1), "rate_0": dict(rate=0), "rate_500mhz": dict(rate=500_000_000),
    "rate_2ghz": dict(rate=2_000_000_000), "rate_999": dict(rate=999), "rate_400k": dict(rate=400_000),
    "channels_0": dict(channels=0, align=2), "channels_9": dict(channels=9, align=18),
    "channels_65535": dict(channels=65535, align=2), "align_wrong": dict(align=3), "align_0": dict(align=0),
    "bits_0": dict(bits=0, align=2), "bits_7": dict(bits=7, align=1), "fmt_short": dict(fmt_size=8),
    "data_huge": dict(data_size=0x7FFFFFF0), "data_odd_huge": dict(data_size=0xFFFFFFF0),
    "riff_huge": dict(riff_size=0xFFFFFFFF, data_size=0x7FFFFFF0),
    "float_16bit": dict(tag=3, bits=16), "alaw_16bit": dict(tag=6, bits=16),
}
UNSUPPORTED = {"gsm610": (0x31, "GSM 6.10"), "g729": (0xA104, "G.729"), "mp3_in_wav": (0x55, "MP3"),
               "unknown_tag": (0x1234, "0x1234"), "truespeech": (0x22, "TrueSpeech")}


def build_corpus(root: Path) -> Corpus:
    """At least 50 broken or odd files of the kinds a clinic's folder holds, beside good recordings."""
    c = Corpus(root / "messy")
    f = c.folder
    f.mkdir(parents=True)
    # Good recordings, in every format and a few awkward names.
    for name in ("good_1.wav", "good_2.flac", "Анна Смирнова 28.10.wav", "with space & quote'.wav"):
        c.good.append(write_tone_call(f / name, seconds=2.0 + len(c.good) / 10))
    c.good.append(write_tone_call(f / "good_3.ogg", seconds=2.5, fmt="OGG", subtype="VORBIS"))
    cp1251 = Path(os.fsdecode(os.fsencode(str(f)) + "/Звонок_Ольга.wav".encode("cp1251")))
    os.rename(write_tone_call(f / "cp1251.wav", seconds=2.7), cp1251)  # soundfile cannot write that name
    c.good.append(cp1251)
    nested = f / "deep" / "deeper"
    c.good.append(write_tone_call(nested / "good_nested.wav", seconds=2.9))

    # Headers that lie: rates, channels, sizes no recording has.
    for name, fields in HEADER_LIES.items():
        path = f / f"lie_{name}.wav"
        path.write_bytes(wav_bytes(**fields))
        c.rejected[path] = ""
    for name, (tag, codec) in UNSUPPORTED.items():
        path = f / f"codec_{name}.wav"
        path.write_bytes(wav_bytes(tag=tag, bits=16 if tag != 0x31 else 0, align=2 if tag != 0x31 else 65))
        c.skipped[path] = codec
    path = f / "big_endian.wav"
    path.write_bytes(wav_bytes(form=b"RIFX"))
    c.skipped[path] = "RIFX"
    path = f / "no_data_chunk.wav"
    path.write_bytes(wav_bytes()[:36])
    c.rejected[path] = ""
    path = f / "no_fmt_chunk.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", 20) + b"WAVE" + b"data" + struct.pack("<I", 4) + b"\0\0\0\0")
    c.rejected[path] = ""
    path = f / "chunk_loop.wav"
    path.write_bytes(b"RIFF\xff\xff\xff\xffWAVE" + b"JUNK\x00\x00\x00\x00" * 5000)
    c.rejected[path] = ""

    # Damaged files of every format.
    (f / "empty.wav").write_bytes(b"")
    c.rejected[f / "empty.wav"] = "empty"
    (f / "one_byte.mp3").write_bytes(b"\xff")
    c.rejected[f / "one_byte.mp3"] = ""
    (f / "header_only.wav").write_bytes(wav_bytes(data=b""))
    c.rejected[f / "header_only.wav"] = ""
    rng = np.random.default_rng(14)
    for ext in (".wav", ".mp3", ".ogg", ".flac", ".m4a", ".opus", ".wma", ".aac"):
        path = f / f"noise{ext}"
        path.write_bytes(rng.integers(0, 256, 4096, dtype=np.uint8).tobytes())
        c.rejected[path] = ""
    (f / "text.wav").write_text("this is a letter to the clinic, not a recording\n" * 40)
    c.rejected[f / "text.wav"] = ""
    (f / "picture.mp3").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    c.rejected[f / "picture.mp3"] = ""
    (f / "archive.m4a").write_bytes(b"PK\x03\x04" + bytes(3000))
    c.rejected[f / "archive.m4a"] = ""
    for ext, fmt, subtype in ((".wav", None, None), (".flac", None, None), (".ogg", "OGG", "VORBIS")):
        path = write_tone_call(f / f"truncated{ext}", seconds=6.0, fmt=fmt, subtype=subtype)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
        c.rejected[path] = ""
    broken_name = Path(os.fsdecode(os.fsencode(str(f)) + b"/\xcf\xee\xeb\xee\xec\xe0\xed.wav"))  # cp1251, empty
    broken_name.write_bytes(b"")
    c.rejected[broken_name] = "empty"
    latin1 = Path(os.fsdecode(os.fsencode(str(f)) + b"/caf\xe9_\xff.mp3"))
    latin1.write_bytes(b"not audio")
    c.rejected[latin1] = ""

    # Left out on purpose, and said so.
    write_tone_call(f / ".hidden.wav", seconds=1.3)
    c.skipped[f / ".hidden.wav"] = "hidden"
    write_tone_call(f / "._good_1.wav", seconds=1.4)
    c.skipped[f / "._good_1.wav"] = "hidden"
    (f / "folder.wav").mkdir()
    c.skipped[f / "folder.wav"] = "folder"
    c.good.append(write_tone_call(f / "folder.wav" / "inside.wav", seconds=3.1))
    os.mkfifo(f / "pipe.wav")
    c.skipped[f / "pipe.wav"] = "not a regular file"
    (f / "report.docx").write_bytes(b"PK\x03\x04 word")
    c.skipped[f / "report.docx"] = "not a supported audio format"
    if shutil.which("sox"):  # a real GSM 6.10 WAV, as some PBXes write them
        path = f / "real_gsm.wav"
        subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-e", "gsm-full-rate", str(path), "synth", "2",
                        "sine", "440"], check=True)
        c.skipped[path] = "GSM 6.10"

    # Odd but valid: imported, with a warning.
    path = write_tone_call(f / "very_short.wav", seconds=0.05)
    c.warned[path] = "very short"
    path = write_tone_call(f / "six_channels.wav", seconds=2.2, channels=1)
    sf.write(path, np.tile(sf.read(path)[0][:, None], (1, 6)) * np.linspace(0.2, 1, 6), 8000)
    c.warned[path] = "6 channels"
    samples = 0.3 * np.sin(np.arange(16000) / 5).astype(np.float32)
    samples[100:400] = np.nan
    samples[500:600] = np.inf
    sf.write(f / "nan_inf.wav", samples, 8000, subtype="FLOAT")
    c.warned[f / "nan_inf.wav"] = "NaN"
    sf.write(f / "silent.wav", np.zeros(16000, np.float32), 8000, subtype="PCM_16")
    c.warned[f / "silent.wav"] = "silent"
    streamed = wav_bytes(data=(np.sin(np.arange(27200) / 4) * 9000).astype("<i2").tobytes(), data_size=0,
                         riff_size=0)
    (f / "unfinished_header.wav").write_bytes(streamed)
    c.good.append(f / "unfinished_header.wav")
    c.good.extend(c.warned)

    # The same recording twice: the second is named as a duplicate of the first.
    shutil.copy(c.good[0], f / "zz_copy_of_good_1.wav")
    c.duplicates[f / "zz_copy_of_good_1.wav"] = "already in the library as call #"

    # A folder whose metadata.csv is broken: its recordings still import.
    for index, (kind, text) in enumerate((("long_field", 'file,operator\nm.wav,"' + "x" * 200_000 + '"\n'),
                       ("open_quote", 'file,operator\nm.wav,"Анна\nother.wav,Игорь\n'),
                       ("utf16", None), ("binary", None))):
        sub = f / f"csv_{kind}"
        c.good.append(write_tone_call(sub / "m.wav", seconds=3.3 + index / 10))
        csv_path = sub / "metadata.csv"
        if kind == "utf16":
            csv_path.write_text("file,operator\nm.wav,Анна Смирнова\n", encoding="utf-16")
        elif kind == "binary":
            csv_path.write_bytes(bytes(range(256)) * 8)
        else:
            csv_path.write_text(text, encoding="utf-8")
        if kind != "utf16":  # a UTF-16 CSV (Excel's "Unicode text") is read, not refused
            c.metadata_problems[csv_path] = ""
    return c
