"""The log file: details of every error the user was shown in one sentence (tracebacks go here only)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from review.desktop.paths import user_data_dir

LOG_NAME = "kalibra.log"
_configured = False


def log_path() -> Path:
    return user_data_dir() / LOG_NAME


def configure_logging() -> None:
    """Send warnings and errors of every Kalibra logger to the log file (once per process)."""
    global _configured
    if _configured:
        return
    try:
        handler = RotatingFileHandler(log_path(), maxBytes=2_000_000, backupCount=3, encoding="utf-8",
                                      errors="backslashreplace")
    except OSError:
        return  # a read-only data folder must not stop the program; the messages are still shown
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.WARNING))
    _configured = True
