"""Fixtures for the Qt layer's tests."""

import pytest
from PySide6.QtWidgets import QApplication

from app.i18n import install_language


@pytest.fixture
def russian(qtbot):
    """The Russian interface for one test; English (the source strings other tests read) afterwards."""
    from PySide6.QtCore import QLocale

    previous = QLocale()
    install_language(QApplication.instance(), "ru")
    yield
    install_language(QApplication.instance(), "en")
    QLocale.setDefault(previous)
