"""The rubric tree's Type, Weight and Flags columns sized once per change of the rubric, from the texts it holds.

A column set to size itself to its contents is measured again by Qt, every row through the delegate, each time
the tree is shown or hidden (thousands of model calls for one visit of the Rubrics page). These columns are
measured here instead: with the fonts' metrics, when the rubric, the language or the font changes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTreeView

HEADER_PADDING = 16 + 5  # the style sheet's `padding: 6px 8px` of a header section, its border and the style's margins
REFIT_EVENTS = (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.LanguageChange)


def _texts(model: QAbstractItemModel, column: int, parent: QModelIndex):
    """(text, bold) of every cell in `column` below `parent`, and below its children (two levels: sections,
    questions)."""
    for row in range(model.rowCount(parent)):
        index = model.index(row, column, parent)
        font = index.data(Qt.ItemDataRole.FontRole)
        yield str(index.data(Qt.ItemDataRole.DisplayRole) or ""), isinstance(font, QFont) and font.bold()
        child_parent = index.siblingAtColumn(0)
        if model.hasChildren(child_parent):
            yield from _texts(model, column, child_parent)


def column_widths(tree: QTreeView, columns: tuple[int, ...]) -> dict[int, int]:
    """Each column as wide as its widest text or its title, whichever is wider (what sizing to the contents
    gives, measured from the texts alone)."""
    model, header = tree.model(), tree.header()
    plain = QFontMetrics(tree.font())
    bold_font = QFont(tree.font())
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    title_font = QFont(header.font())
    title_font.setWeight(QFont.Weight.DemiBold)  # the style sheet's header weight, which header.font() lacks
    titles = QFontMetrics(title_font)
    # An item's text sits between the focus frame's margins (QCommonStyle's item layout), one more pixel each.
    margin = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1) + 2
    widths = {}
    for column in columns:
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        widest = max(((bold if is_bold else plain).horizontalAdvance(text) for text, is_bold
                      in _texts(model, column, QModelIndex()) if text), default=0)
        widths[column] = max(titles.horizontalAdvance(title) + HEADER_PADDING, widest + margin,
                             header.minimumSectionSize())
    return widths


class FittedColumns(QObject):
    """Keeps `columns` of `tree` Interactive and as wide as their contents: refitted in a turn of its own
    (a 1 ms timer) after the model resets or changes, or the tree's font, style or language changes."""

    def __init__(self, tree: QTreeView, columns: tuple[int, ...]) -> None:
        super().__init__(tree)
        self._tree, self._columns = tree, columns
        header = tree.header()
        for column in columns:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self._timer = QTimer(self, singleShot=True, interval=1)
        self._timer.timeout.connect(self.fit)
        model = tree.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                       model.rowsMoved, model.dataChanged, model.headerDataChanged):
            signal.connect(self._timer.start)
        tree.installEventFilter(self)

    def fit(self) -> None:
        self._timer.stop()
        header = self._tree.header()
        for column, width in column_widths(self._tree, self._columns).items():
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() in REFIT_EVENTS:
            self._timer.start()
        return False
