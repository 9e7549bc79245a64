"""Views across sessions: disputes to resolve, the calibration report, thanks from patients per operator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from review.sessions.calibration import calibration_calls, calibration_report
from review.storage.db import Database
from review.scoring.disputes import accept_dispute, decline_dispute, list_disputes
from review.errors import KalibraError
from review.models import User
from review.reporting.recognition import thanks_per_operator


def _fill(table: QTableWidget, rows: list[list[str]], data: list | None = None) -> None:
    table.setRowCount(0)
    for index, cells in enumerate(rows):
        table.insertRow(index)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if data is not None:
                item.setData(Qt.ItemDataRole.UserRole, data[index])
            table.setItem(index, column, item)
    table.resizeColumnsToContents()


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    return table


def _answer(value: dict | None) -> str:
    if not value:
        return "—"
    return "N/A" if value.get("na") else str(value.get("value"))


class DisputesView(QWidget):
    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.table = _table([self.tr("Call"), self.tr("Question"), self.tr("Operator's comment"), self.tr("Status"),
                             self.tr("Was"), self.tr("Now"), self.tr("Resolution")])
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reason (required)"))
        self.accept_button = QPushButton(self.tr("Accept: change the answer"))
        self.accept_button.clicked.connect(self.accept_selected)
        self.decline_button = QPushButton(self.tr("Decline"))
        self.decline_button.clicked.connect(self.decline_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.decline_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        for widget in (self.reason, self.accept_button, self.decline_button):
            widget.setVisible(actor.role != "operator")

    def refresh(self) -> None:
        with self.db.sessions() as session:
            rows = list_disputes(session, self.actor)
        statuses = {"open": self.tr("open"), "accepted": self.tr("accepted"), "declined": self.tr("declined")}
        _fill(self.table, [[f"#{r.call_id}", r.question_text, r.comment, statuses.get(r.status, r.status),
                            _answer(r.old_value), _answer(r.new_value), r.resolution or ""] for r in rows],
              [r.id for r in rows])

    def select_dispute(self, dispute_id: int) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == dispute_id:
                self.table.selectRow(row)

    def _selected(self) -> int | None:
        row = self.table.currentRow()
        return None if row < 0 else self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)

    def accept_selected(self) -> None:
        dispute_id = self._selected()
        if dispute_id is None:
            return
        try:
            with self.db.unit_of_work() as session:
                accept_dispute(session, self.actor, dispute_id, argued=True, reason=self.reason.text())
        except KalibraError as exc:
            QMessageBox.warning(self, self.tr("Dispute not resolved"), error_text(exc))
        self.refresh()

    def decline_selected(self) -> None:
        dispute_id = self._selected()
        if dispute_id is None:
            return
        try:
            with self.db.unit_of_work() as session:
                decline_dispute(session, self.actor, dispute_id, self.reason.text())
        except KalibraError as exc:
            QMessageBox.warning(self, self.tr("Dispute not resolved"), error_text(exc))
        self.refresh()



class CalibrationView(QWidget):
    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.summary = QLabel()
        self.summary.setObjectName("mutedLabel")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.verticalHeader().setVisible(False)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(refresh, 0, Qt.AlignmentFlag.AlignLeft)

    def refresh(self) -> None:
        try:
            with self.db.sessions() as session:
                calls = [call_id for call_id, reviewers in calibration_calls(session, self.actor) if reviewers > 1]
                report = calibration_report(session, self.actor, calls) if calls else None
        except KalibraError as exc:
            self.summary.setText(error_text(exc))
            self.table.setRowCount(0)
            return
        if report is None:
            self.summary.setText(self.tr("No call has been scored by two or more supervisors for calibration yet."))
            self.table.setRowCount(0)
            return
        reviewers = list(report.reviewers.items())
        self.summary.setText(self.tr("%1 call(s), %2 supervisor(s). Deviation: points of percent from the group "
                                     "mean; positive is more lenient.").replace("%1", str(len(report.call_ids)))
                             .replace("%2", str(len(reviewers))))
        self.table.setColumnCount(2 + len(reviewers))
        self.table.setHorizontalHeaderLabels([self.tr("Question"), self.tr("Agreement")]
                                             + [name for _, name in reviewers])
        rows = []
        for q in report.questions:
            rows.append([q.text, f"{q.agreement:.0f} %" if q.agreement is not None else "—"]
                        + [f"{q.deviations[r]:+.0f}" if q.deviations.get(r) is not None else "—" for r, _ in reviewers])
        _fill(self.table, rows)


class RecognitionView(QWidget):
    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.table = _table([self.tr("Operator"), self.tr("Calls with thanks from patients")])
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        with self.db.sessions() as session:
            counts = thanks_per_operator(session, self.actor)
        _fill(self.table, [[c.operator_name, str(c.thanked_calls)] for c in counts])
