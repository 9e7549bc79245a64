"""Counts read as each language writes them: Russian one/few/many forms from the translation, English "1 call" and
"5 calls", never "call(s)"; the translations given with a change (i18n_pairs.json) compile and are used."""

from __future__ import annotations

import importlib.util
import json
import shutil

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.i18n import counted, install_language
from app.sessions.create_dialog import CreateSessionsDialog
from review.accounts.local_admin import ensure_local_admin
from review.sessions.sampling import ShortfallNotice
from review.workspace import Workspace
from tests.conftest import REPO

PAIRS = REPO / "i18n_pairs.json"
_spec = importlib.util.spec_from_file_location("translations", REPO / "resources" / "i18n" / "translations.py")
translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations)


@pytest.fixture(scope="module")
def russian_with_pairs(tmp_path_factory):
    """kalibra_ru.ts re-collected from the sources, filled with this change's pairs, compiled; the shipped
    translation itself when no change brings pairs (they are merged into it)."""
    if not PAIRS.exists():
        return translations.QM
    folder = tmp_path_factory.mktemp("i18n")
    ts, qm, pairs = folder / "kalibra_ru.ts", folder / "kalibra_ru.qm", folder / "pairs.json"
    shutil.copy(translations.TS, ts)
    translations.update(ts)
    mapping = json.loads(PAIRS.read_text(encoding="utf-8"))
    pairs.write_text(json.dumps({k: v.split("|") if "%n" in k else v for k, v in mapping.items()},
                                ensure_ascii=False), encoding="utf-8")
    translations.fill(pairs, ts)
    translations.build(ts, qm)
    return qm


@pytest.fixture
def russian_pairs(qtbot, russian_with_pairs):
    previous = QLocale()
    app = QApplication.instance()
    install_language(app, "ru")
    ours = QTranslator(app)
    assert ours.load(str(russian_with_pairs))
    app.installTranslator(ours)
    yield
    app.removeTranslator(ours)
    install_language(app, "en")
    QLocale.setDefault(previous)


def _notice(available: int) -> ShortfallNotice:
    return ShortfallNotice(1, "Ольга", 5, available)


@pytest.fixture
def dialog(qtbot, sqlite_db):
    """The new-sessions dialog, which says the shortfalls (and the board after it, through it)."""
    with sqlite_db.unit_of_work() as session:
        actor = ensure_local_admin(session)
    shown = CreateSessionsDialog(Workspace(sqlite_db, actor))
    qtbot.addWidget(shown)
    qtbot.waitSignal(shown.loaded).wait()
    return shown


def test_english_counts_drop_the_plural_marks(english, dialog):
    shortfall_text = dialog.shortfall_text
    assert shortfall_text(_notice(1)) == "Ольга: only 1 matching call, 5 asked for."
    assert shortfall_text(_notice(3)) == "Ольга: only 3 matching calls, 5 asked for."
    found = QCoreApplication.translate("SearchPage", "Found: %n fragment(s)", "", 1)
    assert counted(found, 1) == "Found: 1 fragment" and counted("%n supervisor(s)".replace("%n", "2"), 2) == "2 supervisors"


def test_russian_counts_use_one_few_many(russian_pairs, dialog):
    shortfall_text = dialog.shortfall_text
    assert shortfall_text(_notice(1)) == "Ольга: под правило подходит только 1 звонок, запрошено 5."
    assert shortfall_text(_notice(2)) == "Ольга: под правило подходят только 2 звонка, запрошено 5."
    assert shortfall_text(_notice(0)) == "Ольга: под правило подходят только 0 звонков, запрошено 5."
    for context, source in (("CalibrationView", "%n supervisor(s) submitted"), ("StartCalibrationDialog", "%n supervisor(s) chosen"),
                            ("SessionDetail", "%n differing answer(s) highlighted.")):
        forms = {n: QCoreApplication.translate(context, source, "", n) for n in (1, 3, 11)}
        assert len(set(forms.values())) == 3 and not any("(s)" in text for text in forms.values()), forms
