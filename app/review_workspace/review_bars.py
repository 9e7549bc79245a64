"""The two bars above the review screen's waveform: the call's header (title, my queue, previous/next, the
"thanked" mark, shortcuts) and the playback bar (play, skip, speed, time, audio state, export excerpt)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.elided_label import ElidedLabel
from app.review_workspace.queue_picker import MyQueuePicker


def _no_focus(*buttons: QPushButton) -> None:
    # Keys belong to the review screen: a focused button would eat Space.
    for button in buttons:
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class ReviewHeader(QWidget):
    def __init__(self, queue_picker: MyQueuePicker, parent=None) -> None:
        super().__init__(parent)
        self.queue_picker = queue_picker
        # Arrows only: the header also holds the call's title, the queue and the "thanked" mark.
        self.prev_button = QPushButton("‹")
        self.prev_button.setToolTip(self.tr("Previous call (Alt+←)"))
        self.next_button = QPushButton("›")
        self.next_button.setToolTip(self.tr("Next call (Alt+→)"))
        for button in (self.prev_button, self.next_button):
            button.setFixedWidth(40)
            button.setStyleSheet("font-size: 15pt; padding: 0 0 3px 0;")
        self.queue_label = QLabel()
        self.queue_label.setObjectName("mutedLabel")
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        # Date, direction, kind, length (or a chat's figures): cut with "…" where the header's buttons leave
        # too little room (1366 px in Russian), the whole line in its tooltip.
        self.subtitle = ElidedLabel(mode=Qt.TextElideMode.ElideRight)
        self.subtitle.setObjectName("mutedLabel")
        self.help_button = QPushButton(self.tr("Shortcuts  ?"))
        self.thanked_button = QPushButton()
        self.thanked_button.setCheckable(True)
        self.thanked_button.setToolTip(self.tr("The patient thanked the operator: counted in recognition reports"))
        _no_focus(self.prev_button, self.next_button, self.help_button, self.thanked_button)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top = QHBoxLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        top.addLayout(titles, 1)
        top.addWidget(self.queue_picker)
        top.addWidget(self.prev_button)
        top.addWidget(self.queue_label)
        top.addWidget(self.next_button)
        top.addSpacing(12)
        top.addWidget(self.thanked_button)
        top.addWidget(self.help_button)

    def show_thanked(self, thanked: bool) -> None:
        """Show the stored state without emitting `toggled` (which saves)."""
        self.thanked_button.blockSignals(True)
        self.thanked_button.setChecked(thanked)
        self.thanked_button.blockSignals(False)
        self.thanked_button.setText(self.tr("♥ Patient thanked") if thanked else self.tr("♡ Patient thanked"))


class PlaybackBar(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.play_button = QPushButton()
        self.play_button.setObjectName("primaryButton")
        self.back_button = QPushButton(self.tr("−5 s"))
        self.forward_button = QPushButton(self.tr("+5 s"))
        self.speed_button = QPushButton("1×")
        self.speed_button.setToolTip(self.tr("Playback speed: [ slower, ] faster"))
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setStyleSheet("font-family: monospace; font-size: 11pt;")
        self.audio_status = QLabel()
        self.audio_status.setStyleSheet("color: #8a5a00;")
        self.audio_status.setWordWrap(True)
        self.excerpt_button = QPushButton(self.tr("Export excerpt…"))
        self.excerpt_button.setToolTip(self.tr("Save the selected words, the chosen comment or a stretch you set "
                                               "as a WAV or FLAC file (Ctrl+E)"))
        _no_focus(self.play_button, self.back_button, self.forward_button, self.speed_button, self.excerpt_button)
        controls = QHBoxLayout(self)
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (self.play_button, self.back_button, self.forward_button, self.speed_button, self.time_label):
            controls.addWidget(widget)
        controls.addSpacing(8)
        controls.addWidget(self.audio_status, 1)
        controls.addWidget(self.excerpt_button)

        self._play_width = 0

    def show_playing(self, playing: bool) -> None:
        if not self._play_width:
            # As wide as the wider of its two words (in this language, its style): Play/Pause never moves the
            # buttons beside it.
            widths = []
            for text in (self.tr("❚❚  Pause"), self.tr("▶  Play")):
                self.play_button.setText(text)
                widths.append(self.play_button.sizeHint().width())
            self._play_width = max(110, *widths)
            self.play_button.setFixedWidth(self._play_width)
        self.play_button.setText(self.tr("❚❚  Pause") if playing else self.tr("▶  Play"))

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._play_width = 0  # measured again for the new style at the next change
        super().changeEvent(event)
