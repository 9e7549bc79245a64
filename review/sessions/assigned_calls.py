"""My queue: the calls of open review sessions that the acting user still has to score.

A supervisor's queue holds the calls of the sessions they run that lack their submitted evaluation; an
operator's holds the calls of their own sessions that lack their submitted self-evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from review.accounts.access import REVIEW_CALLS, SELF_REVIEW, can, visible_sessions
from review.models import Call, Evaluation, Operator, ReviewSession, SessionCall, User


@dataclass(frozen=True)
class QueueItem:
    call_id: int
    operator: str | None
    started_at: datetime | None
    session_id: int
    kind: Literal["supervisor", "self"]


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
    return [QueueItem(call_id, operator, started_at, session_id, kind)
            for call_id, operator, started_at, session_id in session.execute(statement)]
