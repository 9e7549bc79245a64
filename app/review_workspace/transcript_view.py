"""The transcript as chat bubbles, one per turn, in a virtualised list: only visible rows are painted.

Words are laid out by hand so a click lands on a word (seek there), the playing word is highlighted and unsure
words carry a dotted underline. Following the playhead pauses when the reviewer scrolls, until resumed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QListView, QPushButton, QStyledItemDelegate, QToolTip

from app.labels import format_duration, speaker_label
from app.review_workspace.transcript_model import TranscriptModel, Turn

PAD = 10  # inside a bubble
GAP = 5  # between bubbles
SIDE = 12  # from the view's edge
CHIP_PAD = 5  # each side of a masked word's text
BUBBLE_SHARE = 0.8  # of the view's width
BUBBLE_COLORS = {"operator": QColor("#e3f4f4"), "customer": QColor("#eceff8"), "unknown": QColor("#f1f3f5")}
SPEAKER_COLORS = {"operator": QColor("#0b6e70"), "customer": QColor("#3f4a8a"), "unknown": QColor("#52606d")}


def personal_data_label(kind: str) -> str:
    """A kind of personal data (review.transcripts.personal_data.KINDS) in words."""
    names = {"phone": QCoreApplication.translate("TranscriptView", "phone"),
             "email": QCoreApplication.translate("TranscriptView", "e-mail"),
             "card": QCoreApplication.translate("TranscriptView", "card number"),
             "passport": QCoreApplication.translate("TranscriptView", "passport"),
             "snils": QCoreApplication.translate("TranscriptView", "SNILS"),
             "birth_date": QCoreApplication.translate("TranscriptView", "date of birth")}
    return names.get(kind, kind)


def mask_labels() -> dict[str, str]:
    """What a masked stretch reads on screen: «▮▮▮ phone»."""
    return {kind: f"▮▮▮ {personal_data_label(kind)}"
            for kind in ("phone", "email", "card", "passport", "snils", "birth_date")}


@dataclass(frozen=True)
class RowLayout:
    bubble: QRectF
    words: tuple[QRectF, ...]
    height: float


class TurnDelegate(QStyledItemDelegate):
    def __init__(self, view: TranscriptView) -> None:
        super().__init__(view)
        self._view = view
        self._cache: dict[tuple[int, int], RowLayout] = {}
        self.font = QFont(view.font())
        self.font.setPointSizeF(max(10.5, self.font.pointSizeF() + 0.5))
        self.header_font = QFont(view.font())
        self.header_font.setPointSizeF(max(8.5, view.font().pointSizeF() - 1))
        self.header_font.setBold(True)
        self._metrics = QFontMetricsF(self.font)
        self._header_h = QFontMetricsF(self.header_font).height() + 2

    def clear(self) -> None:
        self._cache.clear()

    def layout_for(self, row: int, turn: Turn, width: int) -> RowLayout:
        key = (row, width)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._layout(turn, width)
        return found

    def _layout(self, turn: Turn, width: int) -> RowLayout:
        metrics, space = self._metrics, self._metrics.horizontalAdvance(" ")
        line_h = metrics.height()
        inner_max = max(120.0, width * BUBBLE_SHARE - 2 * PAD)
        x = y = 0.0
        widest = 0.0
        rects = []
        for word in turn.words:
            w = metrics.horizontalAdvance(word.text) + (2 * CHIP_PAD if word.masked else 0)
            if x > 0 and x + w > inner_max:
                x, y = 0.0, y + line_h
            rects.append(QRectF(x, y, w, line_h))
            widest = max(widest, x + w)
            x += w + space
        header_w = QFontMetricsF(self.header_font).horizontalAdvance("Customer · 00:00:00   99")
        inner_w = min(inner_max, max(widest, header_w))
        bubble_w, bubble_h = inner_w + 2 * PAD, self._header_h + y + line_h + 2 * PAD
        left = SIDE if turn.speaker != "customer" else max(SIDE, width - SIDE - bubble_w)
        bubble = QRectF(left, GAP, bubble_w, bubble_h)
        origin = QPointF(left + PAD, GAP + PAD + self._header_h)
        words = tuple(r.translated(origin) for r in rects)
        return RowLayout(bubble, words, bubble_h + 2 * GAP)

    def sizeHint(self, option, index: QModelIndex) -> QSize:
        # Turns come straight from the model, not through QVariant: cheaper, and it sidesteps a PySide6 6.12
        # reference-count bug seen when tens of thousands of Python objects cross index.data().
        turns = index.model().turns
        if not 0 <= index.row() < len(turns):
            return QSize(0, 0)
        turn = turns[index.row()]
        width = self._view.viewport().width()
        return QSize(width, int(self.layout_for(index.row(), turn, width).height + 0.5))

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        model: TranscriptModel = index.model()
        turn: Turn = model.turns[index.row()]
        row, rect = index.row(), option.rect
        layout = self.layout_for(row, turn, self._view.viewport().width())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(rect.topLeft())
        current_row, current_word = model.current
        playing_here = row == current_row
        painter.setPen(QPen(QColor("#0f8b8d"), 1.5) if playing_here else Qt.PenStyle.NoPen)
        painter.setBrush(BUBBLE_COLORS.get(turn.speaker, BUBBLE_COLORS["unknown"]))
        painter.drawRoundedRect(layout.bubble, 8, 8)
        # Header: who and when, plus a count of comments on this turn.
        painter.setFont(self.header_font)
        painter.setPen(SPEAKER_COLORS.get(turn.speaker, SPEAKER_COLORS["unknown"]))
        header = QRectF(layout.bubble.left() + PAD, layout.bubble.top() + PAD - 2, layout.bubble.width() - 2 * PAD,
                        self._header_h)
        painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f"{speaker_label(turn.speaker)} · {format_duration(turn.start)}")
        comments = model.comment_counts.get(row, 0)
        if comments:
            badge = QRectF(header.right() - 22, header.top() + 1, 22, header.height() - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#e8a317"))
            painter.drawRoundedRect(badge, 6, 6)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(comments))
        self._paint_words(painter, model, row, turn, layout, current_word if playing_here else -1)
        painter.restore()

    def _paint_words(self, painter: QPainter, model: TranscriptModel, row: int, turn: Turn, layout: RowLayout,
                     playing_word: int) -> None:
        painter.setFont(self.font)
        selection = model.selection
        descent = self._metrics.descent()
        for index, (word, box) in enumerate(zip(turn.words, layout.words, strict=True)):
            if selection is not None and selection[0] <= (row, index) <= selection[1]:
                painter.fillRect(box.adjusted(-2, 0, 3, 0), QColor("#cfe3ff"))
            if word.masked:  # personal data: a chip in place of the words, never their text
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("#ffd45c") if index == playing_word else QColor("#d5dbe3"))
                painter.drawRoundedRect(box.adjusted(0, 1, 0, -1), 5, 5)
                painter.setPen(QColor("#3e4c59"))
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, word.text)
                continue
            if index == playing_word:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("#ffd45c"))
                painter.drawRoundedRect(box.adjusted(-2, 0, 2, 0), 3, 3)
            painter.setPen(QColor("#1f2933"))
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, word.text)
            if word.unsure:
                painter.setPen(QPen(QColor("#c2410c"), 1.2, Qt.PenStyle.DotLine))
                y = box.bottom() - descent + 2
                painter.drawLine(QPointF(box.left(), y), QPointF(box.right(), y))


class TranscriptView(QListView):
    """Emits word_clicked(seconds, row, word, extend) when a word is clicked (extend: Shift held)."""

    word_clicked = Signal(float, int, int, bool)
    following_changed = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptView")
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        # Lay out the first rows at once and the rest in slices, so a long call paints without waiting.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(60)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.delegate = TurnDelegate(self)
        self.setItemDelegate(self.delegate)
        self.following = True
        self._width = -1
        self.resume_button = QPushButton(self.tr("Follow playback"), self.viewport())
        self.resume_button.setObjectName("primaryButton")
        self.resume_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.resume_button.clicked.connect(lambda: self.set_following(True))
        self.resume_button.hide()
        self.verticalScrollBar().actionTriggered.connect(lambda _action: self.set_following(False))

    def setModel(self, model) -> None:
        super().setModel(model)
        model.modelReset.connect(self.delegate.clear)
        model.rows_restyled.connect(self._repaint_rows)

    def _repaint_rows(self, rows: list[int]) -> None:
        if not rows:
            self.viewport().update()
        for row in rows:
            self.viewport().update(self.visualRect(self.model().index(row)))

    # ------------------------------------------------------------------ following the playhead
    def set_following(self, on: bool) -> None:
        if on == self.following:
            return
        self.following = on
        self.resume_button.setVisible(not on)
        self._place_resume_button()
        if on:
            self.follow(self.model().current[0])
        self.following_changed.emit(on)

    def follow(self, row: int) -> None:
        if self.following and row >= 0:
            self.scrollTo(self.model().index(row), QAbstractItemView.ScrollHint.EnsureVisible)

    def wheelEvent(self, event) -> None:
        self.set_following(False)
        super().wheelEvent(event)

    # ------------------------------------------------------------------ words under the mouse
    def word_at(self, pos) -> tuple[int, int]:
        index = self.indexAt(pos)
        if not index.isValid():
            return -1, -1
        turn = self.model().turns[index.row()]
        rect = self.visualRect(index)
        layout = self.delegate.layout_for(index.row(), turn, self.viewport().width())
        local = QPointF(pos) - QPointF(rect.topLeft())
        for number, box in enumerate(layout.words):
            if box.adjusted(-3, 0, 3, 0).contains(local):
                return index.row(), number
        return index.row(), -1

    def word_rect(self, row: int, word: int) -> QRectF:
        """Where a word is drawn in viewport coordinates (for tests and for scrolling to it)."""
        index = self.model().index(row)
        layout = self.delegate.layout_for(row, self.model().turns[row], self.viewport().width())
        return layout.words[word].translated(QPointF(self.visualRect(index).topLeft()))

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        row, word = self.word_at(event.position().toPoint())
        if word >= 0:
            turn = self.model().turns[row]
            extend = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.word_clicked.emit(turn.words[word].start, row, word, extend)

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.Resize and self.viewport().width() != self._width:
            # The viewport narrows when the scroll bar appears, without the view itself resizing: row heights
            # depend on the width, so lay the rows out again.
            self._width = self.viewport().width()
            self.delegate.clear()
            self.scheduleDelayedItemsLayout()
        if event.type() == QEvent.Type.ToolTip:
            row, word = self.word_at(event.pos())
            if word >= 0:
                found = self.model().turns[row].words[word]
                tip = self.tr("{0} — click to play from here").format(format_duration(found.start))
                if found.masked:
                    tip = self.tr("Personal data, hidden on screen: {0}").format(found.text) + "\n" + tip
                elif found.unsure:
                    tip = self.tr("Unsure word ({0} % confidence): listen to check it.").format(
                        round(found.probability * 100)) + "\n" + tip
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_resume_button()

    def _place_resume_button(self) -> None:
        hint = self.resume_button.sizeHint()
        self.resume_button.setGeometry(self.viewport().width() - hint.width() - 16,
                                       self.viewport().height() - hint.height() - 12, hint.width(), hint.height())
