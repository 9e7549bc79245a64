"""Interface language: Russian first, English selectable; strings go through Qt's translators."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from resources import TRANSLATIONS
from review.errors import KalibraError

_installed: list[QTranslator] = []


def interface_language() -> str:
    """"ru" or "en": the language rubric texts, score explanations and reports are shown in.

    install_language sets Qt's default locale, so this follows the interface; Russian first.
    """
    return "en" if QLocale().language() == QLocale.Language.English else "ru"


def error_text(exc: BaseException) -> str:
    """What to show the user for `exc`: a domain error's template in the interface language, filled in.

    Templates are collected into the "Errors" context of kalibra_ru.ts by resources/i18n/translations.py;
    one without a translation (or any other exception) reads as its English text. Safe off the GUI thread.
    """
    if not isinstance(exc, KalibraError):
        return str(exc)
    text = QCoreApplication.translate("Errors", exc.template)
    if not exc.params:
        return text
    try:
        return text.format(**exc.params)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder: English beats a crash
        return str(exc)


def install_language(app: QApplication, language: str) -> None:
    """Source strings are English; Russian comes from resources/i18n/kalibra_ru.qm plus Qt's own dialogs."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Russian if language == "ru" else QLocale.Language.English))
    if language == "en":
        return
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS / f"kalibra_{language}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
