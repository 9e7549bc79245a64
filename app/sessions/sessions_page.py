"""The review sessions page: the status board beside the chosen session, and the team-wide views."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.i18n import counted
from app.lazy_page import LazyPage, LazyTabWidget
from app.operations import CoreOp, workspace_events
from app.sessions.board import SessionBoard
from app.sessions.calibration_dialog import StartCalibrationDialog
from app.sessions.calibration_view import CalibrationView
from app.sessions.create_dialog import CreateSessionsDialog
from app.sessions.session_detail import SessionDetail
from app.sessions.team_views import DisputesView, RecognitionView
from review.accounts.access import RUN_SESSIONS, can
from review.sessions.review_sessions import status_board
from review.workspace import Workspace


def _read_board(ws: Workspace):
    with ws.changing() as session:  # status_board also stores a stage it finds has moved on
        return status_board(session, ws.actor)


class SessionsPage(QWidget):
    """Emits `open_call(call_id, queue)` when a session call should open in the review window."""

    open_call = Signal(int, list)
    board_shown = Signal()  # the board shows what is stored now

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws, self.actor = ws, ws.actor
        actor = ws.actor
        title = QLabel(self.tr("Review sessions"))
        title.setObjectName("pageTitle")
        self.new_button = QPushButton(self.tr("New sessions…"))
        self.new_button.setObjectName("primaryButton")
        self.new_button.clicked.connect(self.create_sessions)
        self.calibrate_button = QPushButton(self.tr("Start calibration…"))
        self.calibrate_button.clicked.connect(lambda: self.start_calibration())
        if not can(actor, RUN_SESSIONS):  # hidden, never setVisible(True): a button with no parent yet is a window
            self.new_button.hide()
            self.calibrate_button.hide()
        self.notice = QLabel()
        self.notice.setObjectName("mutedLabel")
        self.notice.setWordWrap(True)
        self.notice.hide()  # until sessions are made: an empty line would take the board's room
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.calibrate_button)
        header.addWidget(self.new_button)

        self.board = SessionBoard()
        self.board.session_selected.connect(lambda session_id: self.detail.show_session(session_id))
        # The chosen session's pane is built in the turn after the board shows (`detail` builds it at once).
        self._detail = LazyPage(self._make_detail, deferred=True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.board)
        splitter.addWidget(self._detail)
        splitter.setSizes([220, 480])

        # The other tabs are built when first shown (or asked for: `disputes` and the rest build theirs).
        self.tabs = LazyTabWidget()
        self.tabs.addTab(splitter, self.tr("Sessions"))
        self._disputes = self.tabs.add_lazy_tab(lambda: self._loaded(DisputesView(self._ws)), self.tr("Disputes"))
        self._calibration: LazyPage | None = None  # operators do not calibrate
        if actor.role != "operator":
            self._calibration = self.tabs.add_lazy_tab(self._make_calibration, self.tr("Calibration"))
        self._recognition = self.tabs.add_lazy_tab(lambda: self._loaded(RecognitionView(self._ws)),
                                                   self.tr("Thanks from patients"))
        self.tabs.currentChanged.connect(lambda _index: self.refresh())
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs)
        # Scores given anywhere (the review window, another desktop's news) move the board on.
        workspace_events().changed.connect(self._on_changed)
        self.refresh()

    @property
    def detail(self) -> SessionDetail:
        return self._detail.build()

    def _make_detail(self) -> SessionDetail:
        detail = SessionDetail(self._ws)
        detail.open_call.connect(self.open_call)
        detail.changed.connect(self.refresh)
        return detail

    @property
    def disputes(self) -> DisputesView:
        return self._disputes.build()

    @property
    def calibration(self) -> CalibrationView | None:
        return self._calibration.build() if self._calibration is not None else None

    @property
    def recognition(self) -> RecognitionView:
        return self._recognition.build()

    def _make_calibration(self) -> CalibrationView:
        view = CalibrationView(self._ws)
        view.open_call.connect(self.open_call)
        return self._loaded(view)

    @staticmethod
    def _loaded(view: QWidget) -> QWidget:
        view.refresh()
        return view

    def _on_changed(self, topics: frozenset) -> None:
        if topics & {"sessions", "evaluations", "disputes", "goals"}:
            self.refresh()

    def _show_board(self, cards) -> None:
        self.board.set_cards(cards)
        if self.actor.role == "operator":
            hint = self.tr("No review session of your calls yet. Your supervisor creates them; they appear here.")
        else:
            hint = self.tr("No review sessions yet. Press “New sessions…” to sample calls for your operators.")
        self.board.empty_hint.set_text("" if cards else hint)
        self.board_shown.emit()

    def refresh(self) -> None:
        CoreOp(self, self._ws, _read_board, key=("sessions board", id(self)),
               title=self.tr("Review sessions")).success(self._show_board).run_in_background()
        for tab in (self._disputes, self._recognition, self._calibration):  # the tabs built so far; the others
            if tab is not None and tab.page is not None:  # load when they are built
                tab.page.refresh()

    def start_calibration(self, call_ids: list[int] = ()) -> StartCalibrationDialog:
        """The dialog that starts a calibration round (on `call_ids`, e.g. the library's selection, checked)."""
        dialog = StartCalibrationDialog(self._ws, list(call_ids), self)
        dialog.started.connect(self._calibration_started)
        dialog.open()
        return dialog

    def _calibration_started(self, _round_id: int) -> None:
        self.tabs.setCurrentWidget(self.calibration)
        self.refresh()

    def create_sessions(self) -> CreateSessionsDialog:
        dialog = CreateSessionsDialog(self._ws, self)
        dialog.finished.connect(lambda _result: self._created(dialog))
        dialog.open()
        return dialog

    def _created(self, dialog: CreateSessionsDialog) -> None:
        if dialog.created is None:
            return
        created = dialog.created
        text = counted(self.tr("%n session(s) created.", "", len(created.session_ids)), len(created.session_ids))
        if created.notices:
            text += " " + " ".join(dialog.shortfall_text(notice) for notice in created.notices)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self.refresh()
