"""Goals: open goals with their computed progress as a small trend, new goals, and the decision on each."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import error_text
from app.sessions.sparkline import Sparkline
from review import clock
from review.storage.db import Database
from review.errors import KalibraError
from review.sessions.goals import DEFAULT_GOAL_WEEKS, decide_goal, goal_progress, session_goals, set_goal
from review.models import RubricVersion, User
from review.sessions.review_sessions import get_review_session
from review.scoring.rubric_store import rubric_of


class GoalsTab(QWidget):
    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.session_id: int | None = None
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Goal"), self.tr("Target"), self.tr("Due"), self.tr("Status"),
                                              self.tr("Now"), self.tr("Trend")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.measure = QComboBox()
        # Question texts are long: the choice elides in the row (whole in the list), leaving the goal's text room.
        self.measure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.measure.setMinimumContentsLength(24)
        self.measure.view().setMinimumWidth(480)
        self.metric = QLineEdit()
        self.metric.setMinimumWidth(220)
        self.metric.setPlaceholderText(self.tr("Goal, e.g. offers an alternative every time"))
        self.target = QDoubleSpinBox()
        self.target.setRange(0, 100)
        self.target.setValue(80)
        self.target.setSuffix(" %")
        self.due = QDateEdit(QDate(clock.today() + timedelta(weeks=DEFAULT_GOAL_WEEKS)))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd.MM.yyyy")
        self.add_button = QPushButton(self.tr("Set goal"))
        self.add_button.setObjectName("primaryButton")
        self.add_button.clicked.connect(self.add_goal)
        form = QHBoxLayout()
        for widget in (self.measure, self.metric, self.target, self.due, self.add_button):
            form.addWidget(widget)
        form.setStretch(0, 1)
        form.setStretch(1, 2)
        decisions = QHBoxLayout()
        self.decision_buttons = {}
        for decision, label in (("met", self.tr("Met")), ("not_met", self.tr("Not met")),
                                ("extended", self.tr("Extend 3 weeks"))):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, d=decision: self.decide(d))
            decisions.addWidget(button)
            self.decision_buttons[decision] = button
        decisions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(decisions)
        layout.addLayout(form)
        editable = actor.role != "operator"
        for widget in [self.measure, self.metric, self.target, self.due, self.add_button,
                       *self.decision_buttons.values()]:
            widget.setVisible(editable)

    def show_session(self, session_id: int | None, operator_id: int | None = None) -> None:
        self.session_id = session_id
        self.table.setRowCount(0)
        if session_id is None:
            return
        with self.db.sessions() as session:
            review_session = get_review_session(session, self.actor, session_id)
            rubric = rubric_of(session.get(RubricVersion, review_session.rubric_version_id))
            goals = [(goal, goal_progress(session, self.actor, goal.id))
                     for goal in session_goals(session, self.actor, session_id)]
        self.measure.clear()
        self.measure.addItem(self.tr("Overall score"), (None, None))
        for section in rubric.sections:
            self.measure.addItem(self.tr("Section: %1").replace("%1", section.title.get()), (None, section.id))
            for question in section.questions:
                if question.scores:
                    self.measure.addItem("   " + question.text.get(), (question.id, None))
        statuses = {"open": self.tr("open"), "met": self.tr("met"), "not_met": self.tr("not met"),
                    "extended": self.tr("extended")}
        for goal, progress in goals:
            row = self.table.rowCount()
            self.table.insertRow(row)
            current = f"{progress.current:.0f} %" if progress.current is not None else "—"
            for column, text in enumerate([goal.metric, f"≥ {goal.target:.0f} %", f"{goal.due:%d.%m.%Y}",
                                           statuses.get(goal.status, goal.status), current]):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, goal.id)
                self.table.setItem(row, column, item)
            line = Sparkline()
            line.set_series([p.running for p in progress.points], goal.target)
            self.table.setCellWidget(row, 5, line)
            self.table.setRowHeight(row, 40)
        self.table.resizeColumnsToContents()

    def sparkline(self, row: int) -> Sparkline:
        return self.table.cellWidget(row, 5)

    def add_goal(self) -> None:
        question_id, section_id = self.measure.currentData()
        metric = self.metric.text().strip() or self.measure.currentText().strip()
        try:
            with self.db.unit_of_work() as session:
                set_goal(session, self.actor, self.session_id, metric=metric, target=self.target.value(),
                         question_id=question_id, section_id=section_id, due=self.due.date().toPython())
        except KalibraError as exc:
            QMessageBox.warning(self, self.tr("Goal not set"), error_text(exc))
            return
        self.metric.clear()
        self.show_session(self.session_id)

    def decide(self, decision: str) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        try:
            with self.db.unit_of_work() as session:
                decide_goal(session, self.actor, self.table.item(row, 0).data(Qt.ItemDataRole.UserRole), decision)
        except KalibraError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), error_text(exc))
        self.show_session(self.session_id)
