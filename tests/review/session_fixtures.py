"""Builders for session tests: operators, users and Call rows written straight to the database."""

from __future__ import annotations

import itertools
from datetime import datetime

from review.models import Call, Operator, User

_hashes = itertools.count(1)


def add_call(session, operator_id: int, started_at: datetime, *, duration_s: float = 120.0, direction: str = "in",
             call_kind: str = "inbound_booking", channel_kind: str = "phone", outcome: str = "booked",
             transcription_status: str = "done") -> Call:
    number = next(_hashes)
    call = Call(path=f"/calls/{number}.wav", sha256=f"{number:064x}", size_bytes=1000, duration_s=duration_s,
                sample_rate=8000, channels=2, codec="PCM_16", started_at=started_at, direction=direction,
                call_kind=call_kind, channel_kind=channel_kind, outcome=outcome, operator_id=operator_id,
                transcription_status=transcription_status)
    session.add(call)
    return call


def add_operator(session, name: str, *, username: str | None = None) -> tuple[Operator, User | None]:
    operator = Operator(name=name)
    session.add(operator)
    session.flush()
    user = None
    if username:
        user = User(username=username, display_name=name, role="operator", operator_id=operator.id)
        session.add(user)
        session.flush()
    return operator, user


def add_supervisor(session, username: str, name: str) -> User:
    user = User(username=username, display_name=name, role="supervisor")
    session.add(user)
    session.flush()
    return user
