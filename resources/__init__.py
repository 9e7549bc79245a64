"""Files shipped with Kalibra: stylesheet, translations, demo calls, chats and e-mails."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
DEMO_CALLS = RESOURCES / "demo" / "calls"
DEMO_WRITTEN = RESOURCES / "demo" / "written"  # WhatsApp chats and e-mails
TRANSLATIONS = RESOURCES / "i18n"
STYLESHEET = RESOURCES / "style.qss"
ICONS = RESOURCES / "icons"


def stylesheet() -> str:
    """The application stylesheet; @ICONS@ in it stands for the icons folder (Qt resolves url() from the
    working directory otherwise)."""
    return STYLESHEET.read_text(encoding="utf-8").replace("@ICONS@", ICONS.as_posix())
