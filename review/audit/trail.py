"""The append-only audit trail: every service that changes data records who did what, old and new."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from review.models import AuditEntry, User


def record(session: Session, actor: User | None, action: str, entity: Any, *, old: dict | None = None,
           new: dict | None = None, note: str | None = None) -> AuditEntry:
    entry = AuditEntry(
        user_id=actor.id if actor is not None else None,
        action=action,
        entity=getattr(entity, "__tablename__", str(entity)),
        entity_id=getattr(entity, "id", None),
        old=old,
        new=new,
        note=note,
    )
    session.add(entry)
    return entry
