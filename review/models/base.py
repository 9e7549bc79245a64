"""Declarative base and column conventions shared by every table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, MetaData
from sqlalchemy.orm import DeclarativeBase

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
