"""Opening a workspace: the database, the acting user, the built-in rubrics — the same for GUI, CLI, worker."""

from __future__ import annotations

from review.accounts import ensure_local_admin
from review.db import Database, open_database
from review.models import User
from review.rubric_store import install_builtin_rubrics


def open_workspace(database_url: str | None = None) -> tuple[Database, User]:
    db = open_database(database_url)
    with db.unit_of_work() as session:
        actor = ensure_local_admin(session)
        install_builtin_rubrics(session, actor)
    return db, actor
