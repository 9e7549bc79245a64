"""One way to open the database: the embedded SQLite file by default, any SQLAlchemy URL otherwise."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from review.storage.database_errors import describe_database_error
from review.errors import ConflictError, DatabaseError
from review.desktop.paths import user_data_dir

DATABASE_URL_ENV = "KALIBRA_DATABASE_URL"


def default_database_url() -> str:
    return f"sqlite:///{user_data_dir() / 'kalibra.sqlite3'}"


def resolve_database_url(configured: str | None = None) -> str:
    """The environment wins over the setting, the setting over the embedded default."""
    return os.environ.get(DATABASE_URL_ENV) or configured or default_database_url()


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return  # in memory, or a URI filename (file:...?mode=ro) that SQLite opens as it says
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Recordings' transcripts are personal data: the file is readable by its owner only.
        path.touch(mode=stat.S_IRUSR | stat.S_IWUSR)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    """An engine with the settings each backend needs (WAL, foreign keys, busy timeout on SQLite)."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError; any parse failure means a bad setting
        raise DatabaseError("Database address is not valid: {url} ({reason})", url=repr(url), reason=str(exc)) from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            _prepare_sqlite_file(url)
            engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError) as exc:
        raise DatabaseError("Database address is not valid: {url} ({reason})",
                            url=parsed.render_as_string(hide_password=True), reason=str(exc)) from exc
    except OSError as exc:
        raise DatabaseError("Cannot create the database file {path}: {reason}", path=parsed.database,
                            reason=exc.strerror) from exc


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open (and by default upgrade) the database at `url` or the configured/default one."""
    db = Database(create_database_engine(resolve_database_url(url)))
    try:
        with db.engine.connect():
            pass
        if migrate:
            from review.storage.migrate import upgrade_to_head

            upgrade_to_head(db.engine)
    except (SQLAlchemyError, DatabaseError) as exc:
        db.dispose()
        raise describe_database_error(exc, db.url) from exc
    return db


class Database:
    """Engine plus a session factory; one session per unit of work, never shared across threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise ConflictError("Someone else changed this record since you opened it; reload it and try again.") from exc
        except SQLAlchemyError as exc:
            session.rollback()
            raise describe_database_error(exc, self.url) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
