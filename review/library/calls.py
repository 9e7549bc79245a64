"""Reading the call library: filtered, sorted pages of plain rows, fast at 100,000 calls."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import True_

from review.accounts.access import require_call_visible, visible_calls, visible_operators
from review.errors import NotFound, ValidationError
from review.models import WRITTEN_CHANNEL_KINDS, Call, CallAnalytics, Message, Operator, Segment, User

# Conversation analytics the library filters and sorts by (review.models.CallAnalytics); shares are 0..1.
MEASURES = {
    "operator_share": CallAnalytics.operator_share, "silence_total_s": CallAnalytics.silence_total_s,
    "silence_longest_s": CallAnalytics.silence_longest_s, "hold_total_s": CallAnalytics.hold_total_s,
    "hold_longest_s": CallAnalytics.hold_longest_s, "overtalk_count": CallAnalytics.overtalk_count,
    "overtalk_total_s": CallAnalytics.overtalk_total_s, "operator_wpm": CallAnalytics.operator_wpm,
    "operator_first_word_s": CallAnalytics.operator_first_word_s,
    "customer_complaints": CallAnalytics.customer_complaints,
}


@dataclass(frozen=True)
class MeasureRange:
    """Calls whose `measure` is at least `minimum` and at most `maximum` (either may be left open); calls
    not measured yet never match."""

    measure: str
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValidationError("There is no call measure {name}; the measures are: {names}.",
                                  name=repr(self.measure), names=", ".join(MEASURES))
        if self.minimum is not None and self.maximum is not None and self.maximum < self.minimum:
            raise ValidationError("The range of {name} ends below its start.", name=self.measure)


@dataclass(frozen=True)
class CallFilter:
    operator_ids: tuple[int, ...] = ()
    started_from: datetime | None = None
    started_to: datetime | None = None
    min_duration_s: float | None = None
    max_duration_s: float | None = None
    direction: str | None = None
    channel_kind: str | None = None  # a CHANNEL_KINDS code, or "written" for chats and e-mails together
    call_kind: str | None = None
    outcome: str | None = None
    transcription_status: str | None = None
    text: str | None = None  # matches the file path or the operator name
    ranges: tuple[MeasureRange, ...] = ()


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
    # Conversation analytics; None until the call is measured.
    operator_share: float | None
    silence_total_s: float | None
    hold_total_s: float | None
    overtalk_count: int | None
    message_count: int | None = None  # a chat's or e-mail thread's (None for a call)
    first_response_s: float | None = None
    longest_wait_s: float | None = None

    @property
    def written(self) -> bool:
        return self.channel_kind in WRITTEN_CHANNEL_KINDS


ROW_COLUMNS = (Call.id, Operator.name, Call.started_at, Call.duration_s, Call.direction, Call.channel_kind,
               Call.call_kind, Call.outcome, Call.transcription_status, Call.path, CallAnalytics.operator_share,
               CallAnalytics.silence_total_s, CallAnalytics.hold_total_s, CallAnalytics.overtalk_count,
               Call.message_count, Call.first_response_s, Call.longest_wait_s)
SORT_KEYS = {
    "id": Call.id, "operator": Operator.name, "started_at": Call.started_at, "duration_s": Call.duration_s,
    "direction": Call.direction, "channel_kind": Call.channel_kind, "call_kind": Call.call_kind,
    "outcome": Call.outcome, "transcription_status": Call.transcription_status, "path": Call.path,
    "first_response_s": Call.first_response_s, "longest_wait_s": Call.longest_wait_s, **MEASURES,
}


def _range_conditions(flt: CallFilter, *, scan: bool = False) -> list:
    conditions = []
    for limit in flt.ranges:
        # `+ 0` hides the measure's index from SQLite's planner: when many calls match, walking the sort
        # order and stopping at a page beats sorting every match.
        column = MEASURES[limit.measure] + 0 if scan else MEASURES[limit.measure]
        if limit.minimum is not None:
            conditions.append(column >= limit.minimum)
        if limit.maximum is not None:
            conditions.append(column <= limit.maximum)
    return conditions


# More matches than this and a page is found faster along the sort order than through the measure's index.
_MANY_MATCHES = 2000


def _many_match(session: Session, flt: CallFilter) -> bool:
    """Whether the ranges alone keep many calls (counted on the analytics' own indexes: a millisecond)."""
    matching = select(CallAnalytics.call_id).where(*_range_conditions(flt)).limit(_MANY_MATCHES + 1).subquery()
    return (session.scalar(select(func.count()).select_from(matching)) or 0) > _MANY_MATCHES


def filtered_calls(statement: Select, actor: User, flt: CallFilter, *, plan: str = "plain") -> Select:
    """`statement` (over Call, with Operator and CallAnalytics joined where `flt` needs them) limited to the
    calls the actor may see that `flt` keeps. `plan` steers SQLite for the measure ranges: "scan" keeps their
    indexes out of it, "index" starts from them."""
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
    channel = flt.channel_kind
    if channel == "written":  # chats and e-mails together
        statement, channel = statement.where(Call.channel_kind.in_(WRITTEN_CHANNEL_KINDS)), None
    for column, value in ((Call.direction, flt.direction), (Call.channel_kind, channel),
                          (Call.call_kind, flt.call_kind), (Call.outcome, flt.outcome),
                          (Call.transcription_status, flt.transcription_status)):
        if value:
            statement = statement.where(column == value)
    if flt.text:
        # The user's % and _ are literal characters, not wildcards.
        literal = flt.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{literal}%"
        statement = statement.where(Call.path.ilike(pattern, escape="\\") | Operator.name.ilike(pattern, escape="\\"))
    if plan == "index":
        return statement.where(Call.id.in_(select(CallAnalytics.call_id).where(*_range_conditions(flt))))
    return statement.where(*_range_conditions(flt, scan=plan == "scan"))


def count_calls(session: Session, actor: User, flt: CallFilter) -> int:
    if flt.ranges and replace(flt, ranges=()) == CallFilter() and isinstance(visible_calls(actor), True_):
        # Every call is visible and only measures filter: their own indexes count it (every row has its call).
        return session.scalar(select(func.count()).select_from(CallAnalytics).where(*_range_conditions(flt))) or 0
    statement = select(func.count(Call.id)).select_from(Call)
    if flt.text:
        statement = statement.outerjoin(Operator, Call.operator_id == Operator.id)
    if flt.ranges:
        statement = statement.join(CallAnalytics, CallAnalytics.call_id == Call.id)
    return session.scalar(filtered_calls(statement, actor, flt)) or 0


def call_page(session: Session, actor: User, flt: CallFilter, *, sort: str = "started_at", descending: bool = True,
              offset: int = 0, limit: int = 200) -> list[CallRow]:
    """One page of rows as plain tuples (no ORM objects), ordered with `id` as a stable tie-breaker."""
    column = SORT_KEYS[sort]
    order = (column.desc(), Call.id.desc()) if descending else (column.asc(), Call.id.asc())
    if sort in ("first_response_s", "longest_wait_s"):  # calls (no figure) after the chats, either way
        order = (order[0].nulls_last(), order[1])
    statement = select(*ROW_COLUMNS).select_from(Call).outerjoin(Operator, Call.operator_id == Operator.id)
    plan = "plain"
    if flt.ranges and session.get_bind().dialect.name == "sqlite":
        # SQLite has no statistics to tell a rare match (start from the measure's index, sort the few) from
        # a common one (walk the sort order until the page is full): count on the index and choose.
        plan = "scan" if _many_match(session, flt) else "index"
    statement = statement.outerjoin(CallAnalytics, CallAnalytics.call_id == Call.id)
    statement = filtered_calls(statement, actor, flt, plan=plan).order_by(*order).offset(offset).limit(limit)
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


def call_messages(session: Session, actor: User, call_id: int) -> list[Message]:
    """A chat's or e-mail thread's messages in order (none for a phone call)."""
    get_call(session, actor, call_id)
    return list(session.scalars(select(Message).where(Message.call_id == call_id).order_by(Message.position)))
