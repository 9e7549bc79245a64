"""Text that does not fit is cut with "…" (never mid-letter without a mark), and moments read one way per
language wherever they are shown."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from app.elided_label import ElidedLabel
from app.search_page import _day_and_time


def test_a_long_line_is_cut_with_an_ellipsis_and_kept_whole_in_the_tooltip(qtbot):
    line = "05.11.2026 16:30 · входящий · запись на приём · 12:34 · переписка WhatsApp · 14 сообщений"
    label = ElidedLabel(line, mode=Qt.TextElideMode.ElideRight)
    qtbot.addWidget(label)
    label.resize(160, 20)
    label.show()
    assert label.shown_text().endswith("…") and len(label.shown_text()) < len(line)
    assert label.text() == line and label.toolTip() == line
    label.resize(2000, 20)
    assert label.shown_text() == line  # room again: whole


def test_a_hit_s_moment_reads_as_the_interface_language_writes_it(english):
    assert _day_and_time(datetime(2026, 12, 2, 14, 5)) == "02 Dec 14:05"
