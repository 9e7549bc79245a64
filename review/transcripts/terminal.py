"""`kalibra transcribe` and `kalibra worker`: the queue worked in the terminal, progress shown with tqdm.

Presentation only: the work is review.transcripts.worker's; this module turns its events into lines
and one progress bar (on a terminal) and prints the summary.
"""

from __future__ import annotations

import sys
import time

from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from review.desktop.user_settings import UserSettings
from review.errors import DatabaseError
from review.models import User
from review.storage.db import Database
from review.transcripts.events import JobClaimed, JobDone, JobFailed, JobLost, JobProgress, WorkerEvent
from review.transcripts.jobs import (
    STALE_AFTER_S,
    failed_calls,
    jobs_in_progress,
    queue_counts,
    requeue,
    take_over_dead_local_jobs,
    worker_name,
)
from review.transcripts.worker import DB_RETRY_S, TAKEN_OVER, options_from_settings, process_next


class TerminalProgress:
    """A line per call claimed, done or failed; on a terminal, one bar for the calls transcribed together."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.progress: dict[int, float] = {}
        self.bar: tqdm | None = None
        self.live = self.stream.isatty()

    def _line(self, text: str) -> None:
        tqdm.write(text, file=self.stream)

    def _show(self) -> None:
        if not self.live:
            return
        if not self.progress:
            if self.bar is not None:
                self.bar.close()
                self.bar = None
            return
        if self.bar is None:
            self.bar = tqdm(total=100, file=self.stream, unit="%", bar_format="{desc}: {percentage:5.1f} % {bar}")
        self.bar.set_description_str(f"{len(self.progress)} call(s)")
        self.bar.n = round(100 * sum(self.progress.values()) / len(self.progress), 1)
        self.bar.refresh()

    def __call__(self, event: WorkerEvent) -> None:
        match event:
            case JobClaimed(call_id=call_id):
                self.progress[call_id] = 0.0
                self._line(f"call #{call_id}: transcribing")
            case JobProgress(call_id=call_id, fraction=fraction) if call_id in self.progress:
                self.progress[call_id] = fraction
            case JobDone(call_id=call_id):
                self.progress.pop(call_id, None)
                self._line(f"call #{call_id}: done")
            case JobFailed(call_id=call_id, reason=reason):
                self.progress.pop(call_id, None)
                self._line(f"call #{call_id}: FAILED — {reason}")
            case JobLost(call_id=call_id):
                self.progress.pop(call_id, None)
                self._line(f"call #{call_id}: {TAKEN_OVER}")
        self._show()


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
    terminal = TerminalProgress()
    waited_for: dict[int, str] = {}
    while True:
        outcomes = process_next(db, options, call_ids=call_ids, emit=terminal)
        if outcomes:
            done += sum(o.ok for o in outcomes)
            failed_here |= {o.call_id for o in outcomes if not o.ok and o.reason != TAKEN_OVER}
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
        terminal(JobFailed(call_id, failed_now[call_id]))  # failed by a worker's crashes, not by this run
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
    terminal = TerminalProgress()
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
