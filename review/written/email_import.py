"""E-mails from .eml files and mbox mailboxes, read with the standard library's `email` package.

Headers in any encoded-word charset; bodies in UTF-8, KOI8-R, Windows-1251 (declared or not), quoted-printable
or base64; an HTML-only mail is rendered to text; attachments are listed, never stored. Times are converted to
the clinic's wall clock (`zone`). Threads are joined by Message-ID / In-Reply-To / References (review.written.threads).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, tzinfo
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from review.written.conversation import Attachment, Conversation, WrittenFormatError, WrittenMessage
from review.written.html_text import html_to_text
from review.written.reply_parts import split_reply
from review.written.threads import conversations_of

MAX_MAIL_BYTES = 256 * 1024 * 1024
_PARSER = BytesParser(policy=policy.default)
_MBOX_FROM = re.compile(rb"^From \S*\s+(?P<date>.*)$")
_ID = re.compile(r"<[^<>\s]+>")
_CYRILLIC_LOWER = re.compile("[а-яё]")
_CYRILLIC_UPPER = re.compile("[А-ЯЁ]")


def _local(when: datetime, zone: tzinfo | None) -> datetime:
    if when.tzinfo is None:
        return when
    return when.astimezone(zone).replace(tzinfo=None)


def _guess_decode(raw: bytes, declared: str | None) -> str:
    """The bytes as text: the declared charset when it fits, else UTF-8, else the Cyrillic 8-bit charset in
    which the text reads as ordinary Russian (mostly lower case: a KOI8-R text read as Windows-1251 is the
    other way round)."""
    for charset in filter(None, (declared, "utf-8")):
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    readings = [raw.decode(charset, errors="replace") for charset in ("cp1251", "koi8-r")]
    return max(readings, key=lambda t: len(_CYRILLIC_LOWER.findall(t)) - len(_CYRILLIC_UPPER.findall(t)))


def _part_text(part: EmailMessage) -> str:
    raw = part.get_payload(decode=True) or b""
    return _guess_decode(raw, part.get_content_charset())


def _body(message: EmailMessage) -> str:
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _part_text(plain).replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        return html_to_text(_part_text(html))
    if message.get_content_maintype() == "text":
        return _part_text(message)
    return ""


def _attachments(message: EmailMessage) -> tuple[Attachment, ...]:
    found = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        found.append(Attachment(part.get_filename() or part.get_content_type(),
                                len(payload) if isinstance(payload, bytes) else None, part.get_content_type()))
    return tuple(found)


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the policy cannot parse: read it as it stands
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), None)
    return str(value or "").strip()


def _ids(value: str) -> tuple[str, ...]:
    return tuple(found.lower() for found in _ID.findall(value))


def read_mail(raw: bytes, *, zone: tzinfo | None = None, line: int = 1,
              fallback_date: datetime | None = None) -> WrittenMessage:
    """One mail's message. Raises WrittenFormatError (with `line`, where the mail starts) when it has no
    sender, no date or is not a mail at all."""
    try:
        message = _PARSER.parsebytes(raw)
    except Exception as exc:  # the email package raises many kinds on garbage; all mean "not a mail"
        raise WrittenFormatError("Line {line}: not an e-mail ({reason}).", line=line, reason=str(exc)) from None
    if not message.keys():
        raise WrittenFormatError("Line {line}: no mail headers (From, Date…): this is not an e-mail.", line=line)
    senders = getaddresses([_header(message, "From")])
    name, address = senders[0] if senders else ("", "")
    if not address and not name:
        raise WrittenFormatError("Line {line}: the mail has no sender (From).", line=line)
    try:
        sent = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        sent = fallback_date
    if sent is None:
        raise WrittenFormatError("Line {line}: the mail has no readable date (Date).", line=line)
    try:
        body = _body(message)
        attachments = _attachments(message)
    except (LookupError, ValueError, AssertionError) as exc:
        raise WrittenFormatError("Line {line}: the mail's body cannot be read ({reason}).", line=line,
                                 reason=str(exc)) from None
    text, signature, quoted = split_reply(body.strip())
    message_id = next(iter(_ids(_header(message, "Message-ID"))), None)
    in_reply_to = next(iter(_ids(_header(message, "In-Reply-To"))), None)
    key = message_id or "mail:" + hashlib.sha256(raw).hexdigest()[:40]
    recipients = tuple(a.strip().lower() for _n, a in getaddresses([_header(message, "To"), _header(message, "Cc")])
                       if a.strip())
    return WrittenMessage(author=name.strip() or None, address=address.strip().lower() or None, recipients=recipients,
                          sent_at=_local(sent, zone), text=text, quoted=quoted, signature=signature,
                          subject=_header(message, "Subject") or None, attachments=attachments, key=key,
                          in_reply_to=in_reply_to, references=_ids(_header(message, "References")), line=line)


def split_mbox(raw: bytes) -> list[tuple[int, bytes, datetime | None]]:
    """The mails of an mbox file: (line where each starts, its bytes, the date of its "From " line). Lines
    escaped as ">From " are given back as written ("From ")."""
    lines = raw.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].startswith(b"From "):
        raise WrittenFormatError("Line {line} is not the \"From \" line an mbox mailbox starts with.",
                                 line=(first or 0) + 1)
    mails: list[tuple[int, list[bytes], datetime | None]] = []
    previous_blank = True
    for number, line in enumerate(lines[first:], first + 1):
        if line.startswith(b"From ") and previous_blank:
            mails.append((number, [], _envelope_date(line)))
        else:
            body = mails[-1][1]
            body.append(line[1:] if re.match(rb"^>+From ", line) else line)
        previous_blank = not line.strip()
    return [(start, b"".join(body), date) for start, body, date in mails]


def _envelope_date(line: bytes) -> datetime | None:
    found = _MBOX_FROM.match(line.rstrip(b"\r\n"))
    if not found:
        return None
    try:
        return datetime.strptime(" ".join(found.group("date").decode("ascii", "replace").split()[:5]),
                                 "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None


def _read(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_MAIL_BYTES:
        raise WrittenFormatError("The file is larger than Kalibra reads as mail ({size} MB).", size=size // 2**20)
    return path.read_bytes()


def read_eml(path: Path, *, zone: tzinfo | None = None) -> list[Conversation]:
    """An .eml file: one mail, one conversation (threads across files are joined on import)."""
    return conversations_of([read_mail(_read(path), zone=zone)])


def read_mbox(path: Path, *, zone: tzinfo | None = None) -> list[Conversation]:
    """An mbox mailbox: its mails joined into threads, each thread a conversation. One unreadable mail
    rejects the file (with the line it starts on): nothing of it is imported half-way."""
    mails = split_mbox(_read(path))
    return conversations_of([read_mail(raw, zone=zone, line=start, fallback_date=date)
                             for start, raw, date in mails if raw.strip()])
