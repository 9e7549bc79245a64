"""The import dialog's step for chats and e-mails: which participant is which of the clinic's operators.

Everyone who wrote in the chosen WhatsApp exports and mail files is listed with how much they wrote; the
importer names the operator behind the clinic's side (its chat name or address), the rest stay patients.
Identities already known are shown filled in; what is set here is remembered for the next import.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.table_cells import set_cell_widget
from review.written.written_import import Participant, scan_participants


class WrittenIdentityStep(QWidget):
    def __init__(self, operator_names: list[str], known: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self._operators = operator_names
        self._known = known
        self.participants: list[Participant] = []
        self.hint = QLabel(self.tr("Who of them is the clinic's operator? Leave patients empty; an operator's name "
                                   "may be new. Remembered for the next import."))
        self.hint.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Participant"), self.tr("Messages"), self.tr("Operator")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)

    def set_paths(self, paths: list[Path]) -> None:
        """Read who wrote in the chats and mails among `paths`; the step shows only when there are any."""
        self.participants = scan_participants(paths)
        self.table.setRowCount(len(self.participants))
        for row, participant in enumerate(self.participants):
            name = QTableWidgetItem(participant.name)
            name.setToolTip(participant.handle)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(str(participant.messages)))
            choice = QComboBox()
            choice.setEditable(True)  # a new operator's name is typed
            choice.addItem("")
            choice.addItems(self._operators)
            choice.setEditText(self._known.get(participant.handle, ""))
            choice.lineEdit().setPlaceholderText(self.tr("patient"))
            set_cell_widget(self.table, row, 2, choice)
        self.setVisible(bool(self.participants))

    def set_operator(self, handle: str, operator: str) -> None:
        row = next(i for i, p in enumerate(self.participants) if p.handle == handle)
        self.table.cellWidget(row, 2).setEditText(operator)

    def identities(self) -> dict[str, str]:
        """handle -> operator name, for every participant set (or unset, to forget a remembered one)."""
        chosen = {}
        for row, participant in enumerate(self.participants):
            operator = self.table.cellWidget(row, 2).currentText().strip()
            if operator or participant.handle in self._known:
                chosen[participant.handle] = operator
        return chosen
