"""A non-modal line for what just happened (info) or went wrong (error)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


class MessageBar(QLabel):
    """A line above the editor for what just happened (info) or went wrong (error); never modal."""

    STYLES = {"info": "background: #e6f6f6; color: #0b3b3b; border: 1px solid #a8dede;",
              "error": "background: #fff1f0; color: #8a1c12; border: 1px solid #f3c4bf;"}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setStyleSheet(f"QLabel {{ {self.STYLES[kind]} border-radius: 4px; padding: 6px 10px; }}")
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()
