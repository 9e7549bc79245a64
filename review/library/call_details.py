"""One call as its details pane shows it: plain values read in one session, safe to hand to any thread.

How it was transcribed (review.transcripts.hearing) is read beside it by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from review.library.calls import get_call
from review.models import WRITTEN_CHANNEL_KINDS, User


@dataclass(frozen=True)
class CallDetails:
    call_id: int
    operator_name: str | None
    started_at: datetime | None
    duration_s: float | None
    direction: str | None
    channel_kind: str | None
    call_kind: str | None
    outcome: str | None
    transcription_status: str | None
    codec: str | None
    sample_rate: int | None
    channels: int | None
    tags: tuple[str, ...]
    path: str
    message_count: int | None = None  # a chat's or e-mail thread's; None for a call
    first_response_s: float | None = None
    longest_wait_s: float | None = None

    @property
    def written(self) -> bool:
        return self.channel_kind in WRITTEN_CHANNEL_KINDS


def call_details(session: Session, actor: User, call_id: int) -> CallDetails:
    """Raises NotFound (or AccessDenied) for a call the actor may not see."""
    call = get_call(session, actor, call_id)
    return CallDetails(call.id, call.operator.name if call.operator else None, call.started_at, call.duration_s,
                       call.direction, call.channel_kind, call.call_kind, call.outcome, call.transcription_status,
                       call.codec, call.sample_rate, call.channels, tuple(call.tags or ()),
                       call.path, call.message_count, call.first_response_s, call.longest_wait_s)
