"""Working the transcription queue, in this process or in a worker process.

Jobs are claimed a few at a time, about one batch of whisper windows' worth of audio, and
transcribed together; each transcript is stored as soon as it is ready.

The GUI starts `worker_process_main` in a spawned process (so cancel is immediate: the process is
stopped and its jobs given back); `kalibra worker` and `kalibra transcribe` run the same loop in the
terminal.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from review.storage.db import Database
from review.errors import DatabaseError
from review.models import User
from review.desktop.paths import model_cache_dir
from review.transcripts.jobs import (
    HEARTBEAT_EVERY_S,
    STALE_AFTER_S,
    ClaimedJob,
    claim_next,
    complete,
    fail,
    failed_calls,
    heartbeat,
    jobs_in_progress,
    queue_counts,
    release,
    requeue,
    take_over_dead_local_jobs,
    worker_name,
)
from review.desktop.user_settings import UserSettings
from transcription.errors import (
    AudioDecodeError,
    ModelNotFoundError,
    TranscriptionCancelled,
    TranscriptionError,
)

Event = tuple  # ("claimed", call_id, job_id, worker) | ("progress", call_id, fraction) | ("done", call_id)
#               | ("failed", call_id, reason) | ("lost", call_id): taken over by another worker
#               | ("model", download fraction) | ("idle",)


def options_from_settings(settings: UserSettings):
    from transcription.pipeline import TranscriptionOptions

    return TranscriptionOptions(language=settings.transcription_language, beam_size=settings.beam_size,
                                model_folder=settings.model_folder, model_name=settings.model_name,
                                allow_download=settings.allow_download, model_cache_dir=str(model_cache_dir()))


class _Heartbeat(threading.Thread):
    """Keeps the claimed jobs' heartbeats fresh while whisper works; notices jobs taken away."""

    def __init__(self, db: Database, jobs: list[ClaimedJob]) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{jobs[0].job_id}")
        self.db, self.jobs = db, jobs
        self.progress: dict[int, float] = {job.job_id: 0.0 for job in jobs}
        self.lost: set[int] = set()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(HEARTBEAT_EVERY_S):
            try:
                with self.db.sessions() as session:
                    for job in self.jobs:
                        if job.job_id not in self.lost and not heartbeat(session, job, self.progress[job.job_id]):
                            self.lost.add(job.job_id)
            except SQLAlchemyError:
                continue  # the database is away for a moment: beat again next time
            if len(self.lost) == len(self.jobs):
                return

    def stop(self) -> None:
        self._stop_event.set()


@dataclass
class JobOutcome:
    call_id: int
    ok: bool
    reason: str | None = None


def _claim(db: Database, options, worker: str, call_ids: list[int] | None, stale_after_s: float,
           emit: Callable[[Event], None]) -> list[ClaimedJob]:
    """The next job, and with it more waiting calls until there is about one batch of audio.

    A job a worker has died on before is worked alone, so a recording that crashes the worker
    cannot take other calls down with it.
    """
    from transcription.pipeline import batch_is_full

    jobs: list[ClaimedJob] = []
    with db.sessions() as session:
        while True:
            job = claim_next(session, worker, call_ids, stale_after_s=stale_after_s,
                             first_attempts_only=bool(jobs))
            if job is None:
                return jobs
            jobs.append(job)
            emit(("claimed", job.call_id, job.job_id, worker))  # at once: a pause now gives it back
            if job.attempts > 1 or batch_is_full(len(jobs), sum(j.duration_s for j in jobs), options):
                return jobs


def process_next(db: Database, options, *, worker: str | None = None, call_ids: list[int] | None = None,
                 emit: Callable[[Event], None] | None = None,
                 should_cancel: Callable[[], bool] | None = None,
                 stale_after_s: float = STALE_AFTER_S) -> list[JobOutcome]:
    """Claim the next jobs and transcribe them; [] when nothing is waiting.

    Several short calls are claimed together and share whisper's batches; each transcript is
    stored, in its own transaction, as soon as it is ready.
    """
    emit = emit or (lambda _event: None)
    worker = worker or worker_name()
    jobs = _claim(db, options, worker, call_ids, stale_after_s, emit)
    if not jobs:
        return []
    beat = _Heartbeat(db, jobs)
    beat.start()
    try:
        return _work(db, options, jobs, beat, emit, lambda: bool(should_cancel and should_cancel()))
    finally:
        beat.stop()


_TAKEN_OVER = "the job was taken over by another worker"
DB_RETRY_S = 10


