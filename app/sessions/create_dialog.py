"""Create review sessions: operators, period, how many calls, filters — the sampling rule kept with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
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

from app.form_layout import FormLayout
from app.i18n import counted, interface_language
from app.labels import (
    call_kind_codes,
    call_kind_label,
    channel_label,
    date_format,
    direction_label,
    format_datetime,
    outcome_codes,
    outcome_label,
)
from app.operations import CoreOp
from review import clock
from review.library.calls import list_operators
from review.models import CHANNEL_KINDS, DIRECTIONS
from review.scoring.rubric_store import RubricSummary, list_rubrics
from review.sessions.review_sessions import CreatedSessions, create_sessions
from review.sessions.sampling import SamplingRule, ShortfallNotice
from review.sessions.session_plan import SessionPlan, default_period, plan_sessions
from review.workspace import Workspace

MISFITS_LISTED = 8  # more would not fit the question on a laptop screen


@dataclass(frozen=True)
class SessionChoices:
    """What the dialog offers: the operators (id, name), the published rubrics and the default period."""

    operators: list[tuple[int, str]]
    rubrics: list[RubricSummary]
    period: tuple[date, date]


def _read_choices(ws: Workspace) -> SessionChoices:
    with ws.reading() as session:
        return SessionChoices([(o.id, o.name) for o in list_operators(session, ws.actor)],
                              [r for r in list_rubrics(session) if r.published_version_id],
                              default_period(session, ws.actor, clock.today()))


def _plan(ws: Workspace, rule: SamplingRule, slug: str) -> SessionPlan:
    with ws.reading() as session:
        return plan_sessions(session, ws.actor, rule, rubric_slug=slug)


def _create(ws: Workspace, rule: SamplingRule, slug: str) -> CreatedSessions:
    with ws.changing() as session:
        return create_sessions(session, ws.actor, rule, rubric_slug=slug)


def _combo(all_label: str, items) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_label, None)
    for label, value in items:
        combo.addItem(label, value)
    return combo


class CreateSessionsDialog(QDialog):
    """`loaded` once the operators, rubrics and default period are on screen."""

    loaded = Signal()

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.created: CreatedSessions | None = None
        self.setWindowTitle(self.tr("New review sessions"))
        self.operators = QListWidget()
        self.period_start = QDateEdit()
        self.period_end = QDateEdit()
        for edit in (self.period_start, self.period_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
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
        self.channel = _combo(self.tr("Any channel"), [(channel_label(c), c) for c in CHANNEL_KINDS] +
                              [(self.tr("Chats and e-mails"), "written")])
        self.outcome = _combo(self.tr("Any outcome"), [(outcome_label(o), o) for o in outcome_codes()])
        self.only_transcribed = QCheckBox(self.tr("Only transcribed calls"))
        self.exclude_reviewed = QCheckBox(self.tr("Leave out calls already reviewed"))
        self.exclude_reviewed.setChecked(True)
        self.stratify = QComboBox()
        self.stratify.addItem(self.tr("Spread over weeks"), "week")
        self.stratify.addItem(self.tr("Spread over days"), "day")
        # Signal-driven sampling: each week's picks are taken first from calls with one of these.
        self.prefer = {signal: QCheckBox(text) for signal, text in (
            ("long_silence", self.tr("a long silence")), ("long_hold", self.tr("a long hold")),
            ("overtalk", self.tr("heavy overtalk")), ("unhappy_customer", self.tr("an unhappy customer")),
            ("failed_check", self.tr("a failed check")))}
        self.seed = QLineEdit()
        self.seed.setPlaceholderText(self.tr("random (recorded with the session)"))
        self.rubric = QComboBox()

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
        form = FormLayout()
        form.addRow(self.tr("Operators"), operators_box)
        form.addRow(self.tr("Period"), period_row)
        form.addRow(self.tr("How many"), count_row)
        form.addRow(self.tr("Duration"), duration_row)
        form.addRow(self.tr("Filters"), filters)
        form.addRow("", self.only_transcribed)
        form.addRow("", self.exclude_reviewed)
        prefer_row = QHBoxLayout()
        for box in self.prefer.values():
            prefer_row.addWidget(box)
        prefer_row.addStretch(1)
        form.addRow(self.tr("Prefer calls with"), prefer_row)
        form.addRow(self.tr("Spread"), self.stratify)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Rubric"), self.rubric)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create sessions"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("primaryButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.create_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setEnabled(False)  # until the choices are read
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(760, 640)
        CoreOp(self, ws, _read_choices, key=("session choices", id(self)), title=self.windowTitle()) \
            .success(self._fill).run_in_background()

    def _fill(self, choices: SessionChoices) -> None:
        for operator_id, name in choices.operators:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, operator_id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.operators.addItem(item)
        start, end = choices.period
        self.period_start.setDate(QDate(start))
        self.period_end.setDate(QDate(end))
        for summary in choices.rubrics:
            self.rubric.addItem(summary.title_in(interface_language()), summary.slug)
        self.create_button.setEnabled(True)
        self.loaded.emit()

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
            stratify=self.stratify.currentData(), seed=int(seed) if seed.isdigit() else None,
            prefer=tuple(signal for signal, box in self.prefer.items() if box.isChecked()))

    def accept(self) -> None:
        """Plan off the GUI thread; ask about shortfalls and misfits; then create the very calls planned."""
        slug, rule = self.rubric.currentData(), self.rule()
        self.create_button.setEnabled(False)
        CoreOp(self, self._ws, lambda ws: _plan(ws, rule, slug), key=("session plan", id(self)),
               title=self.tr("Sessions not created")).success(self._planned).failure(self._refused) \
            .run_in_background()

    def _refused(self, text: str) -> None:
        self.create_button.setEnabled(True)
        QMessageBox.warning(self, self.tr("Sessions not created"), text)

    def _planned(self, plan: SessionPlan) -> None:
        self.create_button.setEnabled(True)
        if not plan.calls:
            QMessageBox.information(self, self.tr("Sessions not created"),
                                    self.tr("No call matches the rule in this period. Widen the period or the "
                                            "filters."))
            return
        if (plan.shortfalls or plan.misfits) and not self._confirmed(plan):
            return
        self.create_button.setEnabled(False)
        # The plan's seeded rule picks the very calls the reviewer was told about.
        CoreOp(self, self._ws, lambda ws: _create(ws, plan.rule, plan.rubric_slug), changes={"sessions"},
               title=self.tr("Sessions not created")).success(self._done).failure(self._refused).run_in_background()

    def _done(self, created: CreatedSessions) -> None:
        self.created = created
        super().accept()  # shortfall notices are shown by the page, beside the new sessions

    def shortfall_text(self, notice: ShortfallNotice) -> str:
        """An operator with fewer matching calls than asked for, in the interface language."""
        available = notice.available  # lupdate misses a count given as an attribute
        text = counted(self.tr("%1: only %n matching call(s), %2 asked for.", "", available), available)
        return text.replace("%1", notice.operator_name).replace("%2", str(notice.wanted))

    def _confirmed(self, plan: SessionPlan) -> bool:
        """Ask before creating sessions that get fewer calls than asked for or calls the rubric does not fit."""
        lines = [self.shortfall_text(notice) for notice in plan.shortfalls]
        if plan.misfits:
            titles = {self.rubric.itemData(i): self.rubric.itemText(i) for i in range(self.rubric.count())}
            lines.append(counted(self.tr("%n picked call(s) would be scored with “%1”, which is not made for "
                                         "their kind:", "", len(plan.misfits)), len(plan.misfits))
                         .replace("%1", self.rubric.currentText()))
            for misfit in plan.misfits[:MISFITS_LISTED]:
                lines.append("  • " + self.tr("%1, %2: %3 (fits “%4”)").replace("%1", misfit.operator_name)
                             .replace("%2", format_datetime(misfit.started_at))
                             .replace("%3", call_kind_label(misfit.call_kind) if misfit.call_kind else "—")
                             .replace("%4", titles.get(misfit.fitting_rubric, misfit.fitting_rubric)))
            if len(plan.misfits) > MISFITS_LISTED:
                rest = len(plan.misfits) - MISFITS_LISTED
                lines.append("  " + counted(self.tr("…and %n more", "", rest), rest))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Create these sessions?"),
                          "\n".join(lines), parent=self)
        create = box.addButton(self.tr("Create anyway"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("Go back and change"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        return box.clickedButton() is create
