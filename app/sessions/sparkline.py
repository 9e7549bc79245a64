"""A small trend line (0..100) with the goal's target drawn as a dashed line."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget


class Sparkline(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.values: list[float] = []
        self.target: float | None = None
        self.setMinimumSize(120, 32)

    def sizeHint(self) -> QSize:
        return QSize(160, 36)

    def set_series(self, values: list[float], target: float | None) -> None:
        self.values, self.target = list(values), target
        self.setToolTip(", ".join(f"{v:.0f} %" for v in self.values))
        self.update()

    def _y(self, value: float) -> float:
        return 3 + (self.height() - 6) * (1 - max(0.0, min(100.0, value)) / 100)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.target is not None:
            painter.setPen(QPen(QColor("#9aa5b1"), 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(0, self._y(self.target)), QPointF(self.width(), self._y(self.target)))
        if not self.values:
            return
        step = (self.width() - 8) / max(len(self.values) - 1, 1)
        points = [QPointF(4 + i * step, self._y(v)) for i, v in enumerate(self.values)]
        painter.setPen(QPen(QColor("#0f8b8d"), 2))
        for start, end in zip(points, points[1:], strict=False):
            painter.drawLine(start, end)
        painter.setBrush(QColor("#0f8b8d"))
        painter.drawEllipse(points[-1], 3, 3)
