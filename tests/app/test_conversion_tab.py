"""The callback conversion tab over the hand-computed callbacks of tests/review/test_conversion.py: the table the
export writes, the drill-down to the calls, and the manager's target."""

from __future__ import annotations

import pytest

from app.reports_page import ReportsPage
from review.workspace import Workspace
from tests.review.test_conversion import PERIOD, clinic  # noqa: F401  (the fixture)

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _page(qtbot, db, actor) -> ReportsPage:
    page = ReportsPage(Workspace(db, actor))
    qtbot.addWidget(page)
    page.resize(1176, 718)
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        page.set_period(PERIOD.start, PERIOD.end)
        page.refresh()
    return page


def test_conversion_tab_drills_down_and_takes_the_managers_target(qtbot, db, admin, clinic, tmp_path):  # noqa: F811
    ids, users, _operators = clinic
    page = _page(qtbot, db, users["manager"])
    tab = page.conversion_tab
    page.tabs.setCurrentWidget(tab)
    model = tab.model
    assert model.rowCount() == 1 + 2 + 3 + 2  # total, operators, callback kinds, weeks
    assert [model.index(0, c).data() for c in (2, 3, 4, 5, 6, 8, 9)] == ["9", "7", "5", "2", "71.43", "80", "no"]
    assert "71.4" in tab.verdict.text() and tab.target.isEnabled()
    tab.view.selectRow(1)  # Анна
    assert tab.calls.rowCount() == 5 and tab.calls.item(4, 3).text() == "no outcome recorded"
    with qtbot.waitSignal(tab.open_call) as opened:
        tab.calls.cellDoubleClicked.emit(2, 0)
    assert opened.args == [ids[2], ids[:5]]
    tab.target.setValue(75)
    with qtbot.waitSignal(page.refreshed, timeout=20000):
        tab.set_target.click()
    assert [model.index(r, 9).data() for r in (1, 2)] == ["yes", "no"]  # Анна 75 % meets 75 %, Борис does not
    assert page.current_report() == "conversion"
    with qtbot.waitSignal(page.exported, timeout=20000):
        page.export_to(str(tmp_path / "conversion.csv"), "csv")
    lines = (tmp_path / "conversion.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("By,Group,Callbacks") and lines[2].startswith("Operator,Анна,5,4,3,1,75,60,75,yes")


def test_a_supervisor_reads_the_target_but_does_not_set_it(qtbot, db, admin, clinic):  # noqa: F811
    _ids, users, _operators = clinic
    page = _page(qtbot, db, users["sup_a"])
    assert not page.conversion_tab.target.isEnabled() and not page.conversion_tab.set_target.isVisible()
    assert page.conversion_tab.model.index(1, 1).data() == "Анна" and page.conversion_tab.model.rowCount() == 1 + 1 + 3 + 2
