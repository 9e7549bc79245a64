"""The workspace: the database, the acting user, their settings and the clock — opened the same for GUI, CLI, worker.

A `Workspace` is what every core operation receives (the interface runs them off its thread through
app.operations): `reading()` and `changing()` give a session, and the feature services take it with
`ws.actor`, e.g. `with ws.reading() as s: return library.calls.call_page(s, ws.actor, ...)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from review import clock as workspace_clock
from review.accounts.local_admin import ensure_local_admin
from review.desktop.user_settings import UserSettings
from review.errors import DatabaseError
from review.library.vocabularies import ensure_default_vocabulary
from review.models import User
from review.scoring.rubric_store import install_builtin_rubrics
from review.storage.database_errors import describe_database_error
from review.storage.db import Database, open_database, resolve_database_url


@dataclass
class Workspace:
    """One desktop's way into the core. Safe to share between threads: each operation opens its own session."""

    db: Database
    actor: User | None  # None only for the queue's own bookkeeping, which no user's rights bear on
    settings: UserSettings = field(default_factory=UserSettings)

    @property
    def clock(self) -> workspace_clock.Clock:
        return workspace_clock.current_clock()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads; nothing it changes is kept."""
        with self.db.sessions() as session:
            yield session

    @contextmanager
    def changing(self) -> Iterator[Session]:
        """A session whose changes are committed together when the block ends, or not at all."""
        with self.db.unit_of_work() as session:
            yield session


def in_workspace_words(exc: BaseException, database_url: str | None = None) -> BaseException:
    """The error as a user should read it: a database driver's error becomes the DatabaseError that names the
    database and the trouble (locked, read-only, unreachable…); any other is returned as it is."""
    if isinstance(exc, SQLAlchemyError):
        return describe_database_error(exc, resolve_database_url(database_url))
    return exc


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


def open_workspace(database_url: str | None = None, *, clock: workspace_clock.Clock | None = None,
                   local_admin_name: str | None = None) -> tuple[Database, User]:
    """Open the database and the local user (created as `local_admin_name`, default "Administrator", on the
    first start; the desktop passes the word in its interface language, and on the embedded database a stock
    name in another language follows it); `clock` (default: the wall clock) dates everything the core
    stamps."""
    if clock is not None:
        workspace_clock.use_clock(clock)
    db = open_database(database_url)
    _check_writable(db)
    for attempt in range(3):
        try:
            with db.unit_of_work() as session:
                # Only the embedded database is one desktop's: on a shared one, desktops in two languages would
                # rename the administrator back and forth.
                actor = ensure_local_admin(session, local_admin_name or "Administrator",
                                           follow_language=local_admin_name is not None and db.is_sqlite)
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
