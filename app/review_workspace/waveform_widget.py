"""Both channels of a call in two lanes, silences, holds and overtalk shaded, comment markers and a playhead;
click to seek."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.labels import format_duration
from app.review_workspace.waveform_data import QuietSpan, pixel_columns, quiet_spans
from transcription.audio import Envelope
from transcription.conversation import Stretch

LANE_COLORS = {"operator": QColor("#0f8b8d"), "customer": QColor("#5661a8"), "mixed": QColor("#52606d")}
RULER_H = 16
MARKER_H = 10


@dataclass(frozen=True)
class WaveMarker:
    comment_id: int
    at_s: float
    end_s: float | None
    text: str


class WaveformWidget(QWidget):
    seek_requested = Signal(float)
    marker_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(124)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._envelope: Envelope | None = None
        self._lanes: list[tuple[str, int]] = []
        self._duration_s = 0.0
        self._position_s = 0.0
        self._quiet: list[QuietSpan] = []
        # The call's measured stretches (review.analytics); until then, quiet stretches seen in the envelope.
        self._stretches: list[Stretch] | None = None
        self._markers: list[WaveMarker] = []
        self._personal: list[tuple[float, float, str]] = []
        self._columns: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._columns_width = -1
        self._background: QPixmap | None = None
        self._message = self.tr("Loading the waveform…")
        self._lane_names = {"operator": self.tr("Operator"), "customer": self.tr("Customer"),
                            "mixed": self.tr("Both speakers")}

    # ------------------------------------------------------------------ data
    def set_call(self, duration_s: float, channels: int, operator_channel: int) -> None:
        self._duration_s = max(duration_s, 0.001)
        if channels >= 2:
            self._lanes = [("operator", operator_channel), ("customer", 1 - operator_channel)]
        else:
            self._lanes = [("mixed", 0)]
        self._envelope, self._quiet, self._columns_width = None, [], -1
        self._stretches = None
        self._message = self.tr("Loading the waveform…")
        self._background = None
        self.update()

    def set_envelope(self, env: Envelope) -> None:
        self._envelope = env
        self._quiet = quiet_spans(env)
        self._columns_width = -1
        self._message = ""
        self._background = None
        self.update()

    def set_stretches(self, stretches: list[Stretch] | None) -> None:
        """Shade the call's silences, holds and overtalk as measured (None: the envelope's quiet stretches)."""
        self._stretches = None if stretches is None else list(stretches)
        self._background = None
        self.update()

    @property
    def stretches(self) -> list[Stretch] | None:
        return None if self._stretches is None else list(self._stretches)

    def set_message(self, text: str) -> None:
        self._message = text
        self._background = None
        self.update()

    def set_markers(self, markers: list[WaveMarker]) -> None:
        self._markers = markers
        self.update()

    def set_personal_data(self, stretches: list[tuple[float, float, str]]) -> None:
        """Mark where personal data is spoken: (start_s, end_s, label) each."""
        self._personal = list(stretches)
        self._background = None
        self.update()

    @property
    def personal_data(self) -> list[tuple[float, float, str]]:
        return list(self._personal)

    def set_position(self, seconds: float) -> None:
        old_x, self._position_s = self._x(self._position_s), seconds
        new_x = self._x(seconds)
        if int(old_x) != int(new_x):
            # Repaint only the strips the playhead left and entered.
            self.update(int(old_x) - 2, 0, 5, self.height())
            self.update(int(new_x) - 2, 0, 5, self.height())

    @property
    def quiet(self) -> list[QuietSpan]:
        return list(self._quiet)

    # ------------------------------------------------------------------ geometry
    def _plot(self) -> QRectF:
        return QRectF(0, MARKER_H, self.width(), self.height() - MARKER_H - RULER_H)

    def _x(self, seconds: float) -> float:
        return seconds / self._duration_s * self.width() if self._duration_s else 0.0

    def time_at(self, x: float) -> float:
        return max(0.0, min(self._duration_s, x / max(1, self.width()) * self._duration_s))

    def _marker_at(self, x: float) -> WaveMarker | None:
        near = [m for m in self._markers if abs(self._x(m.at_s) - x) <= 5]
        return min(near, key=lambda m: abs(self._x(m.at_s) - x)) if near else None

    # ------------------------------------------------------------------ events
    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        x = event.position().x()
        marker = self._marker_at(x) if event.position().y() <= MARKER_H + 4 else None
        if marker is not None:
            self.marker_clicked.emit(marker.comment_id)
            self.seek_requested.emit(marker.at_s)
        else:
            self.seek_requested.emit(self.time_at(x))

    def mouseMoveEvent(self, event) -> None:
        x = event.position().x()
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.seek_requested.emit(self.time_at(x))
            return
        marker = self._marker_at(x)
        at = self.time_at(x)
        personal = next((label for start, end, label in self._personal if start <= at <= end), None)
        tip = f"{format_duration(marker.at_s)} — {marker.text}" if marker else format_duration(at)
        if personal and not marker:
            tip += " — " + self.tr("personal data: {0}").format(personal)
        QToolTip.showText(event.globalPosition().toPoint(), tip, self)

    def resizeEvent(self, event) -> None:
        self._columns_width = -1
        self._background = None
        super().resizeEvent(event)

    # ------------------------------------------------------------------ painting
    def _ensure_columns(self) -> None:
        if self._columns_width == self.width() or self._envelope is None:
            return
        self._columns = {channel: pixel_columns(self._envelope.mins[channel], self._envelope.maxs[channel],
                                                self.width())
                         for _, channel in self._lanes if channel < self._envelope.channels}
        self._columns_width = self.width()

    def paintEvent(self, _event) -> None:
        if self._background is None or self._background.size() != self.size():
            self._background = self._render_background()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._background)
        self._paint_markers(painter, self._plot())
        x = self._x(self._position_s)
        painter.setPen(QPen(QColor("#d64545"), 2))
        painter.drawLine(QPointF(x, 0), QPointF(x, self.height() - RULER_H))
        painter.end()

    def _render_background(self) -> QPixmap:
        """Everything that does not move while playing, drawn once per size or data change."""
        pixmap = QPixmap(self.size())
        pixmap.fill(QColor("#ffffff"))
        painter = QPainter(pixmap)
        plot = self._plot()
        lane_h = plot.height() / max(1, len(self._lanes))
        self._paint_quiet(painter, plot)
        self._paint_personal(painter, plot)
        self._ensure_columns()
        for index, (name, channel) in enumerate(self._lanes):
            lane = QRectF(plot.left(), plot.top() + index * lane_h, plot.width(), lane_h)
            if index:
                painter.setPen(QPen(QColor("#e4e7eb")))
                painter.drawLine(lane.topLeft(), lane.topRight())
            if channel in self._columns:
                self._paint_lane(painter, lane, *self._columns[channel], LANE_COLORS[name])
            # The lane's name on a light plate, so the waveform under it does not make it unreadable.
            label = self._lane_names[name]
            plate = QRectF(lane.left() + 3, lane.top() + 2, painter.fontMetrics().horizontalAdvance(label) + 8,
                           painter.fontMetrics().height() + 2)
            painter.fillRect(plate, QColor(255, 255, 255, 215))
            painter.setPen(QColor("#52606d"))
            painter.drawText(plate, Qt.AlignmentFlag.AlignCenter, label)
        if self._message:
            painter.setPen(QColor("#52606d"))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self._message)
        self._paint_ruler(painter)
        painter.end()
        return pixmap

    def _paint_lane(self, painter: QPainter, lane: QRectF, lows: np.ndarray, highs: np.ndarray, color: QColor) -> None:
        middle, half = lane.center().y(), lane.height() / 2 - 3
        tops = middle - np.clip(highs, -1, 1) * half
        bottoms = middle - np.clip(lows, -1, 1) * half
        # One column of pixels per x, from its top to its bottom, as one image: a thousand QLineF made one by
        # one took most of a call's first paint.
        first = int(np.floor(lane.top()))
        rows = np.arange(first, int(np.ceil(lane.bottom())) + 1, dtype=np.float64)[:, None]
        covered = (rows >= np.floor(tops)[None, :]) & (rows <= np.floor(bottoms + 0.5)[None, :])
        pixels = np.ascontiguousarray(np.where(covered, np.uint32(color.rgba()), np.uint32(0)), dtype=np.uint32)
        height, width = pixels.shape
        image = QImage(pixels.data, width, height, width * 4, QImage.Format.Format_ARGB32)
        painter.drawImage(QPointF(0, first), image)  # drawn before `pixels` goes

    def _paint_quiet(self, painter: QPainter, plot: QRectF) -> None:
        if self._stretches is not None:
            self._paint_stretches(painter, plot)
            return
        for span in self._quiet:
            left, right = self._x(span.start_s), self._x(span.end_s)
            rect = QRectF(left, plot.top(), max(1.0, right - left), plot.height())
            color = QColor("#f7e8c6") if span.is_hold else QColor("#eef1f4")
            painter.fillRect(rect, color)
            painter.fillRect(rect, QBrush(QColor("#d9c08a") if span.is_hold else QColor("#d5dbe1"),
                                          Qt.BrushStyle.BDiagPattern))
            if span.is_hold and rect.width() > 60:
                painter.setPen(QColor("#8a6d1d"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                                 self.tr("Hold {0}").format(format_duration(span.end_s - span.start_s)))

    def _paint_stretches(self, painter: QPainter, plot: QRectF) -> None:
        for stretch in self._stretches:
            left, right = self._x(stretch.start), self._x(stretch.end)
            rect = QRectF(left, plot.top(), max(1.0, right - left), plot.height())
            if stretch.kind == "overtalk":  # a red band along the top: both parties at once
                painter.fillRect(rect, QColor(214, 69, 69, 40))
                painter.fillRect(QRectF(rect.left(), plot.top(), rect.width(), 4), QColor("#d64545"))
                continue
            hold = stretch.kind == "hold"
            painter.fillRect(rect, QColor("#f7e8c6") if hold else QColor("#eef1f4"))
            painter.fillRect(rect, QBrush(QColor("#d9c08a") if hold else QColor("#d5dbe1"), Qt.BrushStyle.BDiagPattern))
            if hold and rect.width() > 60:
                painter.setPen(QColor("#8a6d1d"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                                 self.tr("Hold {0}").format(format_duration(stretch.duration_s)))

    def _paint_personal(self, painter: QPainter, plot: QRectF) -> None:
        for start, end, _label in self._personal:
            left, right = self._x(start), self._x(end)
            rect = QRectF(left, plot.top(), max(2.0, right - left), plot.height())
            painter.fillRect(rect, QColor(124, 58, 237, 38))
            painter.fillRect(QRectF(rect.left(), plot.bottom() - 4, rect.width(), 4), QColor("#7c3aed"))

    def _paint_ruler(self, painter: QPainter) -> None:
        top = self.height() - RULER_H
        painter.fillRect(QRectF(0, top, self.width(), RULER_H), QColor("#f4f6f8"))
        if self._duration_s <= 0 or self.width() <= 0:
            return
        # A tick every 5, 10, 30 s, 1, 2, 5, 10 min: whichever leaves about 70 px between labels.
        step = next((s for s in (5, 10, 30, 60, 120, 300, 600, 1800) if s / self._duration_s * self.width() >= 70),
                    3600)
        painter.setPen(QColor("#7b8794"))
        t = 0
        while t <= self._duration_s:
            x = self._x(t)
            painter.drawLine(QPointF(x, top), QPointF(x, top + 4))
            painter.drawText(QRectF(x + 3, top, 60, RULER_H), Qt.AlignmentFlag.AlignVCenter, format_duration(t))
            t += step

    def _paint_markers(self, painter: QPainter, plot: QRectF) -> None:
        amber = QColor("#e8a317")
        for marker in self._markers:
            x = self._x(marker.at_s)
            if marker.end_s is not None:
                painter.fillRect(QRectF(x, plot.top(), max(2.0, self._x(marker.end_s) - x), plot.height()),
                                 QColor(232, 163, 23, 40))
            painter.setPen(QPen(amber, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, MARKER_H), QPointF(x, plot.bottom()))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(amber)
            painter.drawPolygon(QPolygonF([QPointF(x - 5, 0), QPointF(x + 5, 0), QPointF(x, MARKER_H)]))
