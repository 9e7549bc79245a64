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

from app.i18n import error_text
from review.storage.db import Database
from review.errors import KalibraError
from review.models import CALLBACK_KINDS, User
from review.library.vocabularies import Term, add_term, load_vocabulary, update_term

CODE, RUSSIAN, ENGLISH, CALLBACK, ARCHIVED = range(5)


def callback_label(kind: str | None) -> str:
    return {
        None: QCoreApplication.translate("VocabularyEditor", "Not a callback"),
        "callback_checkup": QCoreApplication.translate("VocabularyEditor", "Callback: check-up invitation"),
        "return_lost_patient": QCoreApplication.translate("VocabularyEditor", "Callback: return of a lost patient"),
        "continuation_of_treatment": QCoreApplication.translate("VocabularyEditor",
                                                                "Callback: continuation of treatment"),
    }.get(kind, kind or "")


def _callback_combo(kind: str | None) -> QComboBox:
    combo = QComboBox()
    for value in (None, *CALLBACK_KINDS):
        combo.addItem(callback_label(value), value)
    combo.setCurrentIndex(max(0, combo.findData(kind)))
    return combo


class VocabularyEditor(QWidget):
    """Edit labels and callback kinds in place, archive a term, add a new one; every change is audited."""

    changed = Signal()

    def __init__(self, db: Database, actor: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
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
        with self.db.sessions() as session:
            self._terms = load_vocabulary(session).of(self.vocabulary(), archived=True)
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
            self.table.setCellWidget(row, CALLBACK, _callback_combo(term.callback_kind if term.outbound_callback
                                                                    else None))
            archived = QTableWidgetItem()
            archived.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            archived.setCheckState(Qt.CheckState.Checked if term.archived else Qt.CheckState.Unchecked)
            self.table.setItem(row, ARCHIVED, archived)

    def _row_values(self, row: int) -> dict:
        callback = self.table.cellWidget(row, CALLBACK).currentData()
        return {"label_ru": self.table.item(row, RUSSIAN).text(), "label_en": self.table.item(row, ENGLISH).text(),
                "outbound_callback": callback is not None, "callback_kind": callback,
                "archived": self.table.item(row, ARCHIVED).checkState() == Qt.CheckState.Checked}

    def save(self) -> None:
        try:
            with self.db.unit_of_work() as session:
                for row, term in enumerate(self._terms):
                    update_term(session, self.actor, term.vocabulary, term.code, **self._row_values(row))
        except KalibraError as exc:
            self.show_message(error_text(exc), error=True)
            return
        self.refresh()
        self.show_message(self.tr("Saved."))
        self.changed.emit()

    def add(self) -> None:
        callback = self.new_callback.currentData() if self.vocabulary() == "call_kind" else None
        try:
            with self.db.unit_of_work() as session:
                add_term(session, self.actor, self.vocabulary(), self.new_code.text().strip(), self.new_ru.text(),
                         self.new_en.text(), outbound_callback=callback is not None, callback_kind=callback)
        except KalibraError as exc:
            self.show_message(error_text(exc), error=True)
            return
        for edit in (self.new_code, self.new_ru, self.new_en):
            edit.clear()
        self.refresh()
        self.show_message(self.tr("Added."))
        self.changed.emit()

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #a61b1b;" if error else "color: #0b6e70;")
        self.message.setText(text)
