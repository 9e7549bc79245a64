"""The audit trail for administrators: filters, a paged table, CSV export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time

from PySide6.QtCore import QDate, QEvent, Signal
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

from app.i18n import error_text, interface_language
from app.labels import date_format, format_datetime, widest_datetimes
from app.operations import CoreOp
from review import clock
from review.accounts.users import list_users
from review.errors import KalibraError
from review.reporting.audit_log import (
    AuditFilter,
    AuditRow,
    audit_actions,
    audit_page,
    count_audit,
    export_audit_csv,
)
from review.reporting.audit_text import describe_changes, record_names, setting_key
from review.workspace import Workspace

PAGE = 500


@dataclass(frozen=True)
class AuditPage:
    """One page of the trail as the view shows it: the rows, what each changed in words, rubric titles."""

    rows: list[AuditRow]
    total: int
    changes: list[str]
    records: list[str | None]


def _read_choices(ws: Workspace) -> tuple[list[str], list[tuple[int, str]]]:
    with ws.reading() as session:
        return audit_actions(session, ws.actor), [(row.id, f"{row.display_name} ({row.username})")
                                                  for row in list_users(session, ws.actor)]


def _read_page(ws: Workspace, flt: AuditFilter, lang: str) -> AuditPage:
    with ws.reading() as session:
        rows = audit_page(session, ws.actor, flt, limit=PAGE)
        return AuditPage(rows, count_audit(session, ws.actor, flt), describe_changes(session, rows, lang),
                         record_names(session, rows, lang))


def _stored(old, new) -> str:
    """The entry's stored before/after data, for the administrator who needs the exact values."""
    return "\n".join(f"{side}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}"
                     for side, value in (("old", old), ("new", new)) if value is not None)


