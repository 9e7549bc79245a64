"""Forms whose labels sit on their field's first line of text: the one layout every dialog's form is built with."""

from __future__ import annotations

from weakref import WeakKeyDictionary, WeakSet

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QTextBlock
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFormLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def first_line_middle(widget: QWidget) -> float:
    """Where the middle of the widget's first line of text is, from its top: a list's first row, a text box's
    first line, a wrapped label's first line, the first field of a row of fields, else the widget's middle."""
    return _measured(widget)[0]


def _measured(widget: QWidget) -> tuple[float, QWidget]:
    """The first line's middle and the widget that holds that line (its later moves move the line)."""
    if isinstance(widget, QAbstractItemView):
        model = widget.model()
        line = widget.fontMetrics().height()
        if model is not None and model.rowCount(widget.rootIndex()) > 0:
            row = widget.visualRect(model.index(0, 0, widget.rootIndex()))
            if row.isValid():
                return widget.viewport().y() + row.y() + row.height() / 2, widget
        return widget.viewport().y() + line / 2, widget  # an empty list: where its first row will be
    if isinstance(widget, QPlainTextEdit):
        block = widget.document().firstBlock()
        top = widget.blockBoundingGeometry(block).translated(widget.contentOffset()).top()
        return widget.viewport().y() + top + _first_line_of(block, widget.fontMetrics().height()), widget
    if isinstance(widget, QTextEdit):
        block = widget.document().firstBlock()
        top = widget.document().documentLayout().blockBoundingRect(block).top() - widget.verticalScrollBar().value()
        return widget.viewport().y() + top + _first_line_of(block, widget.fontMetrics().height()), widget
    if isinstance(widget, QLabel):
        return _label_first_line(widget), widget
    layout = widget.layout()
    if layout is not None:
        if layout.geometry() != widget.rect():
            # A container not yet shown is laid out only when it is: place its children now to measure them.
            layout.setGeometry(widget.rect())
        child = _first_widget(layout)
        if child is not None:
            middle, holder = _measured(child)
            return child.y() + middle, holder
    return widget.height() / 2, widget


def _first_line_of(block: QTextBlock, line_height: int) -> float:
    """The middle of a text block's first line, from the block's top."""
    layout = block.layout()
    if layout is not None and layout.lineCount() > 0:
        line = layout.lineAt(0)
        return line.y() + line.height() / 2
    return line_height / 2


def _label_first_line(label: QLabel) -> float:
    contents = label.contentsRect()
    line = label.fontMetrics().height()
    text_height = label.heightForWidth(contents.width()) if label.wordWrap() else label.sizeHint().height()
    text_height = min(max(text_height, line), contents.height())
    alignment = label.alignment()
    if alignment & Qt.AlignmentFlag.AlignTop:
        top = contents.top()
    elif alignment & Qt.AlignmentFlag.AlignBottom:
        top = contents.bottom() + 1 - text_height
    else:
        top = contents.top() + (contents.height() - text_height) / 2
    return top + line / 2


def _first_widget(layout: QLayout) -> QWidget | None:
    if isinstance(layout, QFormLayout):  # a form inside a field: its first field's text, not its label's
        for row in range(layout.rowCount()):
            field = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if field is not None and (found := _item_widget(field)) is not None:
                return found
    for index in range(layout.count()):
        found = _item_widget(layout.itemAt(index))
        if found is not None:
            return found
    return None


def _item_widget(item: QLayoutItem) -> QWidget | None:
    widget = item.widget()
    if widget is not None:
        if isinstance(widget, QLabel) and widget.text() in ("—", "–", "-"):
            return None  # a range's dash is not the field's text
        return widget if not widget.isHidden() else None
    if item.layout() is not None:
        return _first_widget(item.layout())
    return None


def _field_first_line(item: QLayoutItem) -> tuple[float, QWidget] | None:
    """The field's first line in the form's widget, from the top of that widget, and the widget holding it."""
    widget = _item_widget(item)
    if widget is None:
        return None
    middle, holder = _measured(widget)
    return widget.y() + middle, holder


class FormLayout(QFormLayout):
    """A QFormLayout whose labels are moved so the middle of their text is on the middle of their field's first
    line: the plain form sets a label at its row's top at the label's own height, so its words sat 2–4 px
    higher than a line edit's, a spin box's or a list's first row."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        # The widgets whose moves align labels again, each with the labels it places: a form's first layout
        # moves every field, and aligning every row on each of those moves cost a rubric's form 20 ms.
        self._watched: WeakKeyDictionary[QWidget, WeakSet[QLabel]] = WeakKeyDictionary()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt naming
        super().setGeometry(rect)
        self._align_labels()

    def _align_labels(self) -> None:
        for row in range(self.rowCount()):
            self._align_row(row)

    def _align_row(self, row: int) -> None:
        label_item = self.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field_item = self.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label_item is None or field_item is None or not isinstance(label_item.widget(), QLabel):
            return
        label = label_item.widget()
        measured = _field_first_line(field_item)
        if measured is None or label.isHidden():
            return
        middle, holder = measured
        label.move(label.x(), round(middle - _label_first_line(label)))
        self._watch(holder, label)

    def _watch(self, holder: QWidget, label: QLabel) -> None:
        """Align the label again when the widget holding its field's first line moves or is resized on its own:
        a text box not yet shown places its text only when it is (its words sat 4 px below their label)."""
        watched = holder.viewport() if isinstance(holder, QAbstractScrollArea) else holder
        labels = self._watched.get(watched)
        if labels is None:  # a form inside a field and the form around it both watch it
            labels = self._watched[watched] = WeakSet()
            watched.installEventFilter(self)
        labels.add(label)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            for label in list(self._watched.get(watched, ())):
                row, _role = self.getWidgetPosition(label)
                if row >= 0:
                    self._align_row(row)
        return False
