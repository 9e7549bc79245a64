"""Dress a widget under test as the application dresses every window: its 10 pt base font and its style sheet."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from resources import stylesheet


def as_in_the_app(widget: QWidget, width: int, height: int) -> QWidget:
    """The application's look (app/application.py) on this widget alone, sized and shown: layout tests measure
    what a user sees, not the test runner's default font."""
    font = QApplication.font()
    font.setPointSize(10)
    widget.setFont(font)
    widget.setStyleSheet(stylesheet())
    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()
    return widget


@contextmanager
def app_wide_look() -> Iterator[None]:
    """The application's font and style sheet set before a widget is built, as app/application.py does:
    what a widget measures while it is built is what the user sees."""
    app = QApplication.instance()
    font_before, sheet_before = QFont(app.font()), app.styleSheet()
    font = QFont(font_before)
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet(stylesheet())
    try:
        yield
    finally:
        app.setStyleSheet(sheet_before)
        app.setFont(font_before)
