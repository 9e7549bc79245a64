"""Columns shared out to fit a table's width: each as wide as its content while they fit, the widest cut first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

# The style sheet's 8 px each side of a header's title and the grid line: with 14, "Дата и" of "Дата и время"
# did not fit its line and the title took three lines, cut at the header's top and bottom.
TITLE_PADDING = 18


def share_width(wanted: list[int], available: int, least: list[int]) -> list[int]:
    """Widths that sum to at most `available` where the `least` ones allow: the narrow columns keep what they
    want, the wide ones share the rest equally, none below its least. Wanted widths that fit come back as
    they are."""
    def shared(cap: int) -> list[int]:
        return [max(low, min(width, cap)) for width, low in zip(wanted, least, strict=True)]

    if sum(wanted) <= available:
        return list(wanted)
    low, high = 0, max(wanted)  # the widest cap that still fits
    while low < high:
        cap = (low + high + 1) // 2
        low, high = (cap, high) if sum(shared(cap)) <= available else (low, cap - 1)
    return shared(low)


def title_width(metrics, title: str, lines: int) -> int:
    """The width `title` needs when its words may wrap onto at most `lines` lines (the widest line, at best)."""
    words = title.split() or [""]
    best = metrics.horizontalAdvance(title)
    if lines < 2:
        return best
    for first in range(1, len(words)):
        rest = words[first:]
        head = metrics.horizontalAdvance(" ".join(words[:first]))
        cuts = range(1, len(rest)) if lines > 2 else ()
        tails = [max(metrics.horizontalAdvance(" ".join(rest[:cut])), metrics.horizontalAdvance(" ".join(rest[cut:])))
                 for cut in cuts] + [metrics.horizontalAdvance(" ".join(rest))]
        best = min(best, max(head, min(tails)))
    return best


def fit_columns_to_view(view: QTableView, padding: int = 16, *, wrap_before_cutting: bool = False) -> None:
    """Fit the visible columns into the view's width with no sideways scroll, each at least as wide as its
    title; a cut text is elided (its item should carry the whole text as its tooltip). A header whose titles
    wrap puts them on two lines when on one they do not fit, or, with `wrap_before_cutting`, when on one they
    would cut the values (people's names as titles over short figures). Call it again when the rows or the
    width change."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    shown = [c for c in range(header.count()) if not view.isColumnHidden(c)]
    bold = QFont(header.font())
    bold.setWeight(QFont.Weight.DemiBold)  # the style sheet's header weight, which header.font() does not carry
    metrics = QFontMetrics(bold)
    names = [str(view.model().headerData(c, Qt.Orientation.Horizontal)) for c in shown]
    content = [view.sizeHintForColumn(c) + padding for c in shown]
    available = view.viewport().width() - 2  # the grid line at the edge
    rows_overflow = view.verticalHeader().length() > view.viewport().height()
    if rows_overflow and not view.verticalScrollBar().isVisible():  # it is about to show
        available -= view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
    titles = [metrics.horizontalAdvance(name) + TITLE_PADDING for name in names]
    wanted = [max(width, title) for width, title in zip(content, titles, strict=True)]
    crowded = max(sum(titles), sum(wanted) if wrap_before_cutting else 0) > available
    if header.defaultAlignment() & Qt.TextFlag.TextWordWrap and crowded:  # "Телефон / пациента"
        titles = [title_width(metrics, name, 2) + TITLE_PADDING for name in names]
        wanted = [max(width, title) for width, title in zip(content, titles, strict=True)]
    if sum(titles) > available:  # too narrow even for the titles: those are cut too
        titles = [min(title, available // len(shown)) for title in titles]
    widths = share_width(wanted, available, titles)
    spare = available - sum(widths)
    if spare > 0 and widths:
        widths[-1] += spare  # the last column reaches the edge, as a stretched one would
    for column, width in zip(shown, widths, strict=True):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
