"""The left column of the rubrics page: stored rubrics with badges, and the chosen rubric's versions."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate

from app.i18n import interface_language
from app.labels import format_datetime
from review.scoring.rubric_store import RubricSummary, VersionInfo

TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 2
BADGES_ROLE = Qt.ItemDataRole.UserRole + 3  # [(text, colour)]
KEY_ROLE = Qt.ItemDataRole.UserRole + 4  # slug or version id

BUILTIN_NOTE = "Built-in rubric"  # review.scoring.rubric_store.install_builtin_rubrics
BADGE_COLOURS = {"draft": "#b76e00", "builtin": "#52606d", "published": "#0f8b8d", "current": "#0f8b8d"}


def local_time(moment: datetime | None) -> str:
    """A stored naive-UTC time in the user's time zone and locale, e.g. '12.10.2026 14:30'."""
    if moment is None:
        return ""
    return format_datetime(moment.replace(tzinfo=UTC))


TITLE_LINES = 3  # a longer title is cut on its third line, whole in the tooltip
PADDING = (10, 8, 8, 8)  # left, top, right, bottom


def _fonts(font: QFont) -> tuple[QFont, QFont]:
    bold = QFont(font)
    bold.setBold(True)
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() * 0.82))
    return bold, small


def title_layout(title: str, badges: list[tuple[str, str]], width: int, bold: QFontMetrics,
                 small: QFontMetrics) -> tuple[list[str], bool]:
    """The title wrapped at word breaks into at most TITLE_LINES lines of `width`, and whether the badges need a
    line of their own (they follow the title on its last line where they fit)."""
    lines: list[str] = []
    for word in title.split():
        if lines and bold.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > TITLE_LINES:
        lines[TITLE_LINES - 1:] = [" ".join(lines[TITLE_LINES - 1:])]
    lines = [bold.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines] or [""]
    badge_width = sum(small.horizontalAdvance(text) + 14 for text, _colour in badges)
    own_line = bool(badges) and bold.horizontalAdvance(lines[-1]) + 8 + badge_width > width
    return lines, own_line


