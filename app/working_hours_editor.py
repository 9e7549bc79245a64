"""Administration → Working hours: the clinic's hours per weekday and its time zone, which the response times of
chats and e-mails are counted in (review.written.written_settings)."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.operations import CoreOp
from review.errors import KalibraError
from review.workspace import Workspace
from review.written.working_hours import WorkingHours
from review.written.written_settings import set_working_hours, working_hours


class WorkingHoursEditor(QWidget):
    """Read and saved off the GUI thread: `loaded` once the stored hours are shown, `saved(ok)` after Save."""

    loaded = Signal()
    saved = Signal(bool)

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        explain = QLabel(self.tr("A patient's wait for an answer in a chat or by e-mail counts only these hours: a "
                                 "message at night waits from the next opening. Saving times every stored chat "
                                 "and e-mail again."))
        explain.setWordWrap(True)
        explain.setObjectName("mutedLabel")
        names = (self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"), self.tr("Thursday"), self.tr("Friday"),
                 self.tr("Saturday"), self.tr("Sunday"))
        grid = QGridLayout()
        self.open: list[QCheckBox] = []
        self.starts: list[QTimeEdit] = []
        self.ends: list[QTimeEdit] = []
        for row, name in enumerate(names):
            box = QCheckBox(name)
            start, end = QTimeEdit(), QTimeEdit()
            for edit in (start, end):
                edit.setDisplayFormat("HH:mm")
            box.toggled.connect(start.setEnabled)
            box.toggled.connect(end.setEnabled)
            grid.addWidget(box, row, 0)
            grid.addWidget(start, row, 1)
            grid.addWidget(QLabel("–"), row, 2)
            grid.addWidget(end, row, 3)
            self.open.append(box)
            self.starts.append(start)
            self.ends.append(end)
        grid.setColumnStretch(4, 1)
        self.zone = QLineEdit()
        self.zone.setMaximumWidth(320)
        self.zone.setPlaceholderText(self.tr("this computer's time zone"))
        self.zone.setToolTip(self.tr("An IANA time zone such as Europe/Moscow or Asia/Novosibirsk: e-mail times are "
                                     "shown and counted in it"))
        # Under the hours, its left edge on theirs: on a wide page it was flung to the far right.
        grid.addWidget(QLabel(self.tr("Time zone")), len(names), 0)
        grid.addWidget(self.zone, len(names), 1, 1, 4, Qt.AlignmentFlag.AlignLeft)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        def read(ws: Workspace) -> WorkingHours:
            with ws.reading() as session:
                return working_hours(session)

        CoreOp(self, self._ws, read, key=("working hours", id(self))).success(self._show).run_in_background()

    def _show(self, hours: WorkingHours) -> None:
        for day, interval in enumerate(hours.days):
            opening, closing = interval or (time(9), time(18))
            self.starts[day].setTime(QTime(opening.hour, opening.minute))
            self.ends[day].setTime(QTime(closing.hour, closing.minute))
            self.open[day].setChecked(interval is not None)
            self.starts[day].setEnabled(interval is not None)
            self.ends[day].setEnabled(interval is not None)
        self.zone.setText(hours.zone or "")
        self.loaded.emit()

    def hours(self) -> WorkingHours:
        days = tuple((self.starts[d].time().toPython(), self.ends[d].time().toPython()) if self.open[d].isChecked()
                     else None for d in range(7))
        return WorkingHours(days, self.zone.text().strip() or None)

    def save(self) -> None:
        """Store the hours (every chat and e-mail is timed again); `saved(ok)` follows, the outcome in `message`."""
        try:
            hours = self.hours()
        except KalibraError as exc:
            self._refused(error_text(exc))
            return

        def store(ws: Workspace) -> None:
            with ws.changing() as session:
                set_working_hours(session, ws.actor, hours)

        self.save_button.setEnabled(False)
        CoreOp(self, self._ws, store, changes={"settings", "calls"}).success(self._stored).failure(
            self._refused).run_in_background()

    def _stored(self, _none) -> None:
        self.save_button.setEnabled(True)
        self.message.setStyleSheet("color: #0b6e70;")
        self.message.setText(self.tr("Saved: chats and e-mails are timed by these hours."))
        self.saved.emit(True)

    def _refused(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.message.setStyleSheet("color: #a61b1b;")
        self.message.setText(text)
        self.saved.emit(False)
