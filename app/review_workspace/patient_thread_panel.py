"""The call's details: the other calls with the same patient (same phone number), to open from here."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.labels import call_kind_label, direction_label, format_datetime, format_duration
from review.library.patient_thread import PatientThread


class PatientThreadPanel(QWidget):
    call_activated = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("sectionLabel")
        self.calls = QTreeWidget()
        self.calls.setRootIsDecorated(False)
        self.calls.setHeaderLabels([self.tr("Date"), self.tr("Direction"), self.tr("Call kind"), self.tr("Operator"),
                                    self.tr("Duration")])
        self.calls.itemActivated.connect(self._activated)
        self.empty = QLabel(self.tr("No other calls with this number."))
        self.empty.setObjectName("mutedLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.calls, 1)
        layout.addWidget(self.empty)

    def set_thread(self, thread: PatientThread | None, masked: bool) -> None:
        """Show the thread; the phone is masked where personal data is masked on screen."""
        self.calls.clear()
        if thread is None or not thread.calls:
            self.hide()
            return
        self.title.setText(self.tr("Calls with this patient ({0})").format(thread.shown_phone(masked)))
        for call in thread.calls:
            item = QTreeWidgetItem([
                format_datetime(call.started_at),
                direction_label(call.direction), call_kind_label(call.call_kind), call.operator or "—",
                format_duration(call.duration_s)])
            item.setData(0, Qt.ItemDataRole.UserRole, call.id)
            if call.current:
                font = item.font(0)
                font.setBold(True)
                for column in range(item.columnCount()):
                    item.setFont(column, font)
                item.setToolTip(0, self.tr("The call you are reviewing"))
            self.calls.addTopLevelItem(item)
        for column in range(self.calls.columnCount()):
            self.calls.resizeColumnToContents(column)
        others = len(thread.calls) - 1
        self.calls.setVisible(others > 0)
        self.empty.setVisible(others == 0)
        self.show()

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        call_id = item.data(0, Qt.ItemDataRole.UserRole)
        if item.font(0).bold() is False and call_id is not None:
            self.call_activated.emit(call_id)
