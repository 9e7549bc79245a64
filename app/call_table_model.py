"""The call library as a Qt table: rows fetched a page at a time off the GUI thread, never all at once."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.labels import (
    call_kind_label,
    channel_label,
    direction_label,
    format_datetime,
    format_duration,
    format_wait,
    outcome_label,
    status_label,
)
from app.operations import CoreOp
from review.library.calls import CallFilter, CallRow, call_page, count_calls
from review.workspace import Workspace

PAGE_SIZE = 200
MAX_PAGES = 50  # pages kept while scrolling through 100,000 rows: memory stays flat
# New columns go at the end: the hidden ones are remembered by position.
COLUMNS = ("operator", "started_at", "duration_s", "direction", "channel_kind", "call_kind", "outcome",
           "transcription_status", "first_response_s", "longest_wait_s", "operator_share", "silence_total_s",
           "hold_total_s", "overtalk_count")
# Shown with a right-click on the header; the rest fit 1366 px in Russian.
DEFAULT_HIDDEN = ("direction", "transcription_status", "operator_share", "silence_total_s", "hold_total_s",
                  "overtalk_count")
NUMBER_COLUMNS = ("duration_s", "first_response_s", "longest_wait_s", "operator_share", "silence_total_s",
                  "hold_total_s", "overtalk_count")


def _first_page(ws: Workspace, flt: CallFilter, sort: str, descending: bool) -> tuple[int, list[CallRow]]:
    with ws.reading() as session:
        count = count_calls(session, ws.actor, flt)
        rows = call_page(session, ws.actor, flt, sort=sort, descending=descending, limit=PAGE_SIZE) if count else []
    return count, rows


def _page(ws: Workspace, flt: CallFilter, sort: str, descending: bool, page_no: int) -> list[CallRow]:
    with ws.reading() as session:
        return call_page(session, ws.actor, flt, sort=sort, descending=descending, offset=page_no * PAGE_SIZE,
                         limit=PAGE_SIZE)


class CallTableModel(QAbstractTableModel):
    """Knows the row count once a query answers and loads pages lazily, off the GUI thread, as the view asks.

    A query (filter and sort) is answered with its count and first page together, so the table changes once;
    until then the previous rows stay on screen. An answer to an older query is dropped. Refreshing the same
    query keeps showing the rows it had until their new copies arrive (no blank flash)."""

    CallIdRole = Qt.ItemDataRole.UserRole + 1
    loaded = Signal()  # the answer to the latest query (count and first page) is in the table
    page_loaded = Signal(int)  # a further page of the current query arrived

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._filter = CallFilter()
        self._sort, self._descending = "started_at", True
        self._count = 0
        self._pages: dict[int, list[CallRow]] = {}
        self._stale: dict[int, list[CallRow]] = {}  # the same query's rows before a refresh, shown until replaced
        self._asked: set[int] = set()  # pages being fetched for the current query
        self._query = 0  # numbers each query; answers to older ones are dropped
        self._shown = -1  # the query whose answer is in the table
        self._shown_asked: tuple | None = None  # its filter and sort
        self._progress: dict[int, float] = {}  # call id -> fraction, while a call is being transcribed
        self.refresh()

    # -- queries --------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """A query was asked and its answer is not in the table yet."""
        return self._shown != self._query

    def refresh(self) -> None:
        """Ask the current query again (the data changed, or the filter or the sort did)."""
        self._query += 1
        query, flt, sort, descending = self._query, self._filter, self._sort, self._descending
        CoreOp(self, self._ws, lambda ws: _first_page(ws, flt, sort, descending), key=("call table", id(self))) \
            .success(lambda answer: self._answered(query, (flt, sort, descending), answer)).run_in_background()

    def _answered(self, query: int, asked: tuple, answer: tuple[int, list[CallRow]]) -> None:
        if query != self._query:
            return
        count, first = answer
        same_query = asked == self._shown_asked
        # The same query again: its rows stay on screen until their fresh copies come; another query starts over.
        stale = {**self._stale, **self._pages} if same_query else {}
        stale.pop(0, None)
        if same_query and count == self._count:
            self._pages, self._stale, self._asked = {0: first}, stale, set()
            self._shown = query
            if count:
                self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(COLUMNS) - 1))
        else:
            self.beginResetModel()
            self._count, self._pages, self._stale, self._asked = count, {0: first}, stale, set()
            self._shown = query
            self.endResetModel()
        self._shown_asked = asked
        self.loaded.emit()

    def _fetch(self, page_no: int) -> None:
        """Ask for one page of the current query (a newer ask for the same page makes an older one stale)."""
        self._asked.add(page_no)
        query, flt, sort, descending = self._query, self._filter, self._sort, self._descending
        CoreOp(self, self._ws, lambda ws: _page(ws, flt, sort, descending, page_no),
               key=("call page", id(self), page_no)) \
            .success(lambda rows: self._page_arrived(query, page_no, rows)).run_in_background()

    def _page_arrived(self, query: int, page_no: int, rows: list[CallRow]) -> None:
        if query != self._query or query != self._shown:
            return
        self._asked.discard(page_no)
        if len(self._pages) >= MAX_PAGES:  # forget the page farthest from this one
            del self._pages[max(self._pages, key=lambda p: abs(p - page_no))]
        self._pages[page_no] = rows
        self._stale.pop(page_no, None)
        first, last = page_no * PAGE_SIZE, min(self._count, (page_no + 1) * PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.page_loaded.emit(page_no)

    def set_filter(self, flt: CallFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self.refresh()

    @property
    def call_filter(self) -> CallFilter:
        return self._filter

    def _row(self, row: int) -> CallRow | None:
        """The row if its page is here (or, refreshing, its previous copy); else None and the page is asked for."""
        page_no, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            if page_no not in self._asked and self._shown == self._query and row < self._count:
                self._fetch(page_no)
            page = self._stale.get(page_no)
            if page is None:
                return None
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
        """The call changed in the database (e.g. its transcript is ready): fetch its page again, showing the
        old copy meanwhile."""
        self._progress.pop(call_id, None)
        row = self.row_of_call(call_id)
        if row is not None and self._shown == self._query:
            page_no = row // PAGE_SIZE
            if page_no in self._pages:  # else its old copy is already showing while a fetch is on its way
                self._stale[page_no] = self._pages.pop(page_no)
            self._fetch(page_no)  # a newer ask: the page read after this change wins

    def call_id_at(self, row: int) -> int | None:
        item = self._row(row)
        return item.id if item else None

    def loaded_call_ids(self, limit: int) -> list[int]:
        """The calls of the rows loaded from the top, in the table's order, without asking for more."""
        ids: list[int] = []
        for page_no in range(-(-min(limit, self._count) // PAGE_SIZE)):
            page = self._pages.get(page_no) or self._stale.get(page_no)
            if page is None:
                break
            ids += [item.id for item in page]
        return ids[:limit]

    def row_of_call(self, call_id: int) -> int | None:
        for page_no, page in (*self._pages.items(), *self._stale.items()):
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
                    self.tr("Channel"), self.tr("Call kind"), self.tr("Outcome"), self.tr("Transcript"),
                    self.tr("1st reply"), self.tr("Max wait"),
                    self.tr("Operator talk"), self.tr("Silence"), self.tr("Hold"), self.tr("Overtalk"))[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            choose = self.tr("Right-click a column's name to show or hide columns")
            if section in (8, 9):
                return self.tr("Chats and e-mails: working time until the operator answered (the clinic's hours)") \
                    + "\n" + choose
            if section >= 10:
                return (self.tr("The operator's share of the talk time"),
                        self.tr("Silence in the call, total: where neither party speaks (time on hold apart)"),
                        self.tr("Time on hold, total"),
                        self.tr("How many times both parties spoke at once"))[section - 10] + "\n" + choose
            return choose
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
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:  # a long operator, kind or outcome is elided: whole here
            return item.path if column in NUMBER_COLUMNS else f"{self._display(item, column)}\n{item.path}"
        return None

    def _display(self, item: CallRow, column: str) -> str:
        match column:
            case "operator":
                return item.operator or "—"
            case "started_at":
                return format_datetime(item.started_at)
            case "duration_s":
                return "—" if item.written else format_duration(item.duration_s)
            case "direction":
                return direction_label(item.direction, item.channel_kind)
            case "channel_kind":
                return channel_label(item.channel_kind)
            case "call_kind":
                return call_kind_label(item.call_kind)
            case "outcome":
                return outcome_label(item.outcome)
            case "transcription_status":
                if item.written:  # nothing to transcribe: say how long the conversation is instead
                    return self.tr("%n message(s)", "", item.message_count or 0)
                return status_label(item.transcription_status)
            case "first_response_s":
                return format_wait(item.first_response_s)
            case "longest_wait_s":
                return format_wait(item.longest_wait_s)
            case "operator_share":
                return "—" if item.operator_share is None else f"{item.operator_share * 100:.0f} %"
            case "silence_total_s" | "hold_total_s":
                return format_duration(getattr(item, column))
            case "overtalk_count":
                return "—" if item.overtalk_count is None else str(item.overtalk_count)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort, descending = COLUMNS[column], order == Qt.SortOrder.DescendingOrder
        if (sort, descending) != (self._sort, self._descending):
            self._sort, self._descending = sort, descending
            self.refresh()
