"""The rubric tree's delegate: a question's text wrapped onto as many lines as its column's width needs."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView

KEPT_SIZES = 4000  # sizes remembered before starting afresh (each width the tree was dragged to adds a set)


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped first column at the tree's current width (a plain QTreeView measures
    one line and cuts the rest); the tree lays its rows out again when that column is resized.

    Sizes are remembered by what decides them (column, text, bold or not, the first column's width, the
    font): under the style sheet the base delegate's measuring costs about 0.3 ms a cell, and a tree whose
    rows differ in height asks for every cell of every row on each layout."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree
        self._sizes: dict[tuple, QSize] = {}
        self._lines: dict[tuple, int] = {}  # one line's height, by (bold, font)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        column = index.column()
        font = index.data(Qt.ItemDataRole.FontRole)
        bold = isinstance(font, QFont) and font.bold()
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = self._text_width(index) if column == 0 else 0
        key = (column, text, bold, width, option.font.key())
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > KEPT_SIZES:
                self._sizes.clear()
            size = self._sizes[key] = self._measure(option, index, text, bold, width)
        return size

    def _text_width(self, index: QModelIndex) -> int:
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        return self._tree.columnWidth(0) - self._tree.indentation() * depth - 8  # the branch, the margins

    def _measure(self, option: QStyleOptionViewItem, index: QModelIndex, text: str, bold: bool,
                 width: int) -> QSize:
        if index.column() != 0:
            return super().sizeHint(option, index)
        # One line's height comes from the base delegate once per font (sections are bold); the rest is the
        # text wrapped at the column's width. The width asked for is the text's (the column stretches).
        line_key = (bold, option.font.key())
        line = self._lines.get(line_key)
        if line is None:
            line = self._lines[line_key] = super().sizeHint(option, index).height()
        metrics = option.fontMetrics
        if bold:  # a section's title is drawn bold: measured in the regular font it was cut ("Выявление …")
            font = QFont(option.font)
            font.setBold(True)
            metrics = QFontMetrics(font)
        needed = metrics.boundingRect(0, 0, max(width, 40), 10_000, Qt.TextFlag.TextWordWrap, text)
        return QSize(needed.width() + 8, max(line, needed.height() + 6))
