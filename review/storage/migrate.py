"""Alembic migrations, run from code: every start upgrades the database to the newest schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# The newest revision; a test keeps it equal to Alembic's head. Knowing it lets an up-to-date database
# open without importing Alembic at all (a third of a second at start-up).
HEAD = "0011"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def _stored_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema up to date; a schema from a newer Kalibra is refused untouched (DatabaseError)."""
    stored = _stored_revision(engine)
    if stored == HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    config = alembic_config(engine)
    if stored is not None:
        try:
            ScriptDirectory.from_config(config).get_revision(stored)
        except CommandError:
            from review.storage.database_errors import schema_too_new

            raise schema_too_new(engine.url.render_as_string(hide_password=True), stored) from None
    command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
