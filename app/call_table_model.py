"""The call library as a Qt table: rows fetched from the database a page at a time, never all at once."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.labels import (
    call_kind_label,
    channel_label,
    direction_label,
    format_duration,
    outcome_label,
    status_label,
)
from review.storage.db import Database
from review.library.calls import CallFilter, CallRow, call_page, count_calls
from review.models import User

PAGE_SIZE = 200
COLUMNS = ("operator", "started_at", "duration_s", "direction", "channel_kind", "call_kind", "outcome",
           "transcription_status")


class CallTableModel(QAbstractTableModel):
    """Knows the row count up front and loads pages lazily as the view asks for them."""

    CallIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self._filter = CallFilter()
        self._sort, self._descending = "started_at", True
        self._count = 0
        self._pages: dict[int, list[CallRow]] = {}
        self._progress: dict[int, float] = {}  # call id -> fraction, while a call is being transcribed
        self.refresh()

    # -- queries --------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        with self._db.sessions() as session:
            self._count = count_calls(session, self._actor, self._filter)
        self.endResetModel()

    def set_filter(self, flt: CallFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self.refresh()

    @property
    def call_filter(self) -> CallFilter:
        return self._filter

    def _row(self, row: int) -> CallRow | None:
        page_no, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            with self._db.sessions() as session:
                page = call_page(session, self._actor, self._filter, sort=self._sort, descending=self._descending,
                                 offset=page_no * PAGE_SIZE, limit=PAGE_SIZE)
            if len(self._pages) > 50:  # keep memory flat while scrolling through 100,000 rows
                self._pages.clear()
            self._pages[page_no] = page
        return page[offset] if offset < len(page) else None

    def set_progress(self, call_id: int, fraction: float | None) -> None:
        """Show a transcription's progress in the call's row (if the row is on a loaded page)."""
        if fraction is None:
            self._progress.pop(call_id, None)
        else:
            self._progress[call_id] = fraction
        row = self.row_of_call(call_id)
        if row is not None:
            column = COLUMNS.index("transcription_status")
            self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def reload_call(self, call_id: int) -> None:
        """The call changed in the database (e.g. its transcript is ready): fetch its page again."""
        self._progress.pop(call_id, None)
        row = self.row_of_call(call_id)
        if row is not None:
            self._pages.pop(row // PAGE_SIZE, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def call_id_at(self, row: int) -> int | None:
        item = self._row(row)
        return item.id if item else None

    def row_of_call(self, call_id: int) -> int | None:
        for page_no, page in self._pages.items():
            for offset, item in enumerate(page):
                if item.id == call_id:
                    return page_no * PAGE_SIZE + offset
        return None

    # -- Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Operator"), self.tr("Date and time"), self.tr("Duration"), self.tr("Direction"),
                    self.tr("Channel"), self.tr("Call kind"), self.tr("Outcome"), self.tr("Transcript"))[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self._row(index.row())
        if item is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "transcription_status" and item.id in self._progress:
                return f"{status_label('running')} {self._progress[item.id] * 100:.0f} %"
            return self._display(item, column)
        if role == self.CallIdRole:
            return item.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "duration_s":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.path
        return None

    @staticmethod
    def _display(item: CallRow, column: str) -> str:
        match column:
            case "operator":
                return item.operator or "—"
            case "started_at":
                return item.started_at.strftime("%d.%m.%Y %H:%M") if item.started_at else "—"
            case "duration_s":
                return format_duration(item.duration_s)
            case "direction":
                return direction_label(item.direction)
            case "channel_kind":
                return channel_label(item.channel_kind)
            case "call_kind":
                return call_kind_label(item.call_kind)
            case "outcome":
                return outcome_label(item.outcome)
            case "transcription_status":
                return status_label(item.transcription_status)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = COLUMNS[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