class TwoLineDelegate(QStyledItemDelegate):
    """A bold title (wrapped, three lines at most) with coloured badges after it, a muted subtitle below."""

    def _text_width(self, option) -> int:
        view = self.parent()
        width = option.rect.width() or (view.viewport().width() if view is not None else 200)
        return max(40, width - PADDING[0] - PADDING[2])

    def sizeHint(self, option, index) -> QSize:
        bold, small = (QFontMetrics(f) for f in _fonts(option.font))
        lines, own_line = title_layout(index.data(TITLE_ROLE) or "", index.data(BADGES_ROLE) or [],
                                       self._text_width(option), bold, small)
        height = bold.height() * len(lines) + (small.height() + 6 if own_line else 0)
        if index.data(SUBTITLE_ROLE):
            height += 6 + QFontMetrics(option.font).height()
        return QSize(120, height + PADDING[1] + PADDING[3])  # as wide as the list: the title wraps

    def paint(self, painter: QPainter, option, index) -> None:
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, QColor("#d3f0f0"))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(option.rect, QColor("#f1f5f8"))
        painter.setPen(QPen(QColor("#eef1f4")))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        rect = option.rect.adjusted(PADDING[0], PADDING[1], -PADDING[2], -PADDING[3])
        bold, small = _fonts(option.font)
        metrics, small_metrics = QFontMetrics(bold), QFontMetrics(small)
        badges = index.data(BADGES_ROLE) or []
        lines, own_line = title_layout(index.data(TITLE_ROLE) or "", badges, rect.width(), metrics, small_metrics)
        painter.setFont(bold)
        painter.setPen(QColor("#0b3b3b" if selected else "#1f2933"))
        line = QRect(rect.left(), rect.top(), rect.width(), metrics.height())
        for number, text in enumerate(lines):
            if number:
                line.translate(0, metrics.height())
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        x = rect.left() + metrics.horizontalAdvance(lines[-1]) + 8
        if own_line:
            line = QRect(rect.left(), line.bottom() + 3, rect.width(), small_metrics.height() + 3)
            x = rect.left()
        painter.setFont(small)
        for text, colour in badges:
            width = small_metrics.horizontalAdvance(text) + 10
            pill = QRect(x, line.center().y() - small_metrics.height() // 2 - 1, width, small_metrics.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(pill, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            x += width + 4
        subtitle = index.data(SUBTITLE_ROLE)
        if subtitle:
            painter.setFont(option.font)
            painter.setPen(QColor("#52606d"))
            sub = QRect(rect.left(), line.bottom() + 6, rect.width(), QFontMetrics(option.font).height())
            painter.drawText(sub, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(option.font).elidedText(subtitle, Qt.TextElideMode.ElideRight, sub.width()))
        painter.restore()


class RubricListWidget(QListWidget):
    """Stored rubrics: title, published version, draft and built-in badges."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setItemDelegate(TwoLineDelegate(self))
        self.setMouseTracking(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)  # a title wraps to the width: heights follow it

    def fill(self, summaries: list[RubricSummary]) -> None:
        self.blockSignals(True)
        self.clear()
        for summary in summaries:
            item = QListWidgetItem()
            item.setData(TITLE_ROLE, summary.title_in(interface_language()))
            item.setData(KEY_ROLE, summary.slug)
            published = (self.tr("Published: version {0}").format(summary.published_number)
                         if summary.published_number else self.tr("Not published yet"))
            item.setData(SUBTITLE_ROLE, published)
            badges = []
            if summary.has_draft:
                badges.append((self.tr("draft"), BADGE_COLOURS["draft"]))
            if summary.builtin:
                badges.append((self.tr("built-in"), BADGE_COLOURS["builtin"]))
            item.setData(BADGES_ROLE, badges)
            item.setToolTip(f"{summary.title_in(interface_language())} ({summary.slug})")
            self.addItem(item)
        self.blockSignals(False)

    def select_slug(self, slug: str | None) -> None:
        self.blockSignals(True)
        self.setCurrentRow(-1)
        for row in range(self.count()):
            if self.item(row).data(KEY_ROLE) == slug:
                self.setCurrentRow(row)
        self.blockSignals(False)

    def current_slug(self) -> str | None:
        item = self.currentItem()
        return item.data(KEY_ROLE) if item else None


class VersionListWidget(QListWidget):
    """One rubric's versions, newest first: number, status, date and the publisher's note."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setItemDelegate(TwoLineDelegate(self))
        self.setMouseTracking(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)  # a title wraps to the width: heights follow it

    def fill(self, versions: list[VersionInfo]) -> None:
        self.blockSignals(True)
        self.clear()
        latest_published = next((v.number for v in versions if v.status == "published"), None)
        for info in versions:
            item = QListWidgetItem()
            item.setData(TITLE_ROLE, self.tr("Version {0}").format(info.number))
            item.setData(KEY_ROLE, info.id)
            if info.status == "draft":
                badges = [(self.tr("draft"), BADGE_COLOURS["draft"])]
                subtitle = self.tr("Saved {0}").format(local_time(info.created_at))
            else:
                badges = [(self.tr("current"), BADGE_COLOURS["current"])] if info.number == latest_published else []
                subtitle = " · ".join(part for part in (local_time(info.published_at), self._note(info.note)) if part)
            item.setData(BADGES_ROLE, badges)
            item.setData(SUBTITLE_ROLE, subtitle)
            tip = [subtitle]
            if info.published_by:
                tip.append(self.tr("Published by {0}").format(info.published_by))
            item.setToolTip("\n".join(tip))
            self.addItem(item)
        self.blockSignals(False)

    def _note(self, note: str | None) -> str:
        # The store writes this note in English on the built-in rubrics' first version; a person's note is shown
        # as they wrote it.
        return self.tr("Built-in rubric") if note == BUILTIN_NOTE else note or ""

    def select_version(self, version_id: int | None) -> None:
        self.blockSignals(True)
        self.setCurrentRow(-1)
        for row in range(self.count()):
            if self.item(row).data(KEY_ROLE) == version_id:
                self.setCurrentRow(row)
        self.blockSignals(False)

    def current_version_id(self) -> int | None:
        item = self.currentItem()
        return item.data(KEY_ROLE) if item else None
