"""An error that escapes a slot is shown in plain words instead of vanishing into the console."""

from PySide6.QtWidgets import QMessageBox

from app.application import show_unexpected_error
from review.errors import DatabaseError


def test_errors_become_messages(qtbot, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    try:
        raise DatabaseError("Cannot open the database postgresql://server/kalibra: connection refused")
    except DatabaseError as exc:
        show_unexpected_error(type(exc), exc, exc.__traceback__)
    try:
        {}["missing"]
    except KeyError as exc:
        show_unexpected_error(type(exc), exc, exc.__traceback__)
    assert shown[0].startswith("Cannot open the database")
    assert "KeyError" in shown[1] and "saved work is safe" in shown[1]
    assert "Traceback" in capsys.readouterr().err  # still logged for whoever investigates
