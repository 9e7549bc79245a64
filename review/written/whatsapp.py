"""WhatsApp chat exports as the phone writes them: the .txt (Android and iPhone, Russian and English dates,
12- and 24-hour clocks) and the .zip with the chat and its media, whose files are listed, never stored.

Android: ``31.12.2024, 21:41 - Анна: текст`` or ``12/31/24, 9:41 PM - Anna: text``; iPhone:
``[31.12.2024, 21:41:05] Анна: текст``. A line without a date continues the message above; a dated line with
no ``name:`` is a system message (encryption notice, someone added, the subject changed).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from review.written.conversation import Attachment, Conversation, WrittenFormatError, WrittenMessage

# More than any chat a clinic exports; a bigger member of a .zip is not read into memory.
MAX_CHAT_BYTES = 64 * 1024 * 1024
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\ufeff\u202a\u202c"), None)
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2009": " "})
_STAMP = (r"(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4})\.?,?\s+(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)"
          r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?")
_ANDROID = re.compile(rf"^{_STAMP}\s+[-–]\s+(?P<rest>.*)$")
_IPHONE = re.compile(rf"^\[{_STAMP}\]\s+(?P<rest>.*)$")
_AUTHOR = re.compile(r"^(?P<author>[^:\n]{1,80}?):(?:\s(?P<text>.*)|$)", re.DOTALL)
_OMITTED = re.compile(r"^<?(?:media omitted|медиафайл опущен|без медиафайлов|медиа отсутствуют|"
                      r"(?:image|video|audio|sticker|gif|document|contact card) omitted|"
                      r"(?:изображение|видео|аудиофайл|аудио|стикер|gif|документ|контакт) отсутствует)>?$",
                      re.IGNORECASE)
_ATTACHED = re.compile(r"^(?:<(?:attached|прикреплено|вложение):\s*(?P<ios>[^>]+)>|"
                       r"(?P<android>\S.*?)\s+\((?:file attached|файл добавлен|файл прикреплен|файл прикреплён)\))$",
                       re.IGNORECASE)
_TITLES = (re.compile(r"^WhatsApp Chat (?:with|-) (?P<name>.+)$", re.IGNORECASE),
           re.compile(r"^Чат WhatsApp с (?P<name>.+)$", re.IGNORECASE),
           re.compile(r"^WhatsApp[ -]чат (?:с )?(?P<name>.+)$", re.IGNORECASE))


@dataclass
class _Header:
    line: int
    day_month: tuple[int, int, int]  # the date's three numbers as written
    separator: str
    clock: tuple[int, int, int]
    ampm: str | None
    rest: str
    marked: bool = False  # an invisible mark before the text: the iPhone's own notices carry one


def chat_title(file_name: str) -> str:
    """The chat's name from its export's name ("WhatsApp Chat with Анна.txt" → "Анна")."""
    stem = Path(file_name).stem
    for pattern in _TITLES:
        found = pattern.match(stem)
        if found:
            return found.group("name").strip()
    return stem


def _header(line_no: int, line: str) -> _Header | None:
    bare = line.lstrip("\u200e\u200f")
    found = _IPHONE.match(bare) or _ANDROID.match(bare)
    if not found:
        return None
    date = found.group("date")
    separator = next(c for c in date if not c.isdigit())
    numbers = tuple(int(part) for part in re.split(r"[./-]", date))
    clock = tuple(int(part) for part in re.split(r"[:.]", found.group("time"))) + (0,)
    ampm = found.group("ampm")
    rest = found.group("rest")
    marked = line.startswith("\u200e") or re.match(r"^[^:]{1,80}: \u200e", rest) is not None
    return _Header(line_no, numbers, separator, clock[:3], ampm[0].lower() if ampm else None, rest, marked)


def _date_order(headers: list[_Header]) -> str:
    """"dmy", "mdy" or "ymd" for the whole file: dots are Russian (day first); slashes are told apart by a
    number over 12, else by which reading keeps the messages in order, else day first."""
    first = headers[0]
    if first.day_month[0] > 31:
        return "ymd"
    if first.separator == ".":
        return "dmy"
    if any(h.day_month[0] > 12 for h in headers):
        return "dmy"
    if any(h.day_month[1] > 12 for h in headers):
        return "mdy"
    for order in ("dmy", "mdy"):
        try:
            stamps = [_stamp(h, order) for h in headers]
        except WrittenFormatError:
            continue
        if stamps == sorted(stamps):
            return order
    return "dmy"


def _stamp(header: _Header, order: str) -> datetime:
    a, b, c = header.day_month
    year, month, day = (a, b, c) if order == "ymd" else (c, b, a) if order == "dmy" else (c, a, b)
    if year < 100:
        year += 2000
    hour, minute, second = header.clock
    if header.ampm is not None:
        if not 1 <= hour <= 12:
            raise WrittenFormatError("Line {line}: {hour} is not an hour on a 12-hour clock.", line=header.line,
                                     hour=hour)
        hour = hour % 12 + (12 if header.ampm == "p" else 0)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise WrittenFormatError("Line {line}: the date or time is not a real one.", line=header.line) from None


def _message(header: _Header, sent_at: datetime, body: list[str], position: int) -> WrittenMessage:
    rest = "\n".join([header.rest, *body])
    found = _AUTHOR.match(rest.translate(_INVISIBLE))
    author, text, kind, attachments = None, rest.translate(_INVISIBLE).strip(), "system", ()
    if found is not None:
        said = found.group("text") or ""
        media, attachments, shown = _media(said.translate(_INVISIBLE))
        # The iPhone writes its own notices under the chat's name, marked with an invisible character.
        notice = header.marked and not media
        if notice:
            text = said.translate(_INVISIBLE).strip()
        else:
            author, text, kind = found.group("author").strip(), shown, "media" if media else "text"
    digest = hashlib.sha256(f"{position}|{sent_at.isoformat()}|{author}|{text}".encode()).hexdigest()[:32]
    return WrittenMessage(author=author, sent_at=sent_at, text=text.strip("\n"), kind=kind,
                          attachments=attachments, key=f"wa:{digest}", line=header.line)


def _media(text: str) -> tuple[bool, tuple[Attachment, ...], str]:
    """Whether the message's first line is a media placeholder; the file it names; the caption, or the
    placeholder itself when there is no caption."""
    first, _, caption = text.partition("\n")
    marker = first.strip()
    if _OMITTED.match(marker):
        return True, (), caption.strip() or marker
    attached = _ATTACHED.match(marker)
    if attached:
        name = (attached.group("ios") or attached.group("android")).strip()
        return True, (Attachment(name),), caption.strip() or marker
    return False, (), text


def parse_chat_text(text: str, title: str) -> Conversation:
    """A chat export's text as a conversation. Raises WrittenFormatError with the line when it is not one."""
    lines = text.translate(_SPACES).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    headers: list[_Header] = []
    bodies: list[list[str]] = []
    for number, raw in enumerate(lines, 1):
        header = _header(number, raw)
        if header is not None:
            headers.append(header)
            bodies.append([])
        elif headers:
            bodies[-1].append(raw.translate(_INVISIBLE))
        elif raw.strip():
            raise WrittenFormatError("Line {line} does not start with a date and time: this is not a WhatsApp "
                                     "chat export.", line=number)
    if not headers:
        raise WrittenFormatError("No line starts with a date and time: this is not a WhatsApp chat export.", line=1)
    order = _date_order(headers)
    messages = []
    for position, (header, body) in enumerate(zip(headers, bodies, strict=True)):
        while body and not body[-1].strip():
            body.pop()
        messages.append(_message(header, _stamp(header, order), body, position))
    messages.sort(key=lambda m: m.sent_at)  # stable: the export's own order within a minute
    if not any(m.kind != "system" for m in messages):
        raise WrittenFormatError("The chat has only system messages: nobody wrote anything.", line=headers[0].line)
    normalised = "\n".join(line.rstrip() for line in lines).strip()
    key = hashlib.sha256(("whatsapp\n" + normalised).encode()).hexdigest()
    return Conversation(channel="whatsapp", title=title, messages=messages, content_key=key)


