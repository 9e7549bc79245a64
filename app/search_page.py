"""Find calls by the words spoken in them; a hit opens the call at that moment."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.labels import format_duration, speaker_label
from review.storage.db import Database
from review.models import User
from review.transcripts.personal_data import mask_text
from review.library.search import matched_spans, search_transcripts

SPANS_ROLE = Qt.ItemDataRole.UserRole + 1  # the (start, end) of the words the query found


def highlighted_html(text: str, spans: list[tuple[int, int]]) -> str:
    parts, cursor = [], 0
    for start, end in spans:
        parts += [html.escape(text[cursor:start]), "<b>", html.escape(text[start:end]), "</b>"]
        cursor = end
    return "".join(parts) + html.escape(text[cursor:])


class _HighlightDelegate(QStyledItemDelegate):
    """What was said, with the words the query found in bold, on one line (the tooltip has it all)."""

    def paint(self, painter, option, index) -> None:
        spans = index.data(SPANS_ROLE)
        if not spans:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        text, option.text = option.text, ""
        style = option.widget.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colour = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        document.setHtml(f'<span style="color: {colour.name()}; white-space: pre;">{highlighted_html(text, spans)}</span>')
        painter.save()
        painter.translate(rect.left(), rect.top() + (rect.height() - document.size().height()) / 2)
        document.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
        painter.restore()


class SearchPage(QWidget):
    open_call_at = Signal(int, float)  # call id, seconds

    def __init__(self, db: Database, actor: User, parent=None, *, mask_personal_data: bool = False) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.mask_personal_data = mask_personal_data
        title = QLabel(self.tr("Search transcripts"))
        title.setObjectName("pageTitle")
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Words spoken in a call, e.g. «перезвоните» or «запись отменили»"))
        self.query.setClearButtonEnabled(True)
        self.results = QTreeWidget()
        self.results.setObjectName("searchResults")  # roomier cells (style.qss)
        self.results.setRootIsDecorated(False)
        self.results.setAlternatingRowColors(True)
        self.results.setHeaderLabels([self.tr("Call"), self.tr("Operator"), self.tr("Date"), self.tr("Speaker"),
                                      self.tr("Time"), self.tr("What was said")])
        self.results.setItemDelegateForColumn(5, _HighlightDelegate(self.results))
        header = self.results.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setObjectName("mutedLabel")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.run_search)
        self.query.textChanged.connect(self._debounce.start)
        self.query.returnPressed.connect(self.run_search)
        self.results.itemActivated.connect(self._open)

    def run_search(self) -> None:
        text = self.query.text().strip()
        self.results.clear()
        if not text:
            self.summary.clear()
            return
        with self._db.sessions() as session:
            hits = search_transcripts(session, self._actor, text)
        for hit in hits:
            said = mask_text(hit.text) if self.mask_personal_data else hit.text
            item = QTreeWidgetItem([
                f"#{hit.call_id}", hit.operator or "—",
                hit.started_at.strftime("%d.%m.%Y %H:%M") if hit.started_at else "—",
                speaker_label(hit.speaker), format_duration(hit.start_s), said])
            item.setData(0, Qt.ItemDataRole.UserRole, (hit.call_id, hit.start_s))
            item.setToolTip(5, said)
            item.setData(5, SPANS_ROLE, matched_spans(said, text))
            self.results.addTopLevelItem(item)
        self.summary.setText(self.tr("Found: %n fragment(s)", "", len(hits)))

    def _open(self, item: QTreeWidgetItem) -> None:
        call_id, start_s = item.data(0, Qt.ItemDataRole.UserRole)
        self.open_call_at.emit(call_id, start_s)
