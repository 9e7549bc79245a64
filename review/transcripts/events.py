"""What a transcription worker reports while it works: one small dataclass per kind of event.

The worker process puts them on a multiprocessing queue (they pickle), the terminal commands print
them, the GUI's controller turns them into Qt signals.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobClaimed:
    call_id: int
    job_id: int
    worker: str


@dataclass(frozen=True)
class JobProgress:
    call_id: int
    fraction: float  # 0..1


@dataclass(frozen=True)
class JobDone:
    call_id: int


@dataclass(frozen=True)
class JobFailed:
    call_id: int
    reason: str  # one sentence for the user


@dataclass(frozen=True)
class JobLost:
    """Another worker took the call over (this one was thought dead); no longer ours to report on."""

    call_id: int


@dataclass(frozen=True)
class ModelDownload:
    fraction: float  # 0..1 of a speech model being downloaded (only where the settings allow it)


@dataclass(frozen=True)
class WorkerIdle:
    """The queue is empty: the worker process stops."""


WorkerEvent = JobClaimed | JobProgress | JobDone | JobFailed | JobLost | ModelDownload | WorkerIdle
