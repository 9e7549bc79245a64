"""Input widgets the rubric forms share: Russian/English text pairs, call kinds, level/option tables."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.form_layout import FormLayout
from app.labels import call_kind_label
from app.rubric_editor.growing_edit import GrowingTextEdit
from review.models import CALL_KINDS

_TABLE_EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                        | QAbstractItemView.EditTrigger.AnyKeyPressed)


def set_read_only(form: QWidget, read_only: bool) -> None:
    """Texts stay selectable and readable; everything that changes data is switched off."""
    for widget in form.findChildren(QWidget):
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setReadOnly(read_only)
            # Shown as text, not as a box that invites typing (style.qss); re-polished so the rule applies now.
            widget.setProperty("viewOnly", read_only)
            # "In Russian" in an empty read-only box asks for typing; the hint returns when it is editable.
            if widget.property("editHint") is None:
                widget.setProperty("editHint", widget.placeholderText())
            widget.setPlaceholderText("—" if read_only else widget.property("editHint"))
            if isinstance(widget, QLineEdit):
                widget.setFrame(not read_only)
            else:
                widget.setFrameShape(QFrame.Shape.NoFrame if read_only else QFrame.Shape.StyledPanel)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        elif isinstance(widget, QTableWidget):
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only
                                   else _TABLE_EDIT_TRIGGERS)
        elif isinstance(widget, QComboBox | QAbstractSpinBox | QCheckBox | QPushButton):
            widget.setEnabled(not read_only)


def _tag(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("mutedLabel")
    label.setFixedWidth(22)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return label


class LocalizedEdit(QWidget):
    """Russian text (required where the rubric requires it) above its English translation."""

    changed = Signal()

    def __init__(self, multiline: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._edits: dict[str, GrowingTextEdit] = {}
        # A form of its own: each tag on its text's first line (in a grid "RU" sat 8 px above a line's words).
        form = FormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(4)
        form.setFieldGrowthPolicy(FormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for lang, tag, hint in (("ru", "RU", self.tr("In Russian")), ("en", "EN", self.tr("English translation"))):
            # Wrapped at the form's width, never cut: a question's text ran past a one-line field's end at 1366 px.
            edit = (GrowingTextEdit(self, min_lines=3, max_lines=12) if multiline
                    else GrowingTextEdit(self, max_lines=6, single_line=True))
            edit.textChanged.connect(self.changed)
            edit.setPlaceholderText(hint)
            self._edits[lang] = edit
            form.addRow(_tag(tag, self), edit)

    def edit(self, lang: str) -> GrowingTextEdit:
        return self._edits[lang]

    def setFocus(self) -> None:  # noqa: N802 - Qt naming; a label's buddy focuses the Russian field
        self._edits["ru"].setFocus()

    def set_value(self, value: object) -> None:
        value = value if isinstance(value, dict) else {"ru": value or "", "en": ""}
        for lang, edit in self._edits.items():
            edit.blockSignals(True)
            edit.setPlainText(value.get(lang, ""))  # the cursor at the start: a long text shown from its start
            edit.blockSignals(False)

    def _text(self, lang: str) -> str:
        return self._edits[lang].toPlainText()

    def value(self, optional: bool = False) -> dict | None:
        """{'ru': ..., 'en': ...}; None for an optional text left empty in both languages."""
        ru, en = self._text("ru"), self._text("en")
        if optional and not ru.strip() and not en.strip():
            return None
        return {"ru": ru, "en": en} if en.strip() else {"ru": ru}


class CallKindsPicker(QWidget):
    """Check boxes for the call kinds a rubric or section applies to."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._boxes: dict[str, QCheckBox] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(2)
        for kind in CALL_KINDS:
            self._add(kind)

    def _add(self, kind: str) -> None:
        box = QCheckBox(call_kind_label(kind), self)
        box.setToolTip(kind)
        box.toggled.connect(self.changed)
        # One column: call-kind names are long in Russian, and the form must fit a narrow pane.
        self._grid.addWidget(box, len(self._boxes), 0)
        self._boxes[kind] = box

    def set_kinds(self, kinds: list[str]) -> None:
        for kind in kinds:
            if kind not in self._boxes:  # a kind from an imported file, kept so saving does not drop it
                self._add(kind)
        for kind, box in self._boxes.items():
            box.blockSignals(True)
            box.setChecked(kind in kinds)
            box.blockSignals(False)

    def kinds(self) -> list[str]:
        return [kind for kind, box in self._boxes.items() if box.isChecked()]


class ItemTable(QWidget):
    """A small editable table of scale levels or choice options, with add/remove buttons.

    columns: (key, header, kind) with kind 'int', 'slug', 'text', 'number' or 'optional_number';
    a cell that does not parse turns red and the table keeps its last good rows.
    """

    changed = Signal()

    def __init__(self, columns: list[tuple[str, str, str]], add_text: str, parent=None) -> None:
        super().__init__(parent)
        self._columns = columns
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([header for _key, header, _kind in columns])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        header = self.table.horizontalHeader()
        for column, (_key, _header, kind) in enumerate(columns):
            mode = QHeaderView.ResizeMode.Stretch if kind == "text" else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setMinimumHeight(self.table.fontMetrics().height() * 7 + 30)
        self.table.itemChanged.connect(self._on_item_changed)
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton(self.tr("Remove row"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self._rows = [dict(row) for row in rows]
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, (key, _header, _kind) in enumerate(self._columns):
                self.table.setItem(r, c, QTableWidgetItem(self._cell_text(row, key)))
        self.table.blockSignals(False)

    def rows(self) -> list[dict]:
        return [dict(row) for row in self._rows]

    @staticmethod
    def _cell_text(row: dict, key: str) -> str:
        if key in ("label_ru", "label_en"):
            label = row.get("label", {})
            label = label if isinstance(label, dict) else {"ru": label}
            return label.get(key[-2:], "")
        value = row.get(key)
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)

    def _parse(self, r: int) -> dict | None:
        row: dict = {}
        label: dict = {}
        for c, (key, _header, kind) in enumerate(self._columns):
            text = (self.table.item(r, c).text() if self.table.item(r, c) else "").strip()
            try:
                if kind == "int":
                    row[key] = int(text)
                elif kind == "number":
                    row[key] = float(text.replace(",", "."))
                elif kind == "optional_number":
                    if text:
                        row[key] = float(text.replace(",", "."))
                elif key in ("label_ru", "label_en"):
                    if text or key == "label_ru":
                        label[key[-2:]] = text
                else:
                    row[key] = text
            except ValueError:
                return None
        row["label"] = label
        return row

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        parsed = self._parse(item.row())
        self.table.blockSignals(True)
        for c in range(self.table.columnCount()):
            cell = self.table.item(item.row(), c)
            if cell is not None:
                cell.setBackground(QBrush(QColor("#fde8e8")) if parsed is None else QBrush())
        self.table.blockSignals(False)
        if parsed is not None:
            self._rows[item.row()] = parsed
            self.changed.emit()

    def add_row(self) -> None:
        template = dict(self._rows[-1]) if self._rows else {}
        for key, _header, kind in self._columns:
            if kind == "int":
                template[key] = max((row.get(key, 0) for row in self._rows), default=-1) + 1
            elif kind == "slug":
                template[key] = f"option_{len(self._rows) + 1}"
        template["label"] = {"ru": "", "en": ""}
        self._rows.append(template)
        self.set_rows(self._rows)
        self.table.setCurrentCell(len(self._rows) - 1, 1)
        self.changed.emit()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._rows):
            del self._rows[row]
            self.set_rows(self._rows)
            self.changed.emit()
