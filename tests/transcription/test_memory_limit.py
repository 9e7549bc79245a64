"""Header-lying recordings are imported and transcribed in a process that may not use more than 1.5 GB."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import REPO
from tests.review.broken_corpus import wav_bytes

LIMIT = int(1.5 * 1024**3)


@pytest.mark.model
def test_header_lying_files_stay_within_the_memory_limit(tmp_path, whisper_folder):
    folder = tmp_path / "lying"
    folder.mkdir()
    tone = (np.sin(np.arange(8000 * 40) / 3) * 6000).astype("<i2")
    # The header says 1 Hz: read as such, 40 s of audio would be a 90-hour call.
    (folder / "one_hertz.wav").write_bytes(wav_bytes(rate=1, data=tone.tobytes()))
    (folder / "two_gigahertz.wav").write_bytes(wav_bytes(rate=2_000_000_000, data=tone.tobytes()))
    (folder / "claims_2gb.wav").write_bytes(wav_bytes(data=tone.tobytes(), data_size=0x7FFFFFF0))
    # Unfinished headers (sizes never written): the audio runs to the end of the file and is read.
    stereo = np.repeat(tone, 2)
    (folder / "unfinished.wav").write_bytes(wav_bytes(channels=2, data=stereo.tobytes(), data_size=0, riff_size=0))
    wide = np.tile(tone[: 192000 * 2], 8)
    (folder / "eight_channels_192k.wav").write_bytes(
        wav_bytes(channels=8, rate=192000, data=wide.tobytes(), data_size=0xFFFFFFFF, riff_size=0xFFFFFFFF))
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "2"}
    result = subprocess.run(
        [sys.executable, str(REPO / "tests" / "transcription" / "memory_probe_worker.py"), str(LIMIT), str(folder),
         f"sqlite:///{tmp_path / 'memory.sqlite3'}", str(whisper_folder)],
        capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.splitlines()[-1])
    names = {os.path.basename(p) for p in outcome["imported"]}
    assert names == {"unfinished.wav", "eight_channels_192k.wav"}
    problems = {os.path.basename(p): reason for p, reason in outcome["problems"].items()}
    assert "1 Hz" in problems["one_hertz.wav"] and "2e+09 Hz" in problems["two_gigahertz.wav"]
    assert "truncated" in problems["claims_2gb.wav"]
    assert [o["ok"] for o in outcome["outcomes"]] == [True, True], outcome["outcomes"]
    assert outcome["peak_rss_bytes"] < LIMIT
