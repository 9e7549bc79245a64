"""The rubric editor's tree: question texts wrapped, and the Type, Weight and Flags columns sized once per
change of the rubric, from the texts it holds.

A column set to size itself to its contents is measured again by Qt, every row through the delegate, each time
the tree is shown or hidden (thousands of model calls for one visit of the Rubrics page). These columns are
measured here instead: with the fonts' metrics, when the rubric, the language or the font changes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTreeView, QWidget

from app.rubric_editor.wrapping_delegate import WrappingDelegate

HEADER_PADDING = 16 + 5  # the style sheet's `padding: 6px 8px` of a header section, its border and the style's margins
REFIT_EVENTS = (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.LanguageChange)


def _rows(model: QAbstractItemModel, columns: tuple[int, ...], parent: QModelIndex | None = None):
    """(bold, texts of `columns`) of every row below `parent` and below its rows (sections, their questions):
    a section's row is in bold, as the model's font role says."""
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        font = index.data(Qt.ItemDataRole.FontRole)
        yield (isinstance(font, QFont) and font.bold(),
               [str(index.siblingAtColumn(column).data(Qt.ItemDataRole.DisplayRole) or "") for column in columns])
        if model.hasChildren(index):
            yield from _rows(model, columns, index)


def column_widths(tree: QTreeView, columns: tuple[int, ...]) -> dict[int, int]:
    """Each column as wide as its widest text or its title, whichever is wider (what sizing to the contents
    gives, measured from the texts alone)."""
    model, header = tree.model(), tree.header()
    bold_font = QFont(tree.font())
    bold_font.setBold(True)
    metrics = {False: QFontMetrics(tree.font()), True: QFontMetrics(bold_font)}
    title_font = QFont(header.font())
    title_font.setWeight(QFont.Weight.DemiBold)  # the style sheet's header weight, which header.font() lacks
    titles = QFontMetrics(title_font)
    # An item's text sits between the focus frame's margins, one more pixel each (QCommonStyle's item layout),
    # and one pixel that the style sheet adds.
    margin = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1) + 1
    widest = dict.fromkeys(columns, 0)
    for bold, texts in _rows(model, columns):
        for column, text in zip(columns, texts, strict=True):
            if text:
                widest[column] = max(widest[column], metrics[bold].horizontalAdvance(text))
    return {column: max(titles.horizontalAdvance(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
                        + HEADER_PADDING, widest[column] + margin, header.minimumSectionSize())
            for column in columns}


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


class RubricTreeView(QTreeView):
    """Sections and their questions with type, weight and flags; texts wrap, rows grow to fit them."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setHeaderHidden(False)
        self.setAlternatingRowColors(True)
        # A question's text wraps rather than being cut to "Поздоровался, на…" at 1366 px: it is how one tells
        # the questions apart. Rows grow to fit; the id and text are in the tooltip too.
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(WrappingDelegate(self))
        self.setIndentation(12)  # room for a long word ("Доброжелательный") beside three columns
        relayout = QTimer(self, singleShot=True, interval=0)  # once the width has settled
        relayout.timeout.connect(self.doItemsLayout)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        # Type, weight and flags: sized once per change of the rubric, not measured by Qt on every showing.
        self.fitted_columns = FittedColumns(self, (1, 2, 3))
        header.sectionResized.connect(lambda column, _old, _new: column == 0 and relayout.start())
