"""Workspace-wide settings, one JSON value per key shared by every desktop on the database: read and written
here, so each feature's setting module keeps only its own key, defaults and rules."""

from __future__ import annotations

from sqlalchemy.orm import Session

from review.models import Setting


def setting_value(session: Session, key: str) -> dict | None:
    """The stored value of `key`; None until someone sets it."""
    setting = session.get(Setting, key)
    return setting.value if setting is not None else None


def put_setting(session: Session, key: str, value: dict) -> None:
    """Store `value` as the whole value of `key` (the caller audits the change)."""
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value  # a new object: the JSON column sees the change
    session.flush()
