"""Set the channel layout for every call from one import source (a folder), from a call of it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.form_layout import FormLayout
from app.labels import layout_label
from review.library.source_layouts import SourceChoices, source_of
from transcription.channel_layout import LAYOUTS


class SourceLayoutDialog(QDialog):
    """The folder (the call's own or one above it) and the layout; chosen() once accepted. Shown with its data
    read already (review.library.source_layouts.source_choices, run by the window as an operation)."""

    def __init__(self, choices: SourceChoices, remembered: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Channel layout for an import source"))
        self.setMinimumWidth(560)
        self._choices = choices
        layouts, folders = choices.layouts, choices.folders
        # Preselected: the source the call already follows, else a folder imported with a mapping, else its own.
        known = source_of(choices.path, layouts)
        imported = next((f for f in folders if f in set(remembered or ())), None)
        self.folder = QComboBox()
        for folder in folders:
            self.folder.addItem(folder, folder)
        self.folder.setCurrentIndex(max(0, self.folder.findData(known or imported or folders[0])))
        self.layout_choice = QComboBox()
        self.layout_choice.addItem(self.tr("Detect for each call"), None)
        for code in LAYOUTS:
            self.layout_choice.addItem(layout_label(code), code)
        self.layout_choice.setCurrentIndex(max(0, self.layout_choice.findData(layouts.get(known or ""))))

        intro = QLabel(self.tr("A recorder writes every file the same way. The layout chosen here is used for "
                               "every call from the folder and its subfolders, and for calls imported from it "
                               "later; calls already transcribed another way are transcribed again."))
        intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("mutedLabel")
        form = FormLayout()
        form.addRow(self.tr("Folder:"), self.folder)
        form.addRow(self.tr("Channels:"), self.layout_choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Set for all calls from this folder"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.folder.currentIndexChanged.connect(self._folder_changed)
        self._folder_changed()

    def _folder_changed(self) -> None:
        folder = self.folder.currentData()
        count = self._choices.calls_in[folder]
        current = self._choices.layouts.get(folder)
        now = layout_label(current) if current else self.tr("detected for each call")
        self.summary.setText(self.tr("%n call(s) in the library come from {0}; now: {1}.", "", count)
                             .format(Path(folder).name or folder, now))

    def chosen(self) -> tuple[str, str | None]:
        """(folder, layout code or None for detection)."""
        return self.folder.currentData(), self.layout_choice.currentData()
