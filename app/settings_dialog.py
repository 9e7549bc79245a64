"""Settings of this desktop: database address, language, speech model folder, default rubric."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.form_layout import FormLayout
from app.wrapped_check import wrapped_check
from review.desktop.user_settings import UserSettings


class SettingsDialog(QDialog):
    def __init__(self, settings: UserSettings, rubrics: list[tuple[str, str]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(720)  # the Russian names of the fields leave the fields room for their hints
        self._original = settings

        self.language = QComboBox()
        self.language.addItem("Русский", "ru")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))

        self.database = QLineEdit(settings.database_url or "")
        self.database.setPlaceholderText(self.tr("Embedded database on this computer"))
        self.database.setToolTip(self.tr("For a shared team database: postgresql+psycopg://user:password@server/kalibra"))

        self.model_folder = QLineEdit(settings.model_folder or "")
        self.model_folder.setPlaceholderText(self.tr("Built-in model (whisper base)"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_model)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_folder, 1)
        model_row.addWidget(browse)

        self.model_name = QLineEdit(settings.model_name or "")
        self.model_name.setPlaceholderText(self.tr("e.g. small — only if no model is installed"))
        self.allow_download = QCheckBox()
        self.allow_download.setChecked(settings.allow_download)
        self.speech_language = QComboBox()
        self.speech_language.addItem(self.tr("Russian"), "ru")
        self.speech_language.addItem(self.tr("English"), "en")
        self.speech_language.addItem(self.tr("Detect for each call"), None)
        self.speech_language.setCurrentIndex(max(self.speech_language.findData(settings.transcription_language), 0))

        self.beam = QSpinBox()
        self.beam.setRange(1, 10)
        self.beam.setValue(settings.beam_size)
        self.beam.setToolTip(self.tr("1 is fastest; larger values are slower and sometimes more accurate"))

        self.clinic_names = QLineEdit(", ".join(settings.clinic_names))
        self.clinic_names.setPlaceholderText(self.tr("e.g. Family Doctor, Семейный доктор"))
        self.clinic_names.setToolTip(self.tr("On a one-channel recording, the voice that names the clinic in its "
                                             "greeting is taken for the operator"))

        self.rubric = QComboBox()
        for slug, title in rubrics or []:
            self.rubric.addItem(title, slug)
        if settings.default_rubric and self.rubric.findData(settings.default_rubric) < 0:
            self.rubric.addItem(settings.default_rubric, settings.default_rubric)
        self.rubric.setCurrentIndex(max(self.rubric.findData(settings.default_rubric), 0))

        self.template = QLineEdit(settings.filename_template)
        self.mask = QCheckBox()
        self.mask.setChecked(settings.mask_personal_data)
        self.mask.setToolTip(self.tr("Exports always hide them unless you ask otherwise"))

        form = FormLayout()
        form.addRow(self.tr("Interface language:"), self.language)
        form.addRow(self.tr("Database:"), self.database)
        form.addRow(self.tr("Speech model folder:"), model_row)
        form.addRow(self.tr("Model to download:"), self.model_name)
        # Their words wrap: at the dialog's width a checkbox's own text was cut ("…audio never leaves").
        self.allow_download_row = wrapped_check(
            self.allow_download, self.tr("Allow downloading it (needs internet; audio never leaves)"))
        form.addRow("", self.allow_download_row)
        form.addRow(self.tr("Speech language:"), self.speech_language)
        form.addRow(self.tr("Beam size:"), self.beam)
        form.addRow(self.tr("Clinic names:"), self.clinic_names)
        form.addRow(self.tr("Default rubric:"), self.rubric)
        form.addRow(self.tr("File name template:"), self.template)
        self.mask_row = wrapped_check(
            self.mask, self.tr("Hide phone numbers, cards, documents and dates of birth on screen"))
        form.addRow(self.tr("Personal data:"), self.mask_row)
        note = QLabel(self.tr("A new language or database takes effect after restarting Kalibra."))
        note.setObjectName("mutedLabel")
        note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        self.adjustSize()  # as tall as the wrapped words need at the width it opens with, no taller

    def _choose_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder with a faster-whisper model"))
        if folder:
            self.model_folder.setText(folder)

    def settings(self) -> UserSettings:
        return self._original.model_copy(update={
            "language": self.language.currentData(),
            "database_url": self.database.text().strip() or None,
            "model_folder": self.model_folder.text().strip() or None,
            "model_name": self.model_name.text().strip() or None,
            "allow_download": self.allow_download.isChecked(),
            "transcription_language": self.speech_language.currentData(),
            "beam_size": self.beam.value(),
            "clinic_names": [n.strip() for n in self.clinic_names.text().split(",") if n.strip()],
            "default_rubric": self.rubric.currentData(),
            "filename_template": self.template.text().strip(),
            "mask_personal_data": self.mask.isChecked(),
        })
