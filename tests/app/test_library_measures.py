"""The library's analytics columns and its filter by a talk measure, through the Qt view over a real database."""

from __future__ import annotations

from app.call_table_model import COLUMNS
from app.library_page import LibraryPage
from review.workspace import Workspace
from tests.app.test_library_page import settled
from tests.review.test_library_analytics import measured_library


def test_measure_filter_and_columns(qtbot, sqlite_db, tmp_path):
    from review.accounts.local_admin import ensure_local_admin

    with sqlite_db.unit_of_work() as session:
        admin = ensure_local_admin(session)
    a, b, c = measured_library(sqlite_db, admin, tmp_path)
    page = LibraryPage(Workspace(sqlite_db, admin))
    qtbot.addWidget(page)
    settled(qtbot, page)
    assert page.model.rowCount() == 3
    rows = {page.model.call_id_at(r): r for r in range(3)}

    def shown(call_id, column):
        return page.model.data(page.model.index(rows[call_id], COLUMNS.index(column)))

    assert (shown(a, "operator_share"), shown(a, "silence_total_s"), shown(a, "overtalk_count")) == ("85 %", "0:36", "0")
    assert (shown(c, "operator_share"), shown(c, "silence_total_s")) == ("—", "—")
    assert not page.measure_filter.low.isEnabled()
    page.measure_filter.set_range("silence_total_s", 30)  # silence over 30 s
    settled(qtbot, page)
    assert page.model.rowCount() == 1 and page.model.call_id_at(0) == a
    page.measure_filter.set_range("operator_share", 70)  # operator talk over 70 %
    settled(qtbot, page)
    assert [page.model.call_id_at(r) for r in range(page.model.rowCount())] == [a]
    page.measure_filter.set_range("operator_share", None, 70)
    settled(qtbot, page)
    assert [page.model.call_id_at(r) for r in range(page.model.rowCount())] == [b]
    page.reset_filters()
    settled(qtbot, page)
    assert page.model.rowCount() == 3 and page.measure_filter.ranges() == ()
