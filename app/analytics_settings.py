"""Administration's talk analytics tab: what counts as a silence, a hold, a long hold and overtalk, and measuring
calls again after a change."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundTask
from app.number_form import add_number_row, number_form, same_width
from app.operations import CoreOp
from review.analytics.stored import (
    analytics_thresholds,
    calls_to_measure,
    measure_calls,
    set_analytics_thresholds,
)
from review.workspace import Workspace
from transcription.conversation import Thresholds


class AnalyticsThresholdsEditor(QWidget):
    measured = Signal(int)  # how many calls were measured again
    shown = Signal()  # the stored thresholds and the count of calls to measure are on screen
    saved = Signal(bool)  # after save(): whether the thresholds were stored

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._task: BackgroundTask | None = None
        self.spins: dict[str, QDoubleSpinBox] = {}
        form = self.form = number_form()
        for name, label, top in (("silence_min_s", self.tr("A silence lasts at least"), 60.0),
                                 ("hold_min_s", self.tr("A hold lasts at least"), 600.0),
                                 ("long_hold_s", self.tr("A hold is too long after"), 3600.0),
                                 ("overtalk_min_s", self.tr("Overtalk lasts more than"), 30.0)):
            spin = QDoubleSpinBox()
            spin.setRange(0.1, top)
            spin.setDecimals(1)
            spin.setSuffix(self.tr(" s"))
            self.spins[name] = spin
            add_number_row(form, label, spin)
        same_width(list(self.spins.values()))
        save = QPushButton(self.tr("Save"))
        save.setObjectName("primaryButton")
        save.clicked.connect(self.save)
        self.measure_button = QPushButton(self.tr("Measure calls again"))
        self.measure_button.clicked.connect(self.measure_again)
        self.status = QLabel()
        self.status.setObjectName("mutedLabel")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(self.measure_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("What the talk analytics of every call count. Calls measured before keep "
                                        "their figures until they are measured again.")))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        def read(ws: Workspace) -> tuple[dict, int]:
            with ws.reading() as session:
                return analytics_thresholds(session).to_dict(), len(calls_to_measure(session, ws.actor))

        CoreOp(self, self._ws, read, key=("analytics thresholds", id(self))).success(self._show).run_in_background()

    def _show(self, read: tuple[dict, int]) -> None:
        current, due = read
        for name, spin in self.spins.items():
            spin.setValue(current[name])
        self.status.setText(self.tr("Calls to measure (not measured yet, or with other thresholds): %n", "", due))
        self.shown.emit()

    def thresholds(self) -> Thresholds:
        return Thresholds(**{name: spin.value() for name, spin in self.spins.items()})

    def save(self) -> None:
        """Store the thresholds off the GUI thread; `saved` says whether they were (a refusal is shown)."""
        thresholds = self.thresholds()

        def store(ws: Workspace) -> None:
            with ws.changing() as session:
                set_analytics_thresholds(session, ws.actor, thresholds)

        def refused(text: str) -> None:
            QMessageBox.warning(self, "Kalibra", text)
            self.saved.emit(False)

        def stored(_none) -> None:
            self.refresh()
            self.saved.emit(True)

        CoreOp(self, self._ws, store, changes={"settings"}).success(stored).failure(refused).run_in_background()

    def measure_again(self) -> BackgroundTask:
        """Measure, in the background, the calls whose figures are missing or made with other thresholds."""
        db, actor = self._ws.db, self._ws.actor
        task = BackgroundTask(lambda _progress, _cancelled: measure_calls(db, actor).measured, self)
        task.succeeded.connect(self._measured)
        task.failed.connect(lambda text: self.status.setText(text))
        task.finished.connect(lambda: self.measure_button.setEnabled(True))
        self.measure_button.setEnabled(False)
        self.status.setText(self.tr("Measuring…"))
        self._task = task
        task.start()
        return task

    def _measured(self, count: int) -> None:
        self.refresh()
        self.measured.emit(count)
