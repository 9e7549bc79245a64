"""probe / decode / envelope on real files of each kind, and each kind of bad file."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from tests.transcription.synth import write_aac
from transcription.audio import Envelope, decode, envelope, probe
from transcription.errors import AudioDecodeError

RATE = 8000


def tone_stereo(seconds: float = 2.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    right = 0.25 * np.sin(2 * np.pi * 300 * t)
    return np.stack([left, right], axis=1).astype(np.float32)


@pytest.mark.parametrize(
    ("suffix", "fmt", "subtype", "codec"),
    [
        (".wav", "WAV", "PCM_16", "PCM_16"),
        (".wav", "WAV", "ULAW", "ULAW"),
        (".flac", "FLAC", "PCM_16", "FLAC"),
        (".ogg", "OGG", "VORBIS", "VORBIS"),
        (".opus", "OGG", "OPUS", "OPUS"),
        (".mp3", "MP3", "MPEG_LAYER_III", "MP3"),
    ],
)
def test_probe_and_decode_each_format(tmp_path, suffix, fmt, subtype, codec):
    path = tmp_path / f"call{suffix}"
    rate = 48000 if subtype == "OPUS" else RATE  # libsndfile writes opus at 48 kHz only
    samples = tone_stereo()
    if rate != RATE:
        samples = np.repeat(samples, rate // RATE, axis=0)
    sf.write(path, samples, rate, format=fmt, subtype=subtype)

    info = probe(path)
    assert info.channels == 2
    assert info.sample_rate == rate
    assert info.codec == codec
    assert info.duration_s == pytest.approx(2.0, abs=0.1)

    audio = decode(path)
    assert audio.dtype == np.float32
    assert audio.shape[0] == 2
    assert audio.shape[1] == pytest.approx(32000, abs=1600)  # 2 s at 16 kHz, codec padding aside
    # Channels keep their identity and level: left is the louder tone.
    rms = np.sqrt((audio[:, 1000:-1000] ** 2).mean(axis=1))
    assert rms[0] == pytest.approx(0.5 / np.sqrt(2), rel=0.15)
    assert rms[1] == pytest.approx(0.25 / np.sqrt(2), rel=0.15)


def test_m4a_goes_through_pyav(tmp_path):
    wav = tmp_path / "src.wav"
    sf.write(wav, tone_stereo(), RATE)
    m4a = write_aac(wav, tmp_path / "call.m4a")
    info = probe(m4a)
    assert (info.codec, info.channels, info.sample_rate) == ("AAC", 2, RATE)
    # AAC's encoder delay (1,024 samples) and the last frame's padding add up to ~0.2 s at 8 kHz.
    assert info.duration_s == pytest.approx(2.0, abs=0.2)
    audio = decode(m4a)
    assert audio.shape[0] == 2 and abs(audio.shape[1] - 32000) < 3200
    # Truncated m4a (the index sits at the end of the file) cannot be opened at all.
    cut = tmp_path / "cut.m4a"
    cut.write_bytes(m4a.read_bytes()[: m4a.stat().st_size // 2])
    with pytest.raises(AudioDecodeError):
        probe(cut)


def test_decode_resamples_to_16k_without_aliasing(tmp_path):
    path = tmp_path / "tone.wav"
    sf.write(path, tone_stereo(), RATE)
    audio = decode(path)
    spectrum = np.abs(np.fft.rfft(audio[0]))
    peak_hz = np.argmax(spectrum) * 16000 / audio.shape[1]
    assert peak_hz == pytest.approx(440, abs=2)


def test_missing_file(tmp_path):
    with pytest.raises(AudioDecodeError, match="missing.wav: file not found") as err:
        probe(tmp_path / "missing.wav")
    assert err.value.path.name == "missing.wav"
    with pytest.raises(AudioDecodeError, match="file not found"):
        decode(tmp_path / "missing.wav")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioDecodeError, match=r"empty.wav: empty file \(0 bytes\)"):
        probe(path)


def test_text_file_renamed_to_wav(tmp_path):
    path = tmp_path / "recording.wav"
    path.write_text("this is a note about the call, not a recording\n" * 20)
    with pytest.raises(AudioDecodeError, match="recording.wav: not an audio file") as err:
        probe(path)
    assert "not an audio file" in err.value.reason
    with pytest.raises(AudioDecodeError):
        decode(path)


def test_zero_duration(tmp_path):
    path = tmp_path / "zero.wav"
    sf.write(path, np.zeros((0, 2), np.float32), RATE)
    with pytest.raises(AudioDecodeError, match="zero duration"):
        probe(path)


def test_truncated_wav(tmp_path):
    path = tmp_path / "cut.wav"
    sf.write(path, tone_stereo(), RATE, subtype="PCM_16")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(AudioDecodeError, match="cut.wav: truncated"):
        probe(path)


def test_truncated_flac(tmp_path):
    path = tmp_path / "cut.flac"
    noise = np.random.default_rng(0).normal(0, 0.2, (RATE * 4, 2)).astype(np.float32)
    sf.write(path, noise, RATE)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(AudioDecodeError, match="cut.flac: .*truncated"):
        probe(path)


def test_streaming_wav_with_unknown_length_is_accepted(tmp_path):
    # Some recorders write 0xFFFFFFFF as the data size while recording and never fix it.
    path = tmp_path / "stream.wav"
    sf.write(path, tone_stereo(), RATE, subtype="PCM_16")
    data = bytearray(path.read_bytes())
    at = data.index(b"data") + 4
    data[at : at + 4] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))
    assert probe(path).duration_s == pytest.approx(2.0, abs=0.01)


def test_envelope_min_max_per_bucket(tmp_path):
    samples = np.zeros((2, 1000), np.float32)
    samples[0, 150] = 0.9
    samples[1, 420] = -0.7
    env = envelope(samples, points_per_second=10, sample_rate=1000)
    assert env.points_per_second == 10
    assert env.mins.shape == (2, 10)
    assert env.maxs[0, 1] == pytest.approx(0.9) and env.maxs[0, 0] == 0
    assert env.mins[1, 4] == pytest.approx(-0.7) and env.mins[1, 3] == 0

    path = tmp_path / "tone.flac"
    sf.write(path, tone_stereo(), RATE)
    from_file = envelope(path, points_per_second=100)
    assert from_file.mins.shape == (2, 200)
    assert from_file.maxs[0].max() == pytest.approx(0.5, abs=0.01)
    assert from_file.mins[1].min() == pytest.approx(-0.25, abs=0.01)

    cache = tmp_path / "tone.env.npz"
    from_file.save(cache)
    again = Envelope.load(cache)
    assert again.points_per_second == from_file.points_per_second
    np.testing.assert_array_equal(again.maxs, from_file.maxs)


def test_envelope_read_in_blocks_equals_envelope_of_all_samples(tmp_path):
    noise = np.random.default_rng(3).uniform(-1, 1, (RATE * 100 + 37, 2)).astype(np.float32)
    path = tmp_path / "long.wav"
    sf.write(path, noise, RATE, subtype="FLOAT")
    from_file = envelope(path, points_per_second=50)
    from_array = envelope(np.ascontiguousarray(noise.T), points_per_second=50, sample_rate=RATE)
    assert from_file.mins.shape == (2, 5001)
    np.testing.assert_array_equal(from_file.mins, from_array.mins)
    np.testing.assert_array_equal(from_file.maxs, from_array.maxs)
