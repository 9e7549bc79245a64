"""A written conversation stored as an interaction: a Call row of channel whatsapp/email (so sessions, sampling,
evaluations and reports take it as they take calls) and its messages, with working-time response figures.

Who is the clinic's operator comes from the operator identities (review.written.written_settings): a message
whose author's address or chat name is one is the operator's, every other the patient's. The interaction's
operator is the one who wrote most (the first of them on a tie).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.operators import operator_named
from review.audit.trail import record
from review.errors import ImportProblem
from review.models import Call, Message, User
from review.text_keys import index_text, phone_key
from review.written.conversation import Conversation, WrittenMessage, identity_handle
from review.written.response_times import response_times
from review.written.working_hours import WorkingHours

_PHONE = re.compile(r"^\+?[\d\s()\-‑]{10,}$")


class NoKnownOperator(ImportProblem):
    """No participant of a conversation is one of the clinic's operators."""


@dataclass(frozen=True)
class Stored:
    call_id: int
    outcome: str  # "imported" | "extended" (an interaction gained new messages) | "present"
    added: int  # messages stored now


def clinic_zone(hours: WorkingHours) -> tzinfo | None:
    """The clinic's time zone for e-mail dates; None (this computer's) where the zone is not set or not known here."""
    if hours.zone is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(hours.zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def role_of(message: WrittenMessage, identities: dict[str, str]) -> str:
    if message.kind == "system":
        return "system"
    return "operator" if _operator_of(message, identities) else "patient"


def _operator_of(message: WrittenMessage, identities: dict[str, str]) -> str | None:
    for handle in (message.address, message.author):
        if handle and (name := identities.get(identity_handle(handle))):
            return name
    return None


def _language(conversation: Conversation) -> str:
    text = " ".join(m.text for m in conversation.messages)
    cyrillic = sum(1 for c in text if "а" <= c.lower() <= "я" or c in "ёЁ")
    latin = sum(1 for c in text if "a" <= c.lower() <= "z")
    return "ru" if cyrillic >= latin else "en"


def _patient_phone(conversation: Conversation, roles: list[str]) -> str | None:
    """A WhatsApp chat names the patient by phone number when it is not in the clinic's contacts."""
    if conversation.channel != "whatsapp":
        return None
    candidates = [conversation.title] + [m.author for m, r in zip(conversation.messages, roles, strict=True)
                                         if r == "patient" and m.author]
    return next((c for c in candidates if c and _PHONE.match(c)), None)


def _message_row(message: WrittenMessage, position: int, role: str) -> Message:
    return Message(position=position, role=role, kind=message.kind, author=message.author, address=message.address,
                   sent_at=message.sent_at, text=message.text, quoted=message.quoted, signature=message.signature,
                   subject=message.subject, attachments=[a.as_json() for a in message.attachments],
                   message_key=message.key[:300], in_reply_to=(message.in_reply_to or "")[:300] or None,
                   search_text=index_text(message.text))


def retime(session: Session, call: Call, hours: WorkingHours) -> None:
    """Recompute an interaction's response figures from its stored messages."""
    rows = list(session.scalars(select(Message).where(Message.call_id == call.id).order_by(Message.position)))
    figures = response_times([(m.role, m.sent_at) for m in rows], hours)
    for row, wait in zip(rows, figures.per_message, strict=True):
        row.response_s = wait
    call.first_response_s, call.longest_wait_s = figures.first_response_s, figures.longest_wait_s
    call.message_count = sum(1 for m in rows if m.role != "system")
    if rows:
        call.started_at = rows[0].sent_at
        call.duration_s = (rows[-1].sent_at - rows[0].sent_at).total_seconds()


def store_conversation(session: Session, actor: User, conversation: Conversation, path: Path,
                       identities: dict[str, str], hours: WorkingHours) -> Stored:
    """Store the conversation (in the caller's transaction). The same content again is "present"; a longer
    export of a chat, or more mail of a thread, extends the interaction that already holds its first messages.
    Raises NoKnownOperator when no participant is one of the clinic's operators."""
    existing = session.scalar(select(Call).where(Call.sha256 == conversation.content_key))
    if existing is not None:
        return Stored(existing.id, "present", 0)
    roles = [role_of(m, identities) for m in conversation.messages]
    operators = Counter(name for m in conversation.messages if (name := _operator_of(m, identities)))
    # Mail to the clinic that no operator answered yet is still the clinic's: its recipient names the operator.
    addressed = next((identities[r] for m in conversation.messages for r in m.recipients if r in identities), None)
    if not operators and addressed is None:
        people = ", ".join(name or handle for handle, name in conversation.participants)
        raise NoKnownOperator("No participant is one of the clinic's operators ({people}): say which address or "
                              "chat name is an operator's, and import again.", people=people)
    keys = [m.key[:300] for m in conversation.messages]
    holder = session.scalar(select(Call).join(Message, Message.call_id == Call.id).where(
        Message.message_key.in_(keys), Call.channel_kind == conversation.channel).limit(1))
    if holder is not None:
        return _extend(session, actor, holder, conversation, roles, hours)
    owner = operators.most_common(1)[0][0] if operators else addressed  # on a tie: the first to write
    first_writer = next(r for r in roles if r != "system")
    phone = _patient_phone(conversation, roles)
    size = sum(len(m.full_text.encode()) for m in conversation.messages)
    call = Call(path=str(path), sha256=conversation.content_key, size_bytes=size, duration_s=0.0, sample_rate=0,
                channels=0, codec=conversation.channel, started_at=conversation.started_at,
                direction="in" if first_writer == "patient" else "out", channel_kind=conversation.channel,
                phone=phone, phone_key=phone_key(phone), language=_language(conversation),
                tags=[], operator=operator_named(session, owner, actor), transcription_status="done")
    session.add(call)
    session.flush()
    for position, (message, role) in enumerate(zip(conversation.messages, roles, strict=True)):
        row = _message_row(message, position, role)
        row.call_id = call.id
        session.add(row)
    session.flush()
    retime(session, call, hours)
    record(session, actor, "import", call, new={"path": str(path), "sha256": call.sha256,
                                                "channel": conversation.channel, "messages": len(roles)})
    return Stored(call.id, "imported", len(roles))


def _extend(session: Session, actor: User, call: Call, conversation: Conversation, roles: list[str],
            hours: WorkingHours) -> Stored:
    stored = {key for (key,) in session.execute(select(Message.message_key).where(Message.call_id == call.id))}
    new = [(m, r) for m, r in zip(conversation.messages, roles, strict=True) if m.key[:300] not in stored]
    if not new:
        return Stored(call.id, "present", 0)
    rows = list(session.scalars(select(Message).where(Message.call_id == call.id)))
    for message, role in new:
        row = _message_row(message, 0, role)
        row.call_id = call.id
        rows.append(row)
        session.add(row)
    rows.sort(key=lambda r: (r.sent_at, r.position if r.id is not None else len(rows)))  # stored first on a tie
    for position, row in enumerate(rows):
        row.position = position
    session.flush()
    retime(session, call, hours)
    record(session, actor, "extend", call, new={"path": conversation.title, "messages_added": len(new)})
    return Stored(call.id, "extended", len(new))

