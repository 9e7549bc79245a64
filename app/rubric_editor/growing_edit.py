"""A plain-text box as tall as its wrapped text: a one-line field that wraps rather than hide its end, a box of
lines that grows as it is typed in."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy


class GrowingTextEdit(QPlainTextEdit):
    """Shows between `min_lines` and `max_lines` lines of its text wrapped at its width (a scroll bar beyond);
    `single_line`: one paragraph, as a line edit holds (Enter goes to the window, a pasted text's line breaks
    become spaces).

    Its height is a height for its width, so a form in a scroll area grows by the lines a narrower pane wraps
    to. The style sheet's min-height is left as it is: it would win over any minimum set here."""

    def __init__(self, parent=None, *, min_lines: int = 1, max_lines: int = 12, single_line: bool = False) -> None:
        super().__init__(parent)
        self._min_lines, self._max_lines, self._single_line = min_lines, max_lines, single_line
        # (width, side margins, top and bottom) -> (height, whether lines are left beyond max_lines)
        self._heights: dict[tuple[int, int, int], tuple[int, bool]] = {}
        self.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A scroll bar only past max_lines: one shown while the box was narrow took the width of the line it
        # then needed, and stayed.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.textChanged.connect(self._text_changed)

    # -- the text as a line edit's ------------------------------------------------------------------
    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming, as QLineEdit's
        self.setPlainText(text)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self._single_line and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()  # as a line edit: the window's default button, not a line break
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source) -> None:  # noqa: N802 - Qt naming
        if self._single_line and source.hasText():
            self.insertPlainText(" ".join(source.text().split()))
            return
        super().insertFromMimeData(source)

    def setPlaceholderText(self, text: str) -> None:  # noqa: N802 - Qt naming
        super().setPlaceholderText(text)
        if not self.toPlainText():  # an empty box is as tall as its hint
            self._text_changed()

    # -- height -------------------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt naming
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt naming
        return self._measured(width)[0]

    def _measured(self, width: int) -> tuple[int, bool]:
        self.ensurePolished()  # the style sheet's padding and border are in the contents margins
        margins = self.contentsMargins()
        key = (width, margins.left() + margins.right(), margins.top() + margins.bottom())
        measured = self._heights.get(key)
        if measured is None:
            if len(self._heights) > 32:
                self._heights.clear()
            height, overflow = self._measure(width - key[1])
            measured = self._heights[key] = (height + key[2], overflow)
        return measured

    def sizeHint(self):  # noqa: N802 - Qt naming
        hint = super().sizeHint()
        hint.setHeight(self.heightForWidth(self.width() if self.width() > 1 else hint.width()))
        return hint

    def _measure(self, viewport_width: int) -> tuple[int, bool]:
        """The viewport's height for the text (or, empty, its placeholder) wrapped as the box wraps it, and
        whether it has more than max_lines lines."""
        margin = self.document().documentMargin()
        text_width = max(1.0, viewport_width - 2 * margin)
        option = self.document().defaultTextOption()
        heights: list[float] = []
        for paragraph in (self.toPlainText() or self.placeholderText()).split("\n"):
            layout = QTextLayout(paragraph, self.font())
            layout.setTextOption(option)
            layout.beginLayout()
            while (line := layout.createLine()).isValid():
                line.setLeadingIncluded(True)  # as the box lays its lines
                line.setLineWidth(text_width)
                heights.append(line.height())
            layout.endLayout()
        line_height = heights[0] if heights else float(self.fontMetrics().lineSpacing())
        shown = heights[:self._max_lines] + [line_height] * (self._min_lines - len(heights))
        # The box scrolls unless a pixel is to spare.
        return math.ceil(sum(shown) + 2 * margin) + 1, len(heights) > self._max_lines

    def _text_changed(self) -> None:
        before = self._heights.get(self._key_now())
        self._heights.clear()
        if before is None or self._measured(self.width()) != before:
            self.updateGeometry()  # only when a line is gained or lost: a layout pass on every key would cost
        self._sync_scroll_bar()

    def _key_now(self) -> tuple[int, int, int]:
        margins = self.contentsMargins()
        return self.width(), margins.left() + margins.right(), margins.top() + margins.bottom()

    def _sync_scroll_bar(self) -> None:
        overflow = self._measured(self.width())[1]
        policy = Qt.ScrollBarPolicy.ScrollBarAsNeeded if overflow else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if self.verticalScrollBarPolicy() != policy:
            self.setVerticalScrollBarPolicy(policy)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._sync_scroll_bar()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
            self.updateGeometry()
        super().changeEvent(event)
