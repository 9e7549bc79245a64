"""A control in a table's cell (a drop-down, a chart) that stays inside the cell's lines."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QWidget


def set_cell_widget(table: QTableWidget, row: int, column: int, widget: QWidget) -> None:
    """Put `widget` in the cell and make its row tall enough for it: a cell is as tall as its row less the grid
    line, and a drop-down taller than that (30 px in a 30 px row) covered the line under it."""
    table.setCellWidget(row, column, widget)
    needed = widget.sizeHint().height() + (1 if table.showGrid() else 0)
    if table.rowHeight(row) < needed:
        table.setRowHeight(row, needed)
