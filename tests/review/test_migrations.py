from sqlalchemy import inspect

from review.storage.db import open_database
from review.storage.migrate import current_revision, head_revision
from review.models import Base


def test_migrations_build_every_table_from_empty(empty_db_url):
    db = open_database(empty_db_url)
    try:
        assert current_revision(db.engine) == head_revision()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
    finally:
        db.dispose()


def test_opening_twice_keeps_rows(empty_db_url, tmp_path):
    from review.models import Operator

    db = open_database(empty_db_url)
    with db.unit_of_work() as session:
        session.add(Operator(name="Анна Смирнова"))
    db.dispose()
    again = open_database(empty_db_url)
    try:
        with again.sessions() as session:
            assert [o.name for o in session.query(Operator)] == ["Анна Смирнова"]
    finally:
        again.dispose()


def test_sqlite_file_is_private_and_in_wal_mode(tmp_path):
    path = tmp_path / "private.sqlite3"
    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert path.stat().st_mode & 0o077 == 0
    finally:
        db.dispose()


def test_bad_database_address_is_a_clear_error():
    import pytest

    from review.errors import DatabaseError

    with pytest.raises(DatabaseError, match="not valid"):
        open_database("no-such-scheme:::")


def test_known_head_matches_the_migration_scripts():
    from review.storage.migrate import HEAD

    assert HEAD == head_revision(), "update review.storage.migrate.HEAD after adding a migration"


def test_a_dead_database_server_is_a_clear_error():
    import pytest

    from review.errors import DatabaseError

    with pytest.raises(DatabaseError, match="Cannot open the database"):
        open_database("postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2")


def test_0005_seeds_the_lists_and_links_existing_calls_by_phone(empty_db_url):
    from alembic import command
    from sqlalchemy import text

    from review.storage.db import create_database_engine
    from review.storage.migrate import alembic_config

    engine = create_database_engine(empty_db_url)
    try:
        command.upgrade(alembic_config(engine), "0003")
        with engine.begin() as connection:
            for sha, phone in (("a" * 64, "+7 (916) 123-45-67"), ("b" * 64, "89161234567"), ("c" * 64, None)):
                connection.execute(text(
                    "INSERT INTO calls (path, sha256, size_bytes, duration_s, sample_rate, channels, codec, "
                    "operator_channel, channel_kind, phone, tags, imported_at, transcription_status, thanked, "
                    "version) VALUES (:path, :sha, 1, 1.0, 8000, 1, 'PCM', 0, 'phone', :phone, '[]', "
                    "CURRENT_TIMESTAMP, 'pending', false, 1)"), {"path": f"/{sha[0]}.wav", "sha": sha, "phone": phone})
        command.upgrade(alembic_config(engine), "head")
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT phone_key FROM calls ORDER BY sha256")).scalars().all()
            kinds = connection.execute(text("SELECT code FROM vocabulary_entries WHERE vocabulary = 'call_kind' "
                                            "ORDER BY position")).scalars().all()
        assert keys == ["9161234567", "9161234567", None]
        assert kinds[:2] == ["inbound_booking", "callback_checkup"] and len(kinds) == 7
        command.downgrade(alembic_config(engine), "0003")
        command.upgrade(alembic_config(engine), "head")  # and back: the downgrade leaves nothing behind
    finally:
        engine.dispose()
