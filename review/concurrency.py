"""Optimistic locking: a save that lost the race against someone else's becomes a ConflictError.

Call, Evaluation and ReviewSession carry a version column (SQLAlchemy `version_id_col`): an UPDATE names the
version that was loaded, and when another desktop saved in between no row matches and SQLAlchemy raises
StaleDataError. The GUI then offers "reload" (discard mine) or "keep mine": reload the row with
`session.refresh(row)` (which brings the new version number), apply the user's edits again and save.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from review.errors import ConflictError


@contextmanager
def conflicts_reported(what: str = "record") -> Iterator[None]:
    """Translate a lost optimistic-locking race inside the block into ConflictError."""
    try:
        yield
    except StaleDataError as exc:
        raise ConflictError("Someone else saved this {what} after you opened it. Reload to see their changes, "
                            "or keep yours to overwrite them.", what=what) from exc


def save_or_conflict(session: Session, what: str = "record") -> None:
    """Commit the session; a concurrent save of the same row rolls back and raises ConflictError."""
    try:
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise ConflictError("Someone else saved this {what} after you opened it. Reload to see their changes, "
                            "or keep yours to overwrite them.", what=what) from exc

