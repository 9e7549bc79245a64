""""My queue" in the review header: the session and calibration calls the user still has to score
(review.sessions.assigned_calls), as the review screen read them off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QComboBox

from app.labels import format_day_month
from review.sessions.assigned_calls import QueueItem


class MyQueuePicker(QComboBox):
    """Reads "My queue (N)"; its list holds one line per call to score; choosing one emits call_chosen."""

    call_chosen = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[QueueItem] = []
        self.current_call: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # As wide as "My queue (N)": the header also holds the call's title; the list opens wider.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip(self.tr("Calls of open review sessions and calibration rounds you still have to score"))
        self.activated.connect(self._chosen)

    def show_items(self, items: list[QueueItem], current_call: int | None = None) -> list[QueueItem]:
        """Show these calls (none when the queue could not be read: it is a shortcut, the screen works without
        it); the one under review in bold."""
        self.items = list(items)
        self.current_call = current_call
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("My queue ({0})").format(len(self.items)), None)
        for item in self.items:
            when = format_day_month(item.started_at) + item.started_at.strftime(" %H:%M") if item.started_at else "—"
            who = item.operator or self.tr("Unknown operator")
            if item.kind == "calibration":  # scored blind for the round, not for a session
                kind = self.tr("calibration round #{0}").format(item.round_id)
            else:
                kind = self.tr("self-review") if item.kind == "self" else self.tr("session #{0}").format(item.session_id)
            self.addItem(f"{who} · {when} · {kind}", item.call_id)
            if item.call_id == current_call:
                font = QFont(self.font())
                font.setBold(True)
                self.setItemData(self.count() - 1, font, Qt.ItemDataRole.FontRole)
        self.setCurrentIndex(0)
        self.setMinimumContentsLength(len(self.itemText(0)) + 1)
        bold = QFont(self.font())
        bold.setBold(True)
        widest = max((QFontMetrics(bold).horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        self.view().setMinimumWidth(max(320, widest + 40))
        self.blockSignals(False)
        self.setVisible(bool(self.items))
        return self.items

    def mark_current(self, current_call: int | None) -> None:
        """Embolden the call under review (the list as it was read)."""
        if current_call != self.current_call:
            self.show_items(self.items, current_call)

    def call_ids(self) -> list[int]:
        return [item.call_id for item in self.items]

    def session_of(self, call_id: int) -> int | None:
        return next((item.session_id for item in self.items if item.call_id == call_id), None)

    def _chosen(self, index: int) -> None:
        call_id = self.itemData(index)
        self.setCurrentIndex(0)
        if call_id is not None:
            self.call_chosen.emit(int(call_id))
