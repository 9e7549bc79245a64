"""The transcription queue with the real model: claims are atomic, dead workers' jobs resume, failures
are reported with a reason and the queue moves on."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from review.desktop.user_settings import UserSettings, save_settings
from review.library.importing import import_recordings
from review.library.search import search_transcripts
from review.models import Call, CallAnalytics, Segment, Transcript, TranscriptionJob
from review.transcripts.events import JobClaimed, JobDone, JobLost, JobProgress
from review.transcripts.failure import read_failure
from review.transcripts.jobs import claim_next, queue_counts, requeue
from review.transcripts.worker import process_next
from tests.conftest import DEMO_CALLS, REPO, write_tone_call
from transcription.pipeline import TranscriptionOptions

pytestmark = pytest.mark.model


def _options(whisper_folder):
    return TranscriptionOptions(language="ru", beam_size=1, model_folder=str(whisper_folder))


def _import(db, admin, *paths):
    report = import_recordings(db, admin, paths)
    assert report.problems == []
    return report.call_ids


def test_a_demo_call_is_transcribed_and_searchable(db, admin, whisper_folder):
    [call_id] = _import(db, admin, DEMO_CALLS / "ru01_booking_cardiology.flac")
    [outcome] = process_next(db, _options(whisper_folder))
    assert outcome.ok and outcome.call_id == call_id
    assert process_next(db, _options(whisper_folder)) == []
    with db.sessions() as session:
        call = session.get(Call, call_id)
        assert call.transcription_status == "done"
        segments = list(session.scalars(select(Segment).where(Segment.call_id == call_id).order_by(Segment.position)))
        assert {s.speaker for s in segments} == {"operator", "customer"}
        assert segments[0].speaker == "operator" and "доктор" in segments[0].text.lower()
        starts = [s.start_s for s in segments]
        assert starts == sorted(starts) and segments[-1].end_s <= call.duration_s + 0.01
        assert all(w["start"] <= w["end"] for s in segments for w in s.words)
        hits = search_transcripts(session, admin, "хотел записаться")
        assert hits and hits[0].call_id == call_id and hits[0].speaker == "customer"
        assert search_transcripts(session, admin, "ветеринар") == []
        analytics = session.get(CallAnalytics, call_id)  # measured as the transcript was stored
        assert analytics.energy_used and analytics.duration_s == pytest.approx(call.duration_s, abs=0.1)
        assert analytics.operator_first_word_s == pytest.approx(segments[0].words[0]["start"], abs=0.01)
        assert analytics.operator_talk_s > analytics.customer_talk_s > 0


def test_bad_recordings_fail_with_a_reason_and_the_queue_moves_on(db, admin, whisper_folder, tmp_path):
    good = tmp_path / "good.flac"
    shutil.copy(DEMO_CALLS / "ru09_info_prices.flac", good)
    vanishing = write_tone_call(tmp_path / "vanishing.wav", seconds=2.0)
    corrupt = write_tone_call(tmp_path / "corrupt.wav", seconds=3.0)
    ids = _import(db, admin, vanishing, corrupt, good)
    os.remove(vanishing)
    corrupt.write_bytes(corrupt.read_bytes()[:2000])  # damaged after import
    outcomes = []
    while batch := process_next(db, _options(whisper_folder)):
        outcomes += batch
    by_call = {o.call_id: o for o in outcomes}
    assert set(by_call) == set(ids)
    assert not by_call[ids[0]].ok and "vanishing.wav" in by_call[ids[0]].reason
    assert not by_call[ids[1]].ok and "corrupt.wav" in by_call[ids[1]].reason
    assert by_call[ids[2]].ok
    with db.sessions() as session:
        failed = session.get(Call, ids[0])
        assert failed.transcription_status == "failed" and failed.transcription_error
        assert queue_counts(session).failed == 2


def test_a_missing_model_fails_the_job_with_what_to_do(db, admin, tmp_path):
    [call_id] = _import(db, admin, write_tone_call(tmp_path / "x.wav"))
    options = TranscriptionOptions(model_folder=str(tmp_path / "no-model-here"))
    [outcome] = process_next(db, options)
    assert not outcome.ok and "no-model-here" in outcome.reason
    with db.unit_of_work() as session:
        assert requeue(session, admin, [call_id]) == 1  # retry from the GUI or CLI
    with db.sessions() as session:
        assert session.get(Call, call_id).transcription_status == "pending"


def test_concurrent_claims_never_take_the_same_job(db, admin, tmp_path):
    for i in range(20):
        write_tone_call(tmp_path / "q" / f"{i}.wav", seconds=1 + i / 10)
    _import(db, admin, tmp_path / "q")
    taken: list[int] = []
    lock = threading.Lock()

    def claimer(name):
        while True:
            with db.sessions() as session:
                job = claim_next(session, name)
            if job is None:
                return
            with lock:
                taken.append(job.job_id)

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(set(taken)) and len(taken) == 20


def _worker(db_url, env, *extra):
    return subprocess.Popen([sys.executable, str(REPO / "main.py"), "--database", db_url, "worker", "--poll", "0.2",
                             *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def worker_env(db, whisper_folder, tmp_path):
    """Workers sign in like any CLI user on a database where sign-in is on."""
    from review.accounts.users import set_first_admin_password

    set_first_admin_password(db, "worker password 1")
    save_settings(UserSettings(model_folder=str(whisper_folder), beam_size=1))
    return {**os.environ, "PYTHONPATH": str(REPO), "KALIBRA_USER": "admin", "KALIBRA_PASSWORD": "worker password 1"}


def test_a_killed_worker_s_job_resumes_and_completes_once(db, db_url, admin, worker_env):
    [call_id] = _import(db, admin, DEMO_CALLS / "ru05_complaint_lost_appointment.flac")
    first = _worker(db_url, worker_env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with db.sessions() as session:
            job = session.scalar(select(TranscriptionJob).where(TranscriptionJob.call_id == call_id))
            if job.status == "running":
                break
        time.sleep(0.05)
    else:
        first.kill()
        pytest.fail("the worker never claimed the job")
    first.send_signal(signal.SIGKILL)
    first.wait()
    with db.sessions() as session:
        assert session.get(Call, call_id).transcription_status == "running"
        assert session.scalar(select(func.count(Segment.id))) == 0  # nothing half-written
    second = _worker(db_url, worker_env, "--stale-after", "1", "--idle-exit", "1")
    out, err = second.communicate(timeout=180)
    assert second.returncode == 0, err
    with db.sessions() as session:
        job = session.scalar(select(TranscriptionJob).where(TranscriptionJob.call_id == call_id))
        assert (job.status, job.attempts) == ("done", 2)
        assert session.get(Call, call_id).transcription_status == "done"
        positions = list(session.scalars(select(Segment.position).where(Segment.call_id == call_id)))
        assert positions == list(range(len(positions))) and positions  # one transcript, not two


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # SKIP LOCKED is PostgreSQL's
def test_two_workers_on_postgres_transcribe_each_call_once(db, db_url, admin, worker_env, tmp_path):
    assert db_url.startswith("postgresql")
    for i in range(20):
        write_tone_call(tmp_path / "pg" / f"{i}.wav", seconds=1 + i / 10)
    ids = _import(db, admin, tmp_path / "pg")
    workers = [_worker(db_url, worker_env, "--idle-exit", "2") for _ in range(2)]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    with db.sessions() as session:
        jobs = list(session.scalars(select(TranscriptionJob).where(TranscriptionJob.call_id.in_(ids))))
        assert len(jobs) == 20 and all(j.status == "done" and j.attempts == 1 for j in jobs)
        # Which worker took how many depends on start-up timing; what matters is that none was taken twice.
        assert {j.worker.rsplit(":", 1)[1] for j in jobs} <= {str(w.pid) for w in workers}
        stored = session.scalar(select(func.count(Transcript.call_id)).where(Transcript.call_id.in_(ids)))
        assert stored == 20


def test_a_job_whose_worker_keeps_dying_fails_with_a_reason_and_can_be_retried(db, admin, tmp_path):
    [call_id] = _import(db, admin, write_tone_call(tmp_path / "crashy.wav"))
    for attempt in range(3):  # three workers die in turn: no heartbeat after the claim
        with db.sessions() as session:
            assert claim_next(session, f"dead-{attempt}", stale_after_s=0) is not None
    with db.sessions() as session:
        assert claim_next(session, "next", stale_after_s=0) is None
        call = session.get(Call, call_id)
        assert call.transcription_status == "failed" and "3 times" in str(read_failure(call.transcription_error))
    with db.unit_of_work() as session:
        assert requeue(session, admin, [call_id]) == 1
    with db.sessions() as session:
        assert claim_next(session, "after-retry") is not None


def test_short_calls_are_transcribed_together_each_stored_once(db, admin, whisper_folder):
    ids = _import(db, admin, *(DEMO_CALLS / f"{name}.flac" for name in ("ru06_poor_booking", "ru09_info_prices")))
    events = []
    outcomes = process_next(db, _options(whisper_folder), emit=events.append)
    assert sorted(o.call_id for o in outcomes) == sorted(ids) and all(o.ok for o in outcomes)
    kinds = [type(e).__name__ for e in events if not isinstance(e, JobProgress)]
    assert kinds == ["JobClaimed", "JobClaimed", "JobDone", "JobDone"]  # claimed together, stored one by one
    assert process_next(db, _options(whisper_folder)) == []
    with db.sessions() as session:
        jobs = list(session.scalars(select(TranscriptionJob).where(TranscriptionJob.call_id.in_(ids))))
        assert [(j.status, j.attempts) for j in jobs] == [("done", 1), ("done", 1)]
        for call_id in ids:
            speakers = set(session.scalars(select(Segment.speaker).where(Segment.call_id == call_id)))
            assert speakers == {"operator", "customer"}


def test_a_call_a_worker_died_on_is_worked_alone(db, admin, whisper_folder, tmp_path):
    ids = _import(db, admin, *(write_tone_call(tmp_path / f"{i}.wav", seconds=2 + i / 10) for i in range(3)))
    with db.sessions() as session:
        died_on = claim_next(session, "dead-worker", stale_after_s=0)  # claimed, then no heartbeat
    assert died_on.call_id == ids[0]
    [alone] = process_next(db, _options(whisper_folder), stale_after_s=0)
    assert alone.call_id == ids[0] and alone.ok
    rest = process_next(db, _options(whisper_folder), stale_after_s=0)
    assert sorted(o.call_id for o in rest) == ids[1:]


def test_a_crash_in_a_batch_retries_each_call_alone(db, admin, whisper_folder, tmp_path, monkeypatch):
    """A failure inside whisper cannot say which call caused it: each call is tried again on its own."""
    import transcription.pipeline as pipeline

    real = pipeline.transcribe_many
    seen = []

    def crashes_on_batches(calls, *args, **kwargs):
        seen.append(len(calls))
        if len(calls) > 1:
            raise RuntimeError("decoder crashed")
        return real(calls, *args, **kwargs)

    monkeypatch.setattr(pipeline, "transcribe_many", crashes_on_batches)
    ids = _import(db, admin, *(write_tone_call(tmp_path / f"{i}.wav", seconds=2 + i / 10) for i in range(3)))
    outcomes = process_next(db, _options(whisper_folder))
    assert seen == [3, 1, 1, 1]
    assert sorted(o.call_id for o in outcomes) == ids and all(o.ok for o in outcomes)


def test_cancel_gives_every_claimed_call_back(db, admin, whisper_folder, tmp_path):
    from transcription.errors import TranscriptionCancelled

    ids = _import(db, admin, *(write_tone_call(tmp_path / f"{i}.wav", seconds=2 + i / 10) for i in range(3)))
    events = []
    with pytest.raises(TranscriptionCancelled):
        process_next(db, _options(whisper_folder), emit=events.append, should_cancel=lambda: bool(events))
    assert [type(e) for e in events] == [JobClaimed] * 3
    with db.sessions() as session:
        jobs = list(session.scalars(select(TranscriptionJob).where(TranscriptionJob.call_id.in_(ids))))
        assert [(j.status, j.attempts, j.worker) for j in jobs] == [("queued", 0, None)] * 3
        assert {session.get(Call, i).transcription_status for i in ids} == {"pending"}


def test_a_database_error_while_storing_is_not_taken_for_a_bad_recording(db, admin, whisper_folder, tmp_path,
                                                                          monkeypatch):
    from sqlalchemy.exc import OperationalError

    import review.transcripts.worker as runner
    import transcription.pipeline as pipeline

    ids = _import(db, admin, *(write_tone_call(tmp_path / f"{i}.wav", seconds=2 + i / 10) for i in range(2)))
    batches = []
    real_many = pipeline.transcribe_many
    monkeypatch.setattr(pipeline, "transcribe_many", lambda calls, *a, **k: batches.append(len(calls))
                        or real_many(calls, *a, **k))

    def database_gone(*_args, **_kwargs):
        raise OperationalError("UPDATE transcription_jobs", {}, Exception("server closed the connection"))

    monkeypatch.setattr(runner, "complete", database_gone)
    with pytest.raises(OperationalError):
        process_next(db, _options(whisper_folder))
    assert batches == [2]  # not re-run call by call as if a recording had crashed the decoder
    with db.sessions() as session:  # still claimed: taken over once the heartbeat is stale
        assert {session.get(Call, i).transcription_status for i in ids} == {"running"}
    monkeypatch.undo()
    outcomes = []
    while batch := process_next(db, _options(whisper_folder), stale_after_s=0):
        outcomes += batch
    assert sorted(o.call_id for o in outcomes) == ids and all(o.ok for o in outcomes)


def test_a_call_taken_over_mid_batch_is_reported_lost_not_stored(db, admin, whisper_folder, tmp_path):
    ids = _import(db, admin, *(write_tone_call(tmp_path / f"{i}.wav", seconds=2 + i / 10) for i in range(2)))
    events = []

    def emit(event):
        events.append(event)
        if isinstance(event, JobProgress) and event.call_id == ids[0] and event.fraction < 1.0:  # another worker takes it over
            with db.sessions() as session:
                job = session.scalar(select(TranscriptionJob).where(TranscriptionJob.call_id == ids[0]))
                job.worker = "other-host:1"
                session.commit()

    outcomes = {o.call_id: o for o in process_next(db, _options(whisper_folder), emit=emit)}
    assert not outcomes[ids[0]].ok and "taken over" in outcomes[ids[0]].reason
    assert outcomes[ids[1]].ok
    assert JobLost(ids[0]) in events and JobDone(ids[1]) in events
    with db.sessions() as session:
        assert session.scalar(select(func.count(Transcript.call_id)).where(Transcript.call_id == ids[0])) == 0


def test_a_call_given_back_after_a_crash_keeps_its_attempt_and_fails_after_three(db, admin, tmp_path):
    from review.transcripts.jobs import MAX_ATTEMPTS, give_back_worker_jobs

    [call_id] = _import(db, admin, write_tone_call(tmp_path / "crashy.wav"))
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with db.sessions() as session:
            job = claim_next(session, f"gui-worker-{attempt}")
            assert job.attempts == attempt  # above 1: the runner works it alone
        with db.sessions() as session:
            assert give_back_worker_jobs(session, f"gui-worker-{attempt}", crashed=True) == [call_id]
    with db.sessions() as session:
        call = session.get(Call, call_id)
        assert call.transcription_status == "failed" and "3 times" in str(read_failure(call.transcription_error))
        assert claim_next(session, "next") is None


def test_a_paused_worker_gives_its_calls_back_without_counting_the_attempt(db, admin, tmp_path):
    from review.transcripts.jobs import give_back_worker_jobs

    ids = _import(db, admin, write_tone_call(tmp_path / "a.wav"), write_tone_call(tmp_path / "b.wav", seconds=3.0))
    with db.sessions() as session:
        claimed = [claim_next(session, "paused"), claim_next(session, "other")]
        assert give_back_worker_jobs(session, "paused", crashed=False) == [claimed[0].call_id]
    with db.sessions() as session:
        again = claim_next(session, "next")
        assert (again.call_id, again.attempts) == (claimed[0].call_id, 1)  # the pause did not count
        assert session.get(Call, claimed[1].call_id).transcription_status == "running"  # not ours to give
        assert sorted(ids) == sorted(c.call_id for c in claimed)
