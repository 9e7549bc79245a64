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


def test_a_table_alone_in_a_tab_is_inset_like_a_tab_s_layout_and_a_scrolled_form_fills_its_tab(qtbot):
    """A table made the whole tab touched the tab's frame; a form in a scroll area (the rubric editor's
    selected item) must keep the tab's whole width, or it scrolls sideways."""
    from PySide6.QtWidgets import QScrollArea, QStyle, QTableView


    tabs = LazyTabWidget()
    qtbot.addWidget(tabs)
    tabs.add_lazy_tab(QTableView, "table")
    tabs.add_lazy_tab(QScrollArea, "form")
    tabs.resize(600, 400)
    tabs.show()
    table, form = tabs.widget(0), tabs.widget(1)
    margin = tabs.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
    assert table.geometry().left() == margin and form.geometry().left() == 0
