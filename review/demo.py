"""The demo workspace: synthetic clinic calls and the built-in rubrics, so every screen has something real."""

from __future__ import annotations

from sqlalchemy import func, select

from resources import DEMO_CALLS
from review.storage.db import Database
from review.models import Call, User
from review.scoring.rubric_store import install_builtin_rubrics


def library_is_empty(db: Database) -> bool:
    with db.sessions() as session:
        return not session.scalar(select(func.count(Call.id)))


def create_demo_workspace(db: Database, actor: User, progress=None):
    """Import the demo calls with their metadata (idempotent: a second run imports nothing)."""
    from review.library.importing import import_recordings  # numpy and audio decoders load on first use

    report = import_recordings(db, actor, [DEMO_CALLS], progress=progress)
    with db.unit_of_work() as session:
        install_builtin_rubrics(session, actor)
    return report
