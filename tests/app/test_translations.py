"""Every interface string has a Russian translation, and the app really speaks Russian by default."""

import importlib.util
import shutil

from PySide6.QtCore import QCoreApplication

from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("translations", REPO / "resources" / "i18n" / "translations.py")
translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations)


def test_every_string_in_app_is_translated(tmp_path):
    ts = tmp_path / "kalibra_ru.ts"
    shutil.copy(translations.TS, ts)
    translations.update(ts)  # re-collect from the current sources
    assert translations.missing(ts) == []


def test_shipped_qm_matches_the_ts(tmp_path):
    rebuilt = tmp_path / "kalibra_ru.qm"
    translations.build(translations.TS, rebuilt)
    assert rebuilt.read_bytes() == translations.QM.read_bytes(), "run: python resources/i18n/translations.py build"


def test_russian_is_the_default_and_english_selectable(qtbot):
    from app.i18n import install_language
    from review.desktop.user_settings import load_settings

    app = QCoreApplication.instance()
    assert load_settings().language == "ru"
    install_language(app, "ru")
    assert QCoreApplication.translate("MainWindow", "Call library") == "Библиотека звонков"
    install_language(app, "en")
    assert QCoreApplication.translate("MainWindow", "Call library") == "Call library"


def test_language_choice_is_remembered(qtbot):
    from app.settings_dialog import SettingsDialog
    from review.desktop.user_settings import load_settings, save_settings

    dialog = SettingsDialog(load_settings())
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    save_settings(dialog.settings())
    assert load_settings().language == "en"


def test_no_string_is_filed_under_an_empty_context():
    """A translate() call the extractor cannot place (e.g. through an alias) lands in an unnamed context,
    where the running app never looks it up: such strings would stay English."""
    import xml.etree.ElementTree as ET

    names = [context.findtext("name") for context in ET.parse(translations.TS).getroot().iter("context")]
    assert all(name and name.strip() for name in names), names


def test_error_templates_are_collected_and_keep_their_placeholders():
    import re
    import xml.etree.ElementTree as ET

    templates = {**translations.error_templates(), **translations.decode_templates()}
    assert "Questions that still need an answer: {count}." in templates
    assert "empty file (0 bytes)" in templates and "corrupt or truncated audio ({detail})" in templates
    assert "Wrong user name or password." in templates
    assert any("{until}" in t for t in templates)  # AccountLocked builds its template in super().__init__
    errors = [c for c in ET.parse(translations.TS).getroot().iter("context") if c.findtext("name") == "Errors"]
    assert len(errors) == 1
    shipped = {m.findtext("source"): m.findtext("translation") for m in errors[0].iter("message")}
    assert set(shipped) == set(templates)
    for source, russian in shipped.items():
        needed = set(re.findall(r"\{\w+\}", source)) - {"{what}"}  # the conflict message says "эти данные"
        assert needed <= set(re.findall(r"\{\w+\}", russian)), source


def test_no_russian_string_asks_the_reader_to_pick_a_gender():
    """"Ознакомлен(а)", "Начал(а)" read as a form to fill in: Russian strings are worded so no ending depends on
    who the person is ("Ознакомление: …", "Начато: …")."""
    import re

    text = (REPO / "resources" / "i18n" / "kalibra_ru.ts").read_text(encoding="utf-8")
    translations = re.findall(r"<translation[^>]*>(.*?)</translation>", text, re.S)
    marked = [t for t in translations if re.search(r"[а-яё]\((а|ла|ась|ся|ы)\)", t)]
    assert not marked, marked
