"""The written conversation fits its pane at 1366×768: no line (the longest wait's, in Russian) widens it."""

from __future__ import annotations

from datetime import datetime

from app.review_workspace.message_items import MessageItem
from app.review_workspace.message_view import MessageView


def test_the_conversation_fits_a_narrow_pane_without_sideways_scrolling(qtbot, russian):
    items = [MessageItem(1, "patient", "text", "Елена Волкова", datetime(2026, 11, 10, 18, 52), 0.0, "Вы меня записали?"),
             MessageItem(2, "operator", "text", "Семейный доктор", datetime(2026, 11, 10, 19, 4), 720.0, "Да",
                         wait_s=720.0),
             MessageItem(3, "patient", "text", "Елена Волкова", datetime(2026, 11, 10, 21, 40), 9_000.0, "Спасибо"),
             MessageItem(4, "operator", "text", "Семейный доктор", datetime(2026, 11, 11, 9, 12), 51_000.0, "Да",
                         wait_s=7_560.0)]
    view = MessageView()
    qtbot.addWidget(view)
    view.set_items(items)
    view.resize(360, 500)  # the conversation pane beside the scorecard at 1366×768
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.widget().width() <= view.viewport().width())
    assert not view.horizontalScrollBar().isVisible()
