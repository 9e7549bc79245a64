"""The reports page's Talk tab: the per-call talk analytics (talk share, silence, holds, overtalk, speech rate,
first word) averaged per team, operator and week, with the weekly talk share drawn above the table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from app.empty_hint import EmptyHint
from app.report_table_model import ReportTableModel
from app.report_views import fit_columns, report_table_view
from app.trend_chart import TrendChart
from review.reporting.tables import ReportTable
from review.reporting.talk import TalkReport


class TalkTab(QWidget):
    """`show_report(report, table)`: the chart of the operators' talk share by week, then the table an export
    writes (the total, the teams, the operators, the weeks)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.report: TalkReport | None = None
        intro = QLabel(self.tr("Averages per call of the calls measured after transcription: how much the operator "
                               "talks, silences, holds, talking over each other, words per minute and how soon "
                               "the operator speaks. Mono calls are measured with the speakers told apart by "
                               "voice."))
        intro.setWordWrap(True)
        self.chart = TrendChart()
        self.chart.empty_text = self.tr("No measured calls in this period")
        self.chart.setMinimumHeight(160)
        self.model = ReportTableModel(self)
        self.view = report_table_view(self.model)
        self.hint = EmptyHint(self.view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(self.view)
        split.setSizes([220, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)

    def show_report(self, report: TalkReport, table: ReportTable) -> None:
        self.report = report
        self.model.set_table(table)
        fit_columns(self.view, table)
        self.chart.set_series([(self.tr("Operator talk share"),
                                [(r.key, r.averages["operator_share"]) for r in report.by_week
                                 if r.averages["operator_share"] is not None])])
        self.hint.set_text(self.tr("No measured calls in this period: talk figures are measured when a call is "
                                   "transcribed. Widen the period, or transcribe the calls."))
