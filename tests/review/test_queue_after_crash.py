"""`kalibra transcribe --all` after a worker was killed: takes over or waits, counts what failed, says what is
not retried; a call failed by repeated crashes is retried when asked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import select

from review.library.importing import import_recordings
from review.models import Call, TranscriptionJob
from review.transcripts.jobs import claim_next
from review.desktop.user_settings import UserSettings, save_settings
from tests.conftest import REPO, write_tone_call

pytestmark = pytest.mark.model


@pytest.fixture
def env(whisper_folder):
    save_settings(UserSettings(model_folder=str(whisper_folder), beam_size=1))
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _holder(url, env):
    holder = subprocess.Popen([sys.executable, str(REPO / "tests" / "review" / "job_holder.py"), url], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().startswith("claimed ")
    return holder


def _kill(process) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


def _transcribe(url, env, *args):
    return subprocess.run([sys.executable, str(REPO / "main.py"), "--database", url, "transcribe", *args],
                          capture_output=True, text=True, env=env, timeout=600)


def _job(db, call_id) -> TranscriptionJob:
    with db.sessions() as session:
        return session.scalar(select(TranscriptionJob).where(TranscriptionJob.call_id == call_id))


def test_jobs_of_a_killed_local_worker_are_taken_over_at_once(sqlite_db, tmp_path, env):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    [call_id] = import_recordings(sqlite_db, admin, [write_tone_call(tmp_path / "a.wav")]).call_ids
    url = str(sqlite_db.engine.url)
    _kill(_holder(url, env))
    assert _job(sqlite_db, call_id).status == "running"  # its heartbeat is fresh: not stale for 90 s
    result = _transcribe(url, env, "--all")
    assert result.returncode == 0, result.stderr
    assert "left running by a worker that stopped: taken over" in result.stderr
    assert "transcribed: 1, failed: 0" in result.stdout
    assert (_job(sqlite_db, call_id).status, _job(sqlite_db, call_id).attempts) == ("done", 2)


def test_a_live_worker_s_job_is_waited_for(sqlite_db, tmp_path, env):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    [call_id] = import_recordings(sqlite_db, admin, [write_tone_call(tmp_path / "a.wav")]).call_ids
    url = str(sqlite_db.engine.url)
    holder = _holder(url, env)
    run = subprocess.Popen([sys.executable, str(REPO / "main.py"), "--database", url, "transcribe", "--all"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert "waiting for 1 call(s) another worker is transcribing" in run.stderr.readline()
        holder.stdin.write("release\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        out, err = run.communicate(timeout=600)
    finally:
        if holder.poll() is None:
            _kill(holder)
    assert run.returncode == 0, err
    assert "transcribed: 1, failed: 0" in out
    assert _job(sqlite_db, call_id).status == "done"


def test_a_call_failed_by_crashes_is_counted_named_and_retried_when_asked(sqlite_db, tmp_path, env):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    [call_id] = import_recordings(sqlite_db, admin, [write_tone_call(tmp_path / "crashy.wav")]).call_ids
    url = str(sqlite_db.engine.url)
    for attempt in range(2):  # two workers died on it long ago
        with sqlite_db.sessions() as session:
            assert claim_next(session, f"elsewhere:{attempt}", stale_after_s=0) is not None
    with sqlite_db.unit_of_work() as session:
        session.scalar(select(TranscriptionJob)).status = "queued"
    _kill(_holder(url, env))  # the third dies now, on this machine
    first = _transcribe(url, env, "--all")
    assert first.returncode == 1
    assert f"call #{call_id}: FAILED" in first.stderr and "3 times" in first.stderr
    assert "transcribed: 0, failed: 1" in first.stdout
    again = _transcribe(url, env, "--all")
    assert again.returncode == 0 and "transcribed: 0, failed: 0" in again.stdout
    assert f"not retried, failed before: #{call_id}" in again.stdout
    retried = _transcribe(url, env, str(call_id))
    assert retried.returncode == 0 and "transcribed: 1, failed: 0" in retried.stdout, retried.stderr
    with sqlite_db.sessions() as session:
        assert session.get(Call, call_id).transcription_status == "done"
