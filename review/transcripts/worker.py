"""Working the transcription queue, in this process or in a worker process.

Jobs are claimed a few at a time, about one batch of whisper windows' worth of audio, and
transcribed together; each transcript is stored as soon as it is ready.

The GUI starts `worker_process_main` in a spawned process (so cancel is immediate: the process is
stopped and its jobs given back); `kalibra worker` and `kalibra transcribe` run the same loop in the
terminal (review.transcripts.terminal). Progress goes out as review.transcripts.events.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy.exc import SQLAlchemyError

from review.desktop.paths import model_cache_dir
from review.desktop.user_settings import UserSettings
from review.errors import DatabaseError
from review.storage.db import Database
from review.transcripts.clinic_vocabulary import as_hotwords, clinic_vocabulary
from review.transcripts.events import (
    JobClaimed,
    JobDone,
    JobFailed,
    JobLost,
    JobProgress,
    ModelDownload,
    WorkerEvent,
    WorkerIdle,
)
from review.transcripts.failure import TranscriptionFailed, failure_of
from review.transcripts.jobs import (
    HEARTBEAT_EVERY_S,
    STALE_AFTER_S,
    ClaimedJob,
    claim_next,
    complete,
    fail,
    heartbeat,
    release,
    worker_name,
)
from transcription.errors import (
    AudioDecodeError,
    ModelNotFoundError,
    TranscriptionCancelled,
    TranscriptionError,
)


def options_from_settings(settings: UserSettings):
    from transcription.operator_side import CallFacts
    from transcription.pipeline import TranscriptionOptions

    return TranscriptionOptions(language=settings.transcription_language, beam_size=settings.beam_size,
                                model_folder=settings.model_folder, model_name=settings.model_name,
                                allow_download=settings.allow_download, model_cache_dir=str(model_cache_dir()),
                                call_facts=CallFacts(organisation_names=tuple(settings.clinic_names)))


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
           emit: Callable[[WorkerEvent], None]) -> list[ClaimedJob]:
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
            emit(JobClaimed(job.call_id, job.job_id, worker))  # at once: a pause now gives it back
            if job.attempts > 1 or batch_is_full(len(jobs), sum(j.duration_s for j in jobs), options):
                return jobs


def process_next(db: Database, options, *, worker: str | None = None, call_ids: list[int] | None = None,
                 emit: Callable[[WorkerEvent], None] | None = None,
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
    with db.sessions() as session:  # read per claim: a list saved meanwhile on another desktop applies
        hotwords = as_hotwords(clinic_vocabulary(session))
    if hotwords:
        options = replace(options, hotwords=hotwords)
    beat = _Heartbeat(db, jobs)
    beat.start()
    try:
        return _work(db, options, jobs, beat, emit, lambda: bool(should_cancel and should_cancel()))
    finally:
        beat.stop()


TAKEN_OVER = "the job was taken over by another worker"
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
            emit(JobDone(job.call_id))
            outcomes.append(JobOutcome(job.call_id, True))
        else:
            taken_over(job)

    def taken_over(job: ClaimedJob) -> None:
        emit(JobLost(job.call_id))
        outcomes.append(JobOutcome(job.call_id, False, TAKEN_OVER))

    def fail_job(job: ClaimedJob, exc: BaseException) -> None:
        reason = failure_of(exc)
        with db.sessions() as session:
            fail(session, job, reason)
        del waiting[job.job_id]
        emit(JobFailed(job.call_id, str(reason)))
        outcomes.append(JobOutcome(job.call_id, False, str(reason)))

    try:
        model = load_whisper(_for_call(options, jobs[0]), download_progress=lambda f: emit(ModelDownload(f)))
        ready: list[ClaimedJob] = []
        audio = []
        for job in [j for j in jobs if is_long(j.duration_s)]:  # a piece at a time: memory stays bounded
            if stop_now():
                raise TranscriptionCancelled("transcription cancelled")
            try:
                transcript = transcribe_in_pieces(job.path, _for_call(options, job), model,
                                                  lambda f, job=job: _report(beat, emit, job, f), stop_now)
            except AudioDecodeError as exc:
                fail_job(job, exc)
                continue
            store(job, transcript)
        for job in [j for j in jobs if not is_long(j.duration_s)]:
            if stop_now():
                raise TranscriptionCancelled("transcription cancelled")
            try:
                audio.append(load_call_audio(job.path))
                ready.append(job)
            except AudioDecodeError as exc:
                fail_job(job, exc)

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
            fail_job(job, exc)
    except (SQLAlchemyError, DatabaseError):
        raise  # not the recordings' fault: the jobs go back to the queue when their heartbeat stops
    except Exception as exc:  # a bug or a decoder crash must fail the call it came from, not the queue
        if len(waiting) > 1:  # which call it was is unknown: each one again, alone
            for job in list(waiting.values()):
                del waiting[job.job_id]
                outcomes += _work(db, options, [job], beat, emit, cancelled)
        else:
            for job in list(waiting.values()):
                fail_job(job, TranscriptionFailed(f"{exc.__class__.__name__}: {exc}"))
    return outcomes


def _report(beat: _Heartbeat, emit, job: ClaimedJob, fraction: float) -> None:
    beat.progress[job.job_id] = fraction
    emit(JobProgress(job.call_id, fraction))


def _for_call(options, job: ClaimedJob):
    # A language named for the call (metadata or a supervisor) is used as is; the setting is only expected.
    facts = replace(options.call_facts, direction=job.direction, operator_name=job.operator_name)
    return replace(options, operator_channel=job.operator_channel, language=job.language or options.language,
                   language_forced=bool(job.language), channel_layout=job.channel_layout, call_facts=facts)


def worker_process_main(events, call_ids: list[int] | None = None) -> None:
    """Entry point of the GUI's worker process: work the queue until it is empty, reporting WorkerEvents.

    The database and the options come from the user's settings (and KALIBRA_DATABASE_URL where the
    user set it), as they did for the GUI: no address or password travels to the process.
    """
    from review.desktop.user_settings import load_settings
    from review.storage.db import open_database, resolve_database_url

    settings = load_settings()
    db = open_database(resolve_database_url(settings.database_url), migrate=False)
    try:
        while process_next(db, options_from_settings(settings), call_ids=call_ids, emit=events.put):
            pass
    finally:
        events.put(WorkerIdle())
        db.dispose()
