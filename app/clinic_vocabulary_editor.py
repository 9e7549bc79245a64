"""Administration's clinic vocabulary tab: the clinic's own words that transcription should spell as the clinic does."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.operations import CoreOp, workspace_events
from review.transcripts.clinic_vocabulary import (
    MAX_CHARACTERS,
    as_hotwords,
    clean_terms,
    clinic_vocabulary,
    set_clinic_vocabulary,
)
from review.workspace import Workspace


class ClinicVocabularyEditor(QWidget):
    shown = Signal()  # the stored list is on screen
    saved = Signal(bool)  # after save(): whether the list was stored

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._stored: tuple[str, ...] = ()
        intro = QLabel(self.tr("The clinic's own words, one per line: its name, doctors, services, drugs. Transcription "
                               "is given them before every part of a call, so it spells them as you write them here."))
        intro.setWordWrap(True)
        self.terms = QPlainTextEdit()
        self.terms.setPlaceholderText(self.tr("Family Doctor\nDr Sokolova\nCardiomagnyl"))
        self.terms.textChanged.connect(self._edited)
        self.count = QLabel()
        self.count.setObjectName("mutedLabel")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Undo changes"))
        self.revert_button.clicked.connect(lambda: self._show(self._stored))
        self.status = QLabel()
        self.status.setObjectName("mutedLabel")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.terms, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        workspace_events().changed.connect(self._changed_elsewhere)
        self.refresh()

    def typed_terms(self) -> tuple[str, ...]:
        return clean_terms(self.terms.toPlainText().splitlines())

    def is_dirty(self) -> bool:
        return self.typed_terms() != self._stored

    def refresh(self) -> None:
        def read(ws: Workspace) -> tuple[str, ...]:
            with ws.reading() as session:
                return clinic_vocabulary(session)

        CoreOp(self, self._ws, read, key=("clinic vocabulary", id(self))).success(self._show).run_in_background()

    def _changed_elsewhere(self, topics) -> None:
        if "settings" in topics and not self.is_dirty():  # typed words are never overwritten
            self.refresh()

    def _show(self, terms: tuple[str, ...]) -> None:
        self._stored = terms
        self.terms.setPlainText("\n".join(terms))
        self._edited()
        self.shown.emit()

    def _edited(self) -> None:
        used = len(as_hotwords(self.typed_terms()) or "")
        self.count.setText(self.tr("{0} of {1} characters").format(used, MAX_CHARACTERS))
        self.count.setStyleSheet("color: #b42318;" if used > MAX_CHARACTERS else "")
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def save(self) -> None:
        """Store the list off the GUI thread; `saved` says whether it was (a refusal is shown in one sentence)."""
        terms = self.typed_terms()

        def store(ws: Workspace) -> tuple[str, ...]:
            with ws.changing() as session:
                return set_clinic_vocabulary(session, ws.actor, terms)

        def refused(text: str) -> None:
            QMessageBox.warning(self, "Kalibra", text)
            self.saved.emit(False)

        def stored(saved: tuple[str, ...]) -> None:
            self._show(saved)
            self.status.setText(self.tr("Saved. Calls transcribed from now on use these words; to use them on a call "
                                        "transcribed before, transcribe it again from the library."))
            self.saved.emit(True)

        CoreOp(self, self._ws, store, changes={"settings"}).success(stored).failure(refused).run_in_background()
