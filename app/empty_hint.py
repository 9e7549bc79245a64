"""A hint written across an empty list or table: what it would show and how to fill it, instead of a blank."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QAbstractItemView

MARGIN = 16


class EmptyHint(QObject):
    """Paints `text` in `view`'s viewport while its model has no rows; `set_text` changes it (an empty text
    paints nothing)."""

    def __init__(self, view: QAbstractItemView, text: str = "") -> None:
        super().__init__(view)
        self.view, self._text = view, text
        view.viewport().installEventFilter(self)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text
        self.view.viewport().update()

    def showing(self) -> bool:
        """Whether the hint is on the screen now: there is a text and the view has no rows."""
        model = self.view.model()
        return bool(self._text) and (model is None or model.rowCount() == 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and self.showing():
            self.view.viewportEvent(event)  # the view's own painting (headers' grid, background) first
            viewport = self.view.viewport()
            painter = QPainter(viewport)
            painter.setPen(viewport.palette().placeholderText().color())
            area = QRect(viewport.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
            painter.drawText(area, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                             self._text)
            painter.end()
            return True
        return False
