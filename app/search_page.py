"""Find calls by the words spoken in them; a hit opens the call at the found word."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime, time, timedelta

from PySide6.QtCore import QDate, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
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

from app.empty_hint import EmptyHint
from app.i18n import counted
from app.labels import (
    call_number,
    date_format,
    format_datetime,
    format_day_month,
    format_duration,
    speaker_label,
)
from app.operations import CoreOp
from review import clock
from review.library.calls import list_operators
from review.library.search import SearchHit, SearchScope, matched_spans, search_everything
from review.transcripts.personal_data import mask_text
from review.workspace import Workspace

SPANS_ROLE = Qt.ItemDataRole.UserRole + 1  # the (start, end) of the words the query found
ELLIPSIS = "…"


def highlighted_html(text: str, spans: list[tuple[int, int]]) -> str:
    parts, cursor = [], 0
    for start, end in spans:
        parts += [html.escape(text[cursor:start]), "<b>", html.escape(text[start:end]), "</b>"]
        cursor = end
    return "".join(parts) + html.escape(text[cursor:])


def clipped(text: str, spans: list[tuple[int, int]], fits: Callable[[str], bool]) -> tuple[str, list[tuple[int, int]]]:
    """What fits of `text` on one line, cut only between words and marked "…" where cut, the first found word
    in view (the words before it give way first); the spans moved to match."""
    if fits(text):
        return text, spans
    words = [m.span() for m in re.finditer(r"\S+", text)]
    if not words:
        return text, spans
    hit = spans[0][0] if spans else 0
    first_hit_word = next((i for i, (_s, e) in enumerate(words) if e > hit), 0)
    begin = 0
    # Drop words from the front until the found word and a few after it (its context) fit beside the marks.
    context_end = min(first_hit_word + 4, len(words))
    while begin < first_hit_word and not fits(_marked(text, words, begin, context_end)):
        begin += 1
    end = first_hit_word + 1
    while end < len(words) and fits(_marked(text, words, begin, end + 1)):
        end += 1
    shown = _marked(text, words, begin, end)
    offset = (len(ELLIPSIS) + 1 if begin > 0 else 0) - words[begin][0]
    limit = words[end - 1][1]
    moved = [(s + offset, min(e, limit) + offset) for s, e in spans if words[begin][0] <= s < limit]
    return shown, moved


def _marked(text: str, words: list[tuple[int, int]], begin: int, end: int) -> str:
    middle = text[words[begin][0]:words[end - 1][1]]
    return (f"{ELLIPSIS} " if begin > 0 else "") + middle + (f" {ELLIPSIS}" if end < len(words) else "")


class _HighlightDelegate(QStyledItemDelegate):
    """What was said, with the words the query found in bold, on one line: cut between words with "…" where it
    is too long, the found word kept in view (the tooltip has it all)."""

    def shown_text(self, text: str, spans: list[tuple[int, int]], font: QFont, width: int):
        bold = QFont(font)
        bold.setBold(True)
        regular, strong = QFontMetrics(font), QFontMetrics(bold)
        # Measured as drawn, the found words in bold: bold throughout left a tenth of the row empty. What the
        # found words gain in bold is counted whole, so a cut line is never wider than its cell.
        extra = sum(strong.horizontalAdvance(text[s:e]) - regular.horizontalAdvance(text[s:e]) for s, e in spans)
        return clipped(text, spans, lambda candidate: regular.horizontalAdvance(candidate) + extra <= width)

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
        shown, shown_spans = self.shown_text(text, spans, option.font, rect.width())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colour = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        document.setHtml(f'<span style="color: {colour.name()}; white-space: pre;">'
                         f'{highlighted_html(shown, shown_spans)}</span>')
        painter.save()
        painter.translate(rect.left(), rect.top() + (rect.height() - document.size().height()) / 2)
        document.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
        painter.restore()


def _read_operators(ws: Workspace) -> list[tuple[int, str]]:
    with ws.reading() as session:
        return [(operator.id, operator.name) for operator in list_operators(session, ws.actor)]


def _search(ws: Workspace, text: str, scope: SearchScope) -> list[SearchHit]:
    with ws.reading() as session:
        return search_everything(session, ws.actor, text, scope=scope)


class SearchPage(QWidget):
    open_call_at = Signal(int, float)  # call id, seconds
    searched = Signal()  # the results of the latest search are listed
    operators_shown = Signal()

    def __init__(self, ws: Workspace, parent=None, *, mask_personal_data: bool = False) -> None:
        super().__init__(parent)
        self._ws = ws
        self.mask_personal_data = mask_personal_data
        title = QLabel(self.tr("Search transcripts and messages"))
        title.setObjectName("pageTitle")
        self.query = QLineEdit()
        # Both examples are said or written in the demo workspace (its chat has both; calls once transcribed).
        self.query.setPlaceholderText(self.tr("Words said or written in a conversation, e.g. «записаться» or "
                                              "«спасибо большое»"))
        self.query.setClearButtonEnabled(True)
        self.operator = QComboBox()
        self.operator.addItem(self.tr("All operators"), None)
        self.operator.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period = QCheckBox(self.tr("Period"))
        today = QDate(clock.today())
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setEnabled(False)
        filters = QHBoxLayout()
        filters.addWidget(self.query, 3)
        filters.addWidget(self.operator, 1)
        filters.addWidget(self.period)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.date_to)
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
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.run_search)
        self.query.textChanged.connect(self._debounce.start)
        self.query.returnPressed.connect(self.run_search)
        self.operator.currentIndexChanged.connect(self.run_search)
        self.period.toggled.connect(self._period_toggled)
        self.date_from.dateChanged.connect(self.run_search)
        self.date_to.dateChanged.connect(self.run_search)
        self.results.itemActivated.connect(self._open)
        self.empty_hint = EmptyHint(self.results, self._type_hint())
        CoreOp(self, self._ws, _read_operators, key=("search operators", id(self))) \
            .success(self._show_operators).run_in_background()

    def _type_hint(self) -> str:
        return self.tr("Type a word or a phrase: calls where it was said are listed here, in any word form.")

    def _show_operators(self, operators: list[tuple[int, str]]) -> None:
        self.operator.blockSignals(True)
        for operator_id, name in operators:
            self.operator.addItem(name, operator_id)
        self.operator.blockSignals(False)
        self.operators_shown.emit()

    def _period_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.run_search()

    def scope(self) -> SearchScope:
        if not self.period.isChecked():
            return SearchScope(operator_id=self.operator.currentData())
        return SearchScope(operator_id=self.operator.currentData(),
                           started_from=datetime.combine(self.date_from.date().toPython(), time.min),
                           started_to=datetime.combine(self.date_to.date().toPython(), time.max))

    def run_search(self) -> None:
        """Search off the GUI thread; the results replace the list when they come (a newer search wins)."""
        self._debounce.stop()
        text = self.query.text().strip()
        if not text:
            CoreOp(self, self._ws, lambda _ws: [], key=("search", id(self))).success(
                lambda _none: self._show([], "")).run_in_background()  # and any search under way is dropped
            return
        scope = self.scope()
        CoreOp(self, self._ws, lambda ws: _search(ws, text, scope), key=("search", id(self))) \
            .success(lambda hits: self._show(hits, text)).run_in_background()

    def _show(self, hits: list[SearchHit], text: str) -> None:
        self.results.clear()
        if not text:
            self.summary.clear()
            self.empty_hint.set_text(self._type_hint())
            self.searched.emit()
            return
        for hit in hits:
            # On one line: a mail's line breaks made its rows several lines tall.
            said = " ".join((mask_text(hit.text) if self.mask_personal_data else hit.text).split())
            item = QTreeWidgetItem([
                call_number(hit.call_id), hit.operator or "—",
                format_datetime(hit.started_at),
                speaker_label(hit.speaker), self._when(hit), said])
            item.setData(0, Qt.ItemDataRole.UserRole, (hit.call_id, hit.start_s if hit.found_s is None else hit.found_s))
            item.setToolTip(5, said)
            item.setData(5, SPANS_ROLE, matched_spans(said, text))
            self.results.addTopLevelItem(item)
        found = counted(self.tr("Found: %n fragment(s)", "", len(hits)), len(hits))
        self.summary.setText(self.tr("{0}; newest calls first, a call's fragments in the order said.").format(found)
                             if hits else found)
        scoped = self.operator.currentData() is not None or self.period.isChecked()
        self.empty_hint.set_text((self.tr(
            "Nothing found for “%1” for this operator or period. Choose all operators or another period.")
            if scoped else self.tr("Nothing found for “%1”. Try fewer words or another word; only "
                                   "transcribed calls are searched.")).replace("%1", text))
        self.searched.emit()

    @staticmethod
    def _when(hit) -> str:
        """A moment of a call (of its found word); a message's own time in a chat or e-mail."""
        if hit.message_id is None or hit.started_at is None:
            return format_duration(hit.start_s if hit.found_s is None else hit.found_s)
        return _day_and_time(hit.started_at + timedelta(seconds=hit.start_s))

    def _open(self, item: QTreeWidgetItem) -> None:
        call_id, at_s = item.data(0, Qt.ItemDataRole.UserRole)
        self.open_call_at.emit(call_id, at_s)


def _day_and_time(moment) -> str:
    """Where a hit was said, short: its day without the year and the time (02.12 14:05 / 02 Dec 14:05)."""
    return f"{format_day_month(moment)} {moment:%H:%M}"
