"""A thin Qt adapter over a `review.reporting.exports.ReportTable`: the screen shows exactly the table an export writes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from review.reporting.tables import ReportTable, format_cell

SORT_ROLE = Qt.ItemDataRole.UserRole
_BETTER, _WORSE = QColor("#0b7a3b"), QColor("#b42318")


class ReportTableModel(QAbstractTableModel):
    """Rows of a ReportTable. `change_columns` maps a column to whether a rise is good (pass rate) or bad
    (growth-area mentions), so changes are coloured by what they mean."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._table: ReportTable | None = None
        self.change_columns: dict[int, bool] = {}

    @property
    def table(self) -> ReportTable | None:
        return self._table

    def set_table(self, table: ReportTable) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if (parent is not None and parent.isValid()) or self._table is None else len(self._table.rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if (parent is not None and parent.isValid()) or self._table is None else len(self._table.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._table is None:
            return None
        column = self._table.columns[index.column()]
        value = self._table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = format_cell(value, column.kind, self._table.lang)
            if value is None and column.kind != "text":
                return "—"
            if index.column() in self.change_columns and isinstance(value, int | float) and value > 0:
                return f"+{text}"
            return text
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "text":
            return format_cell(value, column.kind, self._table.lang) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignLeft if column.kind == "text" else Qt.AlignmentFlag.AlignRight
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in self.change_columns:
            if isinstance(value, int | float) and value != 0:
                rise_is_good = self.change_columns[index.column()]
                return _BETTER if (value > 0) == rise_is_good else _WORSE
        if role == SORT_ROLE:
            if column.kind == "text":
                return (value or "").casefold()
            if column.kind == "date":
                return value.isoformat() if isinstance(value, date) else ""
            return float(value) if isinstance(value, int | float) else float("-inf")  # None, or a note
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal or self._table is None:
            return None
        return self._table.columns[section].title
