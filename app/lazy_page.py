"""A navigation page built the first time it is shown, so start-up pays only for the library."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    def __init__(self, factory: Callable[[], QWidget], parent=None) -> None:
        super().__init__(parent)
        self._factory = factory
        self.page: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.page is None:
            self.page = self._factory()
            self.layout().addWidget(self.page)
        return self.page

    def showEvent(self, event) -> None:
        self.build()
        super().showEvent(event)
