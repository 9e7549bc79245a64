"""A patient's thread: the other calls with the same phone number, earliest first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import visible_calls
from review.library.calls import get_call
from review.models import Call, Operator, User


def phone_key(phone: str | None) -> str | None:
    """The digits that identify a number however it was written: +7 (916) 123-45-67, 89161234567 and
    79161234567 are one number (a Russian 11-digit number loses its trunk prefix)."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    return digits or None


def mask_phone(phone: str | None) -> str:
    """A phone number with all but its last two digits hidden, the way it is shown when personal data is
    masked: +7 (916) 123-45-67 → +• (•••) •••-••-67."""
    if not phone:
        return ""
    total = sum(ch.isdigit() for ch in phone)
    seen = 0
    shown = []
    for ch in phone:
        if ch.isdigit():
            seen += 1
            shown.append(ch if seen > total - 2 else "•")
        else:
            shown.append(ch)
    return "".join(shown)


@dataclass(frozen=True)
class ThreadCall:
    """One call of the thread, as plain data for the call's details."""

    id: int
    started_at: datetime | None
    direction: str | None
    call_kind: str | None
    outcome: str | None
    operator: str | None
    duration_s: float
    current: bool


@dataclass(frozen=True)
class PatientThread:
    phone: str | None  # as written on the call that was opened
    calls: list[ThreadCall]  # every visible call with that number, the opened one included

    def shown_phone(self, masked: bool) -> str:
        return mask_phone(self.phone) if masked else (self.phone or "")


def patient_thread(session: Session, actor: User, call_id: int) -> PatientThread:
    """The calls the actor may see that share this call's phone number, in time order (undated last)."""
    call = get_call(session, actor, call_id)
    key = call.phone_key or phone_key(call.phone)
    if key is None:
        return PatientThread(call.phone, [])
    rows = session.execute(
        select(Call.id, Call.started_at, Call.direction, Call.call_kind, Call.outcome, Operator.name, Call.duration_s)
        .outerjoin(Operator, Operator.id == Call.operator_id)
        .where(Call.phone_key == key, visible_calls(actor))
        .order_by(Call.started_at.is_(None), Call.started_at, Call.id)).all()
    return PatientThread(call.phone, [ThreadCall(*row, current=row[0] == call.id) for row in rows])
