"""Mails joined into threads: by Message-ID, In-Reply-To and References, and, for a reply that names none of
them (some mail programs drop the headers), by its subject without "Re:"/"Отв:"."""

from __future__ import annotations

import hashlib
import re

from review.written.conversation import Conversation, WrittenMessage

_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|отв|ответ|пер|тема)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def bare_subject(subject: str | None) -> str:
    """The subject without its reply and forward prefixes, in lower case."""
    return _REPLY_PREFIX.sub("", subject or "").strip().lower()


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def conversations_of(messages: list[WrittenMessage]) -> list[Conversation]:
    """The threads among `messages`, each a conversation in time order; the same mail twice is kept once."""
    unique: dict[str, WrittenMessage] = {}
    for message in messages:
        unique.setdefault(message.key, message)
    groups = _Groups()
    for message in unique.values():
        groups.find(message.key)
        for other in (message.in_reply_to, *message.references):
            if other:
                groups.join(message.key, other)
    first_of_subject: dict[str, str] = {}
    for message in sorted(unique.values(), key=lambda m: m.sent_at):
        subject = bare_subject(message.subject)
        if not subject:
            continue
        earlier = first_of_subject.setdefault(subject, message.key)
        linked = message.in_reply_to or message.references
        if not linked and earlier != message.key and _REPLY_PREFIX.match(message.subject or ""):
            groups.join(message.key, earlier)
    threads: dict[str, list[WrittenMessage]] = {}
    for message in unique.values():
        threads.setdefault(groups.find(message.key), []).append(message)
    conversations = []
    for thread in threads.values():
        thread.sort(key=lambda m: (m.sent_at, m.line or 0))
        keys = "\n".join(sorted(m.key for m in thread))
        subject = next((m.subject for m in thread if m.subject), "")
        conversations.append(Conversation(channel="email", title=_REPLY_PREFIX.sub("", subject).strip(),
                                          messages=thread,
                                          content_key=hashlib.sha256(("email\n" + keys).encode()).hexdigest()))
    conversations.sort(key=lambda c: c.started_at)
    return conversations
