"""Pages and tabs built the first time they are shown, so start-up and a page's first visit pay only for
what is on screen (under the stylesheet a widget costs about a millisecond to build and polish)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QStyle, QTabWidget, QVBoxLayout, QWidget


class LazyPage(QWidget):
    """Holds the widget `factory` makes, made on first showing or on `build()` (whichever comes first).
    `deferred`: made in the event-loop turn after the showing, so what is around it paints first and the
    loop ticks between the two (a page with such parts inside is built in several short turns)."""

    built = Signal(QWidget)

    def __init__(self, factory: Callable[[], QWidget], parent=None, *, deferred: bool = False) -> None:
        super().__init__(parent)
        self._factory = factory
        self._deferred = deferred
        self.page: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.page is None:
            self.page = self._factory()
            if isinstance(self.page, QAbstractItemView):
                # A table alone in a tab sits as far in from the tab's edges as one inside a tab's own layout
                # (the scorecards touched the tab's frame where the growth table beside them did not).
                margin = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin, None, self)
                self.layout().setContentsMargins(margin, margin, margin, margin)
            self.layout().addWidget(self.page)
            if self.isVisible():
                self.page.show()  # now, not in a queued call the layout would make
            self.built.emit(self.page)
        return self.page

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self._deferred:  # 1 ms, not 0: a zero timer set in a turn can run straight after it, before the
            QTimer.singleShot(1, self, self.build)  # loop looks at input or other timers
        else:
            self.build()
        super().showEvent(event)


class LazyTabWidget(QTabWidget):
    """A tab widget whose tabs added by `add_lazy_tab` are built when first shown. To its Python callers
    `widget`, `currentWidget`, `indexOf` and `setCurrentWidget` speak of the tabs' contents, building the one
    asked for: code and tests treat it as a plain QTabWidget."""

    def add_lazy_tab(self, factory: Callable[[], QWidget], title: str) -> LazyPage:
        slot = LazyPage(factory, deferred=True)
        self.addTab(slot, title)
        return slot

    def is_built(self, index: int) -> bool:
        held = super().widget(index)
        return not isinstance(held, LazyPage) or held.page is not None

    def widget(self, index: int) -> QWidget | None:
        held = super().widget(index)
        return held.build() if isinstance(held, LazyPage) else held

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - Qt naming
        return self.widget(self.currentIndex())

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802 - Qt naming
        index = super().indexOf(widget)
        if index < 0 and isinstance(widget.parentWidget(), LazyPage):
            index = super().indexOf(widget.parentWidget())
        return index

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt naming
        self.setCurrentIndex(self.indexOf(widget))
