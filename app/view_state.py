"""Where window geometry and splitter positions are remembered: an INI file beside the user's settings.

Kept next to settings.json (not in Qt's default location) so KALIBRA_CONFIG_DIR moves both, and tests
never touch a real user's layout.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from review.desktop.user_settings import settings_path


def view_state() -> QSettings:
    return QSettings(str(settings_path().with_name("view-state.ini")), QSettings.Format.IniFormat)
