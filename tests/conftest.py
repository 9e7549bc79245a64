"""Shared fixtures: a real SQLite file and, where a server answers, a real PostgreSQL schema per test."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests are the same on every run and every machine: a fixed derandomised search, no per-example
# deadline (a loaded CI machine is not a failure). HYPOTHESIS_PROFILE=explore searches afresh.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", deadline=None, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent.parent
DEMO_CALLS = REPO / "resources" / "demo" / "calls"
PG_URL = os.environ.get("KALIBRA_TEST_PG_URL", "postgresql+psycopg://kalibra:kalibra@127.0.0.1:5432/kalibra_test")

# Tests that run the real speech model take 10–60 s each; collected last (tests/transcription sorts last)
# they left one worker busy for minutes after the other had finished. They go first, the rest fill in.
_MODEL_HEAVY = ("tests/transcription/", "test_transcription_queue.py", "test_long_call_queue.py",
                "test_clinic_vocabulary.py", "test_transcription_gui.py", "test_journeys.py")


def pytest_collection_modifyitems(items) -> None:
    items.sort(key=lambda item: not any(part in item.nodeid for part in _MODEL_HEAVY))  # stable: order kept


@pytest.fixture(autouse=True)
def _private_folders(tmp_path_factory, monkeypatch):
    """Never touch the developer's real data or settings."""
    monkeypatch.setenv("KALIBRA_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("KALIBRA_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    # Empty: no database named in the environment. Set so that a test may point the GUI's worker process at
    # its database (use_database_for_workers) and it is undone afterwards.
    monkeypatch.setenv("KALIBRA_DATABASE_URL", "")


def use_database_for_workers(url: str, settings=None) -> None:
    """Where a spawned transcription worker finds the test's database and settings: as a user's desktop
    would have them (the environment and the settings file), never passed to the process."""
    from review.desktop.user_settings import save_settings

    os.environ["KALIBRA_DATABASE_URL"] = url
    if settings is not None:
        save_settings(settings)


@pytest.fixture(autouse=True)
def _restore_clock():
    """A test that sets the workspace clock never leaves it set for the next one."""
    from review.clock import current_clock, use_clock

    before = current_clock()
    yield
    use_clock(before)


@pytest.fixture
def clock():
    """The workspace clock set to Wednesday 18 November 2026, 10:00 UTC, a millisecond on at each reading."""
    from review.clock import FixedClock, use_clock

    fixed = FixedClock(datetime(2026, 11, 18, 10, 0), tick=timedelta(milliseconds=1))
    use_clock(fixed)
    return fixed


def need_tool(command: str, debian_package: str) -> None:
    """Skip a test whose external program is missing, on a developer's machine; on CI (.ci/run installs
    every such program and sets KALIBRA_REQUIRE_TOOLS) a missing one fails, so no test is quietly lost."""
    import shutil

    if shutil.which(command) is not None:
        return
    message = f"{command} is not installed (apt-get install {debian_package})"
    if os.environ.get("KALIBRA_REQUIRE_TOOLS"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def festival():
    """For tests that make Russian speech with festival's text2wave."""
    need_tool("text2wave", "festival festvox-ru")


@pytest.fixture
def sox():
    """For tests that remix audio with sox."""
    need_tool("sox", "sox")


def _postgres_available() -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


_PG = None


def postgres_available() -> bool:
    global _PG
    if _PG is None:
        _PG = _postgres_available()
        if not _PG and os.environ.get("KALIBRA_REQUIRE_PG"):
            raise RuntimeError(f"KALIBRA_REQUIRE_PG is set but PostgreSQL does not answer at {PG_URL}")
    return _PG


def _fresh_postgres_url():
    """A throw-away schema on the test server, so tests never see each other's rows."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db_url(request, tmp_path):
    """An empty database (no tables yet), for the migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kalibra.sqlite3'}"
        return
    if not postgres_available():
        pytest.skip(f"no PostgreSQL server at {PG_URL}")
    url, drop = _fresh_postgres_url()
    yield url
    drop()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    """One migrated SQLite file; each test gets a copy (much faster than migrating each time)."""
    from review.storage.db import open_database

    path = tmp_path_factory.mktemp("template") / "kalibra.sqlite3"
    database = open_database(f"sqlite:///{path}")
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_schema():
    """One migrated PostgreSQL schema for the run; each test starts from truncated tables."""
    from sqlalchemy import create_engine

    from review.storage.db import open_database

    if not postgres_available():
        yield None
        return
    url, drop = _fresh_postgres_url()
    open_database(url).dispose()
    engine = create_engine(url)
    yield url, engine
    engine.dispose()
    drop()


def _truncate(engine, names: str) -> None:
    """Empty every table; retried when a straggler of the previous test (a thread or a spawned worker
    process still reading) holds a lock and PostgreSQL breaks the deadlock by cancelling the truncation."""
    import time

    from sqlalchemy.exc import OperationalError

    for attempt in range(5):
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE")
            return
        except OperationalError as error:
            if "deadlock" not in str(error) or attempt == 4:
                raise
            time.sleep(0.5)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A migrated, empty-of-rows database: a fresh SQLite file, or the test schema on PostgreSQL."""
    if request.param == "sqlite":
        import shutil

        target = tmp_path / "kalibra.sqlite3"
        shutil.copy(request.getfixturevalue("_sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    shared = request.getfixturevalue("_postgres_schema")
    if shared is None:
        pytest.skip(f"no PostgreSQL server at {PG_URL}")
    url, engine = shared
    from review.models import Base

    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    _truncate(engine, names)
    from sqlalchemy.orm import Session

    from review.library.vocabularies import ensure_default_vocabulary

    with Session(engine) as session:  # the rows migration 0005 seeds, as a fresh database has them
        ensure_default_vocabulary(session)
        session.commit()
    yield url


@pytest.fixture
def db(db_url):
    from review.storage.db import open_database

    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path):
    from review.storage.db import open_database

    database = open_database(f"sqlite:///{tmp_path / 'kalibra.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def admin(db):
    from review.accounts.local_admin import ensure_local_admin

    with db.sessions() as session:
        user = ensure_local_admin(session)
        session.commit()
        return user


@pytest.fixture(scope="session")
def whisper_folder(tmp_path_factory) -> Path:
    """The packaged whisper base model, joined once for the whole test run."""
    from transcription.model import prepare_packaged_model

    return Path(prepare_packaged_model(tmp_path_factory.mktemp("whisper")))


def write_tone_call(path: Path, seconds: float = 2.0, rate: int = 8000, channels: int = 2, subtype: str | None = None,
                    fmt: str | None = None) -> Path:
    """A real recording: a different tone per channel, so content (and hash) depends on its arguments."""
    t = np.arange(int(seconds * rate)) / rate
    left = 0.3 * np.sin(2 * np.pi * 440 * t)
    data = left if channels == 1 else np.stack([left, 0.3 * np.sin(2 * np.pi * 660 * t + seconds)], axis=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, data, rate, subtype=subtype, format=fmt)
    return path
