"""Files shipped with Kalibra: stylesheet, translations, demo calls."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
DEMO_CALLS = RESOURCES / "demo" / "calls"
TRANSLATIONS = RESOURCES / "i18n"
STYLESHEET = RESOURCES / "style.qss"
ICONS = RESOURCES / "icons"


def stylesheet() -> str:
    """The application stylesheet; @ICONS@ in it stands for the icons folder (Qt resolves url() from the
    working directory otherwise)."""
    return STYLESHEET.read_text(encoding="utf-8").replace("@ICONS@", ICONS.as_posix())
