"""Opening a workspace: the database, the acting user, the built-in rubrics — the same for GUI, CLI, worker."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from review import clock as workspace_clock
from review.accounts.local_admin import ensure_local_admin
from review.storage.database_errors import describe_database_error
from review.storage.db import Database, open_database
from review.errors import DatabaseError
from review.models import User
from review.scoring.rubric_store import install_builtin_rubrics
from review.library.vocabularies import ensure_default_vocabulary


def _check_writable(db: Database) -> None:
    """A read-only or locked SQLite file is said at start, in one sentence, not at the first save."""
    if not db.is_sqlite:
        return
    try:
        with db.engine.connect() as connection:
            transaction = connection.begin()
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            transaction.rollback()
    except SQLAlchemyError as exc:
        db.dispose()
        raise describe_database_error(exc, db.url) from exc


def open_workspace(database_url: str | None = None, *,
                   clock: workspace_clock.Clock | None = None) -> tuple[Database, User]:
    """Open the database and the local user; `clock` (default: the wall clock) dates everything the core stamps."""
    if clock is not None:
        workspace_clock.use_clock(clock)
    db = open_database(database_url)
    _check_writable(db)
    for attempt in range(3):
        try:
            with db.unit_of_work() as session:
                actor = ensure_local_admin(session)
                install_builtin_rubrics(session, actor)
                ensure_default_vocabulary(session)
            return db, actor
        except DatabaseError as exc:
            # Two desktops or workers starting together on a fresh shared database: the other one
            # created the same rows first; ours rolled back whole, so look again.
            if not isinstance(exc.__cause__, IntegrityError) or attempt == 2:
                db.dispose()
                raise
    raise AssertionError("unreachable")
