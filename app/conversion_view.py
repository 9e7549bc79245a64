"""The reports page's callback conversion tab: conversion per operator, callback kind and week against the target,
with the calls behind any row one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.labels import call_kind_label, format_datetime, outcome_label
from app.report_table_model import ReportTableModel
from app.report_views import fit_columns, report_table_view
from review.reporting.conversion import ConversionReport, ConversionRow
from review.reporting.tables import ReportTable, format_number


class ConversionTab(QWidget):
    """The conversion table (what the export writes) above the calls of the selected row."""

    target_chosen = Signal(float)  # a share 0..1
    open_call = Signal(int, list)  # the call, and the drilled-down calls to step through

    def __init__(self, may_set_target: bool, parent=None) -> None:
        super().__init__(parent)
        self.report: ConversionReport | None = None
        self.target = QDoubleSpinBox()
        self.target.setRange(1, 100)
        self.target.setDecimals(0)
        self.target.setSuffix(" %")
        self.target.setValue(80)
        self.target.setEnabled(may_set_target)
        self.set_target = QPushButton(self.tr("Set target"))
        if not may_set_target:  # hidden only: made visible before it has a parent, it would be a window
            self.set_target.hide()
        self.set_target.clicked.connect(lambda: self.target_chosen.emit(self.target.value() / 100))
        self.verdict = QLabel()
        self.verdict.setObjectName("mutedLabel")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Outbound callbacks that ended in a booking. Target")))
        top.addWidget(self.target)
        top.addWidget(self.set_target)
        top.addStretch(1)
        top.addWidget(self.verdict)
        self.model = ReportTableModel(self)
        self.view = report_table_view(self.model)
        self.view.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.calls_title = QLabel(self.tr("Select a row to see its calls; double-click a call to open it."))
        self.calls = QTableWidget(0, 4)
        self.calls.setHorizontalHeaderLabels([self.tr("Date and time"), self.tr("Operator"), self.tr("Call kind"),
                                              self.tr("Outcome")])
        self.calls.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.calls.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.calls.verticalHeader().hide()
        self.calls.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((150, 200, 240)):
            self.calls.setColumnWidth(column, width)
        self.calls.cellDoubleClicked.connect(self._open)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.calls_title)
        below_layout.addWidget(self.calls, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(below)
        split.setSizes([280, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._shown: list[int] = []

    def show_report(self, report: ConversionReport, table: ReportTable) -> None:
        self.report = report
        self.target.setValue(round(report.target * 100))
        self.model.set_table(table)
        fit_columns(self.view, table)
        total = report.total
        if total.conversion is None:
            self.verdict.setText(self.tr("No callback with an outcome in this period."))
        else:
            text = (self.tr("Conversion {0} % — target met") if total.meets(report.target)
                    else self.tr("Conversion {0} % — below the target: look at every step"))
            self.verdict.setText(text.format(format_number(round(total.conversion * 100, 1), table.lang)))
        self.calls.setRowCount(0)
        self._shown = []

    def row_at(self, view_row: int) -> ConversionRow | None:
        if self.report is None:
            return None
        source = self.view.model().mapToSource(self.view.model().index(view_row, 0)).row()
        rows = self.report.rows()
        return rows[source] if 0 <= source < len(rows) else None

    def _row_chosen(self, current, _previous) -> None:
        row = self.row_at(current.row()) if current.isValid() else None
        self.show_calls(row)

    def show_calls(self, row: ConversionRow | None) -> None:
        calls = row.calls if row is not None else ()
        self._shown = [c.id for c in calls]
        self.calls.setRowCount(len(calls))
        for index, call in enumerate(calls):
            outcome = outcome_label(call.outcome) if call.outcome else self.tr("no outcome recorded")
            for column, text in enumerate((format_datetime(call.started_at), call.operator,
                                           call_kind_label(call.call_kind), outcome)):
                self.calls.setItem(index, column, QTableWidgetItem(text))
        if calls:
            self.calls.resizeColumnsToContents()
        if row is not None:
            self.calls_title.setText(self.tr("Calls of {0}: {1}").format(row.label, len(calls)))

    def _open(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._shown):
            self.open_call.emit(self._shown[row], list(self._shown))
