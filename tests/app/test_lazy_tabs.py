"""Tabs built when first shown (app/lazy_page.py): not before, once, and to their callers plain tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.lazy_page import LazyTabWidget


def test_a_tab_is_built_when_first_shown_and_then_reads_as_a_plain_tab(qtbot):
    made = []

    def make(text: str) -> QLabel:
        made.append(text)
        return QLabel(text)

    tabs = LazyTabWidget()
    qtbot.addWidget(tabs)
    first = QLabel("first")
    tabs.addTab(first, "First")
    tabs.add_lazy_tab(lambda: make("second"), "Second")
    tabs.add_lazy_tab(lambda: make("third"), "Third")
    tabs.show()
    qtbot.wait(20)
    assert made == [] and tabs.is_built(0) and not tabs.is_built(1)

    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: tabs.is_built(1))
    second = tabs.currentWidget()
    assert made == ["second"] and second.text() == "second" and second.isVisible()
    assert tabs.indexOf(second) == 1 and tabs.widget(1) is second and not tabs.is_built(2)

    third = tabs.widget(2)  # asked for before being shown: built at once, and only once
    assert made == ["second", "third"] and tabs.indexOf(third) == 2
    tabs.setCurrentWidget(third)
    qtbot.waitUntil(third.isVisible)
    tabs.setCurrentWidget(first)
    tabs.setCurrentWidget(second)
    assert tabs.currentIndex() == 1 and made == ["second", "third"]
