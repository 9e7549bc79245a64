"""Working the transcription queue: one job at a time, in this process or in a worker process.

The GUI starts `worker_process_main` in a spawned process (so cancel is immediate: the process is
stopped and its job given back); `kalibra worker` and `kalibra transcribe` run the same loop in the
terminal.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from review.db import Database
from review.models import User
from review.paths import model_cache_dir
from review.transcription_queue import (
    HEARTBEAT_EVERY_S,
    STALE_AFTER_S,
    ClaimedJob,
    claim_next,
    complete,
    fail,
    heartbeat,
    queue_counts,
    release,
    requeue,
    worker_name,
)
from review.user_settings import UserSettings
from transcription.errors import (
    AudioDecodeError,
    ModelNotFoundError,
    TranscriptionCancelled,
    TranscriptionError,
)

Event = tuple  # ("claimed", call_id, job_id, worker) | ("progress", call_id, fraction) | ("done", call_id)
#               | ("failed", call_id, reason) | ("model", download fraction) | ("idle",)


def options_from_settings(settings: UserSettings):
    from transcription.pipeline import TranscriptionOptions

    return TranscriptionOptions(language=settings.transcription_language, beam_size=settings.beam_size,
                                model_folder=settings.model_folder, model_name=settings.model_name,
                                allow_download=settings.allow_download, model_cache_dir=str(model_cache_dir()))


class _Heartbeat(threading.Thread):
    """Keeps the job's heartbeat fresh while whisper works; notices when the job was taken away."""

    def __init__(self, db: Database, job: ClaimedJob) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job.job_id}")
        self.db, self.job = db, job
        self.progress = 0.0
        self.lost = False
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(HEARTBEAT_EVERY_S):
            with self.db.sessions() as session:
                if not heartbeat(session, self.job, self.progress):
                    self.lost = True
                    return

    def stop(self) -> None:
        self._stop_event.set()


@dataclass
class JobOutcome:
    call_id: int
    ok: bool
    reason: str | None = None


def process_next(db: Database, options, *, worker: str | None = None, call_ids: list[int] | None = None,
                 emit: Callable[[Event], None] | None = None,
                 should_cancel: Callable[[], bool] | None = None,
                 stale_after_s: float = STALE_AFTER_S) -> JobOutcome | None:
    """Claim and transcribe one job; None when nothing is waiting."""
    from transcription.pipeline import load_whisper, transcribe_call

    emit = emit or (lambda _event: None)
    worker = worker or worker_name()
    with db.sessions() as session:
        job = claim_next(session, worker, call_ids, stale_after_s=stale_after_s)
    if job is None:
        return None
    emit(("claimed", job.call_id, job.job_id, worker))
    beat = _Heartbeat(db, job)
    beat.start()
    started = time.perf_counter()

    def on_progress(fraction: float) -> None:
        beat.progress = fraction
        emit(("progress", job.call_id, fraction))

    def cancelled() -> bool:
        return beat.lost or bool(should_cancel and should_cancel())

    try:
        model = load_whisper(_for_call(options, job), download_progress=lambda f: emit(("model", f)))
        transcript = transcribe_call(job.path, _for_call(options, job), model=model, progress=on_progress,
                                     should_cancel=cancelled)
    except TranscriptionCancelled:
        beat.stop()
        with db.sessions() as session:
            release(session, job)
        raise
    except (AudioDecodeError, ModelNotFoundError, TranscriptionError) as exc:
        beat.stop()
        reason = str(exc)
        with db.sessions() as session:
            fail(session, job, reason)
        emit(("failed", job.call_id, reason))
        return JobOutcome(job.call_id, False, reason)
    except Exception as exc:  # a bug or a decoder crash must fail this job, not the whole queue
        beat.stop()
        reason = f"{exc.__class__.__name__}: {exc}"
        with db.sessions() as session:
            fail(session, job, reason)
        emit(("failed", job.call_id, reason))
        return JobOutcome(job.call_id, False, reason)
    beat.stop()
    model_name = options.model_folder or "whisper-base (built in)"
    with db.sessions() as session:
        stored = complete(session, job, transcript, model=model_name, processing_s=time.perf_counter() - started)
    if not stored:
        return JobOutcome(job.call_id, False, "the job was taken over by another worker")
    emit(("done", job.call_id))
    return JobOutcome(job.call_id, True)


def _for_call(options, job: ClaimedJob):
    from dataclasses import replace

    language = job.language or options.language
    return replace(options, operator_channel=job.operator_channel, language=language)


def worker_process_main(database_url: str, options, events, call_ids: list[int] | None = None) -> None:
    """Entry point of the GUI's worker process: work the queue until it is empty, reporting events."""
    from review.db import open_database

    db = open_database(database_url, migrate=False)
    try:
        while process_next(db, options, call_ids=call_ids, emit=events.put) is not None:
            pass
    finally:
        events.put(("idle",))
        db.dispose()


def _terminal(event: Event) -> None:
    kind = event[0]
    if kind == "claimed":
        sys.stderr.write(f"\ncall #{event[1]}: transcribing")
    elif kind == "progress":
        sys.stderr.write(f"\rcall #{event[1]}: {event[2] * 100:5.1f} %")
    elif kind == "done":
        sys.stderr.write(f"\rcall #{event[1]}: done      \n")
    elif kind == "failed":
        sys.stderr.write(f"\rcall #{event[1]}: FAILED — {event[2]}\n")
    sys.stderr.flush()


def transcribe_now(db: Database, actor: User, settings: UserSettings, call_ids: list[int] | None) -> int:
    """`kalibra transcribe`: the named calls (queued again if needed), or everything waiting."""
    options = options_from_settings(settings)
    if call_ids:
        with db.unit_of_work() as session:
            requeue(session, actor, call_ids, priority=10)
    failures = done = 0
    while (outcome := process_next(db, options, call_ids=call_ids, emit=_terminal)) is not None:
        done += outcome.ok
        failures += not outcome.ok
    print(f"transcribed: {done}, failed: {failures}")
    return 1 if failures else 0


def run_worker(db: Database, actor: User, settings: UserSettings, *, idle_exit_s: float | None = None,
               poll_s: float = 3.0, stale_after_s: float = STALE_AFTER_S) -> int:
    """`kalibra worker`: wait for jobs and work them until stopped (or idle for `idle_exit_s`)."""
    options = options_from_settings(settings)
    name = worker_name()
    print(f"worker {name} on {db.url}", file=sys.stderr)
    idle_since = time.monotonic()
    while True:
        outcome = process_next(db, options, worker=name, emit=_terminal, stale_after_s=stale_after_s)
        if outcome is not None:
            idle_since = time.monotonic()
            continue
        if idle_exit_s is not None and time.monotonic() - idle_since >= idle_exit_s:
            with db.sessions() as session:
                counts = queue_counts(session)
            print(f"queue empty (done {counts.done}, failed {counts.failed}); worker stops", file=sys.stderr)
            return 0
        time.sleep(poll_s)
