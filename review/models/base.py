"""Declarative base and column conventions shared by every table."""

from __future__ import annotations

import codecs
import os
from datetime import datetime

from sqlalchemy import JSON, MetaData, String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from review import clock
# Stable constraint names so Alembic batch migrations on SQLite can find them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """System timestamps are stored as naive UTC; call times are the clinic's local wall clock."""
    return clock.now()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict: JSON, list: JSON}


# A file name that is not valid UTF-8 (a Windows-1251 name copied to Linux) is a str with escaped bytes,
# which no database can store; it is kept as this prefix and the name's bytes (\\ doubled, odd bytes as \\xNN).
_BYTES_PREFIX = "bytes:"


class FilePath(TypeDecorator):
    """A file system path stored as text; names in any byte encoding round-trip exactly."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            raw = os.fsencode(value).replace(b"\\", b"\\\\")
            return _BYTES_PREFIX + raw.decode("utf-8", errors="backslashreplace")

    def process_result_value(self, value, dialect):
        if value is None or not value.startswith(_BYTES_PREFIX):
            return value
        return os.fsdecode(codecs.escape_decode(value[len(_BYTES_PREFIX):].encode("utf-8"))[0])
