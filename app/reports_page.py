"""The reports page: a period and team/operator filter over six reports (growth areas, scorecards, score trend,
pass rate by question, callback conversion, agreement with suggestions), computed and exported off the GUI
thread."""

from __future__ import annotations

import html
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
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
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundTask
from app.conversion_view import ConversionTab
from app.empty_hint import EmptyHint
from app.labels import channel_label, date_format
from app.lazy_page import LazyPage, LazyTabWidget
from app.operations import CoreOp, workspace_events
from app.report_table_model import ReportTableModel
from app.report_talk_tab import TalkTab
from app.report_views import (
    QuestionTrendTab,
    ScoreTrendTab,
    fit_columns,
    interface_language,
    report_table_view,
)
from review import clock
from review.accounts.access import EXPORT_DATA, SET_TARGETS, can
from review.models import CHANNEL_KINDS
from review.reporting.conversion import (
    set_conversion_target,
)
from review.reporting.exports import (
    export_all_reports,
)
from review.reporting.report_set import PRESETS, ReportSet, preset_period, report_set
from review.reporting.reports import (
    ReportChoices,
    ReportScope,
    report_choices,
)
from review.workspace import Workspace

# What the reports are computed from: a change to any of these makes the shown figures stale.
REPORTED_TOPICS = frozenset({"calls", "evaluations", "sessions", "goals", "accounts", "rubrics", "settings"})
class ReportsPage(QWidget):
    open_call = Signal(int, list)  # a call of the conversion drill-down, and the calls beside it
    refreshed = Signal()
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws, self.actor = ws, ws.actor
        actor = ws.actor
        self.loaded: ReportSet | None = None
        self._task: BackgroundTask | None = None
        self._export_task: BackgroundTask | None = None
        self._pending = self._dirty = True
        self._choices_ready = False  # the team and operator lists come from the core; reports wait for them
        title = QLabel(self.tr("Reports"))
        title.setObjectName("pageTitle")

        self.preset = QComboBox()
        for key, text in zip(PRESETS, (self.tr("Last 4 weeks"), self.tr("This month"), self.tr("Last month"),
                                       self.tr("This quarter"), self.tr("This year"), self.tr("Custom")), strict=True):
            self.preset.addItem(text, key)
        self.preset.setMinimumWidth(self.preset.sizeHint().width())  # "Last 4 weeks" whole on a crowded row
        self.start_edit, self.end_edit = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat(date_format())
            edit.dateChanged.connect(self._dates_edited)
        self.team = QComboBox()
        # Its teams arrive after the page is shown: its width follows them, not the empty box it opened as.
        self.team.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.operator = QComboBox()
        self.operator.setMinimumWidth(200)
        self.channel = QComboBox()  # a report per channel: calls, WhatsApp, e-mail, or chats and e-mails together
        self.channel.addItem(self.tr("All channels"), None)
        for code in CHANNEL_KINDS:
            self.channel.addItem(channel_label(code), code)
        self.channel.addItem(self.tr("Chats and e-mails"), "written")
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("primaryButton")
        menu = QMenu(self.export_button)
        # A workbook and a PDF hold every report (a sheet or a section each); a CSV holds one table.
        for fmt, text in (("xlsx", self.tr("Excel workbook with every report (XLSX)…")),
                          ("pdf", self.tr("PDF document with every report…")),
                          ("csv", self.tr("CSV of this tab, for spreadsheets…"))):
            menu.addAction(text).triggered.connect(lambda _checked=False, f=fmt: self.choose_export(f))
        self.export_button.setMenu(menu)
        if not can(actor, EXPORT_DATA):  # hidden, never setVisible(True): a button with no parent yet is a window
            self.export_button.hide()
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
        filters.addWidget(self.channel)
        filters.addStretch(1)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("mutedLabel")
        self.summary_label.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.linkActivated.connect(self._open_export)
        self.last_export: Path | None = None
        self.busy = QProgressBar(maximumWidth=160, textVisible=False)
        self.busy.setRange(0, 0)
        self.busy.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.summary_label, 1)
        status_row.addWidget(self.status, 1)  # room for "Saved to … · Open file · Show folder" on one line
        status_row.addWidget(self.busy)

        self.growth_model, self.cards_model = ReportTableModel(self), ReportTableModel(self)
        self.growth_model.change_columns = {4: False, 8: True}  # more growth-area mentions is worse
        self.growth_view = report_table_view(self.growth_model)
        self.growth_hint = EmptyHint(self.growth_view)
        self.free_text = QCheckBox(self.tr("List free-text notes one by one (personal data masked)"))
        self.free_text.toggled.connect(self._filters_changed)
        growth_tab = QWidget()
        growth_layout = QVBoxLayout(growth_tab)
        growth_layout.addWidget(QLabel(self.tr("Rubric questions named as growth areas in review sessions, with "
                                               "the share of evaluations that earned full points on them.")))
        growth_layout.addWidget(self.growth_view, 1)
        growth_layout.addWidget(self.free_text)
        # How often reviewers took the checks' suggested answers: a low figure points at a check to fix.
        self.agreement_model = ReportTableModel(self)

        # The first tab is built with the page; each other one when first shown (or asked for, as
        # `trend_tab` and the rest do), and shown the reports loaded by then.
        self.tabs = LazyTabWidget()
        self._tab_reports: list[str] = []  # each tab's report (review.reporting.exports.REPORTS), in tab order
        self._lazy_tabs: dict[str, LazyPage] = {}
        self._add_report_tab(growth_tab, self.tr("Growth areas"), "growth")
        self._add_report_tab(lambda: report_table_view(self.cards_model), self.tr("Operator scorecards"), "scorecards")
        self._add_report_tab(self._make_trend_tab, self.tr("Score trend"), "score_trend")
        self._add_report_tab(QuestionTrendTab, self.tr("Pass rate by question"), "question_trend")
        self._add_report_tab(self._make_conversion_tab, self.tr("Callback conversion"), "conversion")
        self._add_report_tab(self._make_agreement_view, self.tr("Agreement with suggestions"), "agreement")
        self._add_report_tab(TalkTab, self.tr("Talk"), "talk")
        heading = QHBoxLayout()  # the export beside the title, as on the sessions page: the filters fill their row
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(filters)
        layout.addLayout(status_row)
        layout.addWidget(self.tabs, 1)

        self.tabs.currentChanged.connect(self._refit_current)
        self._load_choices()
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.team.currentIndexChanged.connect(self._team_chosen)
        self.operator.currentIndexChanged.connect(self._filters_changed)
        self.channel.currentIndexChanged.connect(self._filters_changed)
        self._preset_chosen()
        workspace_events().changed.connect(self._data_changed)

    def _data_changed(self, topics: frozenset) -> None:
        if topics & REPORTED_TOPICS:
            self._filters_changed()

    def _add_report_tab(self, widget, title: str, report: str) -> None:
        """A tab of `widget`, or of what the factory `widget` makes when the tab is first shown."""
        self._tab_reports.append(report)
        if isinstance(widget, QWidget):
            self.tabs.addTab(widget, title)
            return
        slot = self.tabs.add_lazy_tab(widget, title)
        slot.built.connect(lambda _widget: self._fill(report))
        self._lazy_tabs[report] = slot

    def _make_trend_tab(self) -> ScoreTrendTab:
        tab = ScoreTrendTab()
        tab.group_by.currentIndexChanged.connect(self._filters_changed)
        return tab

    def _make_agreement_view(self):
        view = report_table_view(self.agreement_model)
        self._agreement_hint = EmptyHint(view, self.tr(
            "No suggested answers in this period: here comes how often reviewers took the rubric checks' "
            "suggestions, question by question. Widen the period, or review calls with a rubric that has checks."))
        return view

    def _make_conversion_tab(self) -> ConversionTab:
        tab = ConversionTab(can(self.actor, SET_TARGETS))
        tab.target_chosen.connect(self._set_target)
        tab.open_call.connect(self.open_call)
        return tab

    @property
    def cards_view(self):
        return self._lazy_tabs["scorecards"].build()

    @property
    def trend_tab(self) -> ScoreTrendTab:
        return self._lazy_tabs["score_trend"].build()

    @property
    def questions_tab(self) -> QuestionTrendTab:
        return self._lazy_tabs["question_trend"].build()

    @property
    def conversion_tab(self) -> ConversionTab:
        return self._lazy_tabs["conversion"].build()

    @property
    def agreement_view(self):
        return self._lazy_tabs["agreement"].build()

    @property
    def agreement_hint(self) -> EmptyHint:
        self._lazy_tabs["agreement"].build()
        return self._agreement_hint

    @property
    def talk_tab(self) -> TalkTab:
        return self._lazy_tabs["talk"].build()

    def _trend_grouping(self) -> str:
        trend = self._lazy_tabs["score_trend"].page
        return trend.group_by.currentData() if trend is not None else "operator"  # the tab's first choice

    # -- filters -------------------------------------------------------------------------------------------------
    def _load_choices(self) -> None:
        def read(ws: Workspace) -> ReportChoices:
            with ws.reading() as session:
                return report_choices(session, ws.actor)

        CoreOp(self, self._ws, read, key=("report choices", id(self))).success(self._show_choices).failure(
            self._show_error).run_in_background()

    def _show_choices(self, choices: ReportChoices) -> None:
        self._operators = choices.operators
        self.team.blockSignals(True)
        self.team.addItem(self.tr("All teams"), None)
        for team_id, name in choices.teams:
            self.team.addItem(name, team_id)
        self.team.blockSignals(False)
        self.team.setEnabled(len(choices.teams) > 1)
        self._fill_operators()
        self._choices_ready = True
        if self._pending:
            self.refresh()

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
                           operator_id=self.operator.currentData(), channel_kind=self.channel.currentData())

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
        if not self._choices_ready or (self._task is not None and self._task.is_running()):
            self._pending = True
            return
        self._dirty = self._pending = False
        ws, scope = self._ws, self.scope()
        lang, free_text, by = interface_language(), self.free_text.isChecked(), self._trend_grouping()

        def work(progress, _cancelled) -> ReportSet:
            with ws.reading() as session:
                return report_set(session, ws.actor, scope, lang=lang, free_text=free_text, by=by,
                                  progress=lambda done, of: progress(done, of, ""))

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

    def _show(self, loaded: ReportSet) -> None:
        self.loaded = loaded
        self.status.clear()
        self.busy.setVisible(self._export_task is not None and self._export_task.is_running())
        summary = loaded.summary
        form = date_format()
        self.summary_label.setText(self.tr("Review sessions: {0} · evaluations: {1} · changes are against {2} – {3}")
                                   .format(summary.sessions, summary.evaluations,
                                           QDate(summary.previous.start).toString(form),
                                           QDate(summary.previous.end).toString(form)))
        self.growth_model.set_table(loaded.growth)
        self.growth_hint.set_text(self.tr(
            "No growth areas in this period: none was named in a review session's discussion. Widen the "
            "period, or name them on a session's Discussion tab."))
        self.cards_model.set_table(loaded.scorecards)
        self.agreement_model.set_table(loaded.agreement)
        # With one rubric (or only free text) the growth table's rubric column says nothing.
        self.growth_view.setColumnHidden(0, len({row[0] for row in loaded.growth.rows if row[0]}) <= 1)
        fit_columns(self.growth_view, loaded.growth)
        for report, slot in self._lazy_tabs.items():
            if slot.page is not None:
                self._fill(report)
        if not self._pending:
            self.refreshed.emit()

    def _fill(self, report: str) -> None:
        """Show the loaded reports on the tab of `report` (built)."""
        loaded = self.loaded
        if loaded is None:
            return
        if report == "scorecards":
            fit_columns(self.cards_view, loaded.scorecards)
        elif report == "score_trend":
            self.trend_tab.show_points(loaded.trend, loaded.trend_table)
        elif report == "question_trend":
            self.questions_tab.show_points(loaded.questions)
        elif report == "conversion":
            self.conversion_tab.show_report(loaded.conversion, loaded.conversion_table)
        elif report == "agreement":
            fit_columns(self.agreement_view, loaded.agreement)
        elif report == "talk":
            self.talk_tab.show_report(loaded.talk, loaded.talk_table)

    def _refit_current(self) -> None:
        # Hidden tabs are sized without their final width; fit again once shown.
        if self.loaded is None:
            return
        report = self.current_report()
        if report in ("growth", "scorecards", "score_trend", "conversion", "agreement", "talk"):
            QTimer.singleShot(0, lambda: self._fit(report))

    def _fit(self, report: str) -> None:
        loaded = self.loaded
        if report == "growth":
            fit_columns(self.growth_view, loaded.growth)
        elif report in ("scorecards", "agreement"):
            self._fill(report)
        else:  # the table under the tab's chart or figures
            tab, table = {"score_trend": ("trend_tab", loaded.trend_table), "talk": ("talk_tab", loaded.talk_table),
                          "conversion": ("conversion_tab", loaded.conversion_table)}[report]
            fit_columns(getattr(self, tab).view, table)

    def _show_error(self, message: str) -> None:
        self._say(message, error=True)
        self.failed.emit(message)

    def _set_target(self, target: float) -> None:
        def store(ws: Workspace) -> None:
            with ws.changing() as session:
                set_conversion_target(session, ws.actor, target)

        CoreOp(self, self._ws, store, changes={"settings"}).success(lambda _none: self.refresh()).failure(
            self._show_error).run_in_background()

    # -- export --------------------------------------------------------------------------------------------------
    def current_report(self) -> str:
        index = self.tabs.currentIndex()
        return self._tab_reports[index] if 0 <= index < len(self._tab_reports) else "growth"

    def choose_export(self, fmt: str) -> None:
        scope = self.scope()
        folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        report = self.current_report().replace("_", "-") if fmt == "csv" else "reports"
        name = f"{report}-{scope.start:%Y-%m-%d}-{scope.end:%Y-%m-%d}.{fmt}"
        filters = {"xlsx": self.tr("Excel workbook (*.xlsx)"), "pdf": self.tr("PDF document (*.pdf)"),
                   "csv": self.tr("CSV file (*.csv)")}
        path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Export report"), str(folder / name), filters[fmt])
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str | None = None) -> BackgroundTask:
        """Write every report (a CSV: the current tab's) with the current filters to `path`; `exported(path)`
        follows."""
        ws, scope, report = self._ws, self.scope(), self.current_report()
        lang, free_text, by = interface_language(), self.free_text.isChecked(), self._trend_grouping()

        def work(_progress, _cancelled) -> str:
            with ws.reading() as session:
                return str(export_all_reports(session, ws.actor, scope, path, current=report, fmt=fmt, lang=lang,
                                              free_text=free_text, by=by))

        task = BackgroundTask(work, self)
        task.succeeded.connect(self._exported)
        task.failed.connect(self._show_error)
        task.finished.connect(lambda: self.busy.setVisible(self._task is not None and self._task.is_running()))
        self._export_task = task
        self.export_button.setEnabled(False)
        task.finished.connect(lambda: self.export_button.setEnabled(True))
        self._say(self.tr("Exporting…"))
        self.busy.show()
        task.start()
        return task

    def _exported(self, path: str) -> None:
        self.last_export = Path(path)
        open_file, show_folder = self.tr("Open file"), self.tr("Show folder")
        links = f'<a href="open">{open_file}</a> · <a href="folder">{show_folder}</a>'
        # The file's name only (the full path in the tooltip): a long folder would wrap the line on a laptop.
        self._say(self.tr("Saved to {0}").format(html.escape(Path(path).name)) + " · " + links, rich=True)
        self.status.setToolTip(path)
        self.exported.emit(path)

    def _say(self, text: str, *, rich: bool = False, error: bool = False) -> None:
        self.status.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.status.setStyleSheet("color: #b42318;" if error else "")
        self.status.setText(text)
        self.status.setToolTip("")

    def _open_export(self, link: str) -> None:
        """The file just written, or its folder, in the program the system opens it with."""
        if self.last_export is not None:
            target = self.last_export if link == "open" else self.last_export.parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

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
