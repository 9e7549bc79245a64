"""The persistent transcription queue.

A job is claimed by one UPDATE ... WHERE id = (SELECT ... LIMIT 1 [FOR UPDATE SKIP LOCKED]) RETURNING,
atomic on SQLite (one writer) and on PostgreSQL (row locks skipped by other workers). A running job
heart-beats; one whose heartbeat is older than STALE_AFTER_S belonged to a dead worker and is claimed
again. A transcript is written in one transaction, and only by the worker that still owns the job, so a
call is never half-transcribed and never written twice.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from review.accounts.access import TRANSCRIBE, require, require_call_visible, visible_calls
from review.audit.trail import record
from review.clock import SystemClock
from review.models import WRITTEN_CHANNEL_KINDS, Call, Segment, Transcript, TranscriptionJob, User
from review.text_keys import index_text
from review.transcripts.failure import TranscriptionFailed, read_failure, stopped_too_often, stored_text

STALE_AFTER_S = 90
HEARTBEAT_EVERY_S = 10
MAX_ATTEMPTS = 3
# Heartbeats are compared across processes and machines, so the queue keeps to the wall clock even
# where the workspace's clock is set (tests, replays).
_wall_clock = SystemClock()


def worker_name(pid: int | None = None) -> str:
    """How a worker process (this one, or the one with `pid` on this machine) signs the jobs it claims."""
    return f"{socket.gethostname()}:{os.getpid() if pid is None else pid}"


@dataclass(frozen=True)
class ClaimedJob:
    job_id: int
    call_id: int
    path: str
    operator_channel: int
    language: str | None
    worker: str
    duration_s: float = 0.0
    attempts: int = 1  # this claim included: above 1, a worker died on it before
    channel_layout: str | None = None  # set for this call by a supervisor; None: detect
    direction: str | None = None  # "in"/"out": helps name the operator of a one-channel call
    operator_name: str | None = None


def _claimable(now, stale_after_s: float):
    stale = now - timedelta(seconds=stale_after_s)
    return or_(TranscriptionJob.status == "queued",
               and_(TranscriptionJob.status == "running", TranscriptionJob.heartbeat_at < stale))


def claim_next(session: Session, worker: str, call_ids: list[int] | None = None, *,
               stale_after_s: float = STALE_AFTER_S, first_attempts_only: bool = False) -> ClaimedJob | None:
    """Atomically take the next job (highest priority, oldest first); None when the queue is empty.

    first_attempts_only: skip jobs a worker has died on before (they are worked alone).
    """
    now = _wall_clock.now()
    _fail_exhausted(session, now, stale_after_s)
    claimable = _claimable(now, stale_after_s)
    candidate = select(TranscriptionJob.id).where(claimable, TranscriptionJob.attempts < MAX_ATTEMPTS)
    if first_attempts_only:
        candidate = candidate.where(TranscriptionJob.attempts == 0)
    if call_ids:
        candidate = candidate.where(TranscriptionJob.call_id.in_(call_ids))
    candidate = (candidate.order_by(TranscriptionJob.priority.desc(), TranscriptionJob.id).limit(1)
                 .with_for_update(skip_locked=True).scalar_subquery())
    claimed = session.execute(
        update(TranscriptionJob).where(TranscriptionJob.id == candidate, claimable)
        .values(status="running", worker=worker, claimed_at=now, heartbeat_at=now, progress=0.0,
                attempts=TranscriptionJob.attempts + 1)
        .returning(TranscriptionJob.id, TranscriptionJob.call_id, TranscriptionJob.attempts)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        session.rollback()
        return None
    job_id, call_id, attempts = claimed
    call = session.get(Call, call_id)
    call.transcription_status, call.transcription_error = "running", None
    session.commit()
    return ClaimedJob(job_id, call_id, call.path, call.operator_channel, call.language, worker,
                      call.duration_s or 0.0, attempts, call.channel_layout if call.channel_layout_forced else None,
                      call.direction, call.operator.name if call.operator else None)


def _fail_exhausted(session: Session, now, stale_after_s: float) -> None:
    """A job whose worker died on its last allowed attempt would otherwise stay "running" for ever."""
    stale = now - timedelta(seconds=stale_after_s)
    dead = list(session.scalars(select(TranscriptionJob).where(
        TranscriptionJob.status == "running", TranscriptionJob.heartbeat_at < stale,
        TranscriptionJob.attempts >= MAX_ATTEMPTS).with_for_update(skip_locked=True)))
    for job in dead:
        _mark_failed(session, job, stopped_too_often(MAX_ATTEMPTS), now)
    if dead:
        session.commit()


def _mark_failed(session: Session, row: TranscriptionJob, reason: TranscriptionFailed, now) -> None:
    stored = stored_text(reason)
    row.status, row.error, row.finished_at = "failed", stored, now
    call = session.get(Call, row.call_id)
    call.transcription_status, call.transcription_error = "failed", stored


def _mark_queued(session: Session, row: TranscriptionJob) -> None:
    row.status, row.worker, row.progress = "queued", None, 0.0
    session.get(Call, row.call_id).transcription_status = "pending"


def heartbeat(session: Session, job: ClaimedJob, progress: float) -> bool:
    """Record that the worker is alive; False when the job is no longer ours (taken over or cancelled)."""
    result = session.execute(
        update(TranscriptionJob).where(TranscriptionJob.id == job.job_id, TranscriptionJob.worker == job.worker,
                                       TranscriptionJob.status == "running")
        .values(heartbeat_at=_wall_clock.now(), progress=progress).execution_options(synchronize_session=False))
    session.commit()
    return result.rowcount == 1


def _still_ours(session: Session, job: ClaimedJob) -> TranscriptionJob | None:
    row = session.scalar(select(TranscriptionJob).where(TranscriptionJob.id == job.job_id).with_for_update())
    if row is None or row.worker != job.worker or row.status != "running":
        return None
    return row


def complete(session: Session, job: ClaimedJob, transcript, *, model: str, processing_s: float) -> bool:
    """Store the transcript (segments replace any older ones) and its analytics in one transaction; False
    if the job was lost."""
    from review.analytics.stored import envelope_or_none, record_analytics  # numpy: not at start-up

    envelope = envelope_or_none(job.path)  # read before the transaction locks anything
    row = _still_ours(session, job)
    if row is None:
        session.rollback()
        return False
    session.execute(delete(Segment).where(Segment.call_id == job.call_id))
    session.execute(delete(Transcript).where(Transcript.call_id == job.call_id))
    call = session.get(Call, job.call_id)
    session.add(Transcript(call_id=job.call_id, language=transcript.language, model=model,
                           language_source=transcript.language_source or None,
                           language_probability=transcript.language_probability,
                           speakers_inferred=transcript.speakers_inferred,
                           speaker_confidence=transcript.speaker_confidence,
                           operator_confidence=transcript.operator_confidence,
                           processing_s=round(processing_s, 3)))
    swap = transcript.speakers_inferred and call.speakers_swapped  # the supervisor's correction stands
    for position, segment in enumerate(transcript.segments):
        session.add(Segment(
            call_id=job.call_id, position=position, speaker=swapped_speaker(segment.speaker) if swap else segment.speaker,
            start_s=segment.start,
            end_s=segment.end, text=segment.text, avg_logprob=segment.avg_logprob,
            no_speech_prob=segment.no_speech_prob, search_text=index_text(segment.text),
            words=[w.to_stored() for w in segment.words]))
    record_analytics(session, job.call_id, transcript, envelope, swap=swap)
    row.status, row.progress, row.finished_at, row.error = "done", 1.0, _wall_clock.now(), None
    row.redecoded_windows = transcript.redecoded_windows
    call.transcription_status, call.transcription_error = "done", None
    if not call.channel_layout_forced and transcript.channel_layout:
        call.channel_layout = transcript.channel_layout
    session.commit()
    return True


def swapped_speaker(speaker: str) -> str:
    return {"operator": "customer", "customer": "operator"}.get(speaker, speaker)


def fail(session: Session, job: ClaimedJob, reason: TranscriptionFailed) -> None:
    row = _still_ours(session, job)
    if row is None:
        session.rollback()
        return
    _mark_failed(session, row, reason, _wall_clock.now())
    session.commit()


def release(session: Session, job: ClaimedJob) -> None:
    """Give a job back to the queue (worker cancelled or paused); the attempt is not counted."""
    row = _still_ours(session, job)
    if row is None:
        session.rollback()
        return
    _mark_queued(session, row)
    row.attempts = max(0, row.attempts - 1)
    session.commit()


def give_back_worker_jobs(session: Session, worker: str, *, crashed: bool) -> list[int]:
    """Every job `worker` holds goes back to the queue: it was paused (the attempt is not counted) or it
    crashed (counted, so the call is next worked alone, and failed after MAX_ATTEMPTS). Returns the calls."""
    rows = list(session.scalars(select(TranscriptionJob).where(
        TranscriptionJob.worker == worker, TranscriptionJob.status == "running").with_for_update()))
    for row in rows:
        if crashed and row.attempts >= MAX_ATTEMPTS:
            _mark_failed(session, row, stopped_too_often(MAX_ATTEMPTS), _wall_clock.now())
            continue
        _mark_queued(session, row)
        if not crashed:
            row.attempts = max(0, row.attempts - 1)
    session.commit()
    return [row.call_id for row in rows]


def _local_worker_pid(worker: str | None) -> int | None:
    """The process id of a worker on this machine (workers are named host:pid), else None."""
    host, _, pid = (worker or "").rpartition(":")
    return int(pid) if host == socket.gethostname() and pid.isdigit() else None


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's live process
    try:  # a killed child its parent has not reaped yet is a zombie: gone all the same
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[-1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def take_over_dead_local_jobs(session: Session, call_ids: list[int] | None = None) -> int:
    """Jobs left "running" by a worker process of this machine that no longer exists go back to the
    queue now (the attempt counted, so the call is next worked alone), or fail after MAX_ATTEMPTS,
    instead of waiting for their heartbeat to go stale. Returns how many were found."""
    query = select(TranscriptionJob).where(TranscriptionJob.status == "running")
    if call_ids:
        query = query.where(TranscriptionJob.call_id.in_(call_ids))
    found = 0
    for row in session.scalars(query.with_for_update(skip_locked=True)):
        pid = _local_worker_pid(row.worker)
        if pid is None or not _process_gone(pid):
            continue
        found += 1
        if row.attempts >= MAX_ATTEMPTS:
            _mark_failed(session, row, stopped_too_often(MAX_ATTEMPTS), _wall_clock.now())
        else:
            _mark_queued(session, row)
    session.commit()
    return found


def jobs_in_progress(session: Session, call_ids: list[int] | None = None) -> dict[int, str]:
    """call id -> worker, for every job some worker is transcribing now."""
    query = select(TranscriptionJob.call_id, TranscriptionJob.worker).where(TranscriptionJob.status == "running")
    if call_ids:
        query = query.where(TranscriptionJob.call_id.in_(call_ids))
    return dict(session.execute(query).all())


def failed_calls(session: Session, call_ids: list[int] | None = None) -> dict[int, str]:
    """call id -> reason (in English), for every call whose transcription failed."""
    query = select(Call.id, Call.transcription_error).where(Call.transcription_status == "failed")
    if call_ids:
        query = query.where(Call.id.in_(call_ids))
    return {call_id: str(read_failure(reason) or "") for call_id, reason in session.execute(query)}


def requeue(session: Session, actor: User, call_ids: list[int], *, priority: int = 0) -> int:
    """Queue calls again (retry after a failure, or a new model); returns how many were queued."""
    require(actor, TRANSCRIBE)
    queued = 0
    for call_id in call_ids:
        call = session.get(Call, call_id)
        if call is None:
            continue
        require_call_visible(actor, call)
        if call.channel_kind in WRITTEN_CHANNEL_KINDS:
            continue  # a chat or e-mail is text already: nothing to transcribe
        job = session.scalar(select(TranscriptionJob).where(TranscriptionJob.call_id == call_id)
                             .order_by(TranscriptionJob.id.desc()).limit(1))
        stale = _wall_clock.now() - timedelta(seconds=STALE_AFTER_S)
        if job is not None and job.status == "running" and job.heartbeat_at and job.heartbeat_at >= stale:
            continue  # a live worker has it
        if job is None:
            job = TranscriptionJob(call_id=call_id)
            session.add(job)
        job.status, job.error, job.attempts, job.progress, job.priority = "queued", None, 0, 0.0, priority
        call.transcription_status, call.transcription_error = "pending", None
        record(session, actor, "requeue", call)
        queued += 1
    session.flush()
    return queued


@dataclass(frozen=True)
class QueueCounts:
    queued: int
    running: int
    done: int
    failed: int

    @property
    def total(self) -> int:
        return self.queued + self.running + self.done + self.failed


def queue_counts(session: Session, actor: User | None = None) -> QueueCounts:
    """Calls by transcription state: all of them, or those `actor` may see (an operator's own)."""
    from sqlalchemy import func

    statement = (select(Call.transcription_status, func.count())
                 .where(Call.channel_kind.not_in(WRITTEN_CHANNEL_KINDS))  # no audio, no transcript
                 .group_by(Call.transcription_status))
    if actor is not None:
        statement = statement.where(visible_calls(actor))
    rows = dict(session.execute(statement).all())
    return QueueCounts(rows.get("pending", 0), rows.get("running", 0), rows.get("done", 0), rows.get("failed", 0))
