"""A form of number fields (days, seconds): each field as wide as its longest value, each label on its field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QWidget

from app.form_layout import FormLayout


def number_form() -> QFormLayout:
    """A form whose fields keep their own width: a number of days spread across a 1920 px page reads as a text
    box, its arrows far from its label."""
    form = FormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


def add_number_row(form: QFormLayout, label: str, field: QWidget) -> None:
    """The row; its label sits on the field's middle as in every FormLayout."""
    form.addRow(label, field)


def same_width(fields: list[QWidget]) -> None:
    """The fields of one form as wide as the widest of them: a column of ragged boxes reads as untidy."""
    widest = max(field.sizeHint().width() for field in fields)
    for field in fields:
        field.setMinimumWidth(widest)
