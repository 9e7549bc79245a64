"""A written conversation as the review screen shows it: plain message items with the wait before each reply,
personal data masked as in transcripts. Pure Python; the bubbles are in message_view.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from review.transcripts.personal_data import find_personal_data, mask_text
from review.written.reflow import reflow


@dataclass(frozen=True)
class MessageItem:
    id: int
    role: str  # "operator" | "patient" | "system"
    kind: str  # "text" | "media" | "system"
    author: str | None
    sent_at: datetime
    offset_s: float  # seconds since the conversation's first message: where a comment on it is kept
    text: str
    quoted: str = ""
    signature: str = ""
    subject: str | None = None
    attachments: tuple[str, ...] = ()  # "name (size)" as shown
    response_s: float | None = None  # a patient's message: working time until an operator wrote
    wait_s: float | None = None  # an operator's reply: how long the patient it answers had waited
    masked: int = 0  # stretches of personal data hidden in it
    address: str | None = None  # an e-mail's sender address: who wrote it when it gives no name


def _size(size: int | None) -> str:
    if size is None:
        return ""
    return f" ({size / 1024:.0f} KB)" if size >= 1024 else f" ({size} B)"


def items_from_messages(messages: Iterable, started_at: datetime | None) -> list[MessageItem]:
    """Items from stored messages (review.models.Message, in order). An operator's reply carries the wait of
    the earliest patient message it answers: the longest anyone waited for it."""
    items: list[MessageItem] = []
    waiting: float | None = None
    for message in messages:
        wait = None
        if message.role == "patient" and waiting is None:
            waiting = message.response_s
        elif message.role == "operator":
            wait, waiting = waiting, None
        offset = (message.sent_at - started_at).total_seconds() if started_at else 0.0
        attachments = tuple(f"{a.get('name')}{_size(a.get('size_bytes'))}" for a in message.attachments or [])
        items.append(MessageItem(message.id, message.role, message.kind, message.author, message.sent_at,
                                 max(0.0, offset), message.text, message.quoted, message.signature, message.subject,
                                 attachments, message.response_s, wait, address=message.address))
    return items


def with_authors(items: list[MessageItem], operator: str | None, clinic: str, patient: str) -> list[MessageItem]:
    """Each message by a name instead of a dash: one that gives none (an e-mail from a bare address) by the name
    its address gave elsewhere in the thread, else the conversation's operator or the clinic for a reply, and
    the patient's for the patient (the address itself may be personal data, masked on screen)."""
    named = {item.address: item.author for item in items if item.author and item.address}
    patients = {item.author for item in items if item.role == "patient" and item.author}
    fallback = {"operator": operator or clinic, "patient": patients.pop() if len(patients) == 1 else patient}
    return [replace(item, author=named.get(item.address) or fallback[item.role])
            if not item.author and item.role in fallback else item for item in items]


def reflowed(items: list[MessageItem]) -> list[MessageItem]:
    """An e-mail thread's items with the mail program's line breaks taken out of their text and quotation (the
    signature keeps its short lines), so the bubble wraps the words at its own width."""
    return [replace(item, text=reflow(item.text), quoted=reflow(item.quoted)) for item in items]


def mask_items(items: list[MessageItem], labels: dict[str, str]) -> list[MessageItem]:
    """Phones, cards, passports, SNILS, e-mails and dates of birth hidden, as in a transcript."""
    masked = []
    for item in items:
        found = [find_personal_data(part) for part in (item.text, item.quoted, item.signature)]
        if not any(found):
            masked.append(item)
            continue
        text, quoted, signature = (mask_text(part, spans, labels) if spans else part
                                   for part, spans in zip((item.text, item.quoted, item.signature), found, strict=True))
        masked.append(replace(item, text=text, quoted=quoted, signature=signature,
                              masked=sum(len(spans) for spans in found)))
    return masked


def nearest_item(items: list[MessageItem], offset_s: float) -> int:
    """The index of the message at (or last before) a time in the conversation: where a search hit opens."""
    best = 0
    for index, item in enumerate(items):
        if item.offset_s <= offset_s + 0.5:
            best = index
    return best
