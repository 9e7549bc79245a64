"""One session: its calls, the side-by-side view, the discussion, goals and the operator's acknowledgement."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text, interface_language
from app.sessions.discussion_tab import DiscussionTab
from app.sessions.goals_tab import GoalsTab
from review.storage.db import Database
from review.scoring.disputes import raise_dispute
from review.errors import KalibraError
from review.models import Call, User
from review.sessions.review_sessions import (
    acknowledge,
    active_call_ids,
    close_session,
    get_review_session,
    session_calls,
    stage_of,
    swap_call,
)
from review.sessions.comparison import Comparison, compare

DIFFERENCE = QColor("#fde2e1")



def _item(text: str, data=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class _WrappingTable(QTableWidget):
    """Rows as tall as their wrapped text at the widths the table has now: a table filled while its tab
    was hidden measured narrow columns (rows far too tall), and column resizes alone do not say when
    the view got its real width."""

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        QTimer.singleShot(0, self.resizeRowsToContents)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        QTimer.singleShot(0, self.resizeRowsToContents)


def _table(headers: list[str], table_class=QTableWidget) -> QTableWidget:
    table = table_class(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


class SessionDetail(QWidget):
    open_call = Signal(int, list)
    changed = Signal()

    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.session_id: int | None = None
        self.comparison: Comparison | None = None
        self.title = QLabel(self.tr("Choose a session on the board"))
        self.title.setObjectName("paneTitle")
        self.ack_label = QLabel()
        self.ack_label.setObjectName("mutedLabel")
        self.ack_button = QPushButton(self.tr("I have seen the results and goals"))
        self.ack_button.setObjectName("primaryButton")
        self.ack_button.clicked.connect(self.acknowledge)
        self.close_button = QPushButton(self.tr("Close session"))
        self.close_button.clicked.connect(self.close_session)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.ack_label)
        header.addWidget(self.ack_button)
        header.addWidget(self.close_button)

        self.calls = _table([self.tr("Call"), self.tr("Started"), self.tr("Status")])
        self.calls.doubleClicked.connect(lambda _index: self.open_selected_call())
        self.open_button = QPushButton(self.tr("Open call"))
        self.open_button.setObjectName("primaryButton")
        self.open_button.clicked.connect(self.open_selected_call)
        self.swap_button = QPushButton(self.tr("Swap for another call…"))
        self.swap_button.clicked.connect(self._ask_swap)
        calls_page = QWidget()
        calls_layout = QVBoxLayout(calls_page)
        calls_layout.addWidget(self.calls)
        calls_buttons = QHBoxLayout()
        calls_buttons.addWidget(self.open_button)
        calls_buttons.addWidget(self.swap_button)
        calls_buttons.addStretch(1)
        calls_layout.addLayout(calls_buttons)

        self.side_by_side = _table([self.tr("Call"), self.tr("Question"), self.tr("Supervisor"), self.tr("Operator"),
                                    self.tr("Comments")], _WrappingTable)
        # Questions and notes share the width and wrap; the answers get a fixed, readable width (they
        # wrap too), so long text never pushes the table sideways at 1366 px.
        side_header = self.side_by_side.horizontalHeader()
        side_header.setStretchLastSection(False)
        for column, mode in ((1, QHeaderView.ResizeMode.Stretch), (2, QHeaderView.ResizeMode.Interactive),
                             (3, QHeaderView.ResizeMode.Interactive), (4, QHeaderView.ResizeMode.Stretch)):
            side_header.setSectionResizeMode(column, mode)
        for column in (2, 3):
            self.side_by_side.setColumnWidth(column, 190)
        # Wrapped rows are as tall as their text at the current widths (a few dozen rows: cheap).
        side_header.sectionResized.connect(lambda *_args: self.side_by_side.resizeRowsToContents())
        self.side_note = QLabel()
        self.side_note.setObjectName("mutedLabel")
        self.side_note.setWordWrap(True)
        self.dispute_button = QPushButton(self.tr("Dispute this answer…"))
        self.dispute_button.clicked.connect(self._ask_dispute)
        side_page = QWidget()
        side_layout = QVBoxLayout(side_page)
        side_layout.addWidget(self.side_note)
        side_layout.addWidget(self.side_by_side)
        side_layout.addWidget(self.dispute_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.discussion = DiscussionTab(db, actor)
        self.goals = GoalsTab(db, actor)
        self.tabs = QTabWidget()
        self.tabs.addTab(calls_page, self.tr("Calls"))
        self.tabs.addTab(side_page, self.tr("Side by side"))
        self.tabs.addTab(self.discussion, self.tr("Discussion"))
        self.tabs.addTab(self.goals, self.tr("Goals"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.tabs)
        self.show_session(None)

    def _fail(self, exc: KalibraError) -> None:
        QMessageBox.warning(self, self.tr("Not done"), error_text(exc))

    def show_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        for widget in (self.tabs, self.ack_button, self.close_button):
            widget.setEnabled(session_id is not None)
        if session_id is None:
            self.ack_button.setVisible(self.actor.role == "operator")  # only operators acknowledge
            return
        with self.db.unit_of_work() as session:
            review_session = get_review_session(session, self.actor, session_id)
            operator = review_session.operator_id
            stage, calls, sup_done, own_done = stage_of(session, review_session)
            picks = session_calls(session, self.actor, session_id)
            active = active_call_ids(session, session_id)
            starts = {c.id: c.started_at for c in session.query(Call).filter(Call.id.in_([p.call_id for p in picks]))}
            acknowledged = review_session.acknowledged_at
            try:
                self.comparison = compare(session, self.actor, session_id, interface_language())
            except KalibraError as exc:
                self.comparison, waiting = None, error_text(exc)
        self.stage = stage
        self.title.setText(self.tr("Session #%1").replace("%1", str(session_id)))
        self.ack_label.setText(self.tr("Acknowledged %1").replace("%1", f"{acknowledged:%d.%m.%Y %H:%M}")
                               if acknowledged else self.tr("Not acknowledged yet"))
        is_operator = self.actor.role == "operator"
        self.ack_button.setVisible(is_operator and acknowledged is None)
        self.ack_button.setEnabled(stage in ("ready_to_discuss", "closed"))
        self.close_button.setVisible(not is_operator)
        self.close_button.setEnabled(stage == "ready_to_discuss")
        self.swap_button.setVisible(not is_operator)
        self.dispute_button.setVisible(is_operator)
        self.calls.setRowCount(0)
        for pick in sorted(picks, key=lambda p: (not p.active, p.id)):
            row = self.calls.rowCount()
            self.calls.insertRow(row)
            self.calls.setItem(row, 0, _item(f"#{pick.call_id}", pick.id))
            started = starts.get(pick.call_id)
            self.calls.setItem(row, 1, _item(f"{started:%d.%m.%Y %H:%M}" if started else "—"))
            status = self.tr("in the session") if pick.active else self.tr("swapped out: %1").replace(
                "%1", pick.swap_reason or "")
            self.calls.setItem(row, 2, _item(status))
        self._queue = active
        self._fill_side_by_side(None if self.comparison else waiting)
        self.discussion.show_session(session_id, self.comparison)
        self.goals.show_session(session_id, operator)

    def _fill_side_by_side(self, waiting: str | None) -> None:
        table = self.side_by_side
        table.setRowCount(0)
        if self.comparison is None:
            self.side_note.setText(waiting or "")
            return
        self.side_note.setText(self.tr("%n answer(s) differ; they are highlighted.", "",
                                       self.comparison.differences))
        for call in self.comparison.calls:
            comments = {}
            for comment in call.comments:
                comments.setdefault(comment.question_id, []).append(f"{comment.at_s:.0f} s: {comment.text}")
            for row_data in call.rows:
                row = table.rowCount()
                table.insertRow(row)
                notes = [label.replace("%1", text) for label, text in (
                    (self.tr("Supervisor: %1"), row_data.supervisor_comment),
                    (self.tr("Operator: %1"), row_data.own_comment)) if text]
                notes += comments.get(row_data.question_id, [])
                # Numbered as on the review form, so "question 5" means the same on both screens.
                cells = [f"#{call.call_id}", f"{row_data.number}. {row_data.text}", row_data.supervisor, row_data.own,
                         "\n".join(notes)]
                for column, text in enumerate(cells):
                    item = _item(text, (call.call_id, row_data.question_id) if column == 0 else None)
                    if row_data.differs:
                        item.setBackground(DIFFERENCE)
                    table.setItem(row, column, item)
        table.resizeRowsToContents()

    def highlighted_rows(self) -> list[tuple[int, str]]:
        """(call id, question id) of the rows shown as differences."""
        found = []
        for row in range(self.side_by_side.rowCount()):
            item = self.side_by_side.item(row, 0)
            if item.background().color() == DIFFERENCE:
                found.append(item.data(Qt.ItemDataRole.UserRole))
        return found

    def select_side_row(self, call_id: int, question_id: str) -> None:
        for row in range(self.side_by_side.rowCount()):
            if self.side_by_side.item(row, 0).data(Qt.ItemDataRole.UserRole) == (call_id, question_id):
                self.side_by_side.selectRow(row)
                return

    def open_selected_call(self) -> None:
        row = self.calls.currentRow()
        if row < 0 or self.session_id is None:
            return
        call_id = int(self.calls.item(row, 0).text().lstrip("#"))
        self.open_call.emit(call_id, list(self._queue))

    def _ask_swap(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        reason, ok = QInputDialog.getText(self, self.tr("Swap the call"), self.tr("Why can this call not be used?"))
        if ok:
            self.swap_selected(reason)

    def swap_selected(self, reason: str) -> None:
        row = self.calls.currentRow()
        if row < 0:
            return
        try:
            with self.db.unit_of_work() as session:
                swap_call(session, self.actor, self.calls.item(row, 0).data(Qt.ItemDataRole.UserRole), reason)
        except KalibraError as exc:
            self._fail(exc)
            return
        self.refresh()

    def _ask_dispute(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getMultiLineText(self, self.tr("Dispute the answer"),
                                                 self.tr("Why is the supervisor's answer wrong?"))
        if ok:
            self.dispute_selected(text)

    def dispute_selected(self, comment: str) -> None:
        row = self.side_by_side.currentRow()
        if row < 0 or self.comparison is None:
            return
        call_id, question_id = self.side_by_side.item(row, 0).data(Qt.ItemDataRole.UserRole)
        from review.sessions.review_sessions import session_evaluations

        try:
            with self.db.unit_of_work() as session:
                evaluation = session_evaluations(session, self.session_id, "supervisor")[call_id]
                raise_dispute(session, self.actor, evaluation.id, question_id, comment)
        except KalibraError as exc:
            self._fail(exc)
            return
        self.changed.emit()

    def acknowledge(self) -> None:
        try:
            with self.db.unit_of_work() as session:
                acknowledge(session, self.actor, self.session_id)
        except KalibraError as exc:
            self._fail(exc)
            return
        self.refresh()

    def close_session(self) -> None:
        try:
            with self.db.unit_of_work() as session:
                close_session(session, self.actor, self.session_id)
        except KalibraError as exc:
            self._fail(exc)
            return
        self.refresh()

    def refresh(self) -> None:
        self.show_session(self.session_id)
        self.changed.emit()
