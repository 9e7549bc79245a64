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


def best_value(question):
    if question.type == "yes_no":
        return True
    if question.type == "scale":
        return max(level.value for level in question.levels)
    if question.type == "choice":
        return max(question.options, key=lambda o: o.points).key
    return "заметка"


def worst_value(question):
    if question.type == "yes_no":
        return False
    if question.type == "scale":
        return min(level.value for level in question.levels)
    if question.type == "choice":
        return min(question.options, key=lambda o: o.points).key
    return "заметка"


def score_fully(session, actor, evaluation_id: int, overrides: dict | None = None, *, submit_it: bool = True):
    """Answer every question of the evaluation (best answer unless overridden), with a comment each, and submit."""
    from review.scoring.evaluations import get_evaluation, rubric_for, set_answer, submit

    overrides = overrides or {}
    evaluation = get_evaluation(session, actor, evaluation_id)
    for question in rubric_for(session, evaluation).questions():
        value = overrides.get(question.id, best_value(question))
        if value == "N/A":
            set_answer(session, actor, evaluation_id, question.id, na=True, comment="не применимо")
        else:
            set_answer(session, actor, evaluation_id, question.id, value=value, comment="комментарий")
    if submit_it:
        submit(session, actor, evaluation_id)
