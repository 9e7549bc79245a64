"""A small weekly line chart (0-100 %) drawn with QPainter: one line per operator or team, a legend beside it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.labels import format_day_month

# Distinct on white and for the common kinds of colour blindness (Okabe-Ito, then two darker tones).
PALETTE = ("#0F8B8D", "#E69F00", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#7B8794", "#3D4852",
           "#B8860B")
MAX_SERIES = len(PALETTE)


class TrendChart(QWidget):
    """`set_series([(name, [(week, value), ...]), ...])`; values are percentages. At most MAX_SERIES lines are
    drawn (the caller chooses which); with no points the chart says so."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._series: list[tuple[str, list[tuple[date, float]]]] = []
        self._weeks: list[date] = []
        self.empty_text = self.tr("No evaluations in this period")
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(640, 280)

    def set_series(self, series: list[tuple[str, list[tuple[date, float]]]]) -> None:
        self._series = [(name, sorted(points)) for name, points in series[:MAX_SERIES] if points]
        self._weeks = sorted({week for _name, points in self._series for week, _value in points})
        self.update()

    def series_names(self) -> list[str]:
        return [name for name, _points in self._series]

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        metrics = QFontMetrics(self.font())
        muted = QColor("#7b8794")
        if not self._series:
            painter.setPen(muted)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        legend_width = min(220, max(metrics.horizontalAdvance(name) for name in self.series_names()) + 36)
        plot = QRectF(metrics.horizontalAdvance("100 %") + 14, 12, 0, 0)
        plot.setRight(self.width() - legend_width - 16)
        plot.setBottom(self.height() - metrics.height() - 14)
        if plot.width() < 40 or plot.height() < 40:
            return
        self._draw_axes(painter, plot, metrics, muted)
        for index, (name, points) in enumerate(self._series):
            color = QColor(PALETTE[index % len(PALETTE)])
            painter.setPen(QPen(color, 2.2))
            path = QPainterPath()
            for position, (week, value) in enumerate(points):
                point = self._at(plot, week, value)
                if position == 0:
                    path.moveTo(point)
                else:
                    path.lineTo(point)
            painter.drawPath(path)
            painter.setBrush(color)
            for week, value in points:
                painter.drawEllipse(self._at(plot, week, value), 3.2, 3.2)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            self._draw_legend_entry(painter, plot, metrics, index, name, color)

    def _x(self, plot: QRectF, week: date) -> float:
        if len(self._weeks) == 1:
            return plot.center().x()
        span = (self._weeks[-1] - self._weeks[0]).days
        inset = 14.0  # keeps the first and last points off the axis
        return plot.left() + inset + (week - self._weeks[0]).days / span * (plot.width() - 2 * inset)

    def _at(self, plot: QRectF, week: date, value: float) -> QPointF:
        return QPointF(self._x(plot, week), plot.bottom() - max(0.0, min(100.0, value)) / 100 * plot.height())

    def _draw_axes(self, painter: QPainter, plot: QRectF, metrics: QFontMetrics, muted: QColor) -> None:
        for level in (0, 25, 50, 75, 100):
            y = plot.bottom() - level / 100 * plot.height()
            painter.setPen(QPen(QColor("#eef1f4" if level else "#cbd2d9"), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            label = f"{level} %"
            painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        label_width = metrics.horizontalAdvance("00.00") + 8
        step = max(1, int(len(self._weeks) * label_width / max(plot.width(), 1)) + 1)
        for week in self._weeks[::step]:
            x = self._x(plot, week)
            painter.drawText(QRectF(x - label_width / 2, plot.bottom() + 4, label_width, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, format_day_month(week))

    def _draw_legend_entry(self, painter: QPainter, plot: QRectF, metrics: QFontMetrics, index: int, name: str,
                           color: QColor) -> None:
        top = plot.top() + index * (metrics.height() + 6)
        left = plot.right() + 16
        painter.setPen(QPen(color, 3))
        painter.drawLine(QPointF(left, top + metrics.height() / 2), QPointF(left + 16, top + metrics.height() / 2))
        painter.setPen(QColor("#1f2933"))
        text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(self.width() - left - 28))
        painter.drawText(QPointF(left + 22, top + metrics.ascent()), text)
