"""The views inside the reports page's tabs: sortable report tables, the score-trend chart with its table, and the
question-by-week pass-rate grid."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.column_fit import share_width, title_width
from app.empty_hint import EmptyHint
from app.i18n import interface_language
from app.labels import format_day_month
from app.report_table_model import SORT_ROLE, ReportTableModel
from app.trend_chart import MAX_SERIES, TrendChart
from review.reporting.reports import QuestionTrendPoint, TrendPoint
from review.reporting.tables import ReportTable, format_number


def pass_rate_colour(rate: float) -> QColor:
    """A pale red below 60 %, amber below 80 %, green from 80 % (thresholds a supervisor reads at a glance)."""
    return QColor("#fde2e1") if rate < 60 else QColor("#fdf0d5") if rate < 80 else QColor("#dcf2e3")


TEXT_WIDEST = 520  # a question's words beyond this are elided, whole in the tooltip


def report_table_view(model: ReportTableModel) -> QTableView:
    """A read-only table over `model`, sorted by value when a header is clicked, in the report's order before."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    header.setMinimumHeight(header.fontMetrics().height() * 2 + 16)  # long Russian titles wrap onto two lines
    return view


class _ColumnRefit(QObject):
    """Fits a report view's columns again when it is shown or its width changes: fitted while hidden (the page
    built and read ahead of a first visit, a tab not in front) they had no width to share, and a table left so
    scrolled sideways at 1366 px with its last column cut."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.table: ReportTable | None = None
        self.fitted_for: tuple[int, bool] | None = None  # the viewport width and visibility of the last fit
        self.queued = False
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize) and self.table is not None and not self.queued:
            self.queued = True
            QTimer.singleShot(0, self, self._refit)
        return False

    def _refit(self) -> None:
        self.queued = False
        view = self.view
        if self.table is not None and view.isVisible() and self.fitted_for != (view.viewport().width(), True):
            _fit_columns(view, self.table)


def fit_columns(view: QTableView, table: ReportTable) -> None:
    """Number columns as wide as their title on two lines, text columns as their content up to a limit; spare
    width is shared out (see _share_spare). A table wider than its view (many figures on a laptop screen) lets
    the number titles wrap onto three lines, so every column shows without scrolling sideways where it can.
    The view is fitted again whenever it is shown or its width changes."""
    refit = view.findChild(_ColumnRefit, options=Qt.FindChildOption.FindDirectChildrenOnly) or _ColumnRefit(view)
    refit.table = table
    _fit_columns(view, table)


def _fit_columns(view: QTableView, table: ReportTable) -> None:
    refit = view.findChild(_ColumnRefit, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if refit is not None:
        refit.fitted_for = (view.viewport().width(), view.isVisible())
    header = view.horizontalHeader()
    shown = [i for i in range(len(table.columns)) if not view.isColumnHidden(i)]
    content = [view.sizeHintForColumn(column) + 12 for column in range(len(table.columns))]
    base = view.font()

    def widths_for(font: QFont, lines: int, padding: int, least: int, widest_text: int) -> list[int]:
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)  # the stylesheet's header weight, which header.font() does not carry
        metrics = QFontMetrics(bold)
        return [min(max(title_width(metrics, spec.title, 2) + padding, content[i]), widest_text) if spec.kind == "text"
                else max(title_width(metrics, spec.title, lines) + padding, content[i], least)
                for i, spec in enumerate(table.columns)]

    available = view.viewport().width() - 4
    rows_overflow = view.model().rowCount() * view.verticalHeader().defaultSectionSize() > view.viewport().height()
    if rows_overflow and not view.verticalScrollBar().isVisible():  # it is about to appear
        available -= view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
    font, lines = base, 2
    widths = widths_for(font, lines, 30, 64, 360)
    if view.isVisible() and sum(widths[i] for i in shown) > available:
        font, lines = QFont(base), 3
        font.setPointSizeF(base.pointSizeF() * 0.85)
        widths = widths_for(font, lines, 18, 44, 280)
    # The application stylesheet styles the sections, so their font follows a stylesheet rule, not setFont.
    header.setStyleSheet(f"QHeaderView::section {{ font-size: {font.pointSizeF():.1f}pt; }}" if lines == 3 else "")
    header.setMinimumHeight(QFontMetrics(font).height() * lines + 16)
    if view.isVisible():
        _share_spare(widths, shown, [table.columns[i].kind == "text" for i in range(len(widths))], content,
                     available)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)


def _share_spare(widths: list[int], shown: list[int], text: list[bool], content: list[int], available: int) -> None:
    """The width the columns leave: first to the text columns whose words are cut (up to TEXT_WIDEST each),
    then to every column, a text column three times a number's share, so the header reaches the table's edge and an
    empty table (its hint across it) shows the columns in the proportions its rows will have."""
    spare = available - sum(widths[i] for i in shown)
    cut = [i for i in shown if text[i] and content[i] > widths[i]]
    if spare > 0 and cut:
        wanted = [min(content[i], TEXT_WIDEST) - widths[i] for i in cut]
        for i, extra in zip(cut, share_width(wanted, spare, [0] * len(cut)), strict=True):
            widths[i] += max(extra, 0)
        spare = available - sum(widths[i] for i in shown)
    if spare > 0 and shown:
        weights = [3 if text[i] else 1 for i in shown]
        unit = spare / sum(weights)
        for i, weight in zip(shown, weights, strict=True):
            widths[i] += int(unit * weight)
        widths[shown[-1]] += available - sum(widths[i] for i in shown)  # the rounding's pixels


class ScoreTrendTab(QWidget):
    """Weekly average score as a chart (the busiest MAX_SERIES operators or teams) above the full table."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.group_by = QComboBox()
        self.group_by.addItem(self.tr("By operator"), "operator")
        self.group_by.addItem(self.tr("By team"), "team")
        self.chart = TrendChart()
        self.note = QLabel()
        self.note.setObjectName("mutedLabel")
        self.model = ReportTableModel(self)
        self.view = report_table_view(self.model)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Weekly average score")))
        top.addWidget(self.group_by)
        top.addStretch(1)
        top.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(self.view)
        split.setSizes([300, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def show_points(self, points: list[TrendPoint], table: ReportTable) -> None:
        self.model.set_table(table)
        fit_columns(self.view, table)
        groups: dict[tuple, list[TrendPoint]] = {}
        for point in points:
            groups.setdefault((point.group_id, point.group), []).append(point)
        busiest = sorted(groups.items(), key=lambda item: -sum(p.evaluations for p in item[1]))[:MAX_SERIES]
        self.chart.set_series([(name, [(p.week, p.average_score) for p in group])
                               for (_id, name), group in sorted(busiest, key=lambda item: item[0][1])])
        if len(groups) > MAX_SERIES:
            self.note.setText(self.tr("The chart shows the {0} with the most evaluations of {1}; filter to see others.")
                              .format(MAX_SERIES, len(groups)))
        else:
            self.note.clear()


class QuestionTrendTab(QWidget):
    """Questions down, weeks across: each cell the pass rate and, in brackets, how many evaluations answered."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table = QTableWidget()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Share of evaluations with full points on each question, week by week; in "
                                        "brackets, how many evaluations answered it.")))
        layout.addWidget(self.table, 1)
        self.hint = EmptyHint(self.table, self.tr(
            "No submitted evaluations in this period: each question's pass rate comes here, week by week. "
            "Widen the period or the filters."))

    def show_points(self, points: list[QuestionTrendPoint]) -> None:
        weeks = sorted({p.week for p in points})
        questions = list(dict.fromkeys((p.rubric_slug, p.question) for p in points))
        lang = interface_language()
        table = self.table
        table.clear()
        table.setRowCount(len(questions))
        table.setColumnCount(len(weeks) + 1)
        table.setHorizontalHeaderLabels([self.tr("Question")] + [format_day_month(w) for w in weeks])
        for row, (_slug, question) in enumerate(questions):
            table.setItem(row, 0, QTableWidgetItem(question))
        for point in points:
            item = QTableWidgetItem(f"{format_number(round(point.pass_rate, 1), lang)} % ({point.answered})")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setBackground(pass_rate_colour(point.pass_rate))
            table.setItem(questions.index((point.rubric_slug, point.question)), weeks.index(point.week) + 1, item)
        table.resizeColumnsToContents()
        if table.columnCount():
            table.setColumnWidth(0, min(table.columnWidth(0), 420))
