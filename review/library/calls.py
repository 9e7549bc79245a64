"""Reading the call library: filtered, sorted pages of plain rows, fast at 100,000 calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from review.accounts.access import require_call_visible, visible_calls, visible_operators
from review.errors import NotFound
from review.models import Call, Operator, Segment, User


@dataclass(frozen=True)
class CallFilter:
    operator_ids: tuple[int, ...] = ()
    started_from: datetime | None = None
    started_to: datetime | None = None
    min_duration_s: float | None = None
    max_duration_s: float | None = None
    direction: str | None = None
    channel_kind: str | None = None
    call_kind: str | None = None
    outcome: str | None = None
    transcription_status: str | None = None
    text: str | None = None  # matches the file path or the operator name


@dataclass(frozen=True)
class CallRow:
    id: int
    operator: str | None
    started_at: datetime | None
    duration_s: float
    direction: str | None
    channel_kind: str
    call_kind: str | None
    outcome: str | None
    transcription_status: str
    path: str


ROW_COLUMNS = (Call.id, Operator.name, Call.started_at, Call.duration_s, Call.direction, Call.channel_kind,
               Call.call_kind, Call.outcome, Call.transcription_status, Call.path)
SORT_KEYS = {
    "id": Call.id, "operator": Operator.name, "started_at": Call.started_at, "duration_s": Call.duration_s,
    "direction": Call.direction, "channel_kind": Call.channel_kind, "call_kind": Call.call_kind,
    "outcome": Call.outcome, "transcription_status": Call.transcription_status, "path": Call.path,
}


def _filtered(statement: Select, actor: User, flt: CallFilter) -> Select:
    statement = statement.where(visible_calls(actor))
    if flt.operator_ids:
        statement = statement.where(Call.operator_id.in_(flt.operator_ids))
    if flt.started_from is not None:
        statement = statement.where(Call.started_at >= flt.started_from)
    if flt.started_to is not None:
        statement = statement.where(Call.started_at <= flt.started_to)
    if flt.min_duration_s is not None:
        statement = statement.where(Call.duration_s >= flt.min_duration_s)
    if flt.max_duration_s is not None:
        statement = statement.where(Call.duration_s <= flt.max_duration_s)
    for column, value in ((Call.direction, flt.direction), (Call.channel_kind, flt.channel_kind),
                          (Call.call_kind, flt.call_kind), (Call.outcome, flt.outcome),
                          (Call.transcription_status, flt.transcription_status)):
        if value:
            statement = statement.where(column == value)
    if flt.text:
        # The user's % and _ are literal characters, not wildcards.
        literal = flt.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{literal}%"
        statement = statement.where(Call.path.ilike(pattern, escape="\\") | Operator.name.ilike(pattern, escape="\\"))
    return statement


def count_calls(session: Session, actor: User, flt: CallFilter) -> int:
    statement = select(func.count(Call.id)).select_from(Call)
    if flt.text:
        statement = statement.outerjoin(Operator, Call.operator_id == Operator.id)
    return session.scalar(_filtered(statement, actor, flt)) or 0


def call_page(session: Session, actor: User, flt: CallFilter, *, sort: str = "started_at", descending: bool = True,
              offset: int = 0, limit: int = 200) -> list[CallRow]:
    """One page of rows as plain tuples (no ORM objects), ordered with `id` as a stable tie-breaker."""
    column = SORT_KEYS[sort]
    order = (column.desc(), Call.id.desc()) if descending else (column.asc(), Call.id.asc())
    statement = select(*ROW_COLUMNS).select_from(Call).outerjoin(Operator, Call.operator_id == Operator.id)
    statement = _filtered(statement, actor, flt).order_by(*order).offset(offset).limit(limit)
    return [CallRow(*row) for row in session.execute(statement)]


def get_call(session: Session, actor: User, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound("Call #{id} is not in the library.", id=call_id)
    require_call_visible(actor, call)
    return call


def list_operators(session: Session, actor: User) -> list[Operator]:
    return list(session.scalars(select(Operator).where(visible_operators(actor)).order_by(Operator.name)))


def call_segments(session: Session, actor: User, call_id: int) -> list[Segment]:
    get_call(session, actor, call_id)
    return list(session.scalars(select(Segment).where(Segment.call_id == call_id).order_by(Segment.position)))