def _work(db: Database, options, jobs: list[ClaimedJob], beat: _Heartbeat, emit, cancelled) -> list[JobOutcome]:
    from transcription.long_calls import is_long, transcribe_in_pieces
    from transcription.pipeline import load_call_audio, load_whisper, transcribe_many

    started = time.perf_counter()
    outcomes: list[JobOutcome] = []
    waiting = {job.job_id: job for job in jobs}  # claimed, neither stored nor failed yet

    def stop_now() -> bool:  # asked to, or every job here was taken away from this worker
        return cancelled() or (bool(waiting) and all(job_id in beat.lost for job_id in waiting))

    def store(job: ClaimedJob, transcript) -> None:
        with db.sessions() as session:
            stored = complete(session, job, transcript, model=options.model_folder or "whisper-base (built in)",
                              processing_s=time.perf_counter() - started)
        del waiting[job.job_id]
        if stored:
            emit(("done", job.call_id))
            outcomes.append(JobOutcome(job.call_id, True))
        else:
            taken_over(job)

    def taken_over(job: ClaimedJob) -> None:
        emit(("lost", job.call_id))
        outcomes.append(JobOutcome(job.call_id, False, _TAKEN_OVER))

    def fail_job(job: ClaimedJob, reason: str) -> None:
        with db.sessions() as session:
            fail(session, job, reason)
        del waiting[job.job_id]
        emit(("failed", job.call_id, reason))
        outcomes.append(JobOutcome(job.call_id, False, reason))

    try:
        model = load_whisper(_for_call(options, jobs[0]), download_progress=lambda f: emit(("model", f)))
        ready: list[ClaimedJob] = []
        audio = []
        for job in [j for j in jobs if is_long(j.duration_s)]:  # a piece at a time: memory stays bounded
            if stop_now():
                raise TranscriptionCancelled("transcription cancelled")
            try:
                transcript = transcribe_in_pieces(job.path, _for_call(options, job), model,
                                                  lambda f, job=job: _report(beat, emit, job, f), stop_now)
            except AudioDecodeError as exc:
                fail_job(job, str(exc))
                continue
            store(job, transcript)
        for job in [j for j in jobs if not is_long(j.duration_s)]:
            if stop_now():
                raise TranscriptionCancelled("transcription cancelled")
            try:
                audio.append(load_call_audio(job.path))
                ready.append(job)
            except AudioDecodeError as exc:
                fail_job(job, str(exc))

        def on_progress(index: int, fraction: float) -> None:
            _report(beat, emit, ready[index], fraction)

        items = [(samples, _for_call(options, job)) for samples, job in zip(audio, ready, strict=True)]
        for index, transcript in transcribe_many(items, model, on_progress, stop_now):
            store(ready[index], transcript)
    except TranscriptionCancelled:
        with db.sessions() as session:
            for job in waiting.values():
                release(session, job)  # a no-op for jobs no longer ours
        if cancelled():
            raise
        for job in waiting.values():
            taken_over(job)
    except (AudioDecodeError, ModelNotFoundError, TranscriptionError) as exc:
        for job in list(waiting.values()):
            fail_job(job, str(exc))
    except (SQLAlchemyError, DatabaseError):
        raise  # not the recordings' fault: the jobs go back to the queue when their heartbeat stops
    except Exception as exc:  # a bug or a decoder crash must fail the call it came from, not the queue
        if len(waiting) > 1:  # which call it was is unknown: each one again, alone
            for job in list(waiting.values()):
                del waiting[job.job_id]
                outcomes += _work(db, options, [job], beat, emit, cancelled)
        else:
            for job in list(waiting.values()):
                fail_job(job, f"{exc.__class__.__name__}: {exc}")
    return outcomes


def _report(beat: _Heartbeat, emit, job: ClaimedJob, fraction: float) -> None:
    beat.progress[job.job_id] = fraction
    emit(("progress", job.call_id, fraction))


def _for_call(options, job: ClaimedJob):
    from dataclasses import replace

    # A language named for the call (metadata or a supervisor) is used as is; the setting is only expected.
    return replace(options, operator_channel=job.operator_channel, language=job.language or options.language,
                   language_forced=bool(job.language), channel_layout=job.channel_layout)


def worker_process_main(database_url: str, options, events, call_ids: list[int] | None = None) -> None:
    """Entry point of the GUI's worker process: work the queue until it is empty, reporting events."""
    from review.storage.db import open_database

    db = open_database(database_url, migrate=False)
    try:
        while process_next(db, options, call_ids=call_ids, emit=events.put):
            pass
    finally:
        events.put(("idle",))
        db.dispose()


