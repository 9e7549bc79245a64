"""Channel layouts told from real audio (demo calls remixed with sox), and transcribed once where they are one mix."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
import soundfile as sf
import yaml

from tests.transcription.conftest import DEMO
from transcription.audio import decode
from transcription.channel_layout import DUAL_MONO, MONO, ONE_SILENT, STEREO, as_layout, detect_layout
from transcription.pipeline import TranscriptionOptions, transcribe_call
from transcription.wer import normalize_words, word_error_rate

RU01 = DEMO / "calls" / "ru01_booking_cardiology.flac"
CLIP_S = 14.0  # the first two turns of ru01: the operator's greeting and the customer's request
needs_sox = pytest.mark.usefixtures("sox")


def sox(source, target, *effects) -> None:
    subprocess.run(["sox", str(source), str(target), "trim", "0", str(CLIP_S), *effects], check=True,
                   capture_output=True)


def assert_two_voices(transcript) -> None:
    """Heard as one channel, the two parties are told apart by voice: the greeting is the operator's."""
    assert transcript.speakers_inferred
    assert [s.speaker for s in transcript.segments][:1] == ["operator"]
    assert {s.speaker for s in transcript.segments} == {"operator", "customer"}


def clip_reference() -> str:
    script = yaml.safe_load((DEMO / "scripts" / "ru01_booking_cardiology.yaml").read_text(encoding="utf-8"))
    return " ".join(t["text"] for t in script["turns"] if t["end"] <= CLIP_S)


@pytest.fixture(scope="module")
def remixed(tmp_path_factory) -> dict:
    """The demo call's first turns as each layout a recorder writes."""
    folder = tmp_path_factory.mktemp("layouts")
    files = {
        STEREO: folder / "stereo.wav",
        DUAL_MONO: folder / "dual_mono.wav",
        "dual_mono_quieter_right": folder / "dual_mono_quieter_right.wav",
        ONE_SILENT: folder / "one_silent.wav",
        "silent_left": folder / "silent_left.wav",
        MONO: folder / "mono.wav",
    }
    sox(RU01, files[STEREO])
    sox(RU01, files[DUAL_MONO], "remix", "1v0.5,2v0.5", "1v0.5,2v0.5")
    sox(RU01, files["dual_mono_quieter_right"], "remix", "1v0.5,2v0.5", "1v0.25,2v0.25")
    sox(RU01, files[ONE_SILENT], "remix", "1v0.5,2v0.5", "0")
    sox(RU01, files["silent_left"], "remix", "0", "1v0.5,2v0.5", "dither")
    sox(RU01, files[MONO], "remix", "1v0.5,2v0.5")
    return files


@needs_sox
@pytest.mark.parametrize(("name", "layout"), [
    (STEREO, STEREO), (DUAL_MONO, DUAL_MONO), ("dual_mono_quieter_right", DUAL_MONO), (ONE_SILENT, ONE_SILENT),
    ("silent_left", ONE_SILENT), (MONO, MONO)])
def test_layout_of_each_remix(remixed, name, layout):
    assert detect_layout(decode(remixed[name])) == layout


@needs_sox
def test_dual_mono_through_a_lossy_codec_is_still_dual_mono(remixed, tmp_path):
    # MP3's joint stereo leaves the two channels close but not equal.
    mp3 = tmp_path / "dual_mono.mp3"
    data, rate = sf.read(str(remixed[DUAL_MONO]), dtype="float32")
    sf.write(str(mp3), data, rate, format="MP3")
    samples = decode(mp3)
    assert not np.array_equal(samples[0], samples[1])
    assert detect_layout(samples) == DUAL_MONO


def test_a_real_stereo_call_with_echo_stays_stereo():
    # The demo call with a faint echo of the operator on the customer's channel.
    echo = DEMO / "calls" / "ru08_info_request_echo.flac"
    if not echo.exists():
        pytest.skip("demo calls not generated")
    assert detect_layout(decode(echo)) == STEREO


def test_as_layout_keeps_the_live_channel_or_the_mix():
    t = np.arange(16000) / 16000
    voice = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    silent_left = np.stack([np.zeros_like(voice), voice])
    assert np.array_equal(as_layout(silent_left, ONE_SILENT)[0], voice)
    twice = np.stack([voice, voice])
    assert as_layout(twice, DUAL_MONO).shape == (1, 16000)
    assert as_layout(twice, STEREO).shape == (2, 16000)
    with pytest.raises(ValueError, match="unknown channel layout"):
        as_layout(twice, "quadrophonic")


@pytest.mark.model
@needs_sox
def test_a_dual_mono_file_yields_each_word_once(whisper, remixed):
    options = TranscriptionOptions(language="ru", cpu_threads=2)
    transcript = transcribe_call(remixed[DUAL_MONO], options, model=whisper)
    reference = clip_reference()

    assert transcript.channel_layout == DUAL_MONO
    assert_two_voices(transcript)
    # Each word once: the error rate of a doubled transcript is 1.0 or more (every word inserted again).
    assert word_error_rate(reference, transcript.text) < 0.3
    assert len(normalize_words(transcript.text)) <= 1.2 * len(normalize_words(reference))



@pytest.mark.model
@needs_sox
def test_a_file_with_a_silent_channel_yields_one_speaker(whisper, remixed):
    transcript = transcribe_call(remixed["silent_left"], TranscriptionOptions(language="ru", cpu_threads=2),
                                 model=whisper)
    assert transcript.channel_layout == ONE_SILENT
    assert_two_voices(transcript)
    assert word_error_rate(clip_reference(), transcript.text) < 0.3
