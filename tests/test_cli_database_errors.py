"""Every command meets a database in trouble with one sentence on stderr, no traceback, and exit 1."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, write_tone_call
from tests.review import database_troubles as troubles


def _kalibra(url, *args):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, str(REPO / "main.py"), "--database", url, *args], capture_output=True,
                          text=True, env=env, timeout=120)


def _one_sentence(result, *words) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kalibra: "), result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


CASES = {
    "read-only": (troubles.read_only_url, ("read-only", "write permission")),
    "damaged header": (lambda f: troubles.damaged_url(f, header=True), ("damaged", ".recover")),
    "damaged pages": (lambda f: troubles.damaged_url(f, header=False), ("damaged", "backup")),
    "newer schema": (troubles.newer_schema_url, ("newer Kalibra", "0099")),
    "unreachable server": (lambda f: troubles.UNREACHABLE, ("does not answer", "***")),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", [["import"], ["transcribe", "1"], ["transcribe", "--all"], ["purge"]])
def test_each_database_trouble_is_one_sentence(tmp_path, case, command):
    make, words = CASES[case]
    url = make(tmp_path / "db")
    if command == ["import"]:
        command = ["import", str(write_tone_call(tmp_path / "in" / "a.wav"))]
    _one_sentence(_kalibra(url, *command), *words)
    log = open(os.path.join(os.environ["KALIBRA_DATA_DIR"], "kalibra.log"), encoding="utf-8").read()
    assert "kalibra.database ERROR" in log  # the details are kept for whoever investigates
    assert case == "newer schema" or "Traceback" in log


def test_import_into_a_read_only_database_is_refused_before_any_file(tmp_path):
    url = troubles.read_only_url(tmp_path / "db")
    write_tone_call(tmp_path / "in" / "a.wav")
    result = _kalibra(url, "import", str(tmp_path / "in"))
    sentence = _one_sentence(result, "read-only")
    assert sentence.startswith("kalibra: The database file") and result.stdout == ""


def test_a_locked_database_is_one_sentence(tmp_path):
    url = f"sqlite:///{troubles.healthy_database(tmp_path)}"
    write_tone_call(tmp_path / "in" / "a.wav")
    assert _kalibra(url, "import", str(tmp_path / "in")).returncode == 0
    holder = troubles.lock(url)
    try:
        _one_sentence(_kalibra(url, "transcribe", "1"), "locked", "another program")
    finally:
        holder.close()
