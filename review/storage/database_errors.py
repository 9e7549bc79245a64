"""Database failures as one sentence a user can act on: read-only, damaged, locked, unreachable, too new.

The full exception, traceback included, goes to the log file (review.desktop.error_log).
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import make_url

from review.errors import DatabaseError

log = logging.getLogger("kalibra.database")


def _reason_text(exc: BaseException) -> str:
    """The driver's own messages along the exception chain, lower-cased, for matching."""
    parts, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append(str(getattr(current, "orig", None) or current))
        current = current.__cause__ or current.__context__
    return " | ".join(parts).lower()


def _first_line(exc: BaseException) -> str:
    reason = getattr(exc, "orig", None) or exc
    lines = str(reason).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__


def _sqlite_file(url: str) -> str | None:
    try:
        parsed = make_url(url)
    except Exception:  # an address that does not parse names no file
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return parsed.database.removeprefix("file:")  # a URI filename (?mode=ro&uri=true)


def describe_database_error(exc: BaseException, url: str) -> DatabaseError:
    """One sentence for a failure of the database at `url` (the password is never shown)."""
    if isinstance(exc, DatabaseError) and getattr(exc, "described", False):
        return exc
    log.error("database error on %s", url, exc_info=exc)
    text = _reason_text(exc)
    path = _sqlite_file(url)
    if "readonly database" in text or "read-only" in text or "readonly" in text:
        error = DatabaseError("The database file {path} is read-only: give your user write permission on the "
                              "file and its folder (for example chmod u+w), or choose another database in "
                              "Settings.", path=path or url)
    elif "file is not a database" in text or "malformed" in text or "disk image" in text:
        error = DatabaseError("The database file {path} is damaged and was left as it is: restore it from a "
                              "backup, or recover what it holds with `sqlite3 {path} .recover` into a new file "
                              "and point Kalibra at that.", path=path or url)
    elif "database is locked" in text or "database table is locked" in text or "locknotavailable" in text:
        error = DatabaseError("The database {path} is locked by another program (another Kalibra, a backup "
                              "or a sync tool): close it and try again.", path=path or url)
    elif "unable to open database file" in text:
        error = DatabaseError("The database file {path} cannot be opened: check that its folder exists and "
                              "that you may write there.", path=path or url)
    elif any(word in text for word in ("connection refused", "could not connect", "connection to server",
                                       "timeout expired", "name or service not known", "could not translate")):
        error = DatabaseError("Cannot open the database {url}: the server does not answer ({reason}); check "
                              "that it is running and the address in Settings.", url=url, reason=_first_line(exc))
    elif isinstance(exc, DatabaseError):
        error = exc
    else:
        error = DatabaseError("Cannot open the database {url}: {reason}", url=url, reason=_first_line(exc))
    error.described = True
    return error


def schema_too_new(url: str, revision: str) -> DatabaseError:
    log.error("database %s has schema revision %s, which this program does not know", url, revision)
    error = DatabaseError("The database {url} was last used by a newer Kalibra (schema {revision}): install "
                          "that version or newer to open it.", url=url, revision=revision)
    error.described = True
    return error
