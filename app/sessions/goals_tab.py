"""Goals: open goals with their computed progress as a small trend, new goals, and the decision on each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.empty_hint import EmptyHint
from app.i18n import interface_language
from app.labels import date_format, format_date
from app.operations import CoreOp
from app.sessions.sparkline import Sparkline
from app.table_cells import set_cell_widget
from review import clock
from review.models import RubricVersion
from review.scoring.rubric_store import rubric_of
from review.sessions.goals import DEFAULT_GOAL_WEEKS, decide_goal, goal_progress, session_goals, set_goal
from review.sessions.review_sessions import get_review_session
from review.workspace import Workspace

TREND = 6  # the column of the trend line


@dataclass(frozen=True)
class GoalRow:
    id: int
    metric: str
    measures: tuple[str, str]  # ("overall" | "section" | "question", the section's or question's text)
    target: float
    due: date
    status: str
    current: float | None
    trend: list[float]


@dataclass(frozen=True)
class GoalsData:
    sections: list[tuple[str, str, list[tuple[str, str]]]]  # (section id, title, [(question id, text)] that score)
    goals: list[GoalRow]


def read_goals(session, actor, session_id: int, lang: str) -> GoalsData:
    """The session rubric's measures and the session's goals with their progress, as plain data."""
    review_session = get_review_session(session, actor, session_id)
    rubric = rubric_of(session.get(RubricVersion, review_session.rubric_version_id))
    sections = [(section.id, section.title.get(lang), [(q.id, q.text.get(lang)) for q in section.questions if q.scores])
                for section in rubric.sections]
    titles = {section_id: title for section_id, title, _ in sections}
    texts = {question_id: text for _, _, questions in sections for question_id, text in questions}
    rows = []
    for goal in session_goals(session, actor, session_id):
        progress = goal_progress(session, actor, goal.id)
        if goal.question_id:
            measures = ("question", texts.get(goal.question_id, goal.question_id))
        elif goal.section_id:
            measures = ("section", titles.get(goal.section_id, goal.section_id))
        else:
            measures = ("overall", "")
        rows.append(GoalRow(goal.id, goal.metric, measures, goal.target, goal.due, goal.status, progress.current,
                            [p.running for p in progress.points]))
    return GoalsData(sections, rows)


class GoalsTab(QWidget):
    """`shown` once the goals read are on screen (after opening a session and after every change)."""

    shown = Signal()

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws, self.actor = ws, ws.actor
        actor = ws.actor
        self.session_id: int | None = None
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([self.tr("Goal"), self.tr("Measures"), self.tr("Target"), self.tr("Due"),
                                              self.tr("Status"), self.tr("Now"), self.tr("Trend")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.empty_hint = EmptyHint(self.table, self.tr(
            "No goal yet. Choose below what it measures (the overall score, a section or a question), the "
            "target and the due date, then press “Set goal”.") if actor.role != "operator" else self.tr(
            "No goal yet. Your supervisor sets goals at the discussion; their progress shows here."))
        self.measure = QComboBox()
        # Question texts are long: the choice elides in the row (whole in the list), leaving the goal's text room.
        self.measure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.measure.setMinimumContentsLength(24)
        self.measure.view().setMinimumWidth(480)
        # Not `self.metric`: that would hide QWidget.metric(), which Qt calls when the font or style changes.
        self.goal_name = QLineEdit()
        self.goal_name.setMinimumWidth(220)
        self.goal_name.setPlaceholderText(self.tr("Goal, e.g. offers an alternative every time"))
        self.target = QDoubleSpinBox()
        self.target.setRange(0, 100)
        self.target.setValue(80)
        self.target.setSuffix(" %")
        self.due = QDateEdit(QDate(clock.today() + timedelta(weeks=DEFAULT_GOAL_WEEKS)))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat(date_format())
        self.add_button = QPushButton(self.tr("Set goal"))
        self.add_button.setObjectName("primaryButton")
        self.add_button.clicked.connect(self.add_goal)
        form = QHBoxLayout()
        for widget in (self.measure, self.goal_name, self.target, self.due, self.add_button):
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
        for widget in [self.measure, self.goal_name, self.target, self.due, self.add_button,
                       *self.decision_buttons.values()]:
            widget.setVisible(editable)

    def show_session(self, session_id: int | None, data: GoalsData | None = None) -> None:
        """Show the session's goals: `data` when read already (with the session), else read now."""
        self.session_id = session_id
        if session_id is None:
            self.table.setRowCount(0)
            return
        if data is not None:
            self._show(data)
            return
        lang = interface_language()

        def read(ws: Workspace) -> GoalsData:
            with ws.reading() as session:
                return read_goals(session, ws.actor, session_id, lang)

        CoreOp(self, self._ws, read, key=("goals", id(self))).success(self._show).run_in_background()

    def measure_text(self, measures: tuple[str, str]) -> str:
        kind, text = measures
        if kind == "question":
            return self.tr("Question: %1").replace("%1", text)
        if kind == "section":
            return self.tr("Section: %1").replace("%1", text)
        return self.tr("Overall score")

    def _show(self, data: GoalsData) -> None:
        self.table.setRowCount(0)
        chosen = self.measure.currentData()
        self.measure.clear()
        self.measure.addItem(self.tr("Overall score"), (None, None))
        for section_id, title, questions in data.sections:
            self.measure.addItem(self.tr("Section: %1").replace("%1", title), (None, section_id))
            for question_id, text in questions:
                self.measure.addItem("   " + text, (question_id, None))
        # The measure chosen stays chosen (a tuple: findData does not compare those).
        same = [i for i in range(self.measure.count()) if self.measure.itemData(i) == chosen]
        if same:
            self.measure.setCurrentIndex(same[0])
        statuses = {"open": self.tr("open"), "met": self.tr("met"), "not_met": self.tr("not met"),
                    "extended": self.tr("extended")}
        for goal in data.goals:
            row = self.table.rowCount()
            self.table.insertRow(row)
            current = f"{goal.current:.0f} %" if goal.current is not None else "—"
            for column, text in enumerate([goal.metric, self.measure_text(goal.measures), f"≥ {goal.target:.0f} %",
                                           format_date(goal.due), statuses.get(goal.status, goal.status), current]):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, goal.id)
                self.table.setItem(row, column, item)
            line = Sparkline()
            line.set_series(goal.trend, goal.target)
            set_cell_widget(self.table, row, TREND, line)
            self.table.setRowHeight(row, 40)
        self.table.resizeColumnsToContents()
        self.shown.emit()

    def sparkline(self, row: int) -> Sparkline:
        return self.table.cellWidget(row, TREND)

    def _change(self, work, title: str, then=None) -> None:
        def change(ws: Workspace) -> None:
            with ws.changing() as session:
                work(session, ws.actor)

        def done(_none) -> None:
            if then is not None:
                then()
            self.show_session(self.session_id)

        CoreOp(self, self._ws, change, changes={"goals"}, title=title).success(done).run_in_background()

    def add_goal(self) -> None:
        question_id, section_id = self.measure.currentData()
        metric = self.goal_name.text().strip() or self.measure.currentText().strip()
        session_id, target, due = self.session_id, self.target.value(), self.due.date().toPython()
        self._change(lambda session, actor: set_goal(session, actor, session_id, metric=metric, target=target,
                                                     question_id=question_id, section_id=section_id, due=due),
                     self.tr("Goal not set"), self.goal_name.clear)

    def decide(self, decision: str) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        goal_id = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        self._change(lambda session, actor: decide_goal(session, actor, goal_id, decision), self.tr("Not saved"))