def decode_chat(raw: bytes) -> str:
    """The export's bytes as text: UTF-8 (with or without BOM), or UTF-16 with its BOM."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise WrittenFormatError("Line {line} is not UTF-8 text: WhatsApp writes its exports in UTF-8.",
                                 line=line) from None


def read_chat_file(path: Path) -> Conversation:
    """A chat exported as a .txt file."""
    if path.stat().st_size > MAX_CHAT_BYTES:
        raise WrittenFormatError("The file is larger than any chat export ({size} MB).",
                                 size=path.stat().st_size // 2**20)
    return parse_chat_text(decode_chat(path.read_bytes()), chat_title(path.name))


def read_chat_zip(path: Path) -> Conversation:
    """A chat exported with its media: the chat's .txt inside is read, the other files are listed."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)]
            chats = [m for m in members if m.filename.lower().endswith(".txt")]
            if not chats:
                raise WrittenFormatError("The archive holds no chat text (.txt), so it is not a WhatsApp export.")
            if len(chats) > 1:
                raise WrittenFormatError("The archive holds {count} text files; a WhatsApp export holds one chat.",
                                         count=len(chats))
            chat = chats[0]
            if chat.file_size > MAX_CHAT_BYTES:
                raise WrittenFormatError("The chat in the archive is larger than any chat export ({size} MB).",
                                         size=chat.file_size // 2**20)
            raw = archive.read(chat)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise WrittenFormatError("The file is not a readable .zip archive ({reason}).", reason=str(exc)) from None
    name = PurePosixPath(chat.filename).name
    title = chat_title(path.name if name.startswith("_chat") else name)
    conversation = parse_chat_text(decode_chat(raw), title)
    conversation.attachments = [Attachment(PurePosixPath(m.filename).name, m.file_size) for m in members
                                if m is not chat]
    sizes = {a.name: a.size_bytes for a in conversation.attachments}
    for message in conversation.messages:
        message.attachments = tuple(Attachment(a.name, sizes.get(a.name)) for a in message.attachments)
    return conversation


def _hidden(member: str) -> bool:
    parts = PurePosixPath(member).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)
