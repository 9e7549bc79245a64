"""The reports page: a period and team/operator filter over four reports (growth areas, scorecards, score trend,
pass rate by question), computed and exported off the GUI thread."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QStandardPaths,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundTask
from app.report_table_model import ReportTableModel
from app.report_views import (
    QuestionTrendTab,
    ScoreTrendTab,
    fit_columns,
    interface_language,
    report_table_view,
)
from review import clock
from review.accounts.access import EXPORT_DATA, can
from review.storage.db import Database
from review.reporting.exports import (
    REPORTS,
    ReportTable,
    export_report,
    growth_table,
    score_trend_table,
    scorecard_table,
)
from review.models import User
from review.reporting.reports import (
    GrowthAreaSummary,
    QuestionTrendPoint,
    ReportScope,
    TrendPoint,
    growth_area_summary,
    operator_scorecards,
    question_trend,
    report_choices,
    scope_caption,
    score_trend,
)

PRESETS = ("last_4_weeks", "this_month", "last_month", "this_quarter", "this_year", "custom")


def preset_period(preset: str, today: date) -> tuple[date, date]:
    """The days a period preset covers, ending today at the latest."""
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if preset == "this_year":
        return date(today.year, 1, 1), today
    return today - timedelta(days=27), today


@dataclass(frozen=True)
class LoadedReports:
    scope: ReportScope
    summary: GrowthAreaSummary
    growth: ReportTable
    scorecards: ReportTable
    trend: list[TrendPoint]
    trend_table: ReportTable
    questions: list[QuestionTrendPoint]


class ReportsPage(QWidget):
    refreshed = Signal()
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.loaded: LoadedReports | None = None
        self._task: BackgroundTask | None = None
        self._export_task: BackgroundTask | None = None
        self._pending = self._dirty = True
        title = QLabel(self.tr("Reports"))
        title.setObjectName("pageTitle")

        self.preset = QComboBox()
        for key, text in zip(PRESETS, (self.tr("Last 4 weeks"), self.tr("This month"), self.tr("Last month"),
                                       self.tr("This quarter"), self.tr("This year"), self.tr("Custom")), strict=True):
            self.preset.addItem(text, key)
        self.start_edit, self.end_edit = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.dateChanged.connect(self._dates_edited)
        self.team = QComboBox()
        self.operator = QComboBox()
        self.operator.setMinimumWidth(200)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("primaryButton")
        menu = QMenu(self.export_button)
        for fmt, text in (("xlsx", self.tr("Excel workbook (XLSX)…")), ("pdf", self.tr("PDF document…")),
                          ("csv", self.tr("CSV for spreadsheets…"))):
            menu.addAction(text).triggered.connect(lambda _checked=False, f=fmt: self.choose_export(f))
        self.export_button.setMenu(menu)
        self.export_button.setVisible(can(actor, EXPORT_DATA))
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Period")))
        filters.addWidget(self.preset)
        filters.addWidget(self.start_edit)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.end_edit)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("Team")))
        filters.addWidget(self.team)
        filters.addWidget(QLabel(self.tr("Operator")))
        filters.addWidget(self.operator)
        filters.addStretch(1)
        filters.addWidget(self.export_button)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("mutedLabel")
        self.summary_label.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.busy = QProgressBar(maximumWidth=160, textVisible=False)
        self.busy.setRange(0, 0)
        self.busy.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.summary_label, 1)
        status_row.addWidget(self.status)
        status_row.addWidget(self.busy)

        self.growth_model, self.cards_model = ReportTableModel(self), ReportTableModel(self)
        self.growth_model.change_columns = {4: False, 8: True}  # more growth-area mentions is worse
        self.growth_view, self.cards_view = report_table_view(self.growth_model), report_table_view(self.cards_model)
        self.free_text = QCheckBox(self.tr("List free-text notes one by one (personal data masked)"))
        self.free_text.toggled.connect(self._filters_changed)
        growth_tab = QWidget()
        growth_layout = QVBoxLayout(growth_tab)
        growth_layout.addWidget(QLabel(self.tr("Rubric questions named as growth areas in review sessions, with "
                                               "the share of evaluations that earned full points on them.")))
        growth_layout.addWidget(self.growth_view, 1)
        growth_layout.addWidget(self.free_text)

        self.trend_tab = ScoreTrendTab()
        self.trend_tab.group_by.currentIndexChanged.connect(self._filters_changed)
        self.questions_tab = QuestionTrendTab()

        self.tabs = QTabWidget()
        self.tabs.addTab(growth_tab, self.tr("Growth areas"))
        self.tabs.addTab(self.cards_view, self.tr("Operator scorecards"))
        self.tabs.addTab(self.trend_tab, self.tr("Score trend"))
        self.tabs.addTab(self.questions_tab, self.tr("Pass rate by question"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addLayout(status_row)
        layout.addWidget(self.tabs, 1)

        self.tabs.currentChanged.connect(self._refit_current)
        self._load_choices()
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.team.currentIndexChanged.connect(self._team_chosen)
        self.operator.currentIndexChanged.connect(self._filters_changed)
        self._preset_chosen()

    # -- filters -------------------------------------------------------------------------------------------------
    def _load_choices(self) -> None:
        with self.db.sessions() as session:
            choices = report_choices(session, self.actor)
        self._operators = choices.operators
        self.team.blockSignals(True)
        self.team.addItem(self.tr("All teams"), None)
        for team_id, name in choices.teams:
            self.team.addItem(name, team_id)
        self.team.blockSignals(False)
        self.team.setEnabled(len(choices.teams) > 1)
        self._fill_operators()

    def _fill_operators(self) -> None:
        team_id = self.team.currentData()
        self.operator.blockSignals(True)
        self.operator.clear()
        if self.actor.role != "operator":
            self.operator.addItem(self.tr("All operators"), None)
        for operator_id, name, operator_team in self._operators:
            if team_id is None or operator_team == team_id:
                self.operator.addItem(name, operator_id)
        self.operator.setEnabled(self.operator.count() > 1)
        self.operator.blockSignals(False)

    def _team_chosen(self) -> None:
        self._fill_operators()
        self._filters_changed()

    def _preset_chosen(self) -> None:
        key = self.preset.currentData()
        if key == "custom":
            return
        start, end = preset_period(key, clock.today())
        self._set_dates(start, end)
        self._filters_changed()

    def _set_dates(self, start: date, end: date) -> None:
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day))
            edit.blockSignals(False)

    def _dates_edited(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(PRESETS.index("custom"))
        self.preset.blockSignals(False)
        self._filters_changed()

    def set_period(self, start: date, end: date) -> None:
        """Choose a custom period (and refresh)."""
        self._set_dates(start, end)
        self._dates_edited()

    def scope(self) -> ReportScope:
        start, end = self.start_edit.date().toPython(), self.end_edit.date().toPython()
        return ReportScope(min(start, end), max(start, end), team_id=self.team.currentData(),
                           operator_id=self.operator.currentData())

    def _filters_changed(self) -> None:
        self._dirty = True
        if self.isVisible():
            QTimer.singleShot(0, self.refresh)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    # -- loading -------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute every report for the current filters in the background; `refreshed` follows."""
        if self._task is not None and self._task.is_running():
            self._pending = True
            return
        self._dirty = self._pending = False
        db, actor, scope = self.db, self.actor, self.scope()
        lang, free_text, by = interface_language(), self.free_text.isChecked(), self.trend_tab.group_by.currentData()

        def work(progress, _cancelled) -> LoadedReports:
            with db.sessions() as session:
                caption = scope_caption(session, scope, lang)
                summary = growth_area_summary(session, actor, scope, lang=lang, free_text=free_text)
                progress(1, 4, "")
                cards = scorecard_table(operator_scorecards(session, actor, scope), caption, lang)
                progress(2, 4, "")
                trend = score_trend(session, actor, scope, by=by, lang=lang)
                progress(3, 4, "")
                questions = question_trend(session, actor, scope, lang=lang)
            return LoadedReports(scope, summary, growth_table(summary, caption, lang), cards, trend,
                                 score_trend_table(trend, caption, lang, by), questions)

        self._task = BackgroundTask(work, self)
        self._task.succeeded.connect(self._show)
        self._task.failed.connect(self._show_error)
        self._task.finished.connect(self._loading_finished)
        self.busy.show()
        self._task.start()

    def _loading_finished(self) -> None:
        self.busy.setVisible(self._export_task is not None and self._export_task.is_running())
        if self._pending:
            self.refresh()

    def _show(self, loaded: LoadedReports) -> None:
        self.loaded = loaded
        self.status.clear()
        self.busy.setVisible(self._export_task is not None and self._export_task.is_running())
        summary = loaded.summary
        form = "dd.MM.yyyy"
        self.summary_label.setText(self.tr("Review sessions: {0} · evaluations: {1} · changes are against {2} – {3}")
                                   .format(summary.sessions, summary.evaluations,
                                           QDate(summary.previous.start).toString(form),
                                           QDate(summary.previous.end).toString(form)))
        self.growth_model.set_table(loaded.growth)
        self.cards_model.set_table(loaded.scorecards)
        # With one rubric (or only free text) the growth table's rubric column says nothing.
        self.growth_view.setColumnHidden(0, len({row[0] for row in loaded.growth.rows if row[0]}) <= 1)
        fit_columns(self.growth_view, loaded.growth)
        fit_columns(self.cards_view, loaded.scorecards)
        self.trend_tab.show_points(loaded.trend, loaded.trend_table)
        self.questions_tab.show_points(loaded.questions)
        if not self._pending:
            self.refreshed.emit()

    def _refit_current(self) -> None:
        # Hidden tabs are sized without their final width; fit again once shown.
        if self.loaded is None:
            return
        pairs = {0: (self.growth_view, self.loaded.growth), 1: (self.cards_view, self.loaded.scorecards),
                 2: (self.trend_tab.view, self.loaded.trend_table)}
        if self.tabs.currentIndex() in pairs:
            QTimer.singleShot(0, lambda: fit_columns(*pairs[self.tabs.currentIndex()]))

    def _show_error(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #b42318;")
        self.failed.emit(message)

    # -- export --------------------------------------------------------------------------------------------------
    def current_report(self) -> str:
        return REPORTS[self.tabs.currentIndex()]

    def choose_export(self, fmt: str) -> None:
        scope = self.scope()
        folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        name = f"{self.current_report().replace('_', '-')}-{scope.start:%Y-%m-%d}-{scope.end:%Y-%m-%d}.{fmt}"
        filters = {"xlsx": self.tr("Excel workbook (*.xlsx)"), "pdf": self.tr("PDF document (*.pdf)"),
                   "csv": self.tr("CSV file (*.csv)")}
        path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Export report"), str(folder / name), filters[fmt])
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str | None = None) -> BackgroundTask:
        """Write the report of the current tab with the current filters to `path`; `exported(path)` follows."""
        db, actor, scope, report = self.db, self.actor, self.scope(), self.current_report()
        lang, free_text, by = interface_language(), self.free_text.isChecked(), self.trend_tab.group_by.currentData()

        def work(_progress, _cancelled) -> str:
            with db.sessions() as session:
                return str(export_report(session, actor, report, scope, path, fmt=fmt, lang=lang,
                                         free_text=free_text, by=by))

        task = BackgroundTask(work, self)
        task.succeeded.connect(self._exported)
        task.failed.connect(self._show_error)
        task.finished.connect(lambda: self.busy.setVisible(self._task is not None and self._task.is_running()))
        self._export_task = task
        self.export_button.setEnabled(False)
        task.finished.connect(lambda: self.export_button.setEnabled(True))
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Exporting…"))
        self.busy.show()
        task.start()
        return task

    def _exported(self, path: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saved to {0}").format(path))
        self.exported.emit(path)

    def wait_for_tasks(self, msecs: int = 30000) -> bool:
        """Block until background work ends (closing the window, tests); True when it did in time. Events keep
        flowing meanwhile: a worker thread is told to quit through the GUI thread's event loop."""
        deadline = time.monotonic() + msecs / 1000
        for task in (self._task, self._export_task):
            while task is not None and task.is_running():
                if time.monotonic() > deadline:
                    return False
                QCoreApplication.processEvents()
                task.wait(20)
        return True
