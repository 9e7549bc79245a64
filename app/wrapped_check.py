"""A checkbox whose words wrap (a QCheckBox keeps its text on one line, cut at the dialog's edge): the box and a
word-wrapped label beside it that toggles it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QWidget


class _ToggleLabel(QLabel):
    """The checkbox's words: a click on them ticks the box, as on a checkbox's own text."""

    def __init__(self, text: str, check: QCheckBox) -> None:
        super().__init__(text)
        self._check = check
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # beside the box, not below it
        self.setBuddy(check)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.button() == Qt.MouseButton.LeftButton and self._check.isEnabled():
            self._check.toggle()
        super().mouseReleaseEvent(event)


class WrappedCheckRow(QWidget):
    """The box and its words; as tall as the words need at the width the row is given."""

    def __init__(self, check: QCheckBox, text: str) -> None:
        super().__init__()
        check.setText("")
        check.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # the field's whole width
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
        self.label = _ToggleLabel(text, check)
        layout.addWidget(self.label, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        # A form in a dialog gives a wrapped label the height of its width-free hint, cutting its last lines:
        # asking for its height at this width makes the dialog grow to show them.
        super().resizeEvent(event)
        self.label.setMinimumHeight(self.label.heightForWidth(self.label.width()))
        self.updateGeometry()  # the hint below follows the width: a row that fits one line is one line tall

    def sizeHint(self):  # noqa: N802 - Qt naming
        # A wrapped label's own hint guesses a narrow width (two lines); once the row has its width, the height
        # its words need there, so the form keeps no empty line under a row whose words fit on one.
        hint = super().sizeHint()
        if self.isVisible() and self.width() > 0:
            hint.setHeight(max(self.layout().totalHeightForWidth(self.width()), self.layout().minimumSize().height()))
        return hint


def wrapped_check(check: QCheckBox, text: str) -> WrappedCheckRow:
    """A row of `check` (left without text) and `text` wrapping beside it; the row's label is `.label`."""
    return WrappedCheckRow(check, text)
