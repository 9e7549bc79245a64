"""The status board: one column per stage, one card per session."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.empty_hint import EmptyHint
from app.labels import format_date, format_datetime
from review.sessions.review_sessions import SessionCard


def _period(card: SessionCard) -> str:
    if card.period_start is None or card.period_end is None:
        return card.period
    return f"{format_date(card.period_start)}–{format_date(card.period_end)}"


CARDS_SHOWN = 3  # each column shows at least this many cards whole, even on a 1366x768 screen
CARD_LINES = 3  # operator, period, progress
CARD_CHROME = 2 * 4 + 2 + 2 * 2  # the style sheet's padding and border, the list's spacing around a card


class SessionBoard(QWidget):
    session_selected = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        titles = {"to_score_supervisor": self.tr("To score by supervisor"),
                  "to_self_score": self.tr("To self-score by operator"),
                  "ready_to_discuss": self.tr("Ready to discuss"), "closed": self.tr("Closed")}
        self.columns: dict[str, QListWidget] = {}
        self.column_hints: dict[str, EmptyHint] = {}
        self._column_hint_texts = {
            "to_self_score": self.tr("No session waits for an operator's self-score."),
            "ready_to_discuss": self.tr("A session comes here once both sides have scored its calls."),
            "closed": self.tr("Sessions discussed and closed come here."),
        }
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for stage, title in titles.items():
            box = QVBoxLayout()
            label = QLabel(title)
            label.setObjectName("paneTitle")
            column = QListWidget()
            column.setObjectName("boardColumn")  # cards as separate tiles (style.qss)
            column.setSpacing(2)
            # Short lines that never need wrapping: a styled item's padding is not counted when Qt wraps.
            column.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            column.setTextElideMode(Qt.TextElideMode.ElideRight)
            column.itemClicked.connect(self._clicked)
            self.columns[stage] = column
            if stage == "to_score_supervisor":  # the first column says why the board is empty
                self.empty_hint = EmptyHint(column)
            else:  # the others, while other columns hold sessions, why they are empty
                self.column_hints[stage] = EmptyHint(column)
            box.addWidget(label)
            box.addWidget(column)
            layout.addLayout(box)
        self._title = label

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        """Tall enough for CARDS_SHOWN cards under the column titles: the splitter gives the details no more."""
        hint = super().minimumSizeHint()
        card = CARD_LINES * self.fontMetrics().lineSpacing() + CARD_CHROME
        cards = CARDS_SHOWN * card + 2 * 2 + 4  # the list's frame and the spacing at its ends
        return QSize(hint.width(), max(hint.height(), self._title.sizeHint().height() + 6 + cards))

    def set_cards(self, cards: list[SessionCard]) -> None:
        for column in self.columns.values():
            column.clear()
        for stage, hint in self.column_hints.items():
            hint.set_text(self._column_hint_texts[stage] if cards else "")
        for card in cards:
            text = self.tr("%1\n%2\nscored %3/%5 · self %4/%5").replace("%1", card.operator_name) \
                .replace("%2", _period(card)).replace("%3", str(card.supervisor_done)) \
                .replace("%4", str(card.self_done)).replace("%5", str(card.calls))
            if card.acknowledged_at:
                text += "\n" + self.tr("Acknowledged %1").replace("%1", format_datetime(card.acknowledged_at))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, card.id)
            self.columns[card.stage].addItem(item)

    def card_ids(self, stage: str) -> list[int]:
        column = self.columns[stage]
        return [column.item(i).data(Qt.ItemDataRole.UserRole) for i in range(column.count())]

    def _clicked(self, item: QListWidgetItem) -> None:
        for column in self.columns.values():
            if column is not item.listWidget():
                column.clearSelection()
        self.session_selected.emit(item.data(Qt.ItemDataRole.UserRole))
