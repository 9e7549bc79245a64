"""The audit trail for administrators: filters, a paged table, CSV export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

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

from app.i18n import error_text
from review import clock
from review.reporting.audit_log import AuditFilter, audit_actions, audit_page, count_audit, export_audit_csv
from review.accounts.users import list_users
from review.storage.db import Database
from review.errors import KalibraError
from review.models import User

PAGE = 500


def _short(value) -> str:
    """A stored before/after value as a person reads it: "key: value; key: value"."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in sorted(value.items()))[:200]
    return json.dumps(value, ensure_ascii=False)[:200]


def _plain(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _full(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


class AuditLogView(QWidget):
    def __init__(self, db: Database, actor: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.action = QComboBox()
        self.user = QComboBox()
        today = QDate(clock.today())
        self.since = QDateEdit(today.addMonths(-1))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Note contains…"))
        self.text.setMinimumWidth(160)
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
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("User"), self.tr("Action"),
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
        labels = self._action_labels()
        for action in sorted(actions, key=lambda a: labels.get(a, a)):
            self.action.addItem(labels.get(action, action), action)
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
        actions, entities = self._action_labels(), self._entity_labels()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            entity = entities.get(row.entity, row.entity)
            record = f"{entity} № {row.entity_id}" if row.entity_id is not None else entity
            # Stored in UTC; a person reads the local time.
            when = row.at.replace(tzinfo=row.at.tzinfo or UTC).astimezone().strftime("%d.%m.%Y %H:%M:%S")
            cells = (when, row.user or self.tr("(nobody)"), actions.get(row.action, row.action), record,
                     _short(row.old), _short(row.new), row.note or "")
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c in (4, 5):
                    item.setToolTip(_full(row.old if c == 4 else row.new))
                elif c == 2:
                    item.setToolTip(row.action)  # the stored code, as in the CSV export
                self.table.setItem(r, c, item)
        self.summary.setText(self.tr("Showing {0} of {1} entries, newest first.").format(len(rows), total))

    def _action_labels(self) -> dict[str, str]:
        return {
            "acknowledge": self.tr("Acknowledged"), "activate": self.tr("Account activated"),
            "deactivate": self.tr("Account deactivated"),
            "answer": self.tr("Answer"), "answer_comment": self.tr("Answer comment"), "close": self.tr("Closed"),
            "comment": self.tr("Comment"), "create": self.tr("Created"), "decide": self.tr("Dispute decided"),
            "delete": self.tr("Deleted"), "discussion": self.tr("Meeting notes"), "dispute": self.tr("Disputed"),
            "edit_metadata": self.tr("Call details edited"),
            "edit_hearing": self.tr("Channels or spoken language set"), "export_excerpt": self.tr("Excerpt exported"),
            "export_transcript": self.tr("Transcript exported"), "import": self.tr("Imported"),
            "note": self.tr("Strength or growth area"), "publish": self.tr("Rubric published"),
            "purge": self.tr("Old data removed"), "relocate": self.tr("Recording moved"),
            "reopen": self.tr("Reopened"), "requeue": self.tr("Queued for transcription"),
            "reset_password": self.tr("Password reset"), "save_draft": self.tr("Draft saved"),
            "set_password": self.tr("Password set"), "set_retention": self.tr("Retention changed"),
            "setting": self.tr("Setting changed"), "sign_in": self.tr("Signed in"),
            "sign_in_failed": self.tr("Sign-in failed"), "sign_in_refused": self.tr("Sign-in refused"),
            "submit": self.tr("Submitted"), "swap": self.tr("Call swapped"), "thanked": self.tr("Patient thanked"),
            "update": self.tr("Changed"),
        }

    def _entity_labels(self) -> dict[str, str]:
        return {
            "teams": self.tr("Team"), "operators": self.tr("Operator"), "users": self.tr("User"),
            "settings": self.tr("Setting"), "evaluations": self.tr("Evaluation"), "answers": self.tr("Answer"),
            "comments": self.tr("Comment"), "review_sessions": self.tr("Review session"),
            "session_calls": self.tr("Session call"), "session_notes": self.tr("Session note"),
            "goals": self.tr("Goal"), "disputes": self.tr("Dispute"), "rubrics": self.tr("Rubric"),
            "rubric_versions": self.tr("Rubric version"), "calls": self.tr("Call"),
            "transcription_jobs": self.tr("Transcription job"), "transcripts": self.tr("Transcript"),
        }

    def export(self, path: str | None = None) -> int | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export audit log"), "audit.csv", "CSV (*.csv)")
            if not path:
                return None
        try:
            with self.db.sessions() as session:
                written = export_audit_csv(session, self.actor, self.current_filter(), path)
        except (KalibraError, OSError) as exc:
            QMessageBox.warning(self, "Kalibra", error_text(exc))
            return None
        self.summary.setText(self.tr("Exported {0} entries to {1}.").format(written, path))
        return written
