"""Header checks before decoding, unfinished WAV headers, codecs named, NaN cleaned, names in any encoding."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import write_tone_call
from tests.review.broken_corpus import wav_bytes
from transcription.audio import decode, envelope, levels, probe
from transcription.errors import AudioDecodeError, UnsupportedCodecError


def test_an_unfinished_header_is_read_to_the_end_of_the_file(tmp_path):
    samples = (np.sin(np.arange(27200) / 4) * 9000).astype("<i2")  # 3.4 s at 8 kHz
    path = tmp_path / "recorder_crashed.wav"
    path.write_bytes(wav_bytes(data=samples.tobytes(), data_size=0, riff_size=0))
    info = probe(path)
    assert info.duration_s == pytest.approx(3.4) and info.sample_rate == 8000 and info.channels == 1
    audio = decode(path, 8000)
    assert audio.shape == (1, 27200)
    assert np.allclose(audio[0], samples / 32768.0, atol=1e-4)
    assert envelope(path).mins.shape[1] == pytest.approx(340, abs=1)


@pytest.mark.parametrize(("fields", "words"), [
    (dict(rate=1), "1 Hz"), (dict(rate=2_000_000_000), "1–192 kHz"), (dict(channels=12, align=24), "12 channels"),
    (dict(data_size=0x7FFFFFF0), "truncated"), (dict(align=5), "damaged WAV header"),
])
def test_lying_headers_are_refused_before_anything_is_decoded(tmp_path, fields, words):
    path = tmp_path / "lying.wav"
    path.write_bytes(wav_bytes(**fields))
    for read in (probe, decode, levels, envelope):
        with pytest.raises(AudioDecodeError, match=words):
            read(path)


def test_a_codec_that_cannot_be_decoded_is_named(tmp_path):
    path = tmp_path / "gsm.wav"
    path.write_bytes(wav_bytes(tag=0x31, bits=0, align=65))
    with pytest.raises(UnsupportedCodecError, match="GSM 6.10") as caught:
        probe(path)
    assert caught.value.codec == "GSM 6.10"


def test_nan_and_infinite_samples_are_counted_and_decoded_as_silence(tmp_path):
    samples = 0.5 * np.sin(np.arange(8000) / 3).astype(np.float32)
    samples[1000:1100], samples[2000:2010] = np.nan, -np.inf
    sf.write(tmp_path / "nan.wav", samples, 8000, subtype="FLOAT")
    assert levels(tmp_path / "nan.wav").non_finite == 110
    audio = decode(tmp_path / "nan.wav", 8000)
    assert np.isfinite(audio).all() and not audio[0, 1000:1100].any()
    assert np.abs(audio[0, 3000:4000]).max() == pytest.approx(0.5, abs=0.01)


def test_a_name_that_is_not_utf8_is_read(tmp_path):
    good = write_tone_call(tmp_path / "tmp.wav", seconds=1.5)
    odd = os.fsdecode(os.fsencode(str(tmp_path)) + "/Звонок.wav".encode("cp1251"))
    os.rename(good, odd)
    assert probe(odd).duration_s == pytest.approx(1.5)
    assert decode(odd).shape == (2, 24000)
    empty = os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xff.wav")
    open(empty, "wb").close()
    with pytest.raises(AudioDecodeError) as caught:
        probe(empty)
    assert str(caught.value) == "\\xff.wav: empty file (0 bytes)"


def test_decoding_a_part_gives_that_part(tmp_path):
    path = write_tone_call(tmp_path / "long.wav", seconds=10.0, channels=1)
    whole = decode(path, 16000)
    part = decode(path, 16000, start_s=4.0, duration_s=2.0)
    assert part.shape == (1, 32000)
    assert np.allclose(part[0, 200:-200], whole[0, 64200:95800], atol=2e-3)
