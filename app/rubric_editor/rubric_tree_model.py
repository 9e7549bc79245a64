"""A thin Qt item model over a RubricDocument: sections at the top level, their questions below.

It owns no data: document events become Qt row signals, and drops become document moves.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QAbstractItemModel, QByteArray, QCoreApplication, QMimeData, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.labels import call_kind_label
from app.rubric_editor.rubric_document import DocumentEvent, Path, RubricDocument

MIME_TYPE = "application/x-kalibra-rubric-item"
COLUMNS = 4  # item, type, weight or points, flags


class _Top:
    """The internal pointer of section indexes; question indexes point at their section's dict."""


_TOP = _Top()
_NO_PARENT = QModelIndex()


def type_label(question: dict) -> str:
    # Literal translate() calls: lupdate files a string under its context only when it can read both.
    kind = question.get("type")
    if kind == "scale":
        values = [level.get("value", 0) for level in question.get("levels", [])]
        if not values:
            return QCoreApplication.translate("RubricTreeModel", "Scale")
        return QCoreApplication.translate("RubricTreeModel", "Scale {0}–{1}").format(min(values), max(values))
    return {"yes_no": QCoreApplication.translate("RubricTreeModel", "Yes / no"),
            "choice": QCoreApplication.translate("RubricTreeModel", "Choice"),
            "note": QCoreApplication.translate("RubricTreeModel", "Note")}.get(kind, str(kind))


def localized(text: object, lang: str) -> str:
    if isinstance(text, dict):
        return (text.get(lang) or text.get("ru") or "").strip() if lang == "en" else (text.get("ru") or "").strip()
    return str(text or "")


def max_points(question: dict) -> float | None:
    """What the question can earn, mirroring `Question.max_points` for data that may not validate yet."""
    kind = question.get("type")
    if kind == "note":
        return None
    if kind == "choice":
        return max((o.get("points", 0) for o in question.get("options", [])), default=0)
    levels = question.get("levels", [])
    if kind == "scale" and levels and all(level.get("points") is not None for level in levels):
        return max(level["points"] for level in levels)
    if question.get("points") is not None:
        return question["points"]
    if kind == "scale" and levels:
        values = [level.get("value", 0) for level in levels]
        return max(values) - min(values)
    return 1


def _number(value: float) -> str:
    return f"{value:g}"


