"""The import's mapping step: which column is which field, the first rows as stored, the new call kinds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.column_fit import fit_columns_to_view
from app.empty_hint import EmptyHint
from app.i18n import counted, error_text, interface_language
from app.labels import call_kind_label, direction_label, format_datetime, outcome_label
from app.table_cells import set_cell_widget
from review.desktop.user_settings import SavedMapping
from review.library.metadata_mapping import TARGETS
from review.library.metadata_preview import PREVIEW_FIELDS, MetadataPreview, NewTerm, preview_metadata
from review.library.metadata_sidecar import MetadataChoice
from review.library.metadata_table import MetadataError
from review.library.telephony_presets import PRESETS
from review.library.vocabularies import Vocabulary

ADD, KEEP = "add", "keep"  # what to do with a new term; "map:<code>" maps it to an existing one


def target_label(target: str) -> str:
    """What a column can be stored as, in the interface language."""
    return {
        "file": QCoreApplication.translate("MappingStep", "Recording file"),
        "call_id": QCoreApplication.translate("MappingStep", "Call id"),
        "operator": QCoreApplication.translate("MappingStep", "Operator"),
        "extension": QCoreApplication.translate("MappingStep", "Extension"),
        "started_at": QCoreApplication.translate("MappingStep", "Date and time"),
        "date": QCoreApplication.translate("MappingStep", "Date"),
        "time": QCoreApplication.translate("MappingStep", "Time"),
        "direction": QCoreApplication.translate("MappingStep", "Direction"),
        "caller": QCoreApplication.translate("MappingStep", "Caller (source)"),
        "callee": QCoreApplication.translate("MappingStep", "Called (destination)"),
        "phone": QCoreApplication.translate("MappingStep", "Patient's phone"),
        "channel": QCoreApplication.translate("MappingStep", "Channel"),
        "call_kind": QCoreApplication.translate("MappingStep", "Call kind"),
        "outcome": QCoreApplication.translate("MappingStep", "Outcome"),
        "language": QCoreApplication.translate("MappingStep", "Language"),
        "operator_channel": QCoreApplication.translate("MappingStep", "Operator's channel"),
        "tags": QCoreApplication.translate("MappingStep", "Tags"),
        "tag": QCoreApplication.translate("MappingStep", "Keep as a tag"),
        "ignore": QCoreApplication.translate("MappingStep", "Ignore"),
    }.get(target, target)


def _shown(name: str, value: str) -> str:
    if name == "started_at" and value:  # as every other date on screen, not "2025-03-11 09:12"
        try:
            return format_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    if name == "direction" and value:
        return direction_label(value)
    if name == "call_kind" and value:
        return call_kind_label(value)
    if name == "outcome" and value:
        return outcome_label(value)
    return value


class MetadataMappingStep(QWidget):
    """Pick a metadata file and a preset, fix any column's field, see the rows as they will be stored."""

    changed = Signal()

    def __init__(self, vocabulary: Vocabulary, may_edit_terms: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vocabulary = vocabulary
        self._may_edit_terms = may_edit_terms
        self.preview: MetadataPreview | None = None
        self._base: list[tuple[str, str]] = []

        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(self.tr("None: names of the recordings only"))
        self.file_edit.editingFinished.connect(self.refresh)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_file)
        self.preset = QComboBox()
        self.preset.addItem(self.tr("Guess from the header"), None)
        titles = {"asterisk": self.tr("Asterisk CDR (Master.csv)"), "freepbx": self.tr("FreePBX CDR report")}
        for name in PRESETS:
            self.preset.addItem(titles.get(name, name), name)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        file_row.addWidget(self.preset)

        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels([self.tr("Column"), self.tr("Stored as"), self.tr("First value")])
        self.columns.verticalHeader().hide()
        self.rows = QTableWidget(0, len(PREVIEW_FIELDS))
        self.rows.setHorizontalHeaderLabels([self._field_title(name) for name in PREVIEW_FIELDS])
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # Eight columns in a dialog: long titles ("Телефон пациента") wrap onto two lines instead of being cut.
        rows_header = self.rows.horizontalHeader()
        rows_header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        rows_header.setMinimumHeight(rows_header.fontMetrics().height() * 2 + 16)
        # Both fit the dialog's width, never scrolling sideways (a long value is elided, whole in its tooltip);
        # refitted as the dialog is resized.
        # Once the geometry has settled (a scroll bar showing narrows the view again): one timer for both.
        self._refit = QTimer(self, singleShot=True, interval=0)
        self._refit.timeout.connect(self._fit_tables)
        for table in (self.columns, self.rows):
            table.viewport().installEventFilter(self)
        self.terms = QTableWidget(0, 4)
        self.terms.setHorizontalHeaderLabels([self.tr("List"), self.tr("Value in the file"), self.tr("Calls"),
                                              self.tr("What to do")])
        self.terms.verticalHeader().hide()
        self.terms.horizontalHeader().setStretchLastSection(True)
        self.terms.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        # Without a file the two tables would stand empty: what they will show, and what is read meanwhile.
        self.columns_hint = EmptyHint(self.columns)
        self.rows_hint = EmptyHint(self.rows)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(file_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.columns, 3)
        layout.addWidget(QLabel(self.tr("As they will be stored:")))
        layout.addWidget(self.rows, 2)
        layout.addWidget(self.terms, 1)
        self.terms.hide()
        self._set_hints(no_file=True)

    def _set_hints(self, no_file: bool) -> None:
        """The hints over the empty tables while no file is chosen (a file's problem is said in the summary)."""
        self.columns_hint.set_text(self.tr(
            "No file with the calls' data: the operator, date and direction are read from the recordings' names. "
            "Choose a CSV or XLSX file to see its columns here.") if no_file else "")
        self.rows_hint.set_text(self.tr("The file's first calls show here as they will be stored.")
                                if no_file else "")

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and watched in (self.columns.viewport(), self.rows.viewport()):
            self._refit.start()
        return super().eventFilter(watched, event)

    def _fit_tables(self) -> None:
        fit_columns_to_view(self.columns)
        fit_columns_to_view(self.rows, wrap_before_cutting=True)  # "Date and / time" rather than "11 Mar …"

    def _field_title(self, name: str) -> str:
        return self.tr("File") if name == "file" else target_label(name)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Metadata file"), self.file_edit.text(),
                                              self.tr("Spreadsheets (*.csv *.tsv *.txt *.xlsx *.xlsm)"))
        if path:
            self.set_file(path)

    def set_file(self, path: str | Path | None, saved: SavedMapping | None = None) -> None:
        """Show `path` under the remembered mapping `saved` (else guessed)."""
        self._base = list(saved.columns) if saved else []
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(max(0, self.preset.findData(saved.preset if saved else None)))
        self.preset.blockSignals(False)
        self.file_edit.setText(str(path) if path else "")
        self.refresh()

    def path(self) -> Path | None:
        text = self.file_edit.text().strip()
        return Path(text) if text else None

    def _preset_changed(self) -> None:
        self._base = []  # a different export: start again from the preset and the guess
        self.refresh()

    def choice(self) -> MetadataChoice:
        pairs = self.preview.sidecar.mapping.as_pairs() if self.preview is not None else list(self._base)
        return MetadataChoice(preset=self.preset.currentData(), remembered=pairs)

    def saved_mapping(self) -> SavedMapping:
        choice = self.choice()
        return SavedMapping(preset=choice.preset, columns=choice.remembered)

    def set_target(self, column: str, target: str) -> None:
        """Store `column` as `target` (what the user does with a column's combo box)."""
        for row in range(self.columns.rowCount()):
            if self.columns.item(row, 0).text() == column:
                combo: QComboBox = self.columns.cellWidget(row, 1)
                combo.setCurrentIndex(combo.findData(target))
                return
        raise KeyError(column)

    def _target_changed(self, column: str, combo: QComboBox) -> None:
        pairs = [p for p in self.choice().remembered if p[1] != column]
        if combo.currentData() not in ("tag", "ignore"):
            pairs = [p for p in pairs if p[0] != combo.currentData()]  # one column per field
        self._base = [*pairs, (combo.currentData(), column)]
        self.refresh()

    def refresh(self) -> None:
        path = self.path()
        self.preview = None
        if path is None:
            self._show(None, "")
            return
        try:
            self.preview = preview_metadata(path, MetadataChoice(self.preset.currentData(), self._base),
                                            self._vocabulary)
        except (MetadataError, OSError) as exc:
            self._show(None, error_text(exc))
            return
        self._show(self.preview, "")

    def _show(self, preview: MetadataPreview | None, problem: str) -> None:
        self.columns.setRowCount(0)
        self.rows.setRowCount(0)
        self.terms.setRowCount(0)
        self.terms.hide()
        self._set_hints(no_file=preview is None and not problem)
        if preview is None:
            self.summary.setText(problem)
            self.changed.emit()
            return
        mapping, table = preview.sidecar.mapping, preview.sidecar.table
        first = table.rows[0].cells if table.rows else []
        for index, (header, target) in enumerate(zip(mapping.headers, mapping.targets, strict=True)):
            self.columns.insertRow(index)
            self.columns.setItem(index, 0, _whole(header))
            combo = QComboBox()
            for name in TARGETS:
                combo.addItem(target_label(name), name)
            combo.setCurrentIndex(combo.findData(target))
            combo.currentIndexChanged.connect(lambda _i, h=header, c=combo: self._target_changed(h, c))
            set_cell_widget(self.columns, index, 1, combo)
            self.columns.setItem(index, 2, _whole(first[index] if index < len(first) else ""))
        self._show_rows(preview)
        self._show_terms(preview.new_terms)
        self._fit_tables()
        rows = len(preview.sidecar.rows)
        self.summary.setText(counted(self.tr("{0}: %n row(s); problems: {1}; new call kinds and outcomes: {2}.", "",
                                             rows), rows).format(
            Path(preview.sidecar.path).name, preview.problem_count, len(preview.new_terms)))
        self.changed.emit()

    def _show_rows(self, preview: MetadataPreview) -> None:
        bad = QBrush(QColor("#f8d7d7"))
        for index, row in enumerate(preview.rows):
            self.rows.insertRow(index)
            self.rows.setVerticalHeaderItem(index, QTableWidgetItem(str(row.line)))
            for col, name in enumerate(PREVIEW_FIELDS):
                item = _whole(_shown(name, row.values.get(name, "")))
                problems = [p for p in row.problems if _preview_field(preview, p.column) == name]
                if problems:
                    item.setBackground(bad)
                    item.setToolTip("\n".join(f"{p.column} = {p.value!r}: {error_text(p.reason)}" for p in problems))
                self.rows.setItem(index, col, item)

    def _show_terms(self, terms: list[NewTerm]) -> None:
        lists = {"call_kind": self.tr("Call kind"), "outcome": self.tr("Outcome")}
        lang = interface_language()
        for index, term in enumerate(terms):
            self.terms.insertRow(index)
            self.terms.setItem(index, 0, QTableWidgetItem(lists[term.vocabulary]))
            self.terms.setItem(index, 1, QTableWidgetItem(term.written))
            self.terms.setItem(index, 2, QTableWidgetItem(str(term.count)))
            action = QComboBox()
            action.addItem(self.tr("Add to the workspace's list"), ADD)
            action.addItem(self.tr("Keep on the calls for now"), KEEP)
            for known in self._vocabulary.of(term.vocabulary):
                action.addItem(self.tr("Same as: {0}").format(known.label(lang)), f"map:{known.code}")
            if not self._may_edit_terms:
                action.setCurrentIndex(1)
                action.setEnabled(False)
                action.setToolTip(self.tr("Only an administrator changes the workspace's lists."))
            set_cell_widget(self.terms, index, 3, action)
        self.terms.setVisible(bool(terms))

    def term_decisions(self) -> list[tuple[NewTerm, str]]:
        """Each new term with what the user chose for it (ADD, KEEP or "map:<code>")."""
        if self.preview is None:
            return []
        return [(term, self.terms.cellWidget(i, 3).currentData()) for i, term in enumerate(self.preview.new_terms)]

    def set_term_decision(self, written: str, decision: str) -> None:
        for index in range(self.terms.rowCount()):
            if self.terms.item(index, 1).text() == written:
                combo: QComboBox = self.terms.cellWidget(index, 3)
                combo.setCurrentIndex(combo.findData(decision))
                return
        raise KeyError(written)


def _whole(text: str) -> QTableWidgetItem:
    """A cell whose text, elided when the column is narrow, is whole in its tooltip."""
    item = QTableWidgetItem(text)
    if text:
        item.setToolTip(text)
    return item


def _preview_field(preview: MetadataPreview, column: str) -> str:
    """The preview column where a problem with a source column shows."""
    mapping = preview.sidecar.mapping
    target = mapping.targets[mapping.headers.index(column)] if column in mapping.headers else column
    return {"date": "started_at", "time": "started_at", "caller": "phone", "callee": "phone",
            "extension": "operator"}.get(target, target)
