"""The one shape every written channel is read into: a conversation of messages, and what can be wrong with a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from review.errors import ImportProblem

MESSAGE_KINDS = ("text", "media", "system")


class WrittenFormatError(ImportProblem):
    """A chat export or mail file that cannot be read; `line` is where the reading stopped (1-based), if known."""

    def __init__(self, template: str = "", /, **params: object) -> None:
        super().__init__(template, **params)
        line = params.get("line")
        self.line = line if isinstance(line, int) else None


@dataclass(frozen=True)
class Attachment:
    """A file that came with a message: named and sized, never stored."""

    name: str
    size_bytes: int | None = None
    content_type: str | None = None

    def as_json(self) -> dict:
        return {"name": self.name, "size_bytes": self.size_bytes, "content_type": self.content_type}


@dataclass
class WrittenMessage:
    author: str | None  # the name the format shows; None for a system message
    sent_at: datetime  # naive, on the clinic's wall clock (e-mails are converted)
    text: str  # what the author wrote in this message (for display and scoring)
    kind: str = "text"  # MESSAGE_KINDS
    address: str | None = None  # the e-mail address, where the format gives one
    recipients: tuple[str, ...] = ()  # an e-mail's To and Cc addresses
    quoted: str = ""  # an e-mail's quotation of earlier mail: shown apart, kept
    signature: str = ""  # an e-mail's signature: shown apart, kept
    subject: str | None = None
    attachments: tuple[Attachment, ...] = ()
    key: str = ""  # Message-ID, or a digest of the message: the same message read twice has the same key
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    line: int | None = None  # where the message starts in its file

    @property
    def handle(self) -> str | None:
        """Who wrote it, as an operator identity is matched: the address when there is one, else the name."""
        return (self.address or self.author or "").strip().lower() or None

    @property
    def full_text(self) -> str:
        """Everything the author sent: the new text, the signature and the quotation."""
        return "\n\n".join(part for part in (self.text, self.signature, self.quoted) if part)


@dataclass
class Conversation:
    channel: str  # "whatsapp" | "email"
    title: str  # the chat's name or the thread's subject
    messages: list[WrittenMessage]
    content_key: str  # a digest of the conversation's content: the same chat imported twice has the same key
    attachments: list[Attachment] = field(default_factory=list)  # files in a chat's .zip export

    @property
    def participants(self) -> list[tuple[str, str | None]]:
        """(handle, name) of everyone who wrote, in order of first message; system messages have no author."""
        seen: dict[str, str | None] = {}
        for message in self.messages:
            if message.kind != "system" and message.handle and message.handle not in seen:
                seen[message.handle] = message.author or message.address
        return list(seen.items())

    @property
    def started_at(self) -> datetime:
        return self.messages[0].sent_at

    @property
    def ended_at(self) -> datetime:
        return self.messages[-1].sent_at


def identity_handle(text: str) -> str:
    """How an address or a chat name is matched: trimmed, in lower case, spaces collapsed."""
    return " ".join(text.split()).lower()
