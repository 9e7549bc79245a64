"""One session: its calls, the side-by-side view, the discussion, goals and the operator's acknowledgement."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.empty_hint import EmptyHint
from app.i18n import counted, error_text, interface_language
from app.labels import call_number, format_datetime
from app.lazy_page import LazyTabWidget
from app.operations import CoreOp
from app.sessions.discussion_tab import DiscussionData, DiscussionTab, read_discussion
from app.sessions.goals_tab import GoalsData, GoalsTab, read_goals
from review.errors import KalibraError
from review.models import Call
from review.scoring.disputes import raise_dispute
from review.sessions.comparison import Comparison, compare
from review.sessions.review_sessions import (
    acknowledge,
    active_call_ids,
    close_session,
    get_review_session,
    session_calls,
    session_evaluations,
    stage_of,
    swap_call,
)
from review.workspace import Workspace

DIFFERENCE = QColor("#fde2e1")


@dataclass(frozen=True)
class PickRow:
    id: int
    call_id: int
    active: bool
    swap_reason: str | None
    pick_reason: dict | None
    started_at: datetime | None


@dataclass(frozen=True)
class CommentNote:
    """A timestamped comment as the side-by-side shows it."""

    question_id: str | None
    at_s: float
    text: str


@dataclass(frozen=True)
class SessionView:
    """Everything one session's tabs show, read in one go off the GUI thread."""

    id: int
    operator_id: int
    stage: str
    acknowledged_at: datetime | None
    picks: list[PickRow]
    queue: list[int]
    comparison: Comparison | None
    waiting: str | None  # why the side-by-side is not open yet
    discussion: DiscussionData
    goals: GoalsData


def read_session(ws: Workspace, session_id: int, lang: str) -> SessionView:
    with ws.reading() as session:
        actor = ws.actor
        review_session = get_review_session(session, actor, session_id)
        stage = stage_of(session, review_session)[0]
        picks = session_calls(session, actor, session_id)
        starts = dict(session.query(Call.id, Call.started_at).filter(Call.id.in_([p.call_id for p in picks])).all())
        try:
            comparison, waiting = compare(session, actor, session_id, lang), None
        except KalibraError as exc:
            comparison, waiting = None, error_text(exc)
        if comparison is not None:  # plain comments, not the rows they were read from
            comparison = replace(comparison, calls=[replace(call, comments=[
                CommentNote(c.question_id, c.at_s, c.text) for c in call.comments]) for call in comparison.calls])
        return SessionView(
            session_id, review_session.operator_id, stage, review_session.acknowledged_at,
            [PickRow(p.id, p.call_id, p.active, p.swap_reason, p.pick_reason, starts.get(p.call_id)) for p in picks],
            active_call_ids(session, session_id), comparison, waiting,
            read_discussion(session, actor, session_id), read_goals(session, actor, session_id, lang))



def pick_reason_text(reason: dict | None) -> str:
    """Why the sampling picked a call: the signals it has with their figures, or "at random"."""
    signals = (reason or {}).get("signals") or {}
    if not signals:
        return QCoreApplication.translate("SessionDetail", "at random")
    seconds = QCoreApplication.translate("SessionDetail", "{0} s")
    texts = {"long_silence": QCoreApplication.translate("SessionDetail", "long silence ({0})"),
             "long_hold": QCoreApplication.translate("SessionDetail", "long hold ({0})"),
             "overtalk": QCoreApplication.translate("SessionDetail", "heavy overtalk ({0})")}
    parts = []
    for name, value in signals.items():
        if name in texts:
            parts.append(texts[name].format(seconds.format(f"{value:g}")))
        elif name == "unhappy_customer":
            parts.append(counted(QCoreApplication.translate(
                "SessionDetail", "an unhappy customer (%n complaint(s))", "", int(value)), int(value)))
        else:
            parts.append(QCoreApplication.translate("SessionDetail", "a failed check"))
    return ", ".join(parts)


