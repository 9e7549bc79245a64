"""Dress a widget under test as the application dresses every window: its 10 pt base font and its style sheet."""

from __future__ import annotations

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
