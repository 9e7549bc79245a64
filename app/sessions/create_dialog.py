"""Create review sessions: operators, period, how many calls, filters — the sampling rule kept with them."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
)

from app.i18n import error_text
from app.labels import (
    call_kind_codes,
    call_kind_label,
    channel_label,
    direction_label,
    outcome_codes,
    outcome_label,
)
from review import clock
from review.storage.db import Database
from review.errors import KalibraError
from review.library.calls import list_operators
from review.models import CHANNEL_KINDS, DIRECTIONS, User
from review.sessions.review_sessions import CreatedSessions, create_sessions
from review.scoring.rubric_store import list_rubrics
from review.sessions.sampling import SamplingRule


def _combo(all_label: str, items) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_label, None)
    for label, value in items:
        combo.addItem(label, value)
    return combo


class CreateSessionsDialog(QDialog):
    def __init__(self, db: Database, actor: User, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.created: CreatedSessions | None = None
        self.setWindowTitle(self.tr("New review sessions"))
        with db.sessions() as session:
            operators = list_operators(session, actor)
            rubrics = [r for r in list_rubrics(session) if r.published_version_id]
        self.operators = QListWidget()
        for operator in operators:
            item = QListWidgetItem(operator.name)
            item.setData(Qt.ItemDataRole.UserRole, operator.id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.operators.addItem(item)
        today = clock.today()
        self.period_start = QDateEdit(QDate(today - timedelta(days=28)))
        self.period_end = QDateEdit(QDate(today))
        for edit in (self.period_start, self.period_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.by_count = QRadioButton(self.tr("Calls per operator"))
        self.by_count.setChecked(True)
        self.count = QSpinBox()
        self.count.setRange(1, 500)
        self.count.setValue(5)
        self.by_percent = QRadioButton(self.tr("Share of calls, %"))
        self.percent = QDoubleSpinBox()
        self.percent.setRange(0.1, 100)
        self.percent.setValue(5)
        self.minimum = QSpinBox()
        self.minimum.setRange(0, 500)
        self.minimum.setValue(3)
        self.minimum.setPrefix(self.tr("at least "))
        self.min_duration = QSpinBox()
        self.min_duration.setRange(0, 36000)
        self.min_duration.setValue(20)
        self.min_duration.setSuffix(self.tr(" s"))
        self.max_duration = QSpinBox()
        self.max_duration.setRange(0, 36000)
        self.max_duration.setSpecialValueText(self.tr("no limit"))
        self.max_duration.setSuffix(self.tr(" s"))
        self.direction = _combo(self.tr("Any direction"), [(direction_label(d), d) for d in DIRECTIONS])
        self.call_kind = _combo(self.tr("Any call kind"), [(call_kind_label(k), k) for k in call_kind_codes()])
        self.channel = _combo(self.tr("Any channel"), [(channel_label(c), c) for c in CHANNEL_KINDS])
        self.outcome = _combo(self.tr("Any outcome"), [(outcome_label(o), o) for o in outcome_codes()])
        self.only_transcribed = QCheckBox(self.tr("Only transcribed calls"))
        self.exclude_reviewed = QCheckBox(self.tr("Leave out calls already reviewed"))
        self.exclude_reviewed.setChecked(True)
        self.stratify = QComboBox()
        self.stratify.addItem(self.tr("Spread over weeks"), "week")
        self.stratify.addItem(self.tr("Spread over days"), "day")
        self.seed = QLineEdit()
        self.seed.setPlaceholderText(self.tr("random (recorded with the session)"))
        self.rubric = QComboBox()
        for summary in rubrics:
            self.rubric.addItem(summary.title, summary.slug)

        count_row = QHBoxLayout()
        count_row.addWidget(self.by_count)
        count_row.addWidget(self.count)
        count_row.addSpacing(16)
        count_row.addWidget(self.by_percent)
        count_row.addWidget(self.percent)
        count_row.addWidget(self.minimum)
        count_row.addStretch(1)
        period_row = QHBoxLayout()
        period_row.addWidget(self.period_start)
        period_row.addWidget(QLabel("—"))
        period_row.addWidget(self.period_end)
        period_row.addStretch(1)
        duration_row = QHBoxLayout()
        duration_row.addWidget(self.min_duration)
        duration_row.addWidget(QLabel("—"))
        duration_row.addWidget(self.max_duration)
        duration_row.addStretch(1)
        filters = QHBoxLayout()
        for widget in (self.direction, self.call_kind, self.channel, self.outcome):
            filters.addWidget(widget)
        self.operators.setMaximumHeight(160)
        operators_box = QVBoxLayout()
        operators_box.addWidget(self.operators)
        pick_row = QHBoxLayout()
        for label, state in ((self.tr("Select all"), Qt.CheckState.Checked), (self.tr("Clear"), Qt.CheckState.Unchecked)):
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, state=state: self.check_all_operators(state))
            pick_row.addWidget(button)
        pick_row.addStretch(1)
        operators_box.addLayout(pick_row)
        form = QFormLayout()
        form.addRow(self.tr("Operators"), operators_box)
        form.addRow(self.tr("Period"), period_row)
        form.addRow(self.tr("How many"), count_row)
        form.addRow(self.tr("Duration"), duration_row)
        form.addRow(self.tr("Filters"), filters)
        form.addRow("", self.only_transcribed)
        form.addRow("", self.exclude_reviewed)
        form.addRow(self.tr("Spread"), self.stratify)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Rubric"), self.rubric)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create sessions"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("primaryButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(760, 640)

    def check_all_operators(self, state: Qt.CheckState) -> None:
        for i in range(self.operators.count()):
            self.operators.item(i).setCheckState(state)

    def check_operators(self, names: list[str]) -> None:
        for i in range(self.operators.count()):
            item = self.operators.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)

    def rule(self) -> SamplingRule:
        chosen = tuple(self.operators.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.operators.count())
                       if self.operators.item(i).checkState() == Qt.CheckState.Checked)
        seed = self.seed.text().strip()
        return SamplingRule(
            operator_ids=chosen, period_start=self.period_start.date().toPython(),
            period_end=self.period_end.date().toPython(),
            per_operator=self.count.value() if self.by_count.isChecked() else None,
            percent=None if self.by_count.isChecked() else self.percent.value(), minimum=self.minimum.value(),
            min_duration_s=self.min_duration.value() or None, max_duration_s=self.max_duration.value() or None,
            direction=self.direction.currentData(), call_kind=self.call_kind.currentData(),
            channel_kind=self.channel.currentData(), outcome=self.outcome.currentData(),
            only_transcribed=self.only_transcribed.isChecked(), exclude_reviewed=self.exclude_reviewed.isChecked(),
            stratify=self.stratify.currentData(), seed=int(seed) if seed.isdigit() else None)

    def accept(self) -> None:
        try:
            rule = self.rule()
            with self.db.unit_of_work() as session:
                self.created = create_sessions(session, self.actor, rule, rubric_slug=self.rubric.currentData())
        except KalibraError as exc:
            QMessageBox.warning(self, self.tr("Sessions not created"), error_text(exc))
            return
        super().accept()  # shortfall notices are shown by the page, beside the new sessions
