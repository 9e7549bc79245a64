"""1,000 fuzzed WAV headers: probe, decode and levels raise nothing but AudioDecodeError, and never
read more than the file holds."""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcription.audio import decode, levels, probe
from transcription.errors import AudioDecodeError
from transcription.probe import MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE

# CI-friendly: the same 1,000 cases on every run, however slow the machine.
WAV_FUZZ = settings(max_examples=1000, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

u16 = st.one_of(st.sampled_from([0, 1, 2, 3, 8, 16, 24, 32, 64, 0xFFFF]), st.integers(0, 0xFFFF))
u32 = st.one_of(st.sampled_from([0, 1, 999, 1000, 8000, 16000, 44100, 192000, 192001, 0x7FFFFFFF, 0xFFFFFFFF]),
                st.integers(0, 0xFFFFFFFF))
TAGS = st.one_of(st.sampled_from([1, 3, 6, 7, 0x31, 0x55, 0xFFFE, 2, 0x11]), st.integers(0, 0xFFFF))


@st.composite
def wav_files(draw) -> bytes:
    tag, channels, rate = draw(TAGS), draw(st.one_of(st.integers(0, 10), u16)), draw(u32)
    bits = draw(st.one_of(st.sampled_from([8, 16, 24, 32, 64]), u16))
    align = draw(st.one_of(st.just(max(channels, 1) * max(bits, 8) // 8 & 0xFFFF), u16))
    fmt = struct.pack("<HHIIHH", tag, channels & 0xFFFF, rate, draw(u32), align, bits)
    if tag == 0xFFFE or draw(st.booleans()):
        fmt += struct.pack("<HHIH", 22, bits, 0, draw(TAGS)) + bytes(14)
    fmt_size = draw(st.one_of(st.just(len(fmt)), st.integers(0, 80), u32))
    audio = draw(st.binary(max_size=3000))
    data_size = draw(st.one_of(st.just(len(audio)), st.sampled_from([0, 0xFFFFFFFF]), u32))
    junk = draw(st.lists(st.tuples(st.sampled_from([b"LIST", b"JUNK", b"fact", b"ds64", b"fmt "]),
                                   st.binary(max_size=40), st.one_of(st.none(), u32)), max_size=3))
    body = b"WAVE"
    for chunk_id, payload, size in junk[: len(junk) // 2]:
        body += chunk_id + struct.pack("<I", len(payload) if size is None else size) + payload
    body += b"fmt " + struct.pack("<I", fmt_size) + fmt
    for chunk_id, payload, size in junk[len(junk) // 2:]:
        body += chunk_id + struct.pack("<I", len(payload) if size is None else size) + payload
    body += b"data" + struct.pack("<I", data_size) + audio
    form = draw(st.sampled_from([b"RIFF", b"RIFF", b"RF64", b"RIFX", b"RIFF"]))
    blob = form + struct.pack("<I", draw(st.one_of(st.just(len(body)), u32))) + body
    cut = draw(st.one_of(st.none(), st.integers(0, len(blob))))
    if cut is not None:
        blob = blob[:cut]
    for position, value in draw(st.lists(st.tuples(st.integers(0, max(len(blob) - 1, 0)), st.integers(0, 255)),
                                         max_size=4)):
        if blob:
            blob = blob[:position] + bytes([value]) + blob[position + 1:]
    return blob


@WAV_FUZZ
@given(blob=wav_files())
def test_fuzzed_wav_headers_raise_only_audio_errors(blob):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.wav"
        path.write_bytes(blob)
        try:
            info = probe(path)
        except AudioDecodeError as refused:
            assert refused.reason.strip() and "\n" not in refused.reason
            return
        assert MIN_SAMPLE_RATE <= info.sample_rate <= MAX_SAMPLE_RATE and 1 <= info.channels <= MAX_CHANNELS
        # What was accepted is no more audio than the file's bytes can hold.
        assert info.frames * info.channels <= len(blob)
        try:
            samples = decode(path, 16000)
            measured = levels(path)
        except AudioDecodeError:
            return
        assert samples.dtype == np.float32 and samples.shape[0] == info.channels
        assert np.isfinite(samples).all() and np.abs(samples).max(initial=0) <= 1.0
        assert measured.non_finite >= 0
