"""A form of number fields (days, seconds): each field as wide as its longest value, each label on its field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QWidget


def number_form() -> QFormLayout:
    """A form whose fields keep their own width: a number of days spread across a 1920 px page reads as a text
    box, its arrows far from its label."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


def add_number_row(form: QFormLayout, label: str, field: QWidget) -> None:
    """The row, its label as tall as the field: the form sets a label at the row's top, at the label's own
    height, so its words sat higher than the field's."""
    form.addRow(label, field)
    form.labelForField(field).setMinimumHeight(field.sizeHint().height())


def same_width(fields: list[QWidget]) -> None:
    """The fields of one form as wide as the widest of them: a column of ragged boxes reads as untidy."""
    widest = max(field.sizeHint().width() for field in fields)
    for field in fields:
        field.setMinimumWidth(widest)
