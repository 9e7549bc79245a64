"""Recognition: calls where the patient thanked the operator ("благодарность"), counted per operator —
praise from patients is the strongest motivator the clinic's contact-centre head names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts.access import REVIEW_CALLS, require, visible_calls
from review.audit.trail import record
from review.library.calls import get_call
from review.models import Call, Operator, User


@dataclass(frozen=True)
class ThanksCount:
    operator_id: int
    operator_name: str
    thanked_calls: int


def mark_thanked(session: Session, actor: User, call_id: int, thanked: bool = True) -> Call:
    """Mark (or unmark) a call as one where the patient thanked the operator."""
    require(actor, REVIEW_CALLS)
    call = get_call(session, actor, call_id)
    if call.thanked != thanked:
        old = call.thanked
        call.thanked = thanked
        session.flush()
        record(session, actor, "thanked", call, old={"thanked": old}, new={"thanked": thanked})
    return call


def thanks_per_operator(session: Session, actor: User, *, start: date | None = None,
                        end: date | None = None) -> list[ThanksCount]:
    """Thanked calls per operator the actor may see (period inclusive, by call start), most thanked first."""
    statement = (select(Operator.id, Operator.name, func.count(Call.id)).join(Call, Call.operator_id == Operator.id)
                 .where(Call.thanked.is_(True), visible_calls(actor)).group_by(Operator.id, Operator.name)
                 .order_by(func.count(Call.id).desc(), Operator.name))
    if start is not None:
        statement = statement.where(Call.started_at >= datetime.combine(start, time.min))
    if end is not None:
        statement = statement.where(Call.started_at < datetime.combine(end + timedelta(days=1), time.min))
    return [ThanksCount(*row) for row in session.execute(statement)]
