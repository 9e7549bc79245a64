"""Settings: every field round-trips to the user's settings file and reaches the transcription options."""

from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt

from app.settings_dialog import SettingsDialog
from review.desktop.user_settings import UserSettings, load_settings, save_settings
from review.transcripts.worker import options_from_settings


def test_settings_round_trip(qtbot, tmp_path):
    dialog = SettingsDialog(UserSettings(), [("inbound_call", "Входящий звонок"), ("written_reply", "Письменный ответ")])
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.database.setText("postgresql+psycopg://kalibra@server/kalibra")
    dialog.model_folder.setText(str(tmp_path / "model"))
    dialog.model_name.setText("small")
    dialog.allow_download.setChecked(True)
    dialog.speech_language.setCurrentIndex(dialog.speech_language.findData(None))
    dialog.beam.setValue(4)  # not the default (3): the dialog must carry it
    dialog.rubric.setCurrentIndex(dialog.rubric.findData("written_reply"))
    dialog.mask.setChecked(True)
    dialog.clinic_names.setText(" Семейный доктор,  Family Doctor ,")
    save_settings(dialog.settings())
    stored = load_settings()
    assert (stored.language, stored.database_url, stored.default_rubric) == (
        "en", "postgresql+psycopg://kalibra@server/kalibra", "written_reply")
    assert stored.mask_personal_data and stored.transcription_language is None
    options = options_from_settings(stored)
    assert (options.model_folder, options.model_name, options.allow_download, options.beam_size, options.language) == (
        str(tmp_path / "model"), "small", True, 4, None)
    assert options.call_facts.organisation_names == ("Семейный доктор", "Family Doctor")  # names the operator


def test_a_damaged_settings_file_gives_defaults_and_is_kept_aside(tmp_path):
    from review.desktop.user_settings import settings_path

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ not json", encoding="utf-8")
    assert load_settings() == UserSettings()
    assert path.with_suffix(".damaged.json").exists()


@contextmanager
def _shown_dialog(qtbot):
    """The settings dialog on screen in the app's own font and style sheet."""
    from PySide6.QtWidgets import QApplication

    from tests.app.app_look import app_wide_look

    with app_wide_look():
        dialog = SettingsDialog(UserSettings(), [("inbound_call", "Inbound")])
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        yield dialog


@pytest.mark.parametrize("language", ["english", "russian"])
def test_the_checkboxes_words_wrap_whole_inside_the_dialog(qtbot, language, request):
    """A QCheckBox's text never wraps: at the dialog's width "…audio never leaves" and "…dates of birt" were cut."""
    from PySide6.QtCore import QPoint

    request.getfixturevalue(language)
    with _shown_dialog(qtbot) as dialog:
        for row, check in ((dialog.allow_download_row, dialog.allow_download), (dialog.mask_row, dialog.mask)):
            label = row.label
            assert label.height() >= label.heightForWidth(label.width()), label.text()
            assert label.mapTo(dialog, QPoint(label.width(), 0)).x() <= dialog.width(), label.text()
            was = check.isChecked()
            qtbot.mouseClick(label, Qt.MouseButton.LeftButton)  # its words tick it, as a checkbox's own do
            assert check.isChecked() != was


def test_a_checkbox_whose_words_fit_one_line_keeps_no_empty_line_below_it(qtbot, english):
    """In English "Allow downloading it (…)" fits one line: its row is one line tall, not the two lines a wrapped
    label guesses before it has its width."""
    with _shown_dialog(qtbot) as dialog:
        for row in (dialog.allow_download_row, dialog.mask_row):
            label = row.label
            assert label.heightForWidth(label.width()) < 2 * label.fontMetrics().lineSpacing(), label.text()  # one
            assert row.height() <= max(label.heightForWidth(label.width()), row.layout().minimumSize().height()), \
                label.text()
