"""Forms for a section (id, title, weight, call-kind condition) and for the rubric as a whole."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QLabel, QLineEdit, QWidget

from app.form_layout import FormLayout
from app.rubric_editor.fields import CallKindsPicker, LocalizedEdit, set_read_only


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text, buddy.parentWidget())  # made in its parent: see editor_pane._scrolled
    label.setBuddy(buddy)
    return label


class SectionForm(QWidget):
    """One section's fields; edits are reported as `edited(field, value)` (None removes the field)."""

    edited = Signal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._loading = False
        self.id_edit = QLineEdit(self)
        self.title_edit = LocalizedEdit(parent=self)
        self.description_edit = LocalizedEdit(multiline=True, parent=self)
        self.weight_spin = QDoubleSpinBox(self)
        self.weight_spin.setRange(0, 1000)
        self.weight_spin.setDecimals(1)
        self.weight_spin.setToolTip(self.tr("How much the section counts in the overall score."))
        self.conditional = QCheckBox(self.tr("Only for some call kinds"), self)
        self.call_kinds = CallKindsPicker(self)
        form = FormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_label(self.tr("&Id"), self.id_edit), self.id_edit)
        form.addRow(_label(self.tr("&Title"), self.title_edit), self.title_edit)
        form.addRow(_label(self.tr("&Description"), self.description_edit), self.description_edit)
        form.addRow(_label(self.tr("&Weight"), self.weight_spin), self.weight_spin)
        form.addRow(self.tr("Condition"), self.conditional)
        form.addRow("", self.call_kinds)
        self.id_edit.textEdited.connect(lambda text: self._emit("id", text.strip()))
        self.title_edit.changed.connect(lambda: self._emit("title", self.title_edit.value()))
        self.description_edit.changed.connect(
            lambda: self._emit("description", self.description_edit.value(optional=True)))
        self.weight_spin.valueChanged.connect(lambda value: self._emit("weight", value))
        self.conditional.toggled.connect(self._condition_changed)
        self.call_kinds.changed.connect(self._condition_changed)

    def _emit(self, key: str, value: object) -> None:
        if not self._loading:
            self.edited.emit(key, value)

    def load(self, section: dict) -> None:
        self._loading = True
        self.id_edit.setText(section.get("id", ""))
        self.title_edit.set_value(section.get("title", {}))
        self.description_edit.set_value(section.get("description") or {})
        self.weight_spin.setValue(section.get("weight", 0))
        kinds = (section.get("condition") or {}).get("call_kinds", [])
        self.conditional.setChecked(bool(kinds))
        self.call_kinds.set_kinds(kinds)
        self.call_kinds.setVisible(bool(kinds))
        self._loading = False

    def _condition_changed(self) -> None:
        on = self.conditional.isChecked()
        self.call_kinds.setVisible(on)
        kinds = self.call_kinds.kinds()
        # An empty condition is invalid; "conditional" with nothing ticked yet simply means "not yet".
        self._emit("condition", {"call_kinds": kinds} if on and kinds else None)

    def set_read_only(self, read_only: bool) -> None:
        set_read_only(self, read_only)


class RubricForm(QWidget):
    """The rubric's own fields: id (fixed once stored), title, description, call kinds, weight rule."""

    edited = Signal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._loading = False
        self.id_edit = QLineEdit(self)
        self.id_edit.setToolTip(self.tr("The rubric's permanent name; it cannot change once saved."))
        self.title_edit = LocalizedEdit(parent=self)
        self.description_edit = LocalizedEdit(multiline=True, parent=self)
        self.applies_to = CallKindsPicker(self)
        self.require_sum = QCheckBox(self.tr("Section weights must add up to"), self)
        self.sum_spin = QDoubleSpinBox(self)
        self.sum_spin.setRange(0.1, 10000)
        self.sum_spin.setDecimals(1)
        self.sum_spin.setValue(100)
        form = FormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_label(self.tr("&Id"), self.id_edit), self.id_edit)
        form.addRow(_label(self.tr("&Title"), self.title_edit), self.title_edit)
        form.addRow(_label(self.tr("&Description"), self.description_edit), self.description_edit)
        form.addRow(self.tr("For call kinds"), self.applies_to)
        form.addRow(self.tr("Weights"), self.require_sum)
        form.addRow("", self.sum_spin)
        self.id_edit.textEdited.connect(lambda text: self._emit("id", text.strip()))
        self.title_edit.changed.connect(lambda: self._emit("title", self.title_edit.value()))
        self.description_edit.changed.connect(
            lambda: self._emit("description", self.description_edit.value(optional=True)))
        self.applies_to.changed.connect(lambda: self._emit("applies_to", self.applies_to.kinds() or None))
        self.require_sum.toggled.connect(self._sum_changed)
        self.sum_spin.valueChanged.connect(self._sum_changed)

    def _emit(self, key: str, value: object) -> None:
        if not self._loading:
            self.edited.emit(key, value)

    def load(self, data: dict, id_locked: bool) -> None:
        self._loading = True
        self.id_edit.setText(data.get("id", ""))
        self.id_edit.setReadOnly(id_locked)
        self._id_locked = id_locked
        self.title_edit.set_value(data.get("title", {}))
        self.description_edit.set_value(data.get("description") or {})
        self.applies_to.set_kinds(data.get("applies_to", []))
        required = data.get("require_weights_sum")
        self.require_sum.setChecked(required is not None)
        self.sum_spin.setValue(required or 100)
        self.sum_spin.setEnabled(required is not None)
        self._loading = False

    def _sum_changed(self) -> None:
        self.sum_spin.setEnabled(self.require_sum.isChecked() and self.require_sum.isEnabled())
        self._emit("require_weights_sum", self.sum_spin.value() if self.require_sum.isChecked() else None)

    def set_read_only(self, read_only: bool) -> None:
        set_read_only(self, read_only)
        self.id_edit.setReadOnly(read_only or getattr(self, "_id_locked", False))
        if not read_only:
            self.sum_spin.setEnabled(self.require_sum.isChecked())
