"""Administration: the workspace's call kinds and outcomes (labels, outbound callback kind, archived)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from app.operations import CoreOp
from app.table_cells import set_cell_widget
from review.library.vocabularies import Term, add_term, load_vocabulary, update_term
from review.models import CALLBACK_KINDS
from review.workspace import Workspace

CODE, RUSSIAN, ENGLISH, CALLBACK, ARCHIVED = range(5)


def callback_label(kind: str | None) -> str:
    return {
        None: QCoreApplication.translate("VocabularyEditor", "Not a callback"),
        "callback_checkup": QCoreApplication.translate("VocabularyEditor", "Callback: check-up invitation"),
        "return_lost_patient": QCoreApplication.translate("VocabularyEditor", "Callback: return of a lost patient"),
        "continuation_of_treatment": QCoreApplication.translate("VocabularyEditor",
                                                                "Callback: continuation of treatment"),
    }.get(kind, kind or "")


def _terms_of(ws: Workspace, vocabulary: str) -> list[Term]:
    with ws.reading() as session:
        return load_vocabulary(session).of(vocabulary, archived=True)


def _callback_combo(kind: str | None) -> QComboBox:
    combo = QComboBox()
    for value in (None, *CALLBACK_KINDS):
        combo.addItem(callback_label(value), value)
    combo.setCurrentIndex(max(0, combo.findData(kind)))
    return combo


class VocabularyEditor(QWidget):
    """Edit labels and callback kinds in place, archive a term, add a new one; every change is audited."""

    changed = Signal()  # a change was stored (and the table shows the list as stored)
    loaded = Signal()  # the table shows the chosen list

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.which = QComboBox()
        self.which.addItem(self.tr("Call kinds"), "call_kind")
        self.which.addItem(self.tr("Outcomes"), "outcome")
        self.which.currentIndexChanged.connect(self.refresh)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Russian"), self.tr("English"),
                                              self.tr("Outbound callback"), self.tr("Archived")])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # The callback drop-down as wide as its longest choice (stretched, "Callback: check-up invitatio" was
        # cut mid-word), the archive box as narrow as its title; the texts share the rest.
        for column in (CALLBACK, ARCHIVED):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.save_button = QPushButton(self.tr("Save changes"))
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save)
        self.new_code = QLineEdit()
        self.new_code.setPlaceholderText(self.tr("code, e.g. booking_cardiologist"))
        self.new_ru = QLineEdit()
        self.new_ru.setPlaceholderText(self.tr("Russian label"))
        self.new_en = QLineEdit()
        self.new_en.setPlaceholderText(self.tr("English label"))
        self.new_callback = _callback_combo(None)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self.add)
        self.message = QLabel()
        self.message.setWordWrap(True)
        adding = QHBoxLayout()
        for widget in (self.new_code, self.new_ru, self.new_en, self.new_callback, self.add_button):
            adding.addWidget(widget)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.which)
        layout.addWidget(self.table, 1)
        layout.addLayout(adding)
        layout.addLayout(bottom)
        self._terms: list[Term] = []
        self.refresh()

    def vocabulary(self) -> str:
        return self.which.currentData()

    def refresh(self) -> None:
        """Read the chosen list off the GUI thread; `loaded` follows once the table shows it."""
        vocabulary = self.vocabulary()
        CoreOp(self, self._ws, lambda ws: _terms_of(ws, vocabulary), key=("vocabulary", id(self))).success(
            self._show_terms).run_in_background()

    def _show_terms(self, terms: list[Term]) -> None:
        self._terms = terms
        is_kinds = self.vocabulary() == "call_kind"
        self.table.setColumnHidden(CALLBACK, not is_kinds)
        self.new_callback.setVisible(is_kinds)
        self.table.setRowCount(len(self._terms))
        for row, term in enumerate(self._terms):
            code = QTableWidgetItem(term.code)
            code.setFlags(code.flags() & ~Qt.ItemFlag.ItemIsEditable)  # calls keep their code for good
            self.table.setItem(row, CODE, code)
            self.table.setItem(row, RUSSIAN, QTableWidgetItem(term.label_ru))
            self.table.setItem(row, ENGLISH, QTableWidgetItem(term.label_en))
            set_cell_widget(self.table, row, CALLBACK,
                            _callback_combo(term.callback_kind if term.outbound_callback else None))
            archived = QTableWidgetItem()
            archived.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            archived.setCheckState(Qt.CheckState.Checked if term.archived else Qt.CheckState.Unchecked)
            self.table.setItem(row, ARCHIVED, archived)
        self.loaded.emit()

    def _row_values(self, row: int) -> dict:
        callback = self.table.cellWidget(row, CALLBACK).currentData()
        return {"label_ru": self.table.item(row, RUSSIAN).text(), "label_en": self.table.item(row, ENGLISH).text(),
                "outbound_callback": callback is not None, "callback_kind": callback,
                "archived": self.table.item(row, ARCHIVED).checkState() == Qt.CheckState.Checked}

    def save(self) -> None:
        vocabulary, edits = self.vocabulary(), [(term, self._row_values(row)) for row, term in enumerate(self._terms)]

        def store(ws: Workspace) -> list[Term]:
            with ws.changing() as session:
                for term, values in edits:
                    update_term(session, ws.actor, term.vocabulary, term.code, **values)
            return _terms_of(ws, vocabulary)

        self._change(store, self.tr("Saved."))

    def add(self) -> None:
        vocabulary = self.vocabulary()
        callback = self.new_callback.currentData() if vocabulary == "call_kind" else None
        code, ru, en = self.new_code.text().strip(), self.new_ru.text(), self.new_en.text()

        def store(ws: Workspace) -> list[Term]:
            with ws.changing() as session:
                add_term(session, ws.actor, vocabulary, code, ru, en, outbound_callback=callback is not None,
                         callback_kind=callback)
            return _terms_of(ws, vocabulary)

        def added(terms: list[Term]) -> None:
            for edit in (self.new_code, self.new_ru, self.new_en):
                edit.clear()
            self._changed(terms, self.tr("Added."))

        self._change(store, self.tr("Added."), added)

    def _change(self, store, done: str, on_success=None) -> None:
        """Run a change off the GUI thread; the list as stored afterwards, `done` said and `changed`, or the
        refusal said (nothing stored)."""
        CoreOp(self, self._ws, store, changes={"vocabularies"}, key=("vocabulary", id(self))).success(
            on_success or (lambda terms: self._changed(terms, done))).failure(
            lambda text: self.show_message(text, error=True)).run_in_background()

    def _changed(self, terms: list[Term], done: str) -> None:
        self._show_terms(terms)
        self.show_message(done)
        self.changed.emit()

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #a61b1b;" if error else "color: #0b6e70;")
        self.message.setText(text)
