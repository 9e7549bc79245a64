"""The review sessions page: the status board beside the chosen session, and the team-wide views."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.sessions.board import SessionBoard
from app.sessions.create_dialog import CreateSessionsDialog
from app.sessions.session_detail import SessionDetail
from app.sessions.team_views import CalibrationView, DisputesView, RecognitionView
from review.accounts.access import RUN_SESSIONS, can
from review.storage.db import Database
from review.models import User
from review.sessions.review_sessions import status_board


class SessionsPage(QWidget):
    """Emits `open_call(call_id, queue)` when a session call should open in the review window."""

    open_call = Signal(int, list)

    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        title = QLabel(self.tr("Review sessions"))
        title.setObjectName("pageTitle")
        self.new_button = QPushButton(self.tr("New sessions…"))
        self.new_button.setObjectName("primaryButton")
        self.new_button.clicked.connect(self.create_sessions)
        self.new_button.setVisible(can(actor, RUN_SESSIONS))
        self.notice = QLabel()
        self.notice.setObjectName("mutedLabel")
        self.notice.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.new_button)

        self.board = SessionBoard()
        self.detail = SessionDetail(db, actor)
        self.board.session_selected.connect(self.detail.show_session)
        self.detail.open_call.connect(self.open_call)
        self.detail.changed.connect(self.refresh)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.board)
        splitter.addWidget(self.detail)
        splitter.setSizes([220, 480])

        self.disputes = DisputesView(db, actor)
        self.calibration = CalibrationView(db, actor)
        self.recognition = RecognitionView(db, actor)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, self.tr("Sessions"))
        self.tabs.addTab(self.disputes, self.tr("Disputes"))
        if actor.role != "operator":
            self.tabs.addTab(self.calibration, self.tr("Calibration"))
        self.tabs.addTab(self.recognition, self.tr("Thanks from patients"))
        self.tabs.currentChanged.connect(lambda _index: self.refresh())
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs)
        self.refresh()

    def refresh(self) -> None:
        with self.db.unit_of_work() as session:
            self.board.set_cards(status_board(session, self.actor))
        self.disputes.refresh()
        self.recognition.refresh()
        if self.actor.role != "operator":
            self.calibration.refresh()

    def create_sessions(self) -> CreateSessionsDialog:
        dialog = CreateSessionsDialog(self.db, self.actor, self)
        dialog.finished.connect(lambda _result: self._created(dialog))
        dialog.open()
        return dialog

    def _created(self, dialog: CreateSessionsDialog) -> None:
        if dialog.created is None:
            return
        created = dialog.created
        text = self.tr("%n session(s) created.", "", len(created.session_ids))
        if created.notices:
            text += " " + " ".join(notice.text for notice in created.notices)
        self.notice.setText(text)
        self.refresh()
