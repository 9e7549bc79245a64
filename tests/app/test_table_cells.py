"""A drop-down in a table's row keeps inside the row's lines: Administration → Teams, where each operator's team
is chosen in the row."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from app.users_page import UsersPage
from review.accounts.local_admin import ensure_local_admin
from review.workspace import Workspace
from tests.app.app_look import app_wide_look
from tests.review.session_fixtures import add_operator

GRID = QColor("#eef1f4")  # gridline-color in resources/style.qss


def test_team_drop_downs_leave_the_row_lines_visible(qtbot, sqlite_db):
    """The drop-downs were 30 px in 30 px rows and covered the line under each row by 1 px."""
    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
        for name in ("Анна Смирнова", "Игорь Петров", "Ольга Кузнецова"):
            add_operator(session, name)
    with app_wide_look():
        page = UsersPage(Workspace(sqlite_db, admin))
        qtbot.addWidget(page)
        page.resize(1166, 700)
        page.show()
        page.tabs.setCurrentIndex(page.tabs.indexOf(page.teams.parentWidget()))
        table = page.teams
        qtbot.waitUntil(lambda: table.rowCount() == 3 and table.cellWidget(2, 1) is not None)
        QApplication.processEvents()
        image = table.viewport().grab().toImage()
        for row in range(table.rowCount()):
            combo = table.cellWidget(row, 1)
            assert combo.sizeHint().height() < table.rowHeight(row)  # the box fits above the line
            middle = combo.mapTo(table.viewport(), QPoint(combo.width() // 2, 0)).x()
            line = table.rowViewportPosition(row) + table.rowHeight(row) - 1
            assert image.pixelColor(middle, line) == GRID, row  # the row's line is drawn, not the box's edge
            # the text in the row's first cell and the drop-down's words share one middle
            text_middle = table.rowViewportPosition(row) + table.rowHeight(row) / 2
            assert abs(combo.mapTo(table.viewport(), QPoint(0, combo.height() // 2)).y() - text_middle) <= 1
