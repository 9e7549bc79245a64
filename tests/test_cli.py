"""The command line: real processes, plain messages, exit codes."""

import os
import subprocess
import sys

from tests.conftest import REPO, write_tone_call


def _kalibra(*args, env_extra=None):
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env_extra or {})}
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_import_reports_counts_and_problems(tmp_path):
    write_tone_call(tmp_path / "in" / "a.wav")
    (tmp_path / "in" / "b.wav").write_bytes(b"")
    first = _kalibra("import", str(tmp_path / "in"))
    assert first.returncode == 1, first.stderr  # something could not be imported
    assert "imported: 1" in first.stdout and "b.wav" in first.stdout and "empty" in first.stdout
    (tmp_path / "in" / "b.wav").unlink()
    again = _kalibra("import", str(tmp_path / "in"))
    assert again.returncode == 0, again.stderr
    assert "imported: 0, already in the library: 1" in again.stdout
    assert "a.wav: already in the library as call #1" in again.stdout


def test_a_bad_database_address_is_a_message_not_a_traceback(tmp_path):
    result = _kalibra("--database", "nonsense://", "import", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("kalibra: ") and "Traceback" not in result.stderr


def test_transcribe_needs_calls_or_all():
    result = _kalibra("transcribe")
    assert result.returncode == 2 and "--all" in result.stderr


def test_shared_database_needs_a_user(tmp_path):
    from review.auth import set_first_admin_password
    from review.db import open_database

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    db = open_database(url)
    set_first_admin_password(db, "correct horse battery")
    db.dispose()
    refused = _kalibra("--database", url, "import", str(tmp_path))
    assert refused.returncode == 1 and "--user" in refused.stderr
    wrong = _kalibra("--database", url, "--user", "admin", "import", str(tmp_path),
                     env_extra={"KALIBRA_PASSWORD": "wrong password"})
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    right = _kalibra("--database", url, "--user", "admin", "import", str(tmp_path),
                     env_extra={"KALIBRA_PASSWORD": "correct horse battery"})
    assert right.returncode in (0, 1) and "imported: 0" in right.stdout
