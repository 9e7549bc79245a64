"""The Calibration tab: the rounds the user runs or takes part in, the calls still waiting for their blind score,
and a round's report (agreement per question, spread, each supervisor's deviation, who differs), exported
like the other reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.column_fit import fit_columns_to_view
from app.empty_hint import EmptyHint
from app.i18n import counted, error_text, interface_language
from app.labels import format_date, format_datetime
from app.operations import CoreOp
from review.accounts.access import EXPORT_DATA, RUN_SESSIONS, can
from review.errors import ValidationError
from review.reporting.exports import write_table
from review.sessions.calibration import DIFFERS_AT, CalibrationReport, calibration_table
from review.sessions.calibration_rounds import RoundSummary, calibration_rounds, close_round, round_report
from review.workspace import Workspace

DIFFERS = QColor("#fde2e1")


@dataclass(frozen=True)
class RoundView:
    """A round and, when the user may read it now, its report (else the sentence saying why not)."""

    summary: RoundSummary
    report: CalibrationReport | None
    closed_why: str | None


def _read_rounds(ws: Workspace) -> list[RoundSummary]:
    with ws.reading() as session:
        return calibration_rounds(session, ws.actor)


def _read_round(ws: Workspace, round_id: int, lang: str) -> RoundView:
    with ws.reading() as session:
        summary = next(r for r in calibration_rounds(session, ws.actor) if r.id == round_id)
        try:
            return RoundView(summary, round_report(session, ws.actor, round_id, lang=lang), None)
        except ValidationError as exc:  # blind: the user's own scores first
            return RoundView(summary, None, error_text(exc))


class CalibrationView(QWidget):
    """Emits `open_call(call id, queue)` for a call the user still scores; `shown` once a round is on screen."""

    open_call = Signal(int, list)
    shown = Signal()
    exported = Signal(str)

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.view: RoundView | None = None
        self.rounds = QComboBox()
        self.rounds.setMinimumContentsLength(40)
        self.rounds.currentIndexChanged.connect(lambda _index: self._load_round())
        self.close_button = QPushButton(self.tr("Close the round"))
        self.close_button.clicked.connect(self.close_round)
        self.export_button = QPushButton(self.tr("Export…"))
        menu = QMenu(self.export_button)
        for fmt, text in (("xlsx", self.tr("Excel (XLSX)")), ("csv", self.tr("CSV")), ("pdf", self.tr("PDF"))):
            menu.addAction(text).triggered.connect(lambda _checked=False, f=fmt: self.choose_export(f))
        self.export_button.setMenu(menu)
        if not can(ws.actor, EXPORT_DATA):  # hidden only: visible before it has a parent, it would be a window
            self.export_button.hide()
        self.progress = QLabel()
        self.progress.setObjectName("mutedLabel")
        self.progress.setWordWrap(True)
        self.waiting = QListWidget()
        self.waiting.setMaximumHeight(110)
        self.waiting.itemActivated.connect(self._open_waiting)
        self.open_button = QPushButton(self.tr("Score this call"))
        self.open_button.setObjectName("primaryButton")
        self.open_button.clicked.connect(lambda: self._open_waiting(self.waiting.currentItem()))
        self.waiting_box = QWidget()
        waiting_layout = QVBoxLayout(self.waiting_box)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        waiting_layout.addWidget(QLabel(self.tr("Waiting for your blind score")))
        waiting_layout.addWidget(self.waiting)
        waiting_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.summary = QLabel()
        self.summary.setObjectName("mutedLabel")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        # The columns fit the tab (a question's long words elided, whole in the tooltip): at 1366 px the
        # supervisors' columns and "Differ" scrolled out of sight.
        self.table.viewport().installEventFilter(self)
        header = self.table.horizontalHeader()  # supervisors' names wrap onto two lines rather than be cut
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(header.fontMetrics().height() * 2 + 16)
        self.empty_hint = EmptyHint(self.table)
        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("Round")))
        header.addWidget(self.rounds, 1)
        header.addWidget(self.close_button)
        header.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.progress)
        layout.addWidget(self.waiting_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self._show_view(None)

    def refresh(self) -> None:
        CoreOp(self, self._ws, _read_rounds, key=("calibration rounds", id(self)),
               title=self.tr("Calibration")).success(self._fill_rounds).run_in_background()

    def _fill_rounds(self, rounds: list[RoundSummary]) -> None:
        chosen = self.rounds.currentData()
        self.rounds.blockSignals(True)
        self.rounds.clear()
        for summary in rounds:
            calls = len(summary.calls)
            text = f"{summary.title} · {format_date(summary.created_at)} · " + counted(
                self.tr("%n call(s)", "", calls), calls)
            if summary.closed_at is not None:
                text += " · " + self.tr("closed")
            elif summary.waiting:
                text += " · " + self.tr("waits for your score")
            self.rounds.addItem(text, summary.id)
        index = self.rounds.findData(chosen)
        self.rounds.setCurrentIndex(index if index >= 0 else 0)
        self.rounds.blockSignals(False)
        if not rounds:
            self._show_view(None)
            return
        self._load_round()

    def _load_round(self) -> None:
        round_id = self.rounds.currentData()
        if round_id is None:
            return
        lang = interface_language()
        CoreOp(self, self._ws, lambda ws: _read_round(ws, round_id, lang), key=("calibration round", id(self)),
               title=self.tr("Calibration")).success(self._show_view).run_in_background()

    def _show_view(self, view: RoundView | None) -> None:
        self.view = view
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.waiting.clear()
        summary = view.summary if view else None
        self.close_button.setVisible(summary is not None and summary.closed_at is None
                                     and can(self._ws.actor, RUN_SESSIONS))
        self.export_button.setEnabled(view is not None and view.report is not None)
        if summary is None:
            self.progress.setText("")
            self.summary.setText("")
            self.waiting_box.setVisible(False)
            self.empty_hint.set_text(self.tr(
                "No calibration yet. Press “Start calibration…”, choose a few calls and the supervisors taking "
                "part; each scores them blind, then their agreement shows here."))
            self.shown.emit()
            return
        total = len(summary.calls)
        self.progress.setText(self.tr("Started by %1 on %2. Scored: %3.").replace("%1", summary.created_by)
                              .replace("%2", format_datetime(summary.created_at))
                              .replace("%3", ", ".join(f"{m.name} {m.submitted}/{total}" for m in summary.members)))
        for call in summary.calls:
            if call.call_id in summary.waiting:
                item = QListWidgetItem(self.tr("Call #%1 · %2 · %3").replace("%1", str(call.call_id))
                                       .replace("%2", call.operator_name or "—")
                                       .replace("%3", format_datetime(call.started_at)))
                item.setData(Qt.ItemDataRole.UserRole, call.call_id)
                self.waiting.addItem(item)
        self.waiting_box.setVisible(bool(summary.waiting))
        if self.waiting.count():
            self.waiting.setCurrentRow(0)
        if view.report is None:
            self.summary.setText("")
            self.empty_hint.set_text(view.closed_why or "")
        else:
            self._fill_report(view.report)
        self.shown.emit()

    def _fill_report(self, report: CalibrationReport) -> None:
        reviewers = list(report.reviewers.items())
        calls, supervisors = len(report.call_ids), len(reviewers)
        self.summary.setText(counted(self.tr("%n call(s)", "", calls), calls) + ", "
                             + counted(self.tr("%n supervisor(s) submitted", "", supervisors), supervisors) + ". "
                             + self.tr("Agreement: share of supervisor pairs who gave the same answer. Spread: the "
                                       "highest minus the lowest share of points, in points of percent. Deviation: "
                                       "points of percent from the group mean; positive is more lenient; %1 or more "
                                       "either way is highlighted.").replace("%1", f"{DIFFERS_AT:.0f}"))
        if not reviewers:
            self.empty_hint.set_text(self.tr("Nobody has submitted a score in this round yet."))
            return
        self.empty_hint.set_text("")
        headers = [self.tr("Question"), self.tr("Agreement"), self.tr("Spread")] + [n for _, n in reviewers] \
            + [self.tr("Differ")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows = [(q.text, q.agreement, q.spread, q.deviations, q.differing) for q in report.questions]
        rows.append((self.tr("Overall score"), None, None, report.score_deviations,
                     [r for r, v in report.score_deviations.items() if v is not None and abs(v) >= DIFFERS_AT]))
        for row, (text, agreement, spread, deviations, differing) in enumerate(rows):
            self.table.insertRow(row)
            cells = [text, f"{agreement:.0f} %" if agreement is not None else "—",
                     f"{spread:.0f}" if spread is not None else "—"]
            cells += [f"{deviations[r]:+.0f}" if deviations.get(r) is not None else "—" for r, _ in reviewers]
            cells.append(", ".join(report.reviewers[r] for r in differing))
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                reviewer_column = 3 <= column < 3 + len(reviewers)
                if reviewer_column and reviewers[column - 3][0] in differing:
                    item.setBackground(DIFFERS)
                self.table.setItem(row, column, item)
        fit_columns_to_view(self.table, wrap_before_cutting=True)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize and self.table.columnCount():
            fit_columns_to_view(self.table, wrap_before_cutting=True)
        return super().eventFilter(watched, event)

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def row_of(self, text: str) -> int:
        return next(r for r in range(self.table.rowCount()) if self.cell(r, 0) == text)

    def _open_waiting(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        queue = [self.waiting.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.waiting.count())]
        self.open_call.emit(item.data(Qt.ItemDataRole.UserRole), queue)

    def close_round(self) -> None:
        round_id = self.rounds.currentData()
        if round_id is None:
            return

        def close(ws: Workspace) -> None:
            with ws.changing() as session:
                close_round(session, ws.actor, round_id)

        CoreOp(self, self._ws, close, changes={"sessions"}, title=self.tr("Calibration")) \
            .success(lambda _none: self.refresh()).run_in_background()

    def choose_export(self, fmt: str) -> None:
        if self.view is None or self.view.report is None:
            return
        name = f"calibration-{self.view.summary.id}.{fmt}"
        path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Export report"), str(Path.home() / name),
                                                    f"{fmt.upper()} (*.{fmt})")
        if path:
            self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str | None = None) -> None:
        """Write the round's report shown now to `path`; `exported(path)` follows (a failure is shown)."""
        view, lang = self.view, interface_language()
        table = calibration_table(view.report, f"{view.summary.title} · {format_date(view.summary.created_at)}",
                                  lang)
        CoreOp(self, self._ws, lambda _ws: str(write_table(table, path, fmt)), title=self.tr("Export report")) \
            .success(self.exported.emit).run_in_background()
