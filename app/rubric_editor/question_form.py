"""The form for one question: id, type, texts, points, levels or options, N/A, comment rule, flags, checks."""

from __future__ import annotations

import copy

import yaml
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from app.form_layout import FormLayout
from app.rubric_editor.check_trial import CheckTrialRow
from app.rubric_editor.fields import ItemTable, LocalizedEdit, set_read_only
from app.rubric_editor.growing_edit import GrowingTextEdit
from app.rubric_editor.rubric_document import DEFAULT_LEVELS, DEFAULT_OPTIONS


class QuestionForm(QWidget):
    """Shows one question's data; every edit is reported as `edited(field, value)` (None removes it)."""

    edited = Signal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._loading = False
        self._kept: dict[str, list] = {}  # levels/options set aside when the type changes, restored on return

        self.id_edit = QLineEdit()
        self.id_edit.setToolTip(self.tr("Lower-case latin letters, digits, '_' and '-'; stored with every answer."))
        self.type_combo = QComboBox()
        for label, kind in ((self.tr("Yes / no"), "yes_no"), (self.tr("Scale"), "scale"),
                            (self.tr("Choice"), "choice"), (self.tr("Note (does not score)"), "note")):
            self.type_combo.addItem(label, kind)
        self.text_edit = LocalizedEdit()
        self.help_edit = LocalizedEdit(multiline=True)
        self.points_spin = QDoubleSpinBox()
        self.points_spin.setRange(0, 1000)
        self.points_spin.setDecimals(1)
        self.points_spin.setSpecialValueText(self.tr("default"))
        self.points_spin.setToolTip(self.tr("The most the question earns. Default: yes/no 1, a scale its span, "
                                            "a choice its best option."))
        self.levels = ItemTable([("value", self.tr("Value"), "int"), ("label_ru", self.tr("Label (RU)"), "text"),
                                 ("label_en", self.tr("Label (EN)"), "text"),
                                 ("points", self.tr("Points"), "optional_number")], self.tr("Add level"))
        self.options = ItemTable([("key", self.tr("Key"), "slug"), ("label_ru", self.tr("Label (RU)"), "text"),
                                  ("label_en", self.tr("Label (EN)"), "text"),
                                  ("points", self.tr("Points"), "number")], self.tr("Add option"))
        self.answers_stack = QStackedWidget()
        self.no_answers = QLabel(self.tr("Answers: yes or no."))
        self.no_answers.setObjectName("mutedLabel")
        for widget in (self.no_answers, self.levels, self.options):
            self.answers_stack.addWidget(widget)
        self.na_check = QCheckBox(self.tr("&N/A allowed"))
        self.comment_check = QCheckBox(self.tr("Co&mment required below"))
        self.comment_percent = QSpinBox()
        self.comment_percent.setRange(1, 100)
        self.comment_percent.setSuffix(" %")
        self.comment_percent.setToolTip(self.tr("Share of the question's points; 100 % means anything short of "
                                                "full marks needs a comment."))
        comment_row = QHBoxLayout()
        comment_row.addWidget(self.comment_check)
        comment_row.addWidget(self.comment_percent)
        comment_row.addStretch(1)
        self.critical_check = QCheckBox(self.tr("&Critical"))
        self.critical_check.setToolTip(self.tr("Counts toward the separate compliance score."))
        self.fatal_check = QCheckBox(self.tr("&Fatal: “no” sets the score to 0"))
        self.fatal_check.setToolTip(self.tr("Yes/no questions only. The computed score is kept and shown."))

        # The question's checks (rubrics.checks) as the YAML file writes them; validated with the rest of the rubric.
        # As tall as its lines (a scroll bar past 20): held to 110 px, the form squeezed it to a line and a half.
        self.checks_edit = GrowingTextEdit(min_lines=4, max_lines=20)
        self.checks_edit.setPlaceholderText(self.tr("No checks. For example:\n- id: own_name\n  phrases: [меня зовут, "
                                                    "my name is]\n  within_s: 20"))
        self.checks_edit.setToolTip(self.tr("Phrases that must or must not be said (by: operator or customer; "
                                            "within_s; after; says: must_not) and measures (kind: analytics) that "
                                            "suggest an answer to the reviewer."))
        self.checks_problem = QLabel()
        self.checks_problem.setObjectName("mutedLabel")
        self.checks_problem.setWordWrap(True)
        self.checks_problem.hide()
        self.question_data = dict  # set by the editor: the question as currently edited
        self.trial = CheckTrialRow(lambda: self.question_data())

        form = FormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.addRow(self._label(self.tr("&Id"), self.id_edit), self.id_edit)
        form.addRow(self._label(self.tr("T&ype"), self.type_combo), self.type_combo)
        form.addRow(self._label(self.tr("&Text"), self.text_edit), self.text_edit)
        form.addRow(self._label(self.tr("&Help"), self.help_edit), self.help_edit)
        form.addRow(self._label(self.tr("&Points"), self.points_spin), self.points_spin)
        self.answers_label = QLabel(self.tr("Answers"))
        form.addRow(self.answers_label, self.answers_stack)
        form.addRow("", self.na_check)
        form.addRow("", comment_row)
        form.addRow("", self.critical_check)
        form.addRow("", self.fatal_check)
        form.addRow(self._label(self.tr("Chec&ks"), self.checks_edit), self.checks_edit)
        form.addRow("", self.checks_problem)
        form.addRow("", self.trial)

        self.id_edit.textEdited.connect(lambda text: self._emit("id", text.strip()))
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.text_edit.changed.connect(lambda: self._emit("text", self.text_edit.value()))
        self.help_edit.changed.connect(lambda: self._emit("help", self.help_edit.value(optional=True)))
        self.points_spin.valueChanged.connect(lambda value: self._emit("points", value or None))
        self.levels.changed.connect(lambda: self._emit("levels", self.levels.rows()))
        self.options.changed.connect(lambda: self._emit("options", self.options.rows()))
        self.na_check.toggled.connect(lambda on: self._emit("na_allowed", True if on else None))
        self.comment_check.toggled.connect(self._comment_changed)
        self.comment_percent.valueChanged.connect(self._comment_changed)
        self.critical_check.toggled.connect(lambda on: self._emit("critical", True if on else None))
        self.fatal_check.toggled.connect(lambda on: self._emit("fatal", True if on else None))
        self.checks_edit.textChanged.connect(self._checks_changed)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _emit(self, key: str, value: object) -> None:
        if not self._loading:
            self.edited.emit(key, value)

    def load(self, question: dict) -> None:
        self._loading = True
        self._kept = {}
        self.id_edit.setText(question.get("id", ""))
        self.id_edit.setCursorPosition(0)
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(question.get("type", "yes_no"))))
        self.text_edit.set_value(question.get("text", {}))
        self.help_edit.set_value(question.get("help") or {})
        self.points_spin.setValue(question.get("points") or 0)
        self.levels.set_rows(question.get("levels", []))
        self.options.set_rows(question.get("options", []))
        self.na_check.setChecked(bool(question.get("na_allowed")))
        threshold = question.get("comment_required_below")
        self.comment_check.setChecked(threshold is not None)
        self.comment_percent.setValue(round((threshold or 1) * 100))
        self.critical_check.setChecked(bool(question.get("critical")))
        self.fatal_check.setChecked(bool(question.get("fatal")))
        # The id first, lists of phrases on one line: as the built-in files write them.
        checks = [{"id": c.get("id"), **{k: v for k, v in c.items() if k != "id"}} for c in question.get("checks") or []]
        self.checks_edit.setPlainText(yaml.safe_dump(checks, allow_unicode=True, sort_keys=False, width=100,
                                                     default_flow_style=None) if checks else "")
        self.checks_problem.hide()
        self._loading = False
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        kind = self.type_combo.currentData()
        self.answers_stack.setCurrentIndex({"scale": 1, "choice": 2}.get(kind, 0))
        # The stack as tall as the page shown: a yes/no question's one line stood in the levels table's height.
        for index in range(self.answers_stack.count()):
            shown = index == self.answers_stack.currentIndex()
            self.answers_stack.widget(index).setSizePolicy(
                QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored)
        self.answers_stack.updateGeometry()
        self.no_answers.setText(self.tr("Answers: free text, not scored.") if kind == "note"
                                else self.tr("Answers: yes or no."))
        scoring = kind != "note"
        self.points_spin.setEnabled(scoring and kind != "choice")
        for widget in (self.comment_check, self.critical_check):
            widget.setEnabled(scoring)
        self.comment_percent.setEnabled(scoring and self.comment_check.isChecked())
        self.fatal_check.setEnabled(kind == "yes_no")

    def _type_changed(self) -> None:
        self._sync_enabled()
        if self._loading:
            return
        kind = self.type_combo.currentData()
        self.edited.emit("type", kind)
        # Keep the question valid for its new type: set aside what no longer applies, give defaults.
        for key, owner, defaults in (("levels", "scale", DEFAULT_LEVELS), ("options", "choice", DEFAULT_OPTIONS)):
            table = self.levels if key == "levels" else self.options
            if kind == owner:
                rows = self._kept.pop(key, None) or table.rows() or copy.deepcopy(defaults)
                table.set_rows(rows)
                self.edited.emit(key, rows)
            elif table.rows():
                self._kept[key] = table.rows()
                table.set_rows([])
                self.edited.emit(key, None)
        for check, _key, allowed in ((self.fatal_check, "fatal", kind == "yes_no"),
                                    (self.critical_check, "critical", kind != "note"),
                                    (self.comment_check, "comment_required_below", kind != "note")):
            if not allowed and check.isChecked():
                check.setChecked(False)
        if kind in ("note", "choice") and self.points_spin.value():
            self.points_spin.setValue(0)

    def _checks_changed(self) -> None:
        if self._loading:
            return
        text = self.checks_edit.toPlainText()
        try:
            checks = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.checks_problem.setText(self.tr("The checks are not valid YAML (line {0}); the last valid ones are "
                                                "kept.").format(mark.line + 1 if mark else "?"))
            self.checks_problem.show()
            return
        if checks is not None and not isinstance(checks, list):
            self.checks_problem.setText(self.tr("Checks are a list: start each with “- id: …”."))
            self.checks_problem.show()
            return
        self.checks_problem.hide()
        self.edited.emit("checks", checks or None)

    def _comment_changed(self) -> None:
        self.comment_percent.setEnabled(self.comment_check.isChecked() and self.comment_check.isEnabled())
        value = self.comment_percent.value() / 100 if self.comment_check.isChecked() else None
        self._emit("comment_required_below", value)

    def set_read_only(self, read_only: bool) -> None:
        set_read_only(self, read_only)
        if not read_only:
            self._sync_enabled()
