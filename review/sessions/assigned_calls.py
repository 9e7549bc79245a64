"""My queue: the calls of open review sessions and calibration rounds that the acting user still has to score.

A supervisor's queue holds the calls of the sessions they run that lack their submitted evaluation, then the
calls of open calibration rounds they take part in that lack their submitted calibration score; an operator's
holds the calls of their own sessions that lack their submitted self-evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from review.accounts.access import REVIEW_CALLS, SELF_REVIEW, can, visible_calls, visible_sessions
from review.models import (
    CalibrationCall,
    CalibrationMember,
    CalibrationRound,
    Call,
    Evaluation,
    Operator,
    ReviewSession,
    SessionCall,
    User,
)


@dataclass(frozen=True)
class QueueItem:
    call_id: int
    operator: str | None
    started_at: datetime | None
    session_id: int | None  # None for a calibration round's call
    kind: Literal["supervisor", "self", "calibration"]
    round_id: int | None = None  # the calibration round that waits for this score


def assigned_calls(session: Session, actor: User) -> list[QueueItem]:
    """Calls waiting for the actor's score, oldest session first, then by call time. Empty for roles that
    score nothing (managers) and for supervisors without open sessions."""
    if actor.role == "operator":
        if not can(actor, SELF_REVIEW) or actor.operator_id is None:
            return []
        kind, mine = "self", ReviewSession.operator_id == actor.operator_id
    else:
        if not can(actor, REVIEW_CALLS):
            return []
        kind, mine = "supervisor", ReviewSession.supervisor_id == actor.id
    submitted = select(Evaluation.id).where(
        Evaluation.session_id == ReviewSession.id, Evaluation.call_id == SessionCall.call_id,
        Evaluation.kind == kind, Evaluation.status == "submitted").exists()
    statement = (select(SessionCall.call_id, Operator.name, Call.started_at, ReviewSession.id)
                 .join(ReviewSession, ReviewSession.id == SessionCall.session_id)
                 .join(Call, Call.id == SessionCall.call_id)
                 .outerjoin(Operator, Operator.id == Call.operator_id)
                 .where(and_(mine, visible_sessions(actor), ReviewSession.status != "closed",
                             SessionCall.active.is_(True), ~submitted))
                 .order_by(ReviewSession.id, Call.started_at, Call.id))
    found = [QueueItem(call_id, operator, started_at, session_id, kind)
             for call_id, operator, started_at, session_id in session.execute(statement)]
    if kind == "supervisor":
        in_sessions = {item.call_id for item in found}  # such a call opens for its session; it is listed once
        found += [item for item in _calibration_calls(session, actor) if item.call_id not in in_sessions]
    return found


def _calibration_calls(session: Session, actor: User) -> list[QueueItem]:
    """Calls of open rounds the actor takes part in that lack their submitted calibration score."""
    submitted = select(Evaluation.id).where(
        Evaluation.call_id == CalibrationCall.call_id, Evaluation.reviewer_id == actor.id,
        Evaluation.kind == "calibration", Evaluation.status == "submitted").exists()
    statement = (select(CalibrationCall.call_id, Operator.name, Call.started_at, CalibrationRound.id)
                 .join(CalibrationRound, CalibrationRound.id == CalibrationCall.round_id)
                 .join(CalibrationMember, and_(CalibrationMember.round_id == CalibrationRound.id,
                                               CalibrationMember.user_id == actor.id))
                 .join(Call, Call.id == CalibrationCall.call_id)
                 .outerjoin(Operator, Operator.id == Call.operator_id)
                 .where(CalibrationRound.closed_at.is_(None), visible_calls(actor), ~submitted)
                 .order_by(CalibrationRound.id, Call.started_at, Call.id))
    return [QueueItem(call_id, operator, started_at, None, "calibration", round_id)
            for call_id, operator, started_at, round_id in session.execute(statement)]
