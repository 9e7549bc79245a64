"""Databases in trouble, made for real: read-only, damaged, locked, unreachable, from a newer Kalibra."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

from review.storage.db import open_database
from review.workspace import open_workspace

UNREACHABLE = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2"


def healthy_database(folder: Path) -> Path:
    """A migrated SQLite file with its workspace set up, checkpointed so the file alone holds everything."""
    path = folder / "kalibra.sqlite3"
    db, _actor = open_workspace(f"sqlite:///{path}")
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def read_only_url(folder: Path) -> str:
    """A database Kalibra may read but not write (root ignores file modes, so SQLite is told as well)."""
    path = healthy_database(folder)
    os.chmod(path, stat.S_IRUSR)
    if os.geteuid() == 0:
        return f"sqlite:///file:{path}?mode=ro&uri=true"
    return f"sqlite:///{path}"


def damaged_url(folder: Path, *, header: bool) -> str:
    path = healthy_database(folder)
    data = bytearray(path.read_bytes())
    if header:
        data[:16] = b"not a database!!"
    else:
        for offset in range(4096, len(data), 4096):
            data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return f"sqlite:///{path}"


def newer_schema_url(folder: Path) -> str:
    path = healthy_database(folder)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    return f"sqlite:///{path}"


def lock(url: str) -> sqlite3.Connection:
    """Another program holding the write lock; close the connection to release it."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    return connection


def restore_modes(folder: Path) -> None:
    for path in folder.rglob("*"):
        os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(folder, ignore_errors=True)


__all__ = ["UNREACHABLE", "damaged_url", "healthy_database", "lock", "newer_schema_url", "open_database",
           "read_only_url", "restore_modes"]