class _TerminalProgress:
    """Events as terminal lines: a line per call claimed, done or failed; on a terminal, one
    progress line for the calls being transcribed together, rewritten in place."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.progress: dict[int, float] = {}

    def _line(self, text: str) -> None:
        self.stream.write(("\r\033[K" if self.live else "") + text + "\n")

    def __call__(self, event: Event) -> None:
        kind = event[0]
        if kind == "claimed":
            self.progress[event[1]] = 0.0
            self._line(f"call #{event[1]}: transcribing")
        elif kind == "progress" and event[1] in self.progress:
            self.progress[event[1]] = event[2]
            if self.live:
                share = sum(self.progress.values()) / len(self.progress)
                self.stream.write(f"\r\033[K{len(self.progress)} call(s): {share * 100:5.1f} %")
        elif kind == "done":
            self.progress.pop(event[1], None)
            self._line(f"call #{event[1]}: done")
        elif kind == "failed":
            self.progress.pop(event[1], None)
            self._line(f"call #{event[1]}: FAILED — {event[2]}")
        elif kind == "lost":
            self.progress.pop(event[1], None)
            self._line(f"call #{event[1]}: {_TAKEN_OVER}")
        self.stream.flush()


def transcribe_now(db: Database, actor: User, settings: UserSettings, call_ids: list[int] | None, *,
                   poll_s: float = 2.0) -> int:
    """`kalibra transcribe`: the named calls (queued again if needed), or everything waiting.

    Calls another worker is transcribing are waited for; those a stopped worker of this machine left
    behind are taken over at once. The summary counts every call that failed during the run, those a
    worker died on too often included, and names the calls that failed before and are not retried.
    """
    options = options_from_settings(settings)
    if call_ids:
        with db.unit_of_work() as session:
            requeue(session, actor, call_ids, priority=10)
    with db.sessions() as session:
        failed_before = failed_calls(session, call_ids)
    done = 0
    failed_here: set[int] = set()
    terminal = _TerminalProgress()
    waited_for: dict[int, str] = {}
    while True:
        outcomes = process_next(db, options, call_ids=call_ids, emit=terminal)
        if outcomes:
            done += sum(o.ok for o in outcomes)
            failed_here |= {o.call_id for o in outcomes if not o.ok and o.reason != _TAKEN_OVER}
            continue
        with db.sessions() as session:
            if taken := take_over_dead_local_jobs(session, call_ids):
                print(f"{taken} call(s) left running by a worker that stopped: taken over", file=sys.stderr)
                continue
            busy = jobs_in_progress(session, call_ids)
        if not busy:
            break
        if busy != waited_for:
            workers = ", ".join(sorted(set(busy.values())))
            print(f"waiting for {len(busy)} call(s) another worker is transcribing ({workers})", file=sys.stderr)
            waited_for = busy
        time.sleep(poll_s)
    with db.sessions() as session:
        failed_now = failed_calls(session, call_ids)
    for call_id in sorted(set(failed_now) - set(failed_before) - failed_here):
        terminal(("failed", call_id, failed_now[call_id]))  # failed by a worker's crashes, not by this run
        failed_here.add(call_id)
    print(f"transcribed: {done}, failed: {len(failed_here)}")
    earlier = sorted(set(failed_before) & set(failed_now))
    if earlier:
        print(f"not retried, failed before: {', '.join(f'#{i}' for i in earlier)} "
              f"(`kalibra transcribe {earlier[0]}` tries one again)")
    return 1 if failed_here else 0


def run_worker(db: Database, actor: User, settings: UserSettings, *, idle_exit_s: float | None = None,
               poll_s: float = 3.0, stale_after_s: float = STALE_AFTER_S) -> int:
    """`kalibra worker`: wait for jobs and work them until stopped (or idle for `idle_exit_s`)."""
    options = options_from_settings(settings)
    name = worker_name()
    print(f"worker {name} on {db.url}", file=sys.stderr)
    terminal = _TerminalProgress()
    idle_since = time.monotonic()
    while True:
        try:
            worked = process_next(db, options, worker=name, emit=terminal, stale_after_s=stale_after_s)
        except (SQLAlchemyError, DatabaseError) as exc:
            # A server worker outlives a database restart; its claimed calls were given up and are
            # taken over (by it or another worker) once their heartbeat is stale.
            print(f"database unavailable ({exc.__class__.__name__}); trying again in {DB_RETRY_S} s", file=sys.stderr)
            time.sleep(DB_RETRY_S)
            continue
        if worked:
            idle_since = time.monotonic()
            continue
        if idle_exit_s is not None and time.monotonic() - idle_since >= idle_exit_s:
            with db.sessions() as session:
                counts = queue_counts(session)
            print(f"queue empty (done {counts.done}, failed {counts.failed}); worker stops", file=sys.stderr)
            return 0
        time.sleep(poll_s)