class AuditLogView(QWidget):
    shown = Signal()  # the entries of the latest filter are in the table
    exported = Signal(object)  # after export(): how many entries were written, or None

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.action = QComboBox()
        self.user = QComboBox()
        today = QDate(clock.today())
        self.since = QDateEdit(today.addMonths(-1))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Note contains…"))
        self.text.setMinimumWidth(120)  # the filters' row keeps "Export CSV…" whole at 1366 pixels
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
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("User"), self.tr("Action"),
                                              self.tr("Record"), self.tr("Change"), self.tr("Note")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The change takes what the other columns leave, so the table fits its page at 1366 px without a
        # sideways scroll; a change longer than its cell is whole in the cell's tooltip.
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in enumerate((0, 130, 130, 150, 0, 140)):
            if width:
                self.table.setColumnWidth(column, width)
        self._fit_when()
        self.table.viewport().installEventFilter(self)
        self.summary = QLabel()
        self.summary.setObjectName("mutedLabel")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self._fill_choices()
        self.refresh()

    def _fit_when(self) -> None:
        """The moment whole in the language's writing ("18 Nov 2026 10:00:00"), in the table's font."""
        widest = max(self.table.fontMetrics().horizontalAdvance(text) for text in widest_datetimes(seconds=True))
        self.table.setColumnWidth(0, widest + 18)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "table"):
            self._fit_when()

    def _fill_choices(self) -> None:
        CoreOp(self, self._ws, _read_choices, key=("audit choices", id(self))).success(self._show_choices) \
            .run_in_background()

    def _show_choices(self, read: tuple[list[str], list[tuple[int, str]]]) -> None:
        actions, users = read
        chosen_action, chosen_user = self.action.currentData(), self.user.currentData()
        self.action.clear()
        self.action.addItem(self.tr("All"), None)
        labels = self._action_labels()
        for action in sorted(actions, key=lambda a: labels.get(a, a)):
            self.action.addItem(labels.get(action, action), action)
        self.user.clear()
        self.user.addItem(self.tr("Everyone"), None)
        for user_id, name in users:
            self.user.addItem(name, user_id)
        self.action.setCurrentIndex(max(0, self.action.findData(chosen_action)))
        self.user.setCurrentIndex(max(0, self.user.findData(chosen_user)))

    def current_filter(self) -> AuditFilter:
        return AuditFilter(user_id=self.user.currentData(), action=self.action.currentData(),
                           since=datetime.combine(self.since.date().toPython(), time.min),
                           until=datetime.combine(self.until.date().toPython(), time.max),
                           text=self.text.text().strip() or None)

    def refresh(self) -> None:
        """Read the entries the filters name, off the GUI thread; the table changes when they arrive."""
        flt, lang = self.current_filter(), interface_language()
        CoreOp(self, self._ws, lambda ws: _read_page(ws, flt, lang), key=("audit page", id(self))) \
            .success(self._show).run_in_background()

    def _show(self, page: AuditPage) -> None:
        rows, total, changes = page.rows, page.total, page.changes
        actions, entities = self._action_labels(), self._entity_labels()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            setting = setting_key(row)
            entity = self.tr("Setting") if setting else entities.get(row.entity, row.entity)
            # A rubric by its title, a setting by its name; other records by their number.
            record = f"{entity} {page.records[r]}" if page.records[r] else \
                self.tr("{0} #{1}").format(entity, row.entity_id) if row.entity_id is not None else entity
            # Stored in UTC; a person reads the local time.
            when = format_datetime(row.at.replace(tzinfo=row.at.tzinfo or UTC), seconds=True)
            # An answer's note is its question id, which the change already names.
            # A setting's note is its stored key, which the record names in words.
            note = "" if row.action in ("answer", "answer_comment", "dispute") and changes[r] \
                or (setting and row.note == setting) else row.note or ""
            cells = (when, row.user or self.tr("(nobody)"), actions.get(row.action, row.action), record,
                     changes[r], note)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 4:
                    item.setToolTip(f"{value}\n\n{_stored(row.old, row.new)}" if value else _stored(row.old, row.new))
                elif c == 2:
                    item.setToolTip(row.action)  # the stored code, as in the CSV export
                self.table.setItem(r, c, item)
        self.summary.setText(self.tr("Showing {0} of {1} entries, newest first.").format(len(rows), total))
        self._fit_words()
        self.shown.emit()

    def _fit_words(self) -> None:
        """The action and the record as wide as their longest text where the page has room for it (a fifth of
        the table each at most, never under their 1366 px widths); the change keeps the rest."""
        metrics = self.table.fontMetrics()
        room = self.table.viewport().width() // 5
        for column, least in ((2, 130), (3, 150)):
            texts = [self.table.item(r, column).text() for r in range(self.table.rowCount())]
            widest = max((metrics.horizontalAdvance(text) for text in texts), default=0) + 18
            self.table.setColumnWidth(column, max(least, min(widest, room)))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_words()  # the room a fifth of the table gives changes with the table's width
        return super().eventFilter(watched, event)

    def _action_labels(self) -> dict[str, str]:
        return {
            "acknowledge": self.tr("Acknowledged"), "activate": self.tr("Account activated"),
            "deactivate": self.tr("Account deactivated"),
            "answer": self.tr("Answer"), "answer_comment": self.tr("Answer comment"), "close": self.tr("Closed"),
            "comment": self.tr("Comment"), "create": self.tr("Created"), "decide": self.tr("Dispute decided"),
            "delete": self.tr("Deleted"), "discussion": self.tr("Meeting notes"), "dispute": self.tr("Disputed"),
            "edit_metadata": self.tr("Call details edited"),
            "edit_hearing": self.tr("Channels or spoken language set"), "swap_speakers": self.tr("Speakers swapped"),
            "export_excerpt": self.tr("Excerpt exported"),
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
            "calibration_rounds": self.tr("Calibration round"), "transcription_jobs": self.tr("Transcription job"), "transcripts": self.tr("Transcript"),
        }

    def export(self, path: str | None = None) -> None:
        """Write the entries the filters name to a CSV file, off the GUI thread; `exported` says how many."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export audit log"), "audit.csv", "CSV (*.csv)")
            if not path:
                return
        flt = self.current_filter()

        def write(ws: Workspace) -> int:
            try:
                with ws.reading() as session:
                    return export_audit_csv(session, ws.actor, flt, path)
            except OSError as exc:  # a folder one may not write to: one sentence, as a domain error
                raise KalibraError(error_text(exc)) from exc

        def refused(text: str) -> None:
            QMessageBox.warning(self, "Kalibra", text)
            self.exported.emit(None)

        def written(count: int) -> None:
            self.summary.setText(self.tr("Exported {0} entries to {1}.").format(count, path))
            self.exported.emit(count)

        CoreOp(self, self._ws, write).success(written).failure(refused).run_in_background()