CALL_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # a session's call row: the call's number (UserRole: the pick's)


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
    """`shown` once a session chosen is on screen (its calls, side-by-side, discussion and goals)."""

    open_call = Signal(int, list)
    changed = Signal()
    shown = Signal()

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws, self.actor = ws, ws.actor
        self.session_id: int | None = None
        self._queue: list[int] = []
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

        self.calls = _table([self.tr("Call"), self.tr("Started"), self.tr("Why picked"), self.tr("Status")])
        self.calls.doubleClicked.connect(lambda _index: self.open_selected_call())
        self.calls_hint = EmptyHint(self.calls, self.tr(
            "The calls picked for a session come here: choose a session on the board above."))
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

        self._view: SessionView | None = None  # the session shown: a tab built later shows it too
        self.tabs = LazyTabWidget()
        self.tabs.addTab(calls_page, self.tr("Calls"))
        self.tabs.addTab(side_page, self.tr("Side by side"))
        self._discussion = self.tabs.add_lazy_tab(self._make_discussion, self.tr("Discussion"))
        self._goals = self.tabs.add_lazy_tab(self._make_goals, self.tr("Goals"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.tabs)
        self.show_session(None)

    @property
    def discussion(self) -> DiscussionTab:
        return self._discussion.build()

    @property
    def goals(self) -> GoalsTab:
        return self._goals.build()

    def _make_discussion(self) -> DiscussionTab:
        tab = DiscussionTab(self._ws)
        if self._view is not None:
            tab.show_session(self._view.id, self.comparison, self._view.discussion)
        return tab

    def _make_goals(self) -> GoalsTab:
        tab = GoalsTab(self._ws)
        if self._view is not None:
            tab.show_session(self._view.id, self._view.goals)
        return tab

    def show_session(self, session_id: int | None) -> None:
        self.session_id = session_id
        for widget in (self.tabs, self.ack_button, self.close_button):
            widget.setEnabled(session_id is not None)
        if session_id is None:
            is_operator = self.actor.role == "operator"
            self.ack_button.setVisible(is_operator)  # only operators acknowledge
            # Closing and swapping are the supervisor's; an operator is not shown them even greyed out.
            self.close_button.setVisible(not is_operator)
            self.swap_button.setVisible(not is_operator)
            return
        lang = interface_language()
        CoreOp(self, self._ws, lambda ws: read_session(ws, session_id, lang), key=("session detail", id(self)),
               title=self.tr("Review sessions")).success(self._show).run_in_background()

    def _show(self, view: SessionView) -> None:
        if view.id != self.session_id:
            return  # another session was chosen meanwhile
        self.comparison, self.stage = view.comparison, view.stage
        stage, acknowledged = view.stage, view.acknowledged_at
        self.title.setText(self.tr("Session #%1").replace("%1", str(view.id)))
        self.ack_label.setText(self.tr("Acknowledged %1").replace("%1", format_datetime(acknowledged))
                               if acknowledged else self.tr("Not acknowledged yet"))
        is_operator = self.actor.role == "operator"
        self.ack_button.setVisible(is_operator and acknowledged is None)
        self.ack_button.setEnabled(stage in ("ready_to_discuss", "closed"))
        self.close_button.setVisible(not is_operator)
        self.close_button.setEnabled(stage == "ready_to_discuss")
        self.swap_button.setVisible(not is_operator)
        self.dispute_button.setVisible(is_operator)
        self.calls.setRowCount(0)
        for pick in sorted(view.picks, key=lambda p: (not p.active, p.id)):
            row = self.calls.rowCount()
            self.calls.insertRow(row)
            number = _item(call_number(pick.call_id), pick.id)
            number.setData(CALL_ID_ROLE, pick.call_id)
            self.calls.setItem(row, 0, number)
            self.calls.setItem(row, 1, _item(format_datetime(pick.started_at)))
            status = self.tr("in the session") if pick.active else self.tr("swapped out: %1").replace(
                "%1", pick.swap_reason or "")
            self.calls.setItem(row, 2, _item(pick_reason_text(pick.pick_reason)))
            self.calls.setItem(row, 3, _item(status))
        self._queue = view.queue
        self._fill_side_by_side(view.waiting)
        self._view = view
        if self._discussion.page is not None:
            self._discussion.page.show_session(view.id, self.comparison, view.discussion)
        if self._goals.page is not None:
            self._goals.page.show_session(view.id, view.goals)
        self.shown.emit()

    def _fill_side_by_side(self, waiting: str | None) -> None:
        table = self.side_by_side
        table.setRowCount(0)
        if self.comparison is None:
            self.side_note.setText(waiting or "")
            return
        differences = self.comparison.differences
        self.side_note.setText(counted(self.tr("%n differing answer(s) highlighted.", "", differences), differences))
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
                cells = [call_number(call.call_id), f"{row_data.number}. {row_data.text}", row_data.supervisor, row_data.own,
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
        call_id = self.calls.item(row, 0).data(CALL_ID_ROLE)
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
        pick_id = self.calls.item(row, 0).data(Qt.ItemDataRole.UserRole)
        self._change(lambda session, actor: swap_call(session, actor, pick_id, reason))

    def _change(self, work, changes=frozenset({"sessions"}), reload: bool = True) -> None:
        """Run `work(session, actor)` off the GUI thread; then show the session as stored (a refusal is shown)."""
        def change(ws: Workspace) -> None:
            with ws.changing() as session:
                work(session, ws.actor)

        CoreOp(self, self._ws, change, changes=changes, title=self.tr("Not done")) \
            .success(lambda _none: self.refresh() if reload else self.changed.emit()).run_in_background()

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
        session_id = self.session_id

        def dispute(session, actor) -> None:
            evaluation = session_evaluations(session, session_id, "supervisor")[call_id]
            raise_dispute(session, actor, evaluation.id, question_id, comment)

        self._change(dispute, {"disputes"}, reload=False)

    def acknowledge(self) -> None:
        session_id = self.session_id
        self._change(lambda session, actor: acknowledge(session, actor, session_id))

    def close_session(self) -> None:
        session_id = self.session_id
        self._change(lambda session, actor: close_session(session, actor, session_id))

    def refresh(self) -> None:
        self.show_session(self.session_id)
        self.changed.emit()
