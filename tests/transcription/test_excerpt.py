"""Excerpts cut from real recordings (tones written to disk, the demo calls, an m4a written with PyAV), read back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.transcription.synth import write_aac
from transcription.audio import decode, probe
from transcription.errors import AudioDecodeError
from transcription.excerpt import ExcerptError, gain_curve, write_excerpt

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "calls"


def tones(path: Path, seconds: float = 10.0, rate: int = 8000, **kwargs) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    left, right = 0.5 * np.sin(2 * np.pi * 440 * t), 0.4 * np.sin(2 * np.pi * 660 * t)
    sf.write(path, np.stack([left, right], axis=1), rate, **kwargs)
    return path


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples)))) if samples.size else 0.0


@pytest.mark.parametrize("suffix", [".wav", ".flac"])
def test_excerpt_keeps_rate_channels_and_the_right_samples(tmp_path, suffix):
    source = tones(tmp_path / "call.wav", rate=8000)
    excerpt = write_excerpt(source, tmp_path / f"cut{suffix}", 2.0, 5.5)
    info = sf.info(str(excerpt.path))
    assert (info.samplerate, info.channels) == (8000, 2)
    assert info.frames == 28000 and excerpt.duration_s == pytest.approx(3.5)
    got, _ = sf.read(str(excerpt.path), dtype="float32")
    want, _ = sf.read(str(source), dtype="float32", start=16000, stop=44000)
    # The middle is the source sample for sample (16-bit rounding aside); only the 10 ms edges are faded.
    assert np.max(np.abs(got[80:-80] - want[80:-80])) < 1e-3
    assert abs(got[0, 0]) < 1e-3 and abs(got[-1, 0]) < 0.01  # faded, no click at the cut
    assert rms(got[:80]) < rms(got[80:160])


def test_silenced_stretches_are_silent_and_the_rest_is_not(tmp_path):
    source = tones(tmp_path / "call.flac", seconds=12.0, rate=16000)
    excerpt = write_excerpt(source, tmp_path / "cut.wav", 1.0, 11.0,
                            silence=[(3.0, 4.5), (10.5, 20.0), (0.0, 0.5)])  # one beyond the end, one before
    audio = decode(excerpt.path, 16000)
    assert audio.shape == (2, 160000)
    assert excerpt.silenced == ((2.0, 3.5), (9.5, 10.0))
    rate = 16000
    for start, end in excerpt.silenced:
        assert np.max(np.abs(audio[:, int(start * rate):int(end * rate)])) == 0.0
    for start, end in ((0.1, 1.95), (3.56, 9.44)):
        stretch = audio[:, int(start * rate):int(end * rate)]
        assert rms(stretch[0]) > 0.3 and rms(stretch[1]) > 0.25
    # The fade around a mute lasts 10 ms: 20 ms before it the tone is at full strength again.
    before = audio[0, int(1.97 * rate):int(1.98 * rate)]
    assert 0.4 < np.max(np.abs(before)) <= 0.51


def test_gain_curve_ramps_and_zeros():
    gain = gain_curve(1000, 1000, [(0.4, 0.5)], fade_s=0.01)
    assert 0 < gain[0] < 0.1 and 0 < gain[999] < 0.1 and gain[510] == 1.0 and gain[500] < 0.1
    assert np.all(gain[400:500] == 0) and 0 < gain[395] < 1 and gain[389] == 1.0
    assert np.all(np.diff(gain[389:401]) <= 0) and np.all(np.diff(gain[499:511]) >= 0)


def test_demo_call_excerpt_matches_the_recording(tmp_path):
    source = DEMO / "ru01_booking_cardiology.flac"
    excerpt = write_excerpt(source, tmp_path / "cut.flac", 6.82, 13.66, silence=[(8.0, 9.0)])
    written = probe(excerpt.path)
    assert (written.sample_rate, written.channels) == (8000, 2)
    assert written.duration_s == pytest.approx(13.66 - 6.82, abs=1 / 8000)
    audio = decode(excerpt.path, 8000)
    assert np.max(np.abs(audio[:, int(1.18 * 8000):int(2.18 * 8000)])) == 0.0
    assert rms(audio[1, int(2.3 * 8000):]) > 0.01  # the customer keeps talking after the muted second


def test_format_soundfile_cannot_read_goes_through_the_decoder(tmp_path):
    wav = tones(tmp_path / "call.wav", seconds=6.0, rate=16000)
    m4a = write_aac(wav, tmp_path / "call.m4a")
    excerpt = write_excerpt(m4a, tmp_path / "cut.wav", 1.0, 3.0, silence=[(2.0, 2.5)])
    audio = decode(excerpt.path, 16000)
    assert excerpt.sample_rate == 16000 and excerpt.channels == 2
    assert audio.shape[1] == pytest.approx(32000, abs=2)
    assert np.max(np.abs(audio[:, 16000:24000])) == 0.0 and rms(audio[0, 2000:14000]) > 0.3


def test_end_is_clamped_to_the_recording(tmp_path):
    source = tones(tmp_path / "call.wav", seconds=4.0)
    excerpt = write_excerpt(source, tmp_path / "cut.wav", 3.0, 60.0)
    assert excerpt.end_s == pytest.approx(4.0) and excerpt.duration_s == pytest.approx(1.0)


@pytest.mark.parametrize(("start", "end", "message"), [(5.0, 2.0, "start < end"), (-1.0, 2.0, "start < end"),
                                                       (9.0, 12.0, "after the recording ends")])
def test_bad_ranges_are_refused_with_the_file_named(tmp_path, start, end, message):
    source = tones(tmp_path / "call.wav", seconds=4.0)
    with pytest.raises(ExcerptError, match=message) as caught:
        write_excerpt(source, tmp_path / "cut.wav", start, end)
    assert "call.wav" in str(caught.value)
    assert not (tmp_path / "cut.wav").exists()


def test_unsupported_target_and_unwritable_folder(tmp_path):
    source = tones(tmp_path / "call.wav", seconds=2.0)
    with pytest.raises(ExcerptError, match=r"\.wav or \.flac"):
        write_excerpt(source, tmp_path / "cut.mp3", 0, 1)
    with pytest.raises(ExcerptError, match="cannot be written"):
        write_excerpt(source, tmp_path / "missing" / "cut.wav", 0, 1)
    with pytest.raises(AudioDecodeError, match="not found"):
        write_excerpt(tmp_path / "gone.wav", tmp_path / "cut.wav", 0, 1)
    assert not list(tmp_path.glob("*.part"))
