"""Start a calibration: the calls (the library's selection or picked here), the rubric and the supervisors taking
part; each of them then scores every call blind."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from app.form_layout import FormLayout
from app.i18n import counted, interface_language
from app.labels import format_datetime
from app.operations import CoreOp
from review.sessions.calibration_rounds import CalibrationChoices, calibration_choices, start_calibration
from review.workspace import Workspace


def _checkable(text: str, data, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


class StartCalibrationDialog(QDialog):
    """`loaded` once the choices are on screen; `started(round id)` once the round is stored."""

    loaded = Signal()
    started = Signal(int)

    def __init__(self, ws: Workspace, selected_calls: list[int] = (), parent=None) -> None:
        super().__init__(parent)
        self._ws, self._selected = ws, list(selected_calls)
        self.round_id: int | None = None
        self.setWindowTitle(self.tr("Start calibration"))
        intro = QLabel(self.tr("Every supervisor chosen here scores every chosen call on their own. Nobody sees "
                               "the others' scores until they have submitted theirs, or until the round is "
                               "closed; then the Calibration tab shows where they agree and who differs."))
        intro.setWordWrap(True)
        intro.setObjectName("mutedLabel")
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("e.g. December: booking calls"))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter the calls by number, operator or date"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_calls)
        self.calls = QListWidget()
        self.calls.itemChanged.connect(lambda _item: self._update_count())
        self.rubric = QComboBox()
        self.supervisors = QListWidget()
        self.supervisors.setMaximumHeight(130)
        self.supervisors.itemChanged.connect(lambda _item: self._update_count())
        self.count = QLabel()
        self.count.setObjectName("mutedLabel")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b42318;")  # a refusal stands out from the hints
        self.problem.setWordWrap(True)
        form = FormLayout()
        form.addRow(self.tr("Name"), self.title)
        calls_box = QVBoxLayout()
        calls_box.addWidget(self.filter)
        calls_box.addWidget(self.calls)
        form.addRow(self.tr("Calls"), calls_box)
        form.addRow(self.tr("Rubric"), self.rubric)
        form.addRow(self.tr("Supervisors"), self.supervisors)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(self.tr("Start calibration"))
        self.start_button.setObjectName("primaryButton")
        self.start_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.count)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(720, 620)
        include = self._selected
        CoreOp(self, ws, lambda w: _read_choices(w, include), key=("calibration choices", id(self)),
               title=self.windowTitle()).success(self._fill).run_in_background()

    def _fill(self, choices: CalibrationChoices) -> None:
        self.calls.blockSignals(True)
        for call in choices.calls:
            text = self.tr("Call #%1 · %2 · %3").replace("%1", str(call.call_id)) \
                .replace("%2", call.operator_name or "—").replace("%3", format_datetime(call.started_at))
            self.calls.addItem(_checkable(text, call.call_id, call.call_id in self._selected))
        self.calls.blockSignals(False)
        for slug, title, title_en in choices.rubrics:
            self.rubric.addItem(title_en if interface_language() == "en" and title_en else title, slug)
        self.supervisors.blockSignals(True)
        for user_id, name in choices.supervisors:
            self.supervisors.addItem(_checkable(name, user_id, user_id == self._ws.actor.id))
        self.supervisors.blockSignals(False)
        if not choices.calls:
            self.problem.setText(self.tr("There are no calls to calibrate on yet: import some in the library."))
        self._update_count()
        self.loaded.emit()

    def _filter_calls(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.calls.count()):
            item = self.calls.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    @staticmethod
    def _checked(widget: QListWidget) -> list[int]:
        return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def chosen_calls(self) -> list[int]:
        return self._checked(self.calls)

    def chosen_supervisors(self) -> list[int]:
        return self._checked(self.supervisors)

    def _update_count(self) -> None:
        calls, people = len(self.chosen_calls()), len(self.chosen_supervisors())
        self.count.setText(counted(self.tr("%n call(s) chosen", "", calls), calls) + " · "
                           + counted(self.tr("%n supervisor(s) chosen", "", people), people))
        self.start_button.setEnabled(calls > 0 and people >= 2 and self.rubric.count() > 0)

    def accept(self) -> None:
        calls, members = self.chosen_calls(), self.chosen_supervisors()
        slug, title = self.rubric.currentData(), self.title.text()

        def start(ws: Workspace) -> int:
            with ws.changing() as session:
                return start_calibration(session, ws.actor, calls, slug, members, title=title)

        self.start_button.setEnabled(False)
        CoreOp(self, self._ws, start, changes={"sessions"}).success(self._started) \
            .failure(self._refused).run_in_background()

    def _refused(self, text: str) -> None:
        self.problem.setText(text)  # the dialog stays open with what was chosen, to change it
        self._update_count()

    def _started(self, round_id: int) -> None:
        self.round_id = round_id
        self.started.emit(round_id)
        super().accept()


def _read_choices(ws: Workspace, include: list[int]) -> CalibrationChoices:
    with ws.reading() as session:
        return calibration_choices(session, ws.actor, include=include)
