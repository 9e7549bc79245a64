"""The "Export excerpt" dialog: which stretch of the call, where to save it, and whether to mute personal data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTime
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
    QTimeEdit,
    QVBoxLayout,
)

from app.form_layout import FormLayout
from app.labels import format_duration

FORMATS = (("WAV", ".wav"), ("FLAC", ".flac"))


def _time_edit(maximum_s: float) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("H:mm:ss.zzz")
    edit.setMinimumTime(QTime(0, 0))
    edit.setMaximumTime(QTime(0, 0).addMSecs(int(round(maximum_s * 1000))))
    edit.setCurrentSection(QTimeEdit.Section.SecondSection)
    return edit


def _seconds(edit: QTimeEdit) -> float:
    return QTime(0, 0).msecsTo(edit.time()) / 1000


def excerpt_file_name(call_id: int, start_s: float, end_s: float, suffix: str = ".wav") -> str:
    def stamp(seconds: float) -> str:
        return format_duration(seconds).replace(":", "-")

    return f"call{call_id}_{stamp(start_s)}_{stamp(end_s)}{suffix}"


class ExcerptDialog(QDialog):
    """Start and end (prefilled from the selection or comment), a file, and "mute personal data" (on)."""

    def __init__(self, call_id: int, duration_s: float, start_s: float, end_s: float, folder: str,
                 has_transcript: bool, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export an audio excerpt"))
        self.call_id = call_id
        self.start = _time_edit(duration_s)
        self.end = _time_edit(duration_s)
        self.start.setTime(QTime(0, 0).addMSecs(int(round(start_s * 1000))))
        self.end.setTime(QTime(0, 0).addMSecs(int(round(min(end_s, duration_s) * 1000))))
        self.length = QLabel()
        self.length.setObjectName("mutedLabel")
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel("–"))
        times.addWidget(self.end)
        times.addWidget(self.length, 1)

        self.format = QComboBox()
        for name, suffix in FORMATS:
            self.format.addItem(name, suffix)
        self.path = QLineEdit(str(Path(folder) / excerpt_file_name(call_id, start_s, end_s)))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.format)
        where.addWidget(browse)

        self.mute = QCheckBox(self.tr("Mute personal data (phone, card, passport and SNILS numbers, e-mails, "
                                      "dates of birth)"))
        self.mute.setChecked(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("mutedLabel")
        if not has_transcript:
            self.note.setText(self.tr("This call has no transcript yet, so personal data cannot be found: muting "
                                      "will refuse to export until it is transcribed."))

        form = FormLayout()
        form.addRow(self.tr("Stretch"), times)
        form.addRow(self.tr("Save as"), where)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Export"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.mute)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.note.setVisible(bool(self.note.text()))

        self.start.timeChanged.connect(self._update)
        self.end.timeChanged.connect(self._update)
        self.format.currentIndexChanged.connect(self._set_suffix)
        self.path.textChanged.connect(self._update)
        self.resize(620, self.sizeHint().height())
        self._update()

    @property
    def start_s(self) -> float:
        return _seconds(self.start)

    @property
    def end_s(self) -> float:
        return _seconds(self.end)

    def file_path(self) -> str:
        return self.path.text().strip()

    def _set_suffix(self) -> None:
        path = self.file_path()
        if path:
            self.path.setText(str(Path(path).with_suffix(self.format.currentData())))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save the excerpt"), self.file_path(),
                                                self.tr("Audio (*.wav *.flac)"))
        if chosen:
            self.path.setText(chosen)

    def _update(self) -> None:
        span = self.end_s - self.start_s
        valid = span > 0
        self.length.setText(self.tr("length {0}").format(format_duration(span)) if valid
                            else self.tr("the end must come after the start"))
        self.length.setStyleSheet("" if valid else "color: #b42318;")
        suffix = Path(self.file_path()).suffix.lower()
        index = self.format.findData(suffix)
        if index >= 0 and index != self.format.currentIndex():
            self.format.blockSignals(True)
            self.format.setCurrentIndex(index)
            self.format.blockSignals(False)
        self.ok_button.setEnabled(valid and suffix in (".wav", ".flac"))
        self.ok_button.setToolTip("" if suffix in (".wav", ".flac") else self.tr("Save as .wav or .flac"))

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.ok_button.isEnabled():
            return
        super().keyPressEvent(event)
