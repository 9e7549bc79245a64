from sqlalchemy import inspect

from review.db import open_database
from review.migrate import current_revision, head_revision
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
    from review.migrate import HEAD

    assert HEAD == head_revision(), "update review.migrate.HEAD after adding a migration"


def test_a_dead_database_server_is_a_clear_error():
    import pytest

    from review.errors import DatabaseError

    with pytest.raises(DatabaseError, match="Cannot open the database"):
        open_database("postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
