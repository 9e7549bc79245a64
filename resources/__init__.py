"""Files shipped with Kalibra: stylesheet, translations, demo calls."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
DEMO_CALLS = RESOURCES / "demo" / "calls"
TRANSLATIONS = RESOURCES / "i18n"
STYLESHEET = RESOURCES / "style.qss"
