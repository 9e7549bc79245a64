"""Response times of a written conversation: for each patient message, the working time until an operator
next wrote; the first response (to the patient's first message) and the longest wait.

A run of patient messages is answered by the operator's next message: each of them waited from its own time.
A patient message no operator answered afterwards has no response time (its wait is not known yet) and counts
neither in the first response nor in the longest wait; `unanswered` counts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from review.written.working_hours import WorkingHours, working_seconds

ROLES = ("operator", "patient", "system")


@dataclass(frozen=True)
class ResponseTimes:
    per_message: tuple[float | None, ...]  # one per message: the wait of a patient's message, else None
    first_response_s: float | None
    longest_wait_s: float | None
    unanswered: int


def response_times(messages: Sequence[tuple[str, datetime]], hours: WorkingHours) -> ResponseTimes:
    """`messages`: (role, sent at) in the conversation's order."""
    per_message: list[float | None] = [None] * len(messages)
    waiting: list[int] = []  # patient messages since the operator last wrote
    first_patient: int | None = None
    for index, (role, sent_at) in enumerate(messages):
        if role == "patient":
            waiting.append(index)
            first_patient = index if first_patient is None else first_patient
        elif role == "operator":
            for asked in waiting:
                per_message[asked] = working_seconds(messages[asked][1], sent_at, hours)
            waiting = []
    answered = [w for w in per_message if w is not None]
    return ResponseTimes(tuple(per_message), per_message[first_patient] if first_patient is not None else None,
                         max(answered) if answered else None, len(waiting))
