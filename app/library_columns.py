"""The library table's column widths: each as wide as the widest value it can hold in the interface's language,
the long texts (operator, call kind, outcome) elided to share what is left, with no sideways scroll."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

from app.call_table_model import COLUMNS
from app.column_fit import share_width, title_width
from app.labels import (
    call_kind_codes,
    call_kind_label,
    channel_label,
    direction_label,
    format_duration,
    format_wait,
    outcome_codes,
    outcome_label,
    status_label,
    widest_datetimes,
)
from review.models import CHANNEL_KINDS, DIRECTIONS, TRANSCRIPTION_STATES

ELIDED = ("operator", "call_kind", "outcome")  # cut (whole in the tooltip) before anything else is
CELL_PADDING = 16  # the item's margins and the grid line
TITLE_PADDING = 18  # the style sheet's 8 px each side and the grid line


def column_values(column: str, operators: Iterable[str]) -> list[str]:
    """Every text a column may show, or a value as wide as the widest one."""
    match column:
        case "operator":
            return [*operators, "—"]
        case "started_at":
            return widest_datetimes()
        case "duration_s" | "silence_total_s" | "hold_total_s":
            return [format_duration(3599), format_duration(9 * 3600 + 3599)]
        case "direction":
            return [direction_label(code, channel) for code in DIRECTIONS for channel in (None, "email")]
        case "channel_kind":
            return [channel_label(code) for code in CHANNEL_KINDS]
        case "call_kind":
            return [call_kind_label(code) for code in call_kind_codes()]
        case "outcome":
            return [outcome_label(code) for code in outcome_codes()]
        case "transcription_status":
            messages = QCoreApplication.translate("CallTableModel", "%n message(s)", "", 888)
            return [*(status_label(state) for state in TRANSCRIPTION_STATES), f"{status_label('running')} 100 %",
                    messages]
        case "first_response_s" | "longest_wait_s":
            return [format_wait(59), format_wait(59 * 60), format_wait(23 * 3600 + 59 * 60)]
        case "operator_share":
            return ["100 %"]
        case "overtalk_count":
            return ["999"]
    return []


def _least(shown: list[int], titles: list[int], wanted: list[int], available: int) -> list[int]:
    """How narrow each column may go. Whose call it is matters most when scanning the list: the operator's name
    is cut only when it would take more than a quarter of the table; the call kind and the outcome give way
    first."""
    least = [title if COLUMNS[column] in ELIDED else want for column, title, want in zip(shown, titles, wanted, strict=True)]
    if "operator" in (names := [COLUMNS[c] for c in shown]):
        i = names.index("operator")
        room = available - (sum(least) - least[i])  # what the others leave it at their narrowest
        least[i] = min(wanted[i], max(titles[i], min(available // 4, room)))
    return least


def fit_library_columns(view: QTableView, operators: Iterable[str]) -> None:
    """Size the shown columns in the view's font as it is now; call it again when the font, the language, the
    width, the sorted column, the operators or the vocabulary change."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    shown = sorted((c for c in range(len(COLUMNS)) if not view.isColumnHidden(c)), key=header.visualIndex)
    if not shown:
        return
    bold = QFont(header.font())
    bold.setWeight(QFont.Weight.DemiBold)  # the style sheet's header weight, which header.font() does not carry
    title_metrics, cell_metrics = QFontMetrics(bold), QFontMetrics(view.font())
    operators = list(operators)
    style = header.style()
    arrow = (style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
             + 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header))
    names = [str(view.model().headerData(column, Qt.Orientation.Horizontal)) for column in shown]
    contents = [max((cell_metrics.horizontalAdvance(value) for value in column_values(COLUMNS[column], operators)),
                    default=0) for column in shown]
    available = view.viewport().width() - 2  # the grid line at the edge
    if view.verticalHeader().length() > view.viewport().height() and not view.verticalScrollBar().isVisible():
        available -= view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)  # about to show
    sorted_by = header.sortIndicatorSection()
    for lines in (1, 2):
        # The names on two lines ("Дата и / время") when on one they leave the operator's name cut.
        titles = [title_width(title_metrics, name, lines) + TITLE_PADDING + (arrow if column == sorted_by else 0)
                  for column, name in zip(shown, names, strict=True)]
        wanted = [max(title, content + CELL_PADDING) for title, content in zip(titles, contents, strict=True)]
        least = _least(shown, titles, wanted, available)
        if "operator" not in (kinds := [COLUMNS[c] for c in shown]) or \
                least[kinds.index("operator")] >= wanted[kinds.index("operator")]:
            break
    wrapping = lines == 2
    alignment = Qt.AlignmentFlag.AlignCenter | (Qt.TextFlag.TextWordWrap if wrapping else Qt.AlignmentFlag(0))
    header.setDefaultAlignment(alignment)
    header.setMinimumHeight(title_metrics.height() * 2 + 14 if wrapping else 0)
    widths = share_width(wanted, available, least)
    spare = available - sum(widths)
    if spare > 0:
        widths[-1] += spare  # the last column reaches the edge, as a stretched one would
    for column, width in zip(shown, widths, strict=True):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