class RubricTreeModel(QAbstractItemModel):
    def __init__(self, document: RubricDocument, lang: str = "ru", parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self._lang = lang
        self.editable = True
        # What data() answered, until the document or the language changes: a view asks for each cell's roles
        # on every paint and size pass (thousands of calls for one showing of a 60-question rubric).
        self._cells: dict[tuple, object] = {}
        document.subscribe(self._on_event)

    @property
    def lang(self) -> str:
        """The language the rubric's texts are shown in."""
        return self._lang

    @lang.setter
    def lang(self, lang: str) -> None:
        self._lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        """Answer again in the rubric's language and the interface's (after either changes)."""
        self.layoutAboutToBeChanged.emit()
        self._cells.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        self.layoutChanged.emit()

    def set_document(self, document: RubricDocument) -> None:
        self.beginResetModel()
        self._cells.clear()
        self.document.unsubscribe(self._on_event)
        self.document = document
        document.subscribe(self._on_event)
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable

    # -- paths and indexes --------------------------------------------------------------------------
    def path(self, index: QModelIndex) -> Path | None:
        if not index.isValid():
            return None
        pointer = index.internalPointer()
        if pointer is _TOP:
            return (index.row(),)
        section = self._section_row(pointer)
        return None if section is None else (section, index.row())

    def index_of(self, path: Path, column: int = 0) -> QModelIndex:
        if len(path) == 1:
            return self.index(path[0], column)
        return self.index(path[1], column, self.index(path[0], 0))

    def _section_row(self, section: object) -> int | None:
        for row, candidate in enumerate(self.document.sections):
            if candidate is section:
                return row
        return None

    def index(self, row: int, column: int, parent: QModelIndex = _NO_PARENT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        if parent.internalPointer() is _TOP:
            return self.createIndex(row, column, self.document.sections[parent.row()])
        return QModelIndex()

    def parent(self, index: QModelIndex | None = None):  # type: ignore[override]
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid() or index.internalPointer() is _TOP:
            return QModelIndex()
        row = self._section_row(index.internalPointer())
        return QModelIndex() if row is None else self.createIndex(row, 0, _TOP)

    def rowCount(self, parent: QModelIndex = _NO_PARENT) -> int:
        if not parent.isValid():
            return len(self.document.sections)
        if parent.column() == 0 and parent.internalPointer() is _TOP:
            return len(self.document.questions(parent.row()))
        return 0

    def columnCount(self, parent: QModelIndex = _NO_PARENT) -> int:
        return COLUMNS

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Section / question"), self.tr("Type"), self.tr("Weight"), self.tr("Flags"))[section]
        return None

    # -- data ---------------------------------------------------------------------------------------
    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # A question's index points at its section's dict, which lives as long as the cache does.
        key = (id(index.internalPointer()), index.row(), index.column(), role) if index.isValid() else None
        if key in self._cells:
            return self._cells[key]
        value = self._cell(index, role)
        if key is not None:
            self._cells[key] = value
        return value

    def _cell(self, index: QModelIndex, role):
        path = self.path(index)
        if path is None:
            return None
        item = self.document.item(path)
        column = index.column()
        is_section = len(path) == 1
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                text = localized(item.get("title" if is_section else "text"), self.lang) or item.get("id", "")
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"{item.get('id', '')}: {text}"
                return text
            if column == 1:
                if is_section:
                    kinds = (item.get("condition") or {}).get("call_kinds", [])
                    if not kinds:
                        return None
                    if role == Qt.ItemDataRole.ToolTipRole:
                        return self.tr("Only for: {0}").format(", ".join(call_kind_label(kind) for kind in kinds))
                    return self.tr("Conditional")
                return type_label(item)
            if column == 2:
                if is_section:
                    return "× " + _number(item.get("weight", 0))
                points = max_points(item)
                return "—" if points is None else self.tr("{0} pt").format(_number(points))
            if column == 3 and not is_section:
                flags = []
                if item.get("fatal"):
                    flags.append(self.tr("fatal"))
                if item.get("critical"):
                    flags.append(self.tr("critical"))
                if item.get("na_allowed"):
                    flags.append(self.tr("N/A"))
                return ", ".join(flags)
            return None
        if role == Qt.ItemDataRole.FontRole and is_section:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QBrush(QColor("#b42318" if item.get("fatal") else "#9a6700"))
        if role == Qt.ItemDataRole.ForegroundRole and column in (1, 2):
            return QBrush(QColor("#52606d"))
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.editable else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
            if index.internalPointer() is _TOP:
                flags |= Qt.ItemFlag.ItemIsDropEnabled  # questions can be dropped onto a section
        return flags

    # -- drag and drop ------------------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        paths = sorted({self.path(index) for index in indexes if index.isValid()})
        mime = QMimeData()
        # One item per drag: a tree of mixed sections and questions has no single sensible drop order.
        mime.setData(MIME_TYPE, QByteArray(json.dumps(list(paths[0]) if paths else []).encode()))
        return mime

    def _dragged(self, mime: QMimeData) -> Path | None:
        if not mime.hasFormat(MIME_TYPE):
            return None
        path = tuple(json.loads(bytes(mime.data(MIME_TYPE)).decode() or "[]"))
        return path or None

    def canDropMimeData(self, mime, action, row, column, parent) -> bool:
        path = self._dragged(mime)
        if not self.editable or path is None or action != Qt.DropAction.MoveAction:
            return False
        target = self.path(parent)
        if len(path) == 1:
            return target is None  # sections move among sections only
        return target is not None and len(target) == 1  # questions land in a section

    def dropMimeData(self, mime, action, row, column, parent) -> bool:
        if not self.canDropMimeData(mime, action, row, column, parent):
            return False
        path = self._dragged(mime)
        target = self.path(parent)
        if len(path) == 1:
            self.document.move_section(path[0], len(self.document.sections) if row < 0 else row)
        else:
            dest = target[0]
            self.document.move_question(path[0], path[1], dest, len(self.document.questions(dest)) if row < 0 else row)
        # False: the move is done; the view must not remove the dragged row a second time.
        return False

    # -- document events -> Qt signals --------------------------------------------------------------
    def _parent_index(self, parent: int | None) -> QModelIndex:
        return QModelIndex() if parent is None else self.index(parent, 0)

    def _on_event(self, event: DocumentEvent) -> None:
        self._cells.clear()
        kind = event.kind
        if kind == "inserting":
            self.beginInsertRows(self._parent_index(event.parent), event.row, event.row)
        elif kind == "inserted":
            self.endInsertRows()
        elif kind == "removing":
            self.beginRemoveRows(self._parent_index(event.parent), event.row, event.row)
        elif kind == "removed":
            self.endRemoveRows()
        elif kind == "moving":
            self.beginMoveRows(self._parent_index(event.parent), event.row, event.row,
                               self._parent_index(event.dest_parent), event.dest_row)
        elif kind == "moved":
            self.endMoveRows()
        elif kind == "changed":
            index = self.index_of(event.path)
            self.dataChanged.emit(index, index.siblingAtColumn(COLUMNS - 1))
        elif kind in ("rubric_changed", "reset"):
            self.layoutChanged.emit()
