"""The audit trail for administrators: filters, a paged table, CSV export."""

from __future__ import annotations

import json
from datetime import datetime, time

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from review.audit_query import AuditFilter, audit_actions, audit_page, count_audit, export_audit_csv
from review.auth import list_users
from review.db import Database
from review.errors import KalibraError
from review.models import User

PAGE = 500


def _short(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)[:200]


class AuditLogView(QWidget):
    def __init__(self, db: Database, actor: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.action = QComboBox()
        self.user = QComboBox()
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Note contains…"))
        self.text.returnPressed.connect(self.refresh)
        apply_button = QPushButton(self.tr("Apply"))
        apply_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(lambda: self.export())  # clicked(bool) would arrive as the path
        filters = QHBoxLayout()
        for label, widget in ((self.tr("Action"), self.action), (self.tr("User"), self.user),
                              (self.tr("From"), self.since), (self.tr("To"), self.until)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        filters.addWidget(apply_button)
        filters.addWidget(self.export_button)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([self.tr("When (UTC)"), self.tr("User"), self.tr("Action"),
                                              self.tr("Record"), self.tr("Before"), self.tr("After"),
                                              self.tr("Note")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 140, 120, 120, 220, 220)):
            self.table.setColumnWidth(column, width)
        self.summary = QLabel()
        self.summary.setObjectName("mutedLabel")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self._fill_choices()
        self.refresh()

    def _fill_choices(self) -> None:
        with self.db.sessions() as session:
            actions = audit_actions(session, self.actor)
            users = list_users(session, self.actor)
        self.action.clear()
        self.action.addItem(self.tr("All"), None)
        for action in actions:
            self.action.addItem(action, action)
        self.user.clear()
        self.user.addItem(self.tr("Everyone"), None)
        for row in users:
            self.user.addItem(f"{row.display_name} ({row.username})", row.id)

    def current_filter(self) -> AuditFilter:
        return AuditFilter(user_id=self.user.currentData(), action=self.action.currentData(),
                           since=datetime.combine(self.since.date().toPython(), time.min),
                           until=datetime.combine(self.until.date().toPython(), time.max),
                           text=self.text.text().strip() or None)

    def refresh(self) -> None:
        flt = self.current_filter()
        with self.db.sessions() as session:
            rows = audit_page(session, self.actor, flt, limit=PAGE)
            total = count_audit(session, self.actor, flt)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            record = f"{row.entity} #{row.entity_id}" if row.entity_id is not None else row.entity
            for c, value in enumerate((row.at.strftime("%Y-%m-%d %H:%M:%S"), row.user or self.tr("(nobody)"),
                                       row.action, record, _short(row.old), _short(row.new), row.note or "")):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.summary.setText(self.tr("Showing {0} of {1} entries, newest first.").format(len(rows), total))

    def export(self, path: str | None = None) -> int | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export audit log"), "audit.csv", "CSV (*.csv)")
            if not path:
                return None
        try:
            with self.db.sessions() as session:
                written = export_audit_csv(session, self.actor, self.current_filter(), path)
        except (KalibraError, OSError) as exc:
            QMessageBox.warning(self, "Kalibra", str(exc))
            return None
        self.summary.setText(self.tr("Exported {0} entries to {1}.").format(written, path))
        return written
