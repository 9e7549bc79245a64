"""The call's details, editable where the import got them wrong (saved through review.library.call_edits)."""

from __future__ import annotations

from pathlib import PurePath

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.form_layout import FormLayout
from app.labels import (
    call_kind_codes,
    call_kind_label,
    channel_label,
    date_format,
    direction_label,
    format_duration,
    language_label,
    layout_label,
    outcome_codes,
    outcome_label,
)
from review.call_review.screen import ReviewCall
from review.models import DIRECTIONS, WRITTEN_CHANNEL_KINDS

LAYOUT_CODES = ("stereo", "dual_mono", "one_silent", "mono")  # transcription.channel_layout.LAYOUTS
LANGUAGE_CODES = ("ru", "en", "uk", "kk", "de")
HEARING = ("channel_layout", "language")  # saved through review.transcripts.hearing: the call is transcribed again


def _choice(codes: tuple[str, ...], label) -> QComboBox:
    combo = QComboBox()
    combo.addItem("—", None)
    for code in codes:
        combo.addItem(label(code), code)
    return combo


class MetadataPanel(QWidget):
    save_requested = Signal(dict)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.operator = QComboBox()
        self.operator.setEditable(True)
        self.started = QDateTimeEdit()
        self.started.setCalendarPopup(True)
        self.started.setDisplayFormat(f"{date_format()} HH:mm")  # as every date on screen in this language
        self.direction = _choice(DIRECTIONS, direction_label)
        self.kind = _choice(tuple(call_kind_codes()), call_kind_label)
        self.outcome = _choice(tuple(outcome_codes()), outcome_label)
        self.layout = _choice(LAYOUT_CODES, layout_label)
        self.layout.setItemText(0, self.tr("Detect from the audio"))
        self.language = _choice(LANGUAGE_CODES, language_label)
        self.language.setItemText(0, self.tr("Detect per call"))
        hint = self.tr("Changing this transcribes the call again.")
        self.layout.setToolTip(hint)
        self.language.setToolTip(hint)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("Comma-separated, e.g. cardiology, first visit"))
        self.facts = QLabel()
        self.facts.setObjectName("mutedLabel")
        self.facts.setWordWrap(True)
        form = self.form = FormLayout()
        form.addRow(self.tr("Operator"), self.operator)
        form.addRow(self.tr("Date and time"), self.started)
        form.addRow(self.tr("Direction"), self.direction)
        form.addRow(self.tr("Call kind"), self.kind)
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow(self.tr("Tags"), self.tags)
        form.addRow(self.tr("Channels"), self.layout)
        form.addRow(self.tr("Spoken language"), self.language)
        self.save_button = QPushButton(self.tr("Save details"))
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self._save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 4)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.facts)
        layout.addStretch(1)
        self._loaded: dict = {}

    def set_call(self, call: ReviewCall, operator_names: list[str], editable: bool) -> None:
        self.operator.clear()
        self.operator.addItem("")
        self.operator.addItems(operator_names)
        self.operator.setCurrentText(call.operator_name or "")
        self.started.setDateTime(QDateTime(call.started_at) if call.started_at else QDateTime.currentDateTime())
        for combo, value in ((self.direction, call.direction), (self.kind, call.call_kind),
                             (self.outcome, call.outcome)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.tags.setText(", ".join(call.tags or []))
        self.layout.setCurrentIndex(max(0, self.layout.findData(call.channel_layout if call.channel_layout_forced
                                                                else None)))
        self.language.setCurrentIndex(max(0, self.language.findData(call.language)))
        if call.language and self.language.findData(call.language) < 0:  # a code from metadata outside the list
            self.language.addItem(language_label(call.language), call.language)
            self.language.setCurrentIndex(self.language.count() - 1)
        written = call.channel_kind in WRITTEN_CHANNEL_KINDS
        for widget in (self.layout, self.language):  # how a recording is heard: a chat has no audio
            self.form.setRowVisible(widget, not written)
        # An e-mail or a chat is not a call: the row names the kind of request.
        self.form.labelForField(self.kind).setText(self.tr("Request kind") if written else self.tr("Call kind"))
        # The file's name only (a long folder path would widen the pane); the whole path in the tooltip.
        name = PurePath(call.path).name if call.path else ""
        if written:
            self.facts.setText(self.tr("{0} · {1} messages · {2}").format(
                channel_label(call.channel_kind), call.message_count or 0, name))
        else:
            self.facts.setText(self.tr("{0} · {1} · {2} Hz, channels: {3} · {4}").format(
                channel_label(call.channel_kind), format_duration(call.duration_s), call.sample_rate, call.channels,
                name))
        self.facts.setToolTip(call.path or "")
        for widget in (self.operator, self.started, self.direction, self.kind, self.outcome, self.tags,
                       self.layout, self.language, self.save_button):
            widget.setEnabled(editable)
        self.message.setText("" if editable else self.tr("Only supervisors can correct a conversation's details.")
                             if written else self.tr("Only supervisors can correct a call's details."))
        self._loaded = self.values()

    def values(self) -> dict:
        return {
            "operator": self.operator.currentText().strip() or None,
            "started_at": self.started.dateTime().toPython().replace(second=0, microsecond=0),
            "direction": self.direction.currentData(),
            "call_kind": self.kind.currentData(),
            "outcome": self.outcome.currentData(),
            "tags": [t.strip() for t in self.tags.text().split(",") if t.strip()],
            "channel_layout": self.layout.currentData(),
            "language": self.language.currentData(),
        }

    def _save(self) -> None:
        current = self.values()
        changes = {k: v for k, v in current.items() if v != self._loaded.get(k)}
        if not changes:
            self.show_message(self.tr("Nothing changed."))
            return
        self.save_requested.emit(changes)

    def saved(self) -> None:
        self._loaded = self.values()
        self.show_message(self.tr("Details saved."))

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #a61b1b;" if error else "color: #0b6e70;")
        self.message.setText(text)
