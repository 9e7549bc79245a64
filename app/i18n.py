"""Interface language: Russian first, English selectable; strings go through Qt's translators."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from resources import TRANSLATIONS
from review.errors import KalibraError

if TYPE_CHECKING:
    from rubrics import Phrase, RubricError, RubricProblem

_installed: list[QTranslator] = []
_PLURAL_MARK = re.compile(r"\((s|es)\)")


def interface_language() -> str:
    """"ru" or "en": the language rubric texts, score explanations and reports are shown in.

    install_language sets Qt's default locale, so this follows the interface; Russian first.
    """
    return "en" if QLocale().language() == QLocale.Language.English else "ru"


def counted(text: str, n: int) -> str:
    """A `%n` plural translated by Qt, finished for English: the English source marks its plural endings as
    "(s)", which Qt shows as is where no translation replaces it ("1 call", "5 calls"). Russian forms come
    from kalibra_ru.ts (one|few|many) and carry no marks."""
    return _PLURAL_MARK.sub("" if abs(n) == 1 else r"\1", text)


def error_text(exc: BaseException) -> str:
    """What to show the user for `exc`: a domain error's template in the interface language, filled in.

    Templates are collected into the "Errors" context of kalibra_ru.ts by resources/i18n/translations.py;
    one without a translation (or any other exception) reads as its English text. Safe off the GUI thread.
    """
    from rubrics import RubricError  # here, not at the top: the rubric schema need not load at start-up

    if isinstance(exc, RubricError):
        return rubric_error_text(exc)
    if isinstance(exc.__cause__, RubricError) and str(exc) == str(exc.__cause__):  # re-raised as is
        return rubric_error_text(exc.__cause__)
    if not isinstance(exc, KalibraError):
        return str(exc)
    return _translated("Errors", exc.template, exc.params)


def rubric_problem_text(problem: RubricProblem) -> str:
    """One rubric problem in the interface language: "section 'x', question 'y': what is wrong".

    The templates (rubrics.errors.Phrase) are collected into the "RubricErrors" context of kalibra_ru.ts by
    resources/i18n/translations.py; a problem without them, or a missing translation, reads in English.
    """
    if problem.phrase is None:
        return problem.message
    where = ", ".join(_phrase_text(part) for part in problem.where)
    text = _phrase_text(problem.phrase)
    return f"{where}: {text}" if where else text


def rubric_error_text(error: RubricError) -> str:
    """Every problem of a rubric file, one a line, each after its source and line as in str(error)."""
    return "\n".join(_phrase_text(error.located(problem), problem=rubric_problem_text(problem))
                     for problem in error.problems)


def phrase_text(phrase: Phrase) -> str:
    """A rubrics Phrase (a problem, where a check looked) in the interface language, filled in."""
    return _phrase_text(phrase)


def _phrase_text(phrase: Phrase, **params: object) -> str:
    return _translated("RubricErrors", phrase.template, {**phrase.params, **params})


def _translated(context: str, template: str, params: dict) -> str:
    """The template in the interface language, filled in; without params it is the text as is (braces too).
    A value that is itself a domain error (a row's reason inside "column …, value …: reason") is translated too."""
    text = QCoreApplication.translate(context, template)
    if not params:
        return text
    params = {name: error_text(value) if isinstance(value, KalibraError) else value for name, value in params.items()}
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder: English beats a crash
        return template.format(**params)


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
