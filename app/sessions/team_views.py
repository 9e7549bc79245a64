"""Views across sessions: disputes to resolve and thanks from patients per operator (the calibration report is
calibration_view)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.empty_hint import EmptyHint
from app.i18n import interface_language
from app.labels import call_number
from app.operations import CoreOp
from review.reporting.recognition import thanks_per_operator
from review.scoring.disputes import accept_dispute, decline_dispute, list_disputes
from review.workspace import Workspace


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
    """`shown` once the disputes read are on screen (after every refresh and decision)."""

    shown = Signal()

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws, self.actor = ws, ws.actor
        actor = ws.actor
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
        self.empty_hint = EmptyHint(self.table, self.tr(
            "No disputes. An operator disputes a supervisor's answer from a session's side-by-side view; "
            "the dispute then waits here for a decision.") if actor.role != "operator" else self.tr(
            "No disputes. To dispute an answer, choose it in a session's side-by-side view and press "
            "“Dispute this answer…”."))

    def refresh(self) -> None:
        lang = interface_language()

        def read(ws: Workspace):
            with ws.reading() as session:
                return list_disputes(session, ws.actor, lang=lang)

        CoreOp(self, self._ws, read, key=("disputes", id(self)), title=self.tr("Disputes")) \
            .success(self._fill_rows).run_in_background()

    def _fill_rows(self, rows) -> None:
        statuses = {"open": self.tr("open"), "accepted": self.tr("accepted"), "declined": self.tr("declined")}
        _fill(self.table, [[call_number(r.call_id), r.question_text, r.comment, statuses.get(r.status, r.status),
                            _answer(r.old_value), _answer(r.new_value), r.resolution or ""] for r in rows],
              [r.id for r in rows])
        self.shown.emit()

    def select_dispute(self, dispute_id: int) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == dispute_id:
                self.table.selectRow(row)

    def _selected(self) -> int | None:
        row = self.table.currentRow()
        return None if row < 0 else self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)

    def accept_selected(self) -> None:
        dispute_id, reason = self._selected(), self.reason.text()
        if dispute_id is not None:
            self._decide(lambda session, actor: accept_dispute(session, actor, dispute_id, argued=True, reason=reason))

    def decline_selected(self) -> None:
        dispute_id, reason = self._selected(), self.reason.text()
        if dispute_id is not None:
            self._decide(lambda session, actor: decline_dispute(session, actor, dispute_id, reason))

    def _decide(self, change) -> None:
        def work(ws: Workspace) -> None:
            with ws.changing() as session:
                change(session, ws.actor)

        CoreOp(self, self._ws, work, changes={"disputes", "evaluations"}, title=self.tr("Dispute not resolved")) \
            .success(lambda _none: self.refresh()).run_in_background()


class RecognitionView(QWidget):
    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.table = _table([self.tr("Operator"), self.tr("Calls with thanks from patients")])
        self.empty_hint = EmptyHint(self.table, self.tr(
            "No thanks from patients yet. Mark a call where the patient thanked the operator in the review "
            "window; the operators' counts show here."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        def read(ws: Workspace):
            with ws.reading() as session:
                return thanks_per_operator(session, ws.actor)

        CoreOp(self, self._ws, read, key=("thanks", id(self)), title=self.tr("Thanks from patients")) \
            .success(lambda counts: _fill(self.table, [[c.operator_name, str(c.thanked_calls)] for c in counts])) \
            .run_in_background()
