"""Importing one written file (a WhatsApp .txt/.zip export, an .eml, an mbox) as the library import's unit:
read it whole, then store every conversation in it in one transaction, or nothing.

A mailbox holds mail that is no one's business (newsletters, other departments): its threads in which no
known operator wrote are left out and counted; a chat or a single mail without a known operator is refused
with the names of its participants, so the importer can say which one is the clinic's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from review.accounts.access import IMPORT_CALLS, require
from review.models import User
from review.storage.db import Database
from review.written.conversation import Conversation, WrittenFormatError, identity_handle
from review.written.email_import import read_eml, read_mbox
from review.written.storage import NoKnownOperator, clinic_zone, store_conversation
from review.written.whatsapp import read_chat_file, read_chat_zip
from review.written.written_settings import operator_identities, working_hours

WRITTEN_EXTENSIONS = frozenset({".txt", ".zip", ".eml", ".mbox", ".mbx"})
_LOOKS_LIKE_CHAT = re.compile(r"^[\u200e\ufeff]*\[?\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")


@dataclass
class WrittenFileResult:
    imported: list[int] = field(default_factory=list)  # interactions created
    extended: list[int] = field(default_factory=list)  # interactions that gained messages
    present: list[int] = field(default_factory=list)  # already there, unchanged
    left_out: int = 0  # mailbox threads in which no known operator wrote


def looks_written(path: Path) -> bool:
    """Whether a file met in a folder is worth reading as a chat or mail (a .txt of notes beside recordings is
    not, and stays unmentioned); a file chosen by name is always read."""
    suffix = path.suffix.lower()
    if suffix != ".txt":
        return suffix in WRITTEN_EXTENSIONS and suffix != ".zip" or _zip_has_chat(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="ignore")
    except OSError:
        return True  # say that it cannot be read
    first = next((line for line in head.splitlines() if line.strip()), "")
    return bool(_LOOKS_LIKE_CHAT.match(first))


def _zip_has_chat(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith(".txt") for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def read_conversations(path: Path, zone=None) -> list[Conversation]:
    """Every conversation in the file. Raises WrittenFormatError (one sentence, with the line) or OSError."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return [read_chat_file(path)]
    if suffix == ".zip":
        return [read_chat_zip(path)]
    if suffix == ".eml":
        return read_eml(path, zone=zone)
    if suffix in (".mbox", ".mbx"):
        return read_mbox(path, zone=zone)
    raise WrittenFormatError("Not a chat export or a mail file ({suffix}).", suffix=suffix or "no extension")


def import_written_file(db: Database, actor: User, path: Path) -> WrittenFileResult:
    """Read and store one file; raises WrittenFormatError, NoKnownOperator or OSError with nothing stored."""
    require(actor, IMPORT_CALLS)
    with db.sessions() as session:
        identities, hours = operator_identities(session), working_hours(session)
    conversations = read_conversations(path, clinic_zone(hours))
    result = WrittenFileResult()
    mailbox = len(conversations) > 1 or path.suffix.lower() in (".mbox", ".mbx")
    with db.sessions() as session, session.begin():
        for conversation in conversations:
            try:
                stored = store_conversation(session, actor, conversation, path, identities, hours)
            except NoKnownOperator:
                if not mailbox:
                    raise
                result.left_out += 1
                continue
            {"imported": result.imported, "extended": result.extended, "present": result.present}[
                stored.outcome].append(stored.call_id)
    if mailbox and not (result.imported or result.extended or result.present):
        raise NoKnownOperator("No thread of the mailbox has a known operator in it: say which address is an "
                              "operator's, and import again.")
    return result


@dataclass(frozen=True)
class Participant:
    handle: str  # what an operator identity is matched on: the e-mail address, else the chat name (lower case)
    name: str  # as the file shows it
    messages: int
    channel: str


def scan_participants(paths: list[Path], limit: int = 200) -> list[Participant]:
    """Who wrote in the chats and mails under `paths` (the first `limit` files), most messages first; files that
    cannot be read are left to the import to report."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                            and p.suffix.lower() in WRITTEN_EXTENSIONS and looks_written(p))
        elif path.suffix.lower() in WRITTEN_EXTENSIONS:
            files.append(path)
    counts: dict[str, list] = {}
    for path in files[:limit]:
        try:
            conversations = read_conversations(path)
        except (WrittenFormatError, OSError):
            continue
        for conversation in conversations:
            for message in conversation.messages:
                if message.kind == "system" or not message.handle:
                    continue
                name = message.author or message.address or ""
                if message.address and message.author:
                    name = f"{message.author} <{message.address}>"
                entry = counts.setdefault(identity_handle(message.handle), [name, 0, conversation.channel])
                entry[1] += 1
    return sorted((Participant(handle, name, count, channel) for handle, (name, count, channel) in counts.items()),
                  key=lambda p: (-p.messages, p.name))
